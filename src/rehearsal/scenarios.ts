import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { BUILT_IN_CATALOGUE } from "../config/catalogue";
import { generatedEnvironment, withEnvironment } from "../config/generated-environments";
import { isGitOpsHub } from "../config/gitops-hub";
import { loadCatalogue } from "../config/load";
import { STATE_BOOTSTRAP_STACK, ciRoleArn, hubNetworkStackName, platformStackName } from "../config/naming";
import type { Catalogue } from "../config/schema";
import { deployTargets } from "../operations/deploy/targets";
import { destroyOrder } from "../operations/teardown/plan";
import { readSynthesizedStacks, type SynthesizedStack } from "../verification/synthesized-stacks";
import { buildPlatformApp } from "../../stacks/platform-app";
import { stateGrants, type Principal, type StateGrants } from "./reachability";
import { deployChange, failuresOf, type ChangeResult, type PlanEngine, type World } from "./rehearsal";
import { producerOf, stackModel, type StackModel } from "./stack-model";

/** The rehearsal's scenarios (issue 12). */
export const SCENARIOS = ["first-deploy", "add-environment", "flip-primary", "teardown"] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface TeardownStep {
  readonly environment: string;
  readonly stack: string;
  readonly resources: number;
  readonly guarded: readonly string[];
  readonly failures: readonly string[];
  readonly notes: readonly string[];
}

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly description: string;
  readonly changes: readonly ChangeResult[];
  readonly teardown?: readonly TeardownStep[];
  readonly failures: readonly string[];
  readonly passed: boolean;
  readonly seconds: number;
}

export interface RehearsalContext {
  readonly catalogue: Catalogue;
  /** The built-in catalogue's raw input (scenarios derive changed catalogues from it). */
  readonly raw: typeof BUILT_IN_CATALOGUE;
  /** The synthesized app of `catalogue`. */
  readonly stacks: readonly SynthesizedStack[];
  /** Where synths of changed catalogues and workspaces go (never `cdktf.out/stacks`). */
  readonly workRoot: string;
  readonly engine?: PlanEngine;
  /** Only this environment (and the stacks it needs). @default - all */
  readonly environment?: string;
}

/** Who runs a stack: its environment's deploy role (naming.ts `ciRoleArn`: the catalogue's `deployRoleArn` or the default), or the state account's for the bootstrap. */
export function principalFor(catalogue: Catalogue): (model: StackModel) => Principal {
  return (model) => {
    const folder = model.backend?.key.split("/").slice(-2, -1)[0];
    const environment = catalogue.environments.find((e) => e.name === folder);
    if (!environment) {
      return { accountId: model.accountId ?? catalogue.state.accountId, description: `the state account's deploy role (${model.name})` };
    }
    return { accountId: environment.accountId, roleArn: ciRoleArn(catalogue.project, environment, "deploy"), description: `${environment.name}'s deploy role` };
  };
}

export function grantsOf(catalogue: Catalogue, stacks: readonly SynthesizedStack[]): StateGrants {
  return stateGrants(stacks, catalogue.state.bucketName, (stack) => stackModel(stack).accountId ?? (stack.name === STATE_BOOTSTRAP_STACK ? catalogue.state.accountId : undefined));
}

/**
 * The deploy order of an app, as deploy.yml runs it: the state bootstrap, each environment's AWS
 * stacks (catalogue order), the hub network, the hub links, the platform stacks (the hub's
 * environment last); within one `cdktf deploy`, by the manifest's dependencies.
 */
export function deployOrder(stacks: readonly SynthesizedStack[], catalogue: Catalogue): { stack: string; phase: string }[] {
  const targets = deployTargets(stacks, catalogue.environments.map((e) => e.name));
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const sorted = (names: readonly string[]) => {
    const out: string[] = [];
    const visit = (name: string, trail: readonly string[]) => {
      if (out.includes(name) || !names.includes(name) || trail.includes(name)) {
        return;
      }
      [...(byName.get(name)?.dependencies ?? [])].sort().forEach((d) => visit(d, [...trail, name]));
      out.push(name);
    };
    [...names].sort().forEach((n) => visit(n, []));
    return out;
  };
  const phase = (label: string, list: readonly { environment: string; stacks: string }[]) =>
    list.flatMap((t) => sorted(t.stacks.split(" ")).map((stack) => ({ stack, phase: `${label} (${t.environment})` })));
  return [
    ...(byName.has(STATE_BOOTSTRAP_STACK) ? [{ stack: STATE_BOOTSTRAP_STACK, phase: "state bootstrap" }] : []),
    ...phase("AWS stacks", targets.aws),
    ...(targets.hub ? [{ stack: hubNetworkStackName(targets.hub), phase: `hub network (${targets.hub})` }] : []),
    ...phase("hub links", targets.links),
    ...phase("platform stacks", targets.platform),
  ];
}

/** `order` narrowed to `environment`'s stacks, the state bootstrap and every stack they read or depend on, transitively. */
function narrowed(order: readonly { stack: string; phase: string }[], stacks: readonly SynthesizedStack[], environment: string | undefined): { stack: string; phase: string }[] {
  if (!environment) {
    return [...order];
  }
  const models = stacks.map(stackModel);
  const keep = new Set<string>([STATE_BOOTSTRAP_STACK]);
  const add = (model: StackModel) => {
    if (keep.has(model.name) && model.name !== STATE_BOOTSTRAP_STACK) {
      return;
    }
    keep.add(model.name);
    for (const read of model.reads) {
      const producer = producerOf(read.location, models);
      if (producer) {
        add(producer);
      }
    }
    model.stack.dependencies.forEach((d) => {
      const dependency = models.find((m) => m.name === d);
      if (dependency) {
        add(dependency);
      }
    });
  };
  models.filter((m) => m.backend?.key.split("/").slice(-2, -1)[0] === environment).forEach(add);
  return order.filter((o) => keep.has(o.stack));
}

/** What each synth directory holds, so a scenario run twice in one process synthesizes once. */
const SYNTHESIZED = new Map<string, string>();

function synthesize(raw: typeof BUILT_IN_CATALOGUE, dir: string): { catalogue: Catalogue; stacks: SynthesizedStack[] } {
  const { catalogue } = loadCatalogue(raw);
  const input = JSON.stringify(raw);
  if (SYNTHESIZED.get(dir) === input) {
    return { catalogue, stacks: readSynthesizedStacks(dir) };
  }
  SYNTHESIZED.set(dir, input);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  buildPlatformApp(catalogue, { outdir: dir }).synth();
  return { catalogue, stacks: readSynthesizedStacks(dir) };
}

function result(scenario: Scenario, description: string, started: number, changes: ChangeResult[], teardown?: TeardownStep[]): ScenarioResult {
  const failures = [...changes.flatMap(failuresOf), ...(teardown ?? []).flatMap((t) => t.failures.map((f) => `${t.stack}: ${f}`))];
  return { scenario, description, changes, ...(teardown ? { teardown } : {}), failures, passed: failures.length === 0, seconds: Math.round((Date.now() - started) / 100) / 10 };
}

/** first-deploy: a new organisation, from nothing: the state bootstrap, then every environment in deploy order. */
export async function firstDeploy(ctx: RehearsalContext, world: World = new Map()): Promise<ScenarioResult> {
  const started = Date.now();
  const change = await deployChange(world, {
    label: "every stack from nothing",
    stacks: ctx.stacks,
    order: narrowed(deployOrder(ctx.stacks, ctx.catalogue), ctx.stacks, ctx.environment),
    principalOf: principalFor(ctx.catalogue),
    grants: grantsOf(ctx.catalogue, ctx.stacks),
    ...(ctx.engine ? { engine: ctx.engine } : {}),
    workRoot: join(ctx.workRoot, "first-deploy"),
  });
  return result("first-deploy", `a new organisation: ${STATE_BOOTSTRAP_STACK}, then ${ctx.environment ?? "every environment"} from nothing, in deploy.yml's order`, started, [change]);
}

/** The environment add-environment generates: its own account and two fresh VPC slots. */
export const NEW_ENVIRONMENT = { name: "qa", accountId: "444444444444", firstVpcSlot: 16 } as const;

/**
 * add-environment: the deployed catalogue, then a new environment in two changes: added with
 * `joinedToHub: false` (only its own stacks; every existing stack unchanged), then joined (the
 * hub's network and platform stacks may only add). `joinInOneStep` skips the first change.
 */
export async function addEnvironment(ctx: RehearsalContext, world: World, options: { joinInOneStep?: boolean } = {}): Promise<ScenarioResult> {
  const started = Date.now();
  const template = ctx.raw.environments[0]!;
  const hubStacks = [hubNetworkStackName(ctx.catalogue.gitopsHub.environment), platformStackName(ctx.catalogue.gitopsHub.environment, ctx.catalogue.gitopsHub.region)];
  const steps = options.joinInOneStep ? [true] : [false, true];
  const changes: ChangeResult[] = [];
  for (const joined of steps) {
    const raw = withEnvironment(ctx.raw, generatedEnvironment(template, { ...NEW_ENVIRONMENT, joinedToHub: joined }));
    const label = joined ? `${NEW_ENVIRONMENT.name} joins the GitOps hub (joinedToHub: true)` : `${NEW_ENVIRONMENT.name} added (joinedToHub: false)`;
    const { catalogue, stacks } = synthesize(raw, join(ctx.workRoot, "synth", `add-environment-${joined ? "joined" : "pending"}`));
    ctx.engine?.log(`add-environment: ${label}`);
    const change = await deployChange(world, {
      label,
      stacks,
      order: deployOrder(stacks, catalogue),
      principalOf: principalFor(catalogue),
      grants: grantsOf(catalogue, stacks),
      // Existing stacks may change (the state bootstrap adds the new environment's state roles), in place only; the hub's only by additions.
      allowed: { inPlaceOnly: true, additionsOnly: hubStacks },
      ...(ctx.engine ? { engine: ctx.engine } : {}),
      workRoot: join(ctx.workRoot, "add-environment", joined ? "joined" : "pending"),
    });
    changes.push(change);
  }
  return result("add-environment", `the built-in catalogue deployed, then a new environment ${NEW_ENVIRONMENT.name} (account ${NEW_ENVIRONMENT.accountId}, VPC slots ${NEW_ENVIRONMENT.firstVpcSlot}-${NEW_ENVIRONMENT.firstVpcSlot + 1}): ${options.joinInOneStep ? "added and joined in one change" : "added, deployed, then joined"}`, started, changes);
}

/** flip-primary: the environment's writer moved to its other region (the catalogue change after `npm run failover`): in-place changes only. */
export async function flipPrimary(ctx: RehearsalContext, world: World): Promise<ScenarioResult> {
  const started = Date.now();
  const name = ctx.environment ?? ctx.catalogue.environments.find((e) => e.tier === "production")?.name ?? ctx.catalogue.environments[0]!.name;
  const raw = structuredClone(ctx.raw);
  const env = raw.environments.find((e) => e.name === name)!;
  [env.primaryRegion, env.secondaryRegion] = [env.secondaryRegion, env.primaryRegion];
  const { catalogue, stacks } = synthesize(raw, join(ctx.workRoot, "synth", "flip-primary"));
  const change = await deployChange(world, {
    label: `${name}'s writer moved to ${env.primaryRegion}`,
    stacks,
    order: deployOrder(stacks, catalogue),
    principalOf: principalFor(catalogue),
    grants: grantsOf(catalogue, stacks),
    // The writer failover drill follows the writer: a move (created in the new writer's stack, deleted in the old one) passes.
    allowed: { inPlaceOnly: true },
    ...(ctx.engine ? { engine: ctx.engine } : {}),
    workRoot: join(ctx.workRoot, "flip-primary"),
  });
  return result("flip-primary", `${name}'s primary region swapped with its secondary (${env.secondaryRegion} → ${env.primaryRegion}), as after a switchover: in place only`, started, [change]);
}

/**
 * teardown: each environment destroyed in the teardown command's order (the GitOps hub's
 * environment last): every stack goes only after the stacks that read it, and what each destroys
 * that is guarded is listed. Not planned: the destroyed resources are the deployed configuration's.
 */
export function teardown(ctx: RehearsalContext): ScenarioResult {
  const started = Date.now();
  const models = ctx.stacks.map(stackModel);
  const byName = new Map(models.map((m) => [m.name, m]));
  const hub = ctx.catalogue.gitopsHub.environment;
  const environments = ctx.catalogue.environments.filter((e) => !ctx.environment || e.name === ctx.environment).sort((a, b) => Number(a.name === hub) - Number(b.name === hub));
  const destroyed = new Set<string>();
  const steps: TeardownStep[] = [];
  for (const environment of environments) {
    const order = destroyOrder(ctx.catalogue, environment).filter((s) => byName.has(s.name));
    for (const { name } of order) {
      const model = byName.get(name)!;
      const failures: string[] = [];
      const notes: string[] = [];
      const dependants = models.filter((m) => m.name !== name && (m.stack.dependencies.includes(name) || m.reads.some((r) => producerOf(r.location, models)?.name === name)));
      for (const dependant of dependants.filter((d) => !destroyed.has(d.name))) {
        const dependantEnvironment = dependant.backend?.key.split("/").slice(-2, -1)[0];
        const isHubStack = dependant.name === hubNetworkStackName(hub) || dependant.name === platformStackName(hub, ctx.catalogue.gitopsHub.region);
        if (dependantEnvironment !== environment.name && isHubStack && environment.name !== hub) {
          notes.push(`${dependant.name} (the GitOps hub's) still reads it: the teardown first removes ${environment.name}'s clusters from Argo CD and deletes the hub's peering from ${environment.name}'s account; remove ${environment.name} from the catalogue (or set joinedToHub: false) before the next deploy of ${dependant.name}`);
        } else {
          failures.push(`destroyed while ${dependant.name} still reads or depends on it (it is destroyed ${order.some((o) => o.name === dependant.name) ? "later" : "never"} in this teardown)`);
        }
      }
      const isHubCluster = environment.regions.some((r) => isGitOpsHub(ctx.catalogue, environment.name, r.region));
      if (isHubCluster && name === hubNetworkStackName(hub)) {
        notes.push("the GitOps hub's network goes with the hub's environment, after every spoke");
      }
      steps.push({ environment: environment.name, stack: name, resources: Object.values(model.stack.config.resource ?? {}).reduce((n, blocks) => n + Object.keys(blocks).length, 0), guarded: model.guardedResources, failures, notes });
      destroyed.add(name);
    }
  }
  return result("teardown", `${environments.map((e) => e.name).join(", then ")} torn down in the teardown command's order (src/operations/teardown), the GitOps hub's environment last`, started, [], steps);
}

/** Runs the scenarios in order; add-environment and flip-primary start from first-deploy's world. */
export async function rehearse(ctx: RehearsalContext, scenarios: readonly Scenario[]): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  let deployed: World | undefined;
  const deployedWorld = async () => {
    if (!deployed) {
      deployed = new Map();
      const first = await firstDeploy({ ...ctx, environment: undefined }, deployed);
      if (!scenarios.includes("first-deploy")) {
        results.push(first);
      }
    }
    return new Map([...deployed].map(([k, v]) => [k, { ...v, resources: v.resources.map((r) => ({ ...r, attributes: structuredClone(r.attributes) })) }]));
  };
  for (const scenario of SCENARIOS.filter((s) => scenarios.includes(s))) {
    if (scenario === "first-deploy") {
      deployed = new Map();
      results.push(await firstDeploy(ctx, deployed));
      if (ctx.environment) {
        deployed = undefined; // a partial world: later scenarios start from the whole catalogue
      }
    } else if (scenario === "add-environment") {
      results.push(await addEnvironment(ctx, await deployedWorld()));
    } else if (scenario === "flip-primary") {
      results.push(await flipPrimary(ctx, await deployedWorld()));
    } else {
      results.push(teardown(ctx));
    }
  }
  return results;
}
