import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { EMPTY_REMOTE_STATE_FILE, EMPTY_STATE, OVERRIDE_FILE, deferEphemeralResources, offlineOverrides } from "./offline-overrides";
import { SYNTHESIZED_FILE, offlineBlocker, readSynthesizedStacks, type SynthesizedStack } from "./synthesized-stacks";
import { findPluginMirror, runTerraform, terraformErrors, terraformVersion, writeCliConfig } from "./terraform-cli";

export type StackOutcome =
  | { readonly stack: string; readonly status: "planned"; readonly plan: PlanCounts; readonly planFile: string; readonly seconds: number }
  | { readonly stack: string; readonly status: "failed"; readonly step: string; readonly message: string; readonly seconds: number }
  | { readonly stack: string; readonly status: "not-plannable"; readonly reason: string };

export interface PlanCounts {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
}

export interface VerificationOptions {
  /** The synthesized output (`cdktf.out`). */
  readonly outdir: string;
  /** Stacks planned at once. @default - the number of cores */
  readonly concurrency?: number;
  /** Only these stacks. @default - all */
  readonly stacks?: readonly string[];
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Progress lines. @default - silent */
  readonly log?: (line: string) => void;
}

/**
 * Validates and plans every AWS-only stack of a synthesized app with the real provider and no
 * AWS account: each stack is copied to `<outdir>/offline/<stack>`, given override files, then
 * `terraform init`, `validate`, `plan -refresh=false` and `show -json` run there. Plans land in
 * `<outdir>/plans/<stack>.json`.
 */
export async function verifyOffline(options: VerificationOptions): Promise<StackOutcome[]> {
  const outdir = resolve(options.outdir);
  const log = options.log ?? (() => undefined);
  const baseEnv = options.env ?? process.env;
  await terraformVersion(baseEnv);

  const all = readSynthesizedStacks(outdir);
  const selected = options.stacks ? all.filter((s) => options.stacks!.includes(s.name)) : all;
  const workRoot = join(outdir, "offline");
  const plansDir = join(outdir, "plans");
  mkdirSync(plansDir, { recursive: true });
  const mirror = findPluginMirror(baseEnv);
  log(mirror ? `providers from filesystem mirror ${mirror}` : "no provider mirror found: providers come from the registry");
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

  const initLock = new Mutex();
  const tasks = selected.map((stack) => () => verifyStack(stack, all, { initLock, workRoot, plansDir, env, log }));
  return runBounded(tasks, options.concurrency ?? availableParallelism());
}

interface StackContext {
  /** Serializes `terraform init`: the shared plugin cache is not safe for concurrent installs. */
  readonly initLock: Mutex;
  readonly workRoot: string;
  readonly plansDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly log: (line: string) => void;
}

async function verifyStack(stack: SynthesizedStack, all: readonly SynthesizedStack[], ctx: StackContext): Promise<StackOutcome> {
  const blocker = offlineBlocker(stack);
  if (blocker) {
    ctx.log(`${stack.name}: not plannable offline: ${blocker}`);
    return { stack: stack.name, status: "not-plannable", reason: blocker };
  }
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 100) / 10;
  const dir = join(ctx.workRoot, stack.name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(stack.directory, dir, { recursive: true, filter: (src) => !src.includes("/.terraform") });
  writeFileSync(join(dir, OVERRIDE_FILE), JSON.stringify(offlineOverrides(stack, all), null, 2));
  const deferred = deferEphemeralResources(stack.config);
  if (deferred) {
    writeFileSync(join(dir, SYNTHESIZED_FILE), JSON.stringify(deferred, null, 2));
  }
  writeFileSync(join(dir, EMPTY_REMOTE_STATE_FILE), JSON.stringify(EMPTY_STATE));

  const steps: [string, string[]][] = [
    ["init", ["init", "-input=false", "-no-color", "-backend=true"]],
    ["validate", ["validate", "-no-color"]],
    ["plan", ["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-out=offline.tfplan"]],
  ];
  for (const [step, args] of steps) {
    const run = () => runTerraform(args, dir, ctx.env);
    const result = step === "init" ? await ctx.initLock.run(run) : await run();
    if (result.code !== 0) {
      const message = terraformErrors(result);
      ctx.log(`${stack.name}: terraform ${step} failed:\n${message}`);
      return { stack: stack.name, status: "failed", step, message, seconds: seconds() };
    }
  }
  const shown = await runTerraform(["show", "-json", "offline.tfplan"], dir, ctx.env);
  if (shown.code !== 0) {
    return { stack: stack.name, status: "failed", step: "show", message: terraformErrors(shown), seconds: seconds() };
  }
  const planFile = join(ctx.plansDir, `${stack.name}.json`);
  writeFileSync(planFile, shown.stdout);
  const plan = countActions(JSON.parse(shown.stdout) as PlanJson);
  ctx.log(`${stack.name}: planned in ${seconds()} s: ${plan.create} to create, ${plan.update} to update, ${plan.replace} to replace, ${plan.delete} to delete`);
  return { stack: stack.name, status: "planned", plan, planFile, seconds: seconds() };
}

interface PlanJson {
  readonly resource_changes?: { readonly mode: string; readonly change: { readonly actions: string[] } }[];
}

export function countActions(plan: PlanJson): PlanCounts {
  const counts = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const change of plan.resource_changes ?? []) {
    if (change.mode !== "managed") {
      continue;
    }
    const actions = change.change.actions;
    if (actions.includes("create") && actions.includes("delete")) {
      counts.replace++;
    } else if (actions.includes("create")) {
      counts.create++;
    } else if (actions.includes("update")) {
      counts.update++;
    } else if (actions.includes("delete")) {
      counts.delete++;
    }
  }
  return counts;
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
