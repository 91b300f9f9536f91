import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EMPTY_REMOTE_STATE_FILE, EMPTY_STATE, OVERRIDE_FILE, deferEphemeralResources, offlineOverrides } from "./offline-overrides";
import { SYNTHESIZED_FILE, type SynthesizedStack } from "./synthesized-stacks";
import { findPluginMirror, runTerraform, terraformErrors, writeCliConfig } from "./terraform-cli";

/**
 * A copy of a synthesized stack that Terraform can plan without AWS (see offline-overrides.ts),
 * shared by `npm run verify` and the replacement gate.
 */

/** How Terraform runs offline: its CLI configuration, and one `init` at a time. */
export interface OfflineTerraform {
  readonly env: NodeJS.ProcessEnv;
  /** Serializes `terraform init`: the shared plugin cache is not safe for concurrent installs. */
  readonly initLock: Mutex;
  /** The provider mirror in use, if any. */
  readonly mirror?: string;
}

export function offlineTerraform(workRoot: string, baseEnv: NodeJS.ProcessEnv = process.env): OfflineTerraform {
  const mirror = findPluginMirror(baseEnv);
  return {
    mirror,
    initLock: new Mutex(),
    env: {
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
    },
  };
}

/** Copies `stack` to `dir` with the offline overrides, ready for `terraform init`. */
export function prepareWorkspace(stack: SynthesizedStack, all: readonly SynthesizedStack[], dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(stack.directory, dir, { recursive: true, filter: (src) => !src.includes("/.terraform") });
  writeFileSync(join(dir, OVERRIDE_FILE), JSON.stringify(offlineOverrides(stack, all), null, 2));
  const deferred = deferEphemeralResources(stack.config);
  if (deferred) {
    writeFileSync(join(dir, SYNTHESIZED_FILE), JSON.stringify(deferred, null, 2));
  }
  writeFileSync(join(dir, EMPTY_REMOTE_STATE_FILE), JSON.stringify(EMPTY_STATE));
}

export type StepResult = { readonly ok: true; readonly stdout: string } | { readonly ok: false; readonly step: string; readonly message: string };

/** Runs `terraform <args>` in a workspace; `init` waits for the lock. */
export async function terraformStep(step: string, args: string[], dir: string, terraform: OfflineTerraform): Promise<StepResult> {
  const run = () => runTerraform(args, dir, terraform.env);
  const result = step === "init" ? await terraform.initLock.run(run) : await run();
  return result.code === 0 ? { ok: true, stdout: result.stdout } : { ok: false, step, message: terraformErrors(result) };
}

export const INIT_ARGS = ["init", "-input=false", "-no-color", "-backend=true"];

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

/** A promise chain that runs one task at a time. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
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
