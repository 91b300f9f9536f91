import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { initWorkspace, offlineTerraform, planJsonText, prepareWorkspace, runBounded, terraformStep, type OfflineTerraform } from "./offline-workspace";
import { configDigest, offlineBlocker, planDigestFile, readSynthesizedStacks, type SynthesizedStack } from "./synthesized-stacks";
import { terraformVersion } from "./terraform-cli";
import { changeKind, countByKind, type ActionCounts, type PlanJson } from "../terraform/plan-json";


export type StackOutcome =
  | { readonly stack: string; readonly status: "planned"; readonly plan: ActionCounts; readonly planFile: string; readonly seconds: number }
  | { readonly stack: string; readonly status: "failed"; readonly step: string; readonly message: string; readonly seconds: number }
  | { readonly stack: string; readonly status: "not-plannable"; readonly reason: string };

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
  const terraform = await offlineTerraform(workRoot, selected, baseEnv);
  log(terraform.mirror ? `providers from filesystem mirror ${terraform.mirror}` : "no provider mirror found: providers come from the registry");
  const tasks = selected.map((stack) => () => verifyStack(stack, all, { terraform, workRoot, plansDir, log }));
  return runBounded(tasks, options.concurrency ?? availableParallelism());
}

interface StackContext {
  readonly terraform: OfflineTerraform;
  readonly workRoot: string;
  readonly plansDir: string;
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
  prepareWorkspace(stack, all, dir);
  for (const step of [() => initWorkspace(stack, dir, ctx.terraform), () => terraformStep("validate", ["validate", "-no-color"], dir, ctx.terraform)]) {
    const result = await step();
    if (!result.ok) {
      ctx.log(`${stack.name}: terraform ${result.step} failed:\n${result.message}`);
      return { stack: stack.name, status: "failed", step: result.step, message: result.message, seconds: seconds() };
    }
  }
  const shown = await planJsonText(dir, ctx.terraform);
  if (!shown.ok) {
    ctx.log(`${stack.name}: terraform ${shown.step} failed:\n${shown.message}`);
    return { stack: stack.name, status: "failed", step: shown.step, message: shown.message, seconds: seconds() };
  }
  const planFile = join(ctx.plansDir, `${stack.name}.json`);
  writeFileSync(planFile, shown.stdout);
  writeFileSync(planDigestFile(ctx.plansDir, stack.name), `${configDigest(stack.config)}\n`);
  const plan = countActions(JSON.parse(shown.stdout) as PlanJson);
  ctx.log(`${stack.name}: planned in ${seconds()} s: ${plan.create} to create, ${plan.update} to update, ${plan.replace} to replace, ${plan.delete} to delete`);
  return { stack: stack.name, status: "planned", plan, planFile, seconds: seconds() };
}

export function countActions(plan: PlanJson): ActionCounts {
  return countByKind((plan.resource_changes ?? []).filter((c) => c.mode === "managed").map((c) => changeKind(c.change.actions)));
}
