import { STATE_BOOTSTRAP_STACK, hubNetworkStackName } from "../../config/naming";
import type { SynthesizedStack } from "../../verification/synthesized-stacks";

/** What one deploy job of an environment deploys: its stacks, and the synth selection (`ENVIRONMENTS`) they exist in. */
export interface DeployTarget {
  readonly environment: string;
  /** Stack names, space-separated (cdktf orders them by their dependencies). */
  readonly stacks: string;
  /** `ENVIRONMENTS` for the job's synth: the environment, or "" (the whole catalogue) for the hub's platform stacks. */
  readonly selection: string;
}

export interface DeployTargets {
  /** Each environment's AWS stacks (global database, regional, edge), in catalogue order. */
  readonly aws: readonly DeployTarget[];
  /** The environment holding the GitOps hub network stack, or "" when the synth has none. */
  readonly hub: string;
  /** Each environment's hub links (spokes that have joined the hub). */
  readonly links: readonly DeployTarget[];
  /** Each environment's platform stacks, the hub's environment last (it registers every joined cluster). */
  readonly platform: readonly DeployTarget[];
}

const CLUSTER_PROVIDERS = ["kubernetes", "helm"];

/**
 * The deploy workflow's targets from a synthesized app: every stack but the state bootstrap, by
 * the environment its state key names (`<project>/<environment>/<stack>.tfstate`), grouped by
 * deploy phase, environments in `environmentOrder` (the catalogue's) then any others by name.
 */
export function deployTargets(stacks: readonly SynthesizedStack[], environmentOrder: readonly string[]): DeployTargets {
  const groups = { aws: new Map<string, string[]>(), links: new Map<string, string[]>(), platform: new Map<string, string[]>() };
  let hub = "";
  for (const stack of stacks) {
    const key = stack.config.terraform?.backend?.s3?.key;
    if (stack.name === STATE_BOOTSTRAP_STACK || typeof key !== "string") {
      continue;
    }
    const environment = key.split("/").slice(-2, -1)[0]!;
    if (stack.name === hubNetworkStackName(environment)) {
      hub = environment;
      continue;
    }
    const group = stack.providers.some((p) => CLUSTER_PROVIDERS.includes(p)) ? "platform" : stack.name.startsWith(`${environment}-hub-link-`) ? "links" : "aws";
    groups[group].set(environment, [...(groups[group].get(environment) ?? []), stack.name]);
  }
  const rank = (environment: string) => (environmentOrder.includes(environment) ? environmentOrder.indexOf(environment) : environmentOrder.length);
  const targets = (group: keyof typeof groups, hubLast: boolean): DeployTarget[] =>
    [...groups[group]]
      .sort(([a], [b]) => (hubLast ? Number(a === hub) - Number(b === hub) : 0) || rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
      .map(([environment, names]) => ({ environment, stacks: [...names].sort().join(" "), selection: group === "platform" && environment === hub ? "" : environment }));
  return { aws: targets("aws", false), hub, links: targets("links", false), platform: targets("platform", true) };
}

/** `name=value` lines for `$GITHUB_OUTPUT`. */
export function githubOutputLines(targets: DeployTargets): string[] {
  return [`aws=${JSON.stringify(targets.aws)}`, `hub=${targets.hub}`, `links=${JSON.stringify(targets.links)}`, `platform=${JSON.stringify(targets.platform)}`];
}
