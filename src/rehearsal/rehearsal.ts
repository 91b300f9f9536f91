import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { reviewedChanges, settleSimulatedState, type ReviewedChange } from "../plan-review/replacement-gate";
import { simulateAppliedResources, foldPlannedChanges, type SimulatedResource } from "../plan-review/simulated-state";
import { countByKind, type ActionCounts, type JsonValue, type PlanJson } from "../terraform/plan-json";
import type { ProviderSchemas } from "../terraform/provider-schema";
import { WORKSPACE_STATE_FILE } from "../verification/offline-overrides";
import { initWorkspace, planJsonText, prepareWorkspace, type OfflineTerraform } from "../verification/offline-workspace";
import { configDigest, withoutCdktfMetadata, type SynthesizedStack } from "../verification/synthesized-stacks";
import { stateFile } from "../plan-review/simulated-state";
import { unreachableReason, type Principal, type StateGrants } from "./reachability";
import { producerOf, stackModel, type StackModel } from "./stack-model";

/**
 * The deploy rehearsal's engine: a simulated world of deployed stacks (each one's simulated
 * applied state and outputs), and a *change* walked in deploy order against it. Each step checks,
 * before any plan, that every state the stack reads was deployed before it and has the outputs
 * it reads, and that its credentials reach its backend and those states; then an AWS stack is
 * planned offline (the real provider) with its remote-state reads served from the producers'
 * simulated outputs, and "applied": its plan becomes simulated state (the gate's
 * simulated-state.ts), settled by the gate's self-check, whose last plan gives its outputs.
 * Platform (helm/kubernetes) stacks are checked, not planned.
 */

export interface DeployedStack {
  readonly model: StackModel;
  readonly digest: string;
  /** Simulated applied resources (empty for a stack that was not planned). */
  resources: SimulatedResource[];
  /** Output values as the simulated apply left them; undefined for a stack that was not planned. */
  outputs?: Record<string, { readonly value: JsonValue; readonly sensitive: boolean }>;
}

/** The world: deployed stacks by name, in deploy order. */
export type World = Map<string, DeployedStack>;

export interface ResolvedRead {
  readonly name: string;
  readonly producer?: string;
  readonly outputs: readonly string[];
}

export interface RehearsalStep {
  readonly stack: string;
  readonly phase: string;
  /** `planned`: planned and applied; `checked`: not plannable offline, order and reads checked; `unchanged`: configuration as deployed; `removed`: gone from the synth. */
  status: "planned" | "checked" | "unchanged" | "failed" | "removed";
  counts?: ActionCounts;
  changes?: readonly ReviewedChange[];
  reads: readonly ResolvedRead[];
  readonly failures: string[];
  readonly notes: string[];
  /** The stack is new, or its configuration differs from the deployed one. */
  changed: boolean;
  /** Why it was not planned (helm/kubernetes providers), when it is a platform stack. */
  notPlannable?: string;
  seconds?: number;
}

export interface ChangeOptions {
  /** Scenario step label, e.g. `add qa (joinedToHub: false)`. */
  readonly label: string;
  /** Stacks of the synthesized app after the change, and the deploy order (names). */
  readonly stacks: readonly SynthesizedStack[];
  readonly order: readonly { readonly stack: string; readonly phase: string }[];
  readonly principalOf: (model: StackModel) => Principal;
  readonly grants: StateGrants;
  /** Fails a step whose plan replaces or deletes anything (`in-place`), or anything but creates (`additions`) in the named stacks. */
  readonly allowed?: {
    /**
     * Nothing replaced or deleted, except an unguarded resource the change moves: deleted from one
     * stack and created at the same address in another (the writer failover drill follows the writer).
     */
    readonly inPlaceOnly?: boolean;
    readonly additionsOnly?: readonly string[];
  };
  readonly engine?: PlanEngine;
  readonly workRoot: string;
}

export interface ChangeResult {
  readonly label: string;
  readonly steps: readonly RehearsalStep[];
  /** Failures before any deploy (the pull request's plan of already deployed stacks). */
  readonly preflight: readonly string[];
}

/** How plans run; absent, the rehearsal checks order, reads and reachability only. */
export interface PlanEngine {
  readonly terraform: OfflineTerraform;
  readonly version: string;
  readonly schemas: (initializedDir: string) => Promise<ProviderSchemas>;
  readonly log: (line: string) => void;
  /** Self-check plans per stack before the simulated state counts as settled. @default 3 */
  readonly maxSettlePlans?: number;
  /** Stacks planned at once (each waits for the stacks it reads). @default 1 */
  readonly concurrency?: number;
}

const REMOTE_STATE_PREFIX = "rehearsal-remote-";

/**
 * A change deployed into `world` (mutated): first the pull-request check (every already deployed
 * stack whose configuration changes must be plannable against the world as it is), then each stack
 * of `order` in turn.
 */
export async function deployChange(world: World, options: ChangeOptions): Promise<ChangeResult> {
  const models = new Map(options.stacks.map((s) => [s.name, stackModel(s)]));
  const all = [...models.values()];
  const preflight: string[] = [];
  for (const model of all) {
    const deployed = world.get(model.name);
    if (!deployed || deployed.digest === configDigest(model.stack.config)) {
      continue;
    }
    for (const read of model.reads) {
      const producer = producerOf(read.location, all);
      if (!producer || !world.has(producer.name)) {
        preflight.push(
          `${model.name}: its plan for this change (pull request, \`cdktf diff\`) reads data.terraform_remote_state.${read.name} (${producer?.name ?? read.location.key}), which is not deployed yet: Terraform fails with "Unable to find remote state" (its defaults do not apply to a missing state, hashicorp/terraform#22211). Deploy the producer in an earlier change (a new environment starts with joinedToHub: false)`,
        );
      }
    }
  }

  const steps: RehearsalStep[] = [];
  const position = new Map(options.order.map((o, i) => [o.stack, i]));
  // Who is deployed at each point of the walk; plans run afterwards, each once its producers applied.
  const deployedNames = new Set(world.keys());
  const plans: { name: string; after: string[]; run: () => Promise<void> }[] = [];
  for (const { stack: name, phase } of options.order) {
    const model = models.get(name);
    if (!model) {
      throw new Error(`the deploy order names ${name}, which the synthesized app does not have`);
    }
    const step: RehearsalStep = { stack: name, phase, status: "planned", changed: world.get(name)?.digest !== configDigest(model.stack.config), reads: [], failures: [], notes: [] };
    steps.push(step);
    deployedNames.add(name);
    const reads: ResolvedRead[] = [];
    let blocked = false;
    for (const read of model.reads) {
      const producer = producerOf(read.location, all);
      reads.push({ name: read.name, ...(producer ? { producer: producer.name } : {}), outputs: read.outputs });
      const what = `data.terraform_remote_state.${read.name}`;
      if (!producer) {
        step.failures.push(`reads ${what} (state ${read.location.key}), which no stack of the app stores: nothing deploys it`);
        blocked = true;
        continue;
      }
      if (!deployedNames.has(producer.name)) {
        const later = position.get(producer.name);
        step.failures.push(
          later !== undefined && later > position.get(name)!
            ? `reads ${what} from ${producer.name}, which is deployed after it (step ${later + 1} of the order, this is step ${position.get(name)! + 1}): its state does not exist yet`
            : `reads ${what} from ${producer.name}, which is not deployed before it (nor in this change's order)`,
        );
        blocked = true;
        continue;
      }
      const missing = read.outputs.filter((output) => !producer.outputs.includes(output));
      if (missing.length > 0) {
        step.failures.push(`reads output${missing.length > 1 ? "s" : ""} ${missing.join(", ")} of ${producer.name} (${what}), which it does not have (its outputs: ${producer.outputs.join(", ") || "none"})`);
        blocked = true;
      }
      const unreachable = unreachableReason(read.location, "read", options.principalOf(model), options.grants, what);
      if (unreachable) {
        step.failures.push(unreachable);
      }
    }
    step.reads = reads;
    if (model.backend) {
      const unreachable = unreachableReason(model.backend, "write", options.principalOf(model), options.grants, "backend");
      if (unreachable) {
        step.failures.push(unreachable);
      }
    }
    const previous = world.get(name);
    const digest = configDigest(model.stack.config);
    if (previous && previous.digest === digest && !blocked) {
      step.status = step.failures.length > 0 ? "failed" : "unchanged";
      step.notes.push("configuration as deployed: not planned again (its simulated state is settled)");
      continue;
    }
    if (model.notPlannable) {
      step.status = step.failures.length > 0 ? "failed" : "checked";
      step.notPlannable = model.notPlannable;
      step.notes.push(`not planned: ${model.notPlannable}; its order and reads were checked against the simulated outputs`);
      if (options.allowed?.additionsOnly?.includes(name) && previous) {
        const removedOrChanged = changedResourceBlocks(previous.model.stack, model.stack);
        if (removedOrChanged.length > 0) {
          step.failures.push(`changes more than additions: ${removedOrChanged.slice(0, 10).join(", ")}`);
          step.status = "failed";
        }
      }
      world.set(name, { model, digest, resources: [] });
      continue;
    }
    if (blocked || !options.engine) {
      step.status = blocked || step.failures.length > 0 ? "failed" : "checked";
      if (!options.engine && !blocked) {
        step.notes.push("not planned: structural rehearsal (--no-plan)");
      }
      world.set(name, { model, digest, resources: previous?.resources ?? [], ...(previous?.outputs ? { outputs: previous.outputs } : {}) });
      continue;
    }
    plans.push({ name, after: reads.flatMap((r) => (r.producer ? [r.producer] : [])), run: () => planAndApply(world, model, digest, step, options, all) });
  }
  await runAfterProducers(plans, options.engine?.concurrency ?? 1);
  if (options.allowed?.inPlaceOnly) {
    judgeDeletesAsMoves(steps);
  }
  return { label: options.label, steps, preflight };
}

/**
 * Under "in place only", an unguarded delete passes only as a move: another stack of the same
 * change creates a resource at the same address. Guarded deletes already failed in their step.
 */
export function judgeDeletesAsMoves(steps: RehearsalStep[]): void {
  const createdBy = new Map<string, string>();
  for (const step of steps) {
    for (const change of step.changes ?? []) {
      if (change.kind === "create") {
        createdBy.set(change.address, step.stack);
      }
    }
  }
  for (const step of steps) {
    for (const change of (step.changes ?? []).filter((c) => c.kind === "delete" && c.loses === undefined)) {
      const to = createdBy.get(change.address);
      if (to !== undefined && to !== step.stack) {
        step.notes.push(`${change.address} moves to ${to} (created there in this change)`);
      } else {
        step.failures.push(`deletes ${change.address}: this change must be in place`);
        step.status = "failed";
      }
    }
  }
}

/** Runs each task once the tasks named in its `after` (those among `tasks`) finished, at most `limit` at once. */
async function runAfterProducers(tasks: readonly { name: string; after: readonly string[]; run: () => Promise<void> }[], limit: number): Promise<void> {
  const pending = new Map(tasks.map((t) => [t.name, t]));
  const done = new Set<string>();
  const running = new Map<string, Promise<string>>();
  const ready = (t: { after: readonly string[] }) => t.after.every((name) => !pending.has(name) || done.has(name));
  while (pending.size > 0) {
    for (const task of pending.values()) {
      if (running.size >= Math.max(1, limit)) {
        break;
      }
      if (!running.has(task.name) && ready(task)) {
        running.set(task.name, task.run().then(() => task.name));
      }
    }
    if (running.size === 0) {
      throw new Error(`rehearsal: no stack can be planned next (cycle among ${[...pending.keys()].join(", ")})`);
    }
    const finished = await Promise.race(running.values());
    running.delete(finished);
    pending.delete(finished);
    done.add(finished);
  }
}

/** Resource blocks of `before` that `after` removes or changes (`type.name`). */
function changedResourceBlocks(before: SynthesizedStack, after: SynthesizedStack): string[] {
  const out: string[] = [];
  for (const [type, blocks] of Object.entries(before.config.resource ?? {})) {
    for (const [name, block] of Object.entries(blocks)) {
      const next = after.config.resource?.[type]?.[name];
      if (!next) {
        out.push(`removes ${type}.${name}`);
      } else if (JSON.stringify(withoutCdktfMetadata(next)) !== JSON.stringify(withoutCdktfMetadata(block))) {
        out.push(`changes ${type}.${name}`);
      }
    }
  }
  return out;
}

/** The cty type of a JSON value, as a state file's output needs it. */
function ctyType(value: JsonValue): unknown {
  if (value === null || typeof value === "string") {
    return "string";
  }
  if (typeof value === "number") {
    return "number";
  }
  if (typeof value === "boolean") {
    return "bool";
  }
  if (Array.isArray(value)) {
    return ["tuple", value.map(ctyType)];
  }
  return ["object", Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ctyType(v)]))];
}

/** A state file with only outputs: what a consumer's `terraform_remote_state` reads of a producer. */
function outputsStateFile(outputs: Record<string, { value: JsonValue; sensitive: boolean }>, version: string, lineage: string): unknown {
  return {
    version: 4,
    terraform_version: version,
    serial: 1,
    lineage,
    outputs: Object.fromEntries(Object.entries(outputs).map(([name, o]) => [name, { value: o.value, type: ctyType(o.value), ...(o.sensitive ? { sensitive: true } : {}) }])),
    resources: [],
    check_results: null,
  };
}

interface PlanOutputs {
  readonly planned_values?: { readonly outputs?: Record<string, { readonly value?: JsonValue; readonly sensitive?: boolean }> };
  readonly output_changes?: Record<string, { readonly after_unknown?: unknown }>;
}

async function planAndApply(world: World, model: StackModel, digest: string, step: RehearsalStep, options: ChangeOptions, all: readonly StackModel[]): Promise<void> {
  const engine = options.engine!;
  const started = Date.now();
  const dir = join(options.workRoot, model.name);
  const served = new Map<string, string>();
  for (const read of model.reads) {
    served.set(read.name, `${REMOTE_STATE_PREFIX}${read.name}.tfstate`);
  }
  prepareWorkspace(model.stack, all.map((m) => m.stack), dir, served);
  for (const read of model.reads) {
    const producerName = producerOf(read.location, all)!.name;
    const producer = world.get(producerName);
    if (!producer?.outputs) {
      step.failures.push(`reads data.terraform_remote_state.${read.name} from ${producerName}, whose plan or simulated apply failed, so it has no simulated outputs`);
      step.status = "failed";
      return;
    }
    writeFileSync(join(dir, served.get(read.name)!), JSON.stringify(outputsStateFile(producer.outputs, engine.version, `rehearsal-${producer.model.name}`)));
  }
  const fail = (what: string, message: string) => {
    step.failures.push(`${what} failed: ${message}`);
    step.status = "failed";
    step.seconds = Math.round((Date.now() - started) / 100) / 10;
    engine.log(`${model.name}: ${what} failed:\n${message}`);
  };
  const init = await initWorkspace(model.stack, dir, engine.terraform);
  if (!init.ok) {
    return fail(`terraform ${init.step}`, init.message);
  }
  const previous = world.get(model.name);
  const lineage = `rehearsal-${model.name}`;
  writeFileSync(join(dir, WORKSPACE_STATE_FILE), JSON.stringify(stateFile(previous?.resources ?? [], engine.version, lineage)));
  const shown = await planJsonText(dir, engine.terraform);
  if (!shown.ok) {
    return fail(`terraform ${shown.step}`, shown.message);
  }
  const plan = JSON.parse(shown.stdout) as PlanJson;
  writeFileSync(join(dir, "rehearsal-plan.json"), shown.stdout);
  const changes = reviewedChanges(plan);
  step.changes = changes;
  step.counts = countByKind(changes.map((c) => c.kind));
  for (const change of changes) {
    if ((change.kind === "replace" || change.kind === "delete") && change.loses !== undefined) {
      step.failures.push(`${change.kind === "replace" ? "replaces" : "deletes"} guarded ${change.address}${change.forcedBy.length ? ` (forced by ${change.forcedBy.join(", ")})` : ""}: loses ${change.loses}`);
    } else if (options.allowed?.inPlaceOnly && change.kind === "replace") {
      step.failures.push(`replaces ${change.address}${change.forcedBy.length ? ` (forced by ${change.forcedBy.join(", ")})` : ""}: this change must be in place`);
    } else if (options.allowed?.additionsOnly?.includes(model.name) && change.kind !== "create") {
      step.failures.push(`${change.kind}s ${change.address}: this stack may change only by additions`);
    }
  }
  // Apply: the plan as simulated state (existing resources keep their simulated ids), settled by the gate's self-check.
  let resources: SimulatedResource[];
  try {
    const schemas = await engine.schemas(dir);
    resources = simulateAppliedResources(plan, schemas);
    if (previous) {
      const kept = new Map(previous.resources.map((r) => [r.address, r]));
      resources = resources.map((r) => kept.get(r.address) ?? r);
      foldPlannedChanges(resources, plan);
    }
  } catch (error) {
    return fail("simulated apply", (error as Error).message);
  }
  const settled = await settleSimulatedState(dir, resources, { terraform: engine.terraform, version: engine.version, lineage, maxPlans: engine.maxSettlePlans ?? 3 });
  if (!settled.ok && settled.lastPlan === undefined) {
    // Terraform itself failed against the stack's own simulated state: as in the gate, a failure.
    return fail(settled.step, settled.message);
  }
  if (!settled.ok) {
    step.notes.push(`simulated state not settled (${settled.step}): ${settled.message.slice(0, 300)}`);
  }
  // The last plan against the (settled) state knows every output the configuration computes from it.
  const outputsPlan = settled.lastPlan as unknown as PlanOutputs;
  const outputs: Record<string, { value: JsonValue; sensitive: boolean }> = {};
  const unknown: string[] = [];
  for (const name of model.outputs) {
    const planned = outputsPlan.planned_values?.outputs?.[name];
    if (planned && planned.value !== undefined && outputsPlan.output_changes?.[name]?.after_unknown !== true) {
      outputs[name] = { value: planned.value, sensitive: planned.sensitive ?? false };
    } else {
      unknown.push(name);
      outputs[name] = { value: `rehearsal-unknown-${model.name}-${name}`, sensitive: false };
    }
  }
  if (unknown.length > 0) {
    step.notes.push(`outputs still unknown after the simulated apply (placeholders served to readers): ${unknown.join(", ")}`);
  }
  world.set(model.name, { model, digest, resources, outputs });
  step.status = step.failures.length > 0 ? "failed" : "planned";
  step.seconds = Math.round((Date.now() - started) / 100) / 10;
  engine.log(`${model.name}: planned and applied in ${step.seconds} s: ${step.counts.create} to create, ${step.counts.update} to update, ${step.counts.replace} to replace, ${step.counts.delete} to delete`);
}

/** Steps that failed, as `stack: reason` lines. */
export function failuresOf(result: ChangeResult): string[] {
  return [...result.preflight, ...result.steps.flatMap((s) => s.failures.map((f) => `${s.stack}: ${f}`))];
}
