import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ProviderSchemas } from "../terraform/provider-schema";
import { EMPTY_REMOTE_STATE_FILE, EMPTY_STATE, OVERRIDE_FILE, deferEphemeralResources, offlineOverrides } from "./offline-overrides";
import { SYNTHESIZED_FILE, offlineBlocker, type SynthesizedStack } from "./synthesized-stacks";
import { findPluginMirror, runTerraform, terraformErrors, writeCliConfig } from "./terraform-cli";

/**
 * A copy of a synthesized stack that Terraform can plan without AWS (see offline-overrides.ts),
 * shared by `npm run verify` and the replacement gate.
 */

/** How Terraform runs offline: its CLI configuration and the providers installed for it. */
export interface OfflineTerraform {
  readonly env: NodeJS.ProcessEnv;
  /** The provider mirror in use, if any. */
  readonly mirror?: string;
  /** Per provider-requirements key (see `providerRequirementsKey`), the lock file installing them wrote, or why it failed. */
  readonly providerInstalls: ReadonlyMap<string, ProviderInstall>;
}

type ProviderInstall = { readonly ok: true; readonly lockFile: string } | { readonly ok: false; readonly step: "init"; readonly message: string };

export const LOCK_FILE = ".terraform.lock.hcl";

/**
 * The offline Terraform for `stacks`: writes its CLI configuration under `workRoot`, then installs
 * every distinct provider set the plannable stacks require, once each, before any workspace runs.
 *
 * Why up front: with a shared plugin cache, `terraform init` in a directory without a lock file
 * re-creates the provider's cache entry, and a `validate` or `plan` running meanwhile in another
 * workspace fails with "there is no package … cached in .terraform/providers". Workspaces that
 * start from the lock file written here link to the cache without touching it.
 */
export async function offlineTerraform(workRoot: string, stacks: readonly SynthesizedStack[], baseEnv: NodeJS.ProcessEnv = process.env): Promise<OfflineTerraform> {
  const mirror = findPluginMirror(baseEnv);
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    TF_CLI_CONFIG_FILE: writeCliConfig(join(workRoot, ".terraform-cli"), mirror),
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    // Never reach for real credentials or a real account, whatever the caller's shell holds.
    AWS_PROFILE: "",
    AWS_ACCESS_KEY_ID: "",
    AWS_SECRET_ACCESS_KEY: "",
    AWS_SESSION_TOKEN: "",
    AWS_EC2_METADATA_DISABLED: "true",
  };
  const requirements = new Map<string, RequiredProviders>();
  for (const stack of stacks.filter((s) => offlineBlocker(s) === undefined)) {
    const required = stack.config.terraform?.required_providers ?? {};
    if (Object.keys(required).length > 0) {
      requirements.set(providerRequirementsKey(stack), required);
    }
  }
  const providerInstalls = new Map<string, ProviderInstall>();
  // One at a time: each installation writes to the shared plugin cache.
  for (const [key, required] of requirements) {
    providerInstalls.set(key, await installProviders(required, join(workRoot, ".provider-installs", String(providerInstalls.size)), env));
  }
  return { env, mirror, providerInstalls };
}

type RequiredProviders = Record<string, { source?: string; version?: string }>;

/** What a stack's providers are, independent of local names and order: stacks with the same key share one installation. */
export function providerRequirementsKey(stack: SynthesizedStack): string {
  const required = stack.config.terraform?.required_providers ?? {};
  return JSON.stringify(
    Object.entries(required)
      .map(([name, r]) => [r.source ?? `hashicorp/${name}`, r.version ?? ""])
      .sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0)),
  );
}

async function installProviders(required: RequiredProviders, dir: string, env: NodeJS.ProcessEnv): Promise<ProviderInstall> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "providers.tf.json"), JSON.stringify({ terraform: { required_providers: required } }, null, 2));
  const result = await runTerraform(["init", "-input=false", "-no-color", "-backend=false"], dir, env);
  return result.code === 0
    ? { ok: true, lockFile: readFileSync(join(dir, LOCK_FILE), "utf8") }
    : { ok: false, step: "init", message: `installing the providers failed: ${terraformErrors(result)}` };
}

/**
 * Copies `stack` to `dir` with the offline overrides, ready for `initWorkspace`; `servedRemoteStates`
 * as for {@link offlineOverrides} (the rehearsal writes those files into `dir` itself).
 */
export function prepareWorkspace(stack: SynthesizedStack, all: readonly SynthesizedStack[], dir: string, servedRemoteStates?: ReadonlyMap<string, string>): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(stack.directory, dir, { recursive: true, filter: (src) => !src.includes("/.terraform") });
  writeFileSync(join(dir, OVERRIDE_FILE), JSON.stringify(offlineOverrides(stack, all, servedRemoteStates), null, 2));
  const deferred = deferEphemeralResources(stack.config);
  if (deferred) {
    writeFileSync(join(dir, SYNTHESIZED_FILE), JSON.stringify(deferred, null, 2));
  }
  writeFileSync(join(dir, EMPTY_REMOTE_STATE_FILE), JSON.stringify(EMPTY_STATE));
}

/**
 * `terraform init` of a prepared workspace from the lock file its providers' installation wrote;
 * fails with the installation's error when they could not be installed.
 */
export async function initWorkspace(stack: SynthesizedStack, dir: string, terraform: OfflineTerraform): Promise<StepResult> {
  const install = terraform.providerInstalls.get(providerRequirementsKey(stack));
  if (install && !install.ok) {
    return install;
  }
  if (install) {
    writeFileSync(join(dir, LOCK_FILE), install.lockFile);
  } else if (Object.keys(stack.config.terraform?.required_providers ?? {}).length > 0) {
    // Initializing without the lock file would rewrite the shared plugin cache under running plans.
    return { ok: false, step: "init", message: `${stack.name}: its providers were not installed up front (a caller passed it to initWorkspace but not to offlineTerraform)` };
  }
  return terraformStep("init", ["init", "-input=false", "-no-color", "-backend=true"], dir, terraform);
}

export type StepResult = { readonly ok: true; readonly stdout: string } | { readonly ok: false; readonly step: string; readonly message: string };

/** Runs `terraform <args>` in a workspace. */
export async function terraformStep(step: string, args: string[], dir: string, terraform: OfflineTerraform): Promise<StepResult> {
  const result = await runTerraform(args, dir, terraform.env);
  return result.code === 0 ? { ok: true, stdout: result.stdout } : { ok: false, step, message: terraformErrors(result) };
}

/**
 * `terraform plan -refresh=false` against whatever state the workspace holds, then
 * `terraform show -json` of it: the plan JSON text.
 */
export async function planJsonText(dir: string, terraform: OfflineTerraform): Promise<StepResult> {
  const planFile = "offline.tfplan";
  const plan = await terraformStep("plan", ["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", `-out=${planFile}`], dir, terraform);
  if (!plan.ok) {
    return plan;
  }
  return terraformStep("show", ["show", "-json", planFile], dir, terraform);
}

/** Runs tasks with at most `limit` in flight, keeping results in task order. */
export async function runBounded<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  return results;
}

/** `terraform providers schema -json`, read once per run from the first initialized workspace (the AWS schema is large and the same everywhere). */
export function schemaReader(terraform: OfflineTerraform): (initializedDir: string) => Promise<ProviderSchemas> {
  let pending: Promise<ProviderSchemas> | undefined;
  return (dir) => {
    pending ??= terraformStep("providers schema", ["providers", "schema", "-json"], dir, terraform).then((shown) => {
      if (!shown.ok) {
        throw new Error(`terraform providers schema -json failed: ${shown.message}`);
      }
      return JSON.parse(shown.stdout) as ProviderSchemas;
    });
    return pending;
  };
}
