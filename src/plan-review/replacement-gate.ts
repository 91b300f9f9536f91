import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { WORKSPACE_STATE_FILE } from "../verification/offline-overrides";
import { initWorkspace, offlineTerraform, planJsonText, prepareWorkspace, runBounded, schemaReader, type OfflineTerraform } from "../verification/offline-workspace";
import { offlineBlocker, readSynthesizedStacks, withoutCdktfMetadata, type SynthesizedStack } from "../verification/synthesized-stacks";
import { terraformVersion } from "../verification/terraform-cli";
import { GUARDED_RESOURCE_TYPES } from "./guarded-resources";
import { changeKind, countByKind, formatPath, type ActionCounts, type ChangeKind, type PlanJson, type ResourceChange } from "../terraform/plan-json";
import type { ProviderSchemas } from "../terraform/provider-schema";
import { foldPlannedChanges, simulateAppliedResources, stateFile, type SimulatedResource } from "./simulated-state";

/**
 * The offline replacement gate: for every AWS-only stack, what applying the head would do to
 * the base as deployed — without AWS. The base is planned against an empty state, that plan
 * becomes a simulated state (simulated-state.ts), the base is planned again against it until
 * Terraform sees no changes (the self-check), and then the head is planned against the same
 * state with `-refresh=false`. Stateful resources that would be replaced or deleted fail the
 * gate unless the change is approved.
 */

export interface ReviewedChange {
  readonly address: string;
  readonly type: string;
  readonly kind: Exclude<ChangeKind, "no-op" | "read">;
  /** What forces a replacement, as Terraform reports it (`replace_paths`). */
  readonly forcedBy: readonly string[];
  /** Set for guarded types: what the change would lose. */
  readonly loses?: string;
}

export type StackReview =
  | { readonly stack: string; readonly status: "reviewed"; readonly counts: ActionCounts; readonly changes: readonly ReviewedChange[]; readonly selfCheckPlans: number; readonly seconds: number }
  | { readonly stack: string; readonly status: "unchanged" }
  | { readonly stack: string; readonly status: "added"; readonly counts: ActionCounts }
  | { readonly stack: string; readonly status: "removed"; readonly counts: ActionCounts; readonly changes: readonly ReviewedChange[] }
  | { readonly stack: string; readonly status: "not-plannable"; readonly reason: string }
  | { readonly stack: string; readonly status: "failed"; readonly step: string; readonly message: string };

export interface GateResult {
  readonly stacks: readonly StackReview[];
  /** Replacements and deletions of guarded resources, across stacks. */
  readonly blocking: readonly (ReviewedChange & { readonly stack: string })[];
  readonly approved: boolean;
  /** False when a stack failed, or a guarded change is not approved. */
  readonly passed: boolean;
}

export interface GateOptions {
  /** Synthesized output of the base (e.g. the target branch). */
  readonly baseOutdir: string;
  /** Synthesized output of the head (the change under review). */
  readonly headOutdir: string;
  /** Where workspaces go. @default `<headOutdir>/review` */
  readonly workRoot?: string;
  /** Only these stacks. @default - every stack of base and head */
  readonly stacks?: readonly string[];
  /** Review stacks whose synthesized configuration did not change too (proves the self-check on them). @default false */
  readonly includeUnchanged?: boolean;
  /** Replacing or deleting guarded resources is approved (e.g. a pull-request label). @default false */
  readonly approve?: boolean;
  /** @default - the number of cores */
  readonly concurrency?: number;
  /** Plans of the base against its simulated state before the self-check gives up. @default 4 */
  readonly maxSelfCheckPlans?: number;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (line: string) => void;
}

export async function runReplacementGate(options: GateOptions): Promise<GateResult> {
  const log = options.log ?? (() => undefined);
  const version = await terraformVersion(options.env ?? process.env);
  const base = readSynthesizedStacks(resolve(options.baseOutdir));
  const head = readSynthesizedStacks(resolve(options.headOutdir));
  const workRoot = resolve(options.workRoot ?? join(options.headOutdir, "review"));
  const all = [...new Set([...base.map((s) => s.name), ...head.map((s) => s.name)])];
  const unknown = (options.stacks ?? []).filter((name) => !all.includes(name));
  if (unknown.length > 0) {
    throw new Error(`no stack named ${unknown.join(", ")} in the base or the head (known: ${all.sort().join(", ")})`);
  }
  const names = all.filter((n) => !options.stacks || options.stacks.includes(n)).sort();
  if (names.length === 0) {
    throw new Error("neither the base nor the head has any stack: nothing to review");
  }
  // Only stacks the gate plans: in both base and head, neither side blocked (offlineTerraform skips blocked ones).
  const planned = names.filter((name) => [base, head].every((side) => side.some((s) => s.name === name && offlineBlocker(s) === undefined)));
  const terraform = await offlineTerraform(workRoot, [...base, ...head].filter((s) => planned.includes(s.name)), options.env ?? process.env);
  const schemas = schemaReader(terraform);
  const context: ReviewContext = { base, head, workRoot, terraform, schemas, version, log, maxSelfCheckPlans: options.maxSelfCheckPlans ?? 4, includeUnchanged: options.includeUnchanged ?? false };
  const stacks = await runBounded(
    names.map((name) => () => reviewStack(name, context)),
    options.concurrency ?? availableParallelism(),
  );
  return gateVerdict(stacks, options.approve ?? false);
}

/** The gate's verdict over reviewed stacks: guarded replacements and deletions block unless approved; a failed review always fails. */
export function gateVerdict(stacks: readonly StackReview[], approved: boolean): GateResult {
  const blocking = stacks.flatMap((review) =>
    review.status === "reviewed" || review.status === "removed"
      ? review.changes.filter((c) => c.loses !== undefined && (c.kind === "replace" || c.kind === "delete")).map((c) => ({ ...c, stack: review.stack }))
      : [],
  );
  const failed = stacks.some((s) => s.status === "failed");
  return { stacks, blocking, approved, passed: !failed && (blocking.length === 0 || approved) };
}

interface ReviewContext {
  readonly base: readonly SynthesizedStack[];
  readonly head: readonly SynthesizedStack[];
  readonly workRoot: string;
  readonly terraform: OfflineTerraform;
  readonly schemas: (initializedDir: string) => Promise<ProviderSchemas>;
  readonly version: string;
  readonly log: (line: string) => void;
  readonly maxSelfCheckPlans: number;
  readonly includeUnchanged: boolean;
}

/** Managed resources of a synthesized configuration, as `type.name` addresses. */
function configuredResources(stack: SynthesizedStack): { address: string; type: string }[] {
  return Object.entries(stack.config.resource ?? {}).flatMap(([type, blocks]) => Object.keys(blocks).map((name) => ({ address: `${type}.${name}`, type })));
}

function countChanges(changes: readonly { kind: string }[]): ActionCounts {
  return countByKind(changes.map((c) => c.kind));
}

async function reviewStack(name: string, ctx: ReviewContext): Promise<StackReview> {
  const baseStack = ctx.base.find((s) => s.name === name);
  const headStack = ctx.head.find((s) => s.name === name);
  if (!headStack) {
    const changes = configuredResources(baseStack!).map((r): ReviewedChange => ({ address: r.address, type: r.type, kind: "delete", forcedBy: [], ...guard(r.type) }));
    ctx.log(`${name}: removed by the change: ${changes.length} resources would be destroyed`);
    return { stack: name, status: "removed", counts: countChanges(changes), changes };
  }
  if (!baseStack) {
    const created = configuredResources(headStack).map(() => ({ kind: "create" }));
    ctx.log(`${name}: new stack: ${created.length} resources to create`);
    return { stack: name, status: "added", counts: countChanges(created) };
  }
  const blocker = offlineBlocker(headStack) ?? offlineBlocker(baseStack);
  if (blocker) {
    // Fail closed: a stack that holds guarded resources must be provable, or it is not reviewed.
    const guarded = [...new Set([...configuredResources(baseStack), ...configuredResources(headStack)].map((r) => r.type).filter((type) => type in GUARDED_RESOURCE_TYPES))];
    if (guarded.length > 0) {
      return failedReview(name, "offline plan", `holds guarded resources (${guarded.sort().join(", ")}) but ${blocker.split(";")[0]}: the gate cannot prove it replaces or deletes none; keep other providers out of stacks with stateful resources, or add the provider to the offline mirror`, ctx);
    }
    return { stack: name, status: "not-plannable", reason: blocker };
  }
  if (!ctx.includeUnchanged && JSON.stringify(withoutCdktfMetadata(baseStack.config)) === JSON.stringify(withoutCdktfMetadata(headStack.config))) {
    ctx.log(`${name}: unchanged`);
    return { stack: name, status: "unchanged" };
  }

  const started = Date.now();
  const failed = (step: string, message: string): StackReview => failedReview(name, step, message, ctx);
  // 1. The base as if applied.
  const baseDir = join(ctx.workRoot, "base", name);
  prepareWorkspace(baseStack, ctx.base, baseDir);
  const baseInit = await initWorkspace(baseStack, baseDir, ctx.terraform);
  if (!baseInit.ok) {
    return failed("base init", baseInit.message);
  }
  const basePlan = await planJsonText(baseDir, ctx.terraform);
  if (!basePlan.ok) {
    return failed(`base ${basePlan.step}`, basePlan.message);
  }
  let schemas: ProviderSchemas;
  let resources: SimulatedResource[];
  try {
    schemas = await ctx.schemas(baseDir);
    resources = simulateAppliedResources(JSON.parse(basePlan.stdout) as PlanJson, schemas);
  } catch (error) {
    return failed("simulated state", (error as Error).message);
  }
  // 2. Self-check: the base planned against its own simulated state must change nothing.
  const settled = await settleSimulatedState(baseDir, resources, { terraform: ctx.terraform, version: ctx.version, lineage: `review-${name}`, maxPlans: ctx.maxSelfCheckPlans });
  if (!settled.ok) {
    return failed(settled.step, settled.message);
  }
  const plans = settled.plans;
  // 3. The head against the base's state.
  const headDir = join(ctx.workRoot, "head", name);
  prepareWorkspace(headStack, ctx.head, headDir);
  const headInit = await initWorkspace(headStack, headDir, ctx.terraform);
  if (!headInit.ok) {
    return failed("head init", headInit.message);
  }
  writeFileSync(join(headDir, WORKSPACE_STATE_FILE), JSON.stringify(stateFile(resources, ctx.version, `review-${name}`)));
  const headPlan = await planJsonText(headDir, ctx.terraform);
  if (!headPlan.ok) {
    return failed(`head ${headPlan.step}`, headPlan.message);
  }
  writeFileSync(join(headDir, "review-plan.json"), headPlan.stdout);
  const changes = reviewedChanges(JSON.parse(headPlan.stdout) as PlanJson);
  const counts = countChanges(changes);
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  ctx.log(`${name}: reviewed in ${seconds} s (self-check after ${plans} plan(s)): ${counts.create} to create, ${counts.update} to update, ${counts.replace} to replace, ${counts.delete} to delete`);
  return { stack: name, status: "reviewed", counts, changes, selfCheckPlans: plans, seconds };
}

/**
 * The self-check: plans the configuration in `dir` against `resources` (its simulated applied
 * state) until Terraform sees no changes. Terraform's plan settles what the simulation could not
 * compute (policy documents, templates); each round folds that back into `resources`, keeping
 * simulated ids. Shared by the gate and the deploy rehearsal.
 */
export async function settleSimulatedState(
  dir: string,
  resources: SimulatedResource[],
  options: { readonly terraform: OfflineTerraform; readonly version: string; readonly lineage: string; readonly maxPlans: number },
): Promise<
  | { readonly ok: true; readonly plans: number; readonly lastPlan: PlanJson }
  // lastPlan: the plan that still had changes after maxPlans; absent when Terraform itself failed.
  | { readonly ok: false; readonly step: string; readonly message: string; readonly lastPlan?: PlanJson }
> {
  let plans = 0;
  for (;;) {
    writeFileSync(join(dir, WORKSPACE_STATE_FILE), JSON.stringify(stateFile(resources, options.version, options.lineage)));
    const shown = await planJsonText(dir, options.terraform);
    plans++;
    if (!shown.ok) {
      return { ok: false, step: `self-check ${shown.step}`, message: shown.message };
    }
    const plan = JSON.parse(shown.stdout) as PlanJson;
    const remaining = reviewedChanges(plan);
    if (remaining.length === 0) {
      return { ok: true, plans, lastPlan: plan };
    }
    if (plans >= options.maxPlans) {
      return {
        ok: false,
        lastPlan: plan,
        step: "self-check",
        message: `the configuration still plans ${remaining.length} change(s) against its simulated state after ${plans} plans: ${remaining.slice(0, 10).map((c) => `${c.kind} ${c.address}${c.forcedBy.length ? ` (${c.forcedBy.join(", ")})` : ""}`).join("; ")}`,
      };
    }
    foldPlannedChanges(resources, plan);
  }
}

function failedReview(stack: string, step: string, message: string, ctx: ReviewContext): StackReview {
  ctx.log(`${stack}: ${step} failed:\n${message}`);
  return { stack, status: "failed", step, message };
}

function guard(type: string): { loses?: string } {
  const loses = GUARDED_RESOURCE_TYPES[type];
  return loses ? { loses } : {};
}

/**
 * The plan's managed-resource changes a reviewer must see. An update whose values, as the plan
 * JSON shows them, do not change at all is left out: Terraform plans one when it re-sends a
 * write-only value (the deferred master password) or when a nested set's elements hash
 * differently in the legacy SDK (S3 replication rules) — nothing a reviewer could act on.
 */
export function reviewedChanges(plan: PlanJson): ReviewedChange[] {
  return (plan.resource_changes ?? [])
    .filter((change) => change.mode === "managed")
    .map((change) => ({ change, kind: changeKind(change.change.actions) }))
    .filter(({ change, kind }) => kind !== "no-op" && kind !== "read" && !(kind === "update" && noVisibleChange(change)))
    .map(({ change, kind }) => ({
      address: change.address,
      type: change.type,
      kind: kind as ReviewedChange["kind"],
      forcedBy: (change.change.replace_paths ?? []).map((path) => formatPath(path)),
      ...guard(change.type),
    }));
}

function noVisibleChange(change: ResourceChange): boolean {
  const unknown = JSON.stringify(change.change.after_unknown ?? {}).includes("true");
  return !unknown && JSON.stringify(change.change.before) === JSON.stringify(change.change.after);
}

