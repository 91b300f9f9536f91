import type { ITopologySpreadConstraint } from "kubernetes-models/v1/TopologySpreadConstraint" with { "resolution-mode": "import" };
import { isDnsSubdomain } from "../core/kubernetes-formats";

/**
 * Shared resilience defaults for everything the platform runs in a cluster: the priority classes,
 * and the Helm values fragments that keep an add-on available through the loss of a node or of an
 * availability zone (at least two replicas, a PodDisruptionBudget, topology spread over zones and
 * nodes). Every add-on construct uses these, so one review covers all of them.
 */

/** Node label of the availability zone (set by the kubelet on EKS). */
export const ZONE_TOPOLOGY_KEY = "topology.kubernetes.io/zone";
/** Node label of the node's own name: spreading over it keeps replicas off a single node. */
export const HOSTNAME_TOPOLOGY_KEY = "kubernetes.io/hostname";

/** A PriorityClass the platform creates (see `PriorityClasses` in `workload-defaults/`). */
export interface PlatformPriorityClass {
  /** The name pods give as `priorityClassName`. */
  readonly name: string;
  /** Higher runs first and may preempt lower. User classes may go up to 1,000,000,000. */
  readonly value: number;
  readonly description: string;
  /** Pods without a `priorityClassName` get this class. At most one class may be the default. */
  readonly globalDefault: boolean;
}

/**
 * The platform's priority classes, highest first. The built-in `system-cluster-critical`
 * (2,000,000,000) stays above all of them for the add-ons the cluster cannot work without
 * (load balancer controller, metrics-server, CoreDNS).
 */
export const PRIORITY_CLASSES = {
  /** Platform add-ons that are not part of the control path but must survive pressure: admission webhooks, DNS automation, GitOps. */
  platformCritical: {
    name: "platform-critical",
    value: 1_000_000,
    description: "Platform add-ons (admission policy, DNS automation, GitOps, autoscaling); preempt application pods under pressure",
    globalDefault: false,
  },
  /** Customer-facing application workloads that should win over batch and best-effort work. */
  workloadHigh: {
    name: "workload-high",
    value: 10_000,
    description: "Customer-facing application workloads; preempt default workloads when capacity is short",
    globalDefault: false,
  },
  /** Every pod that names no class. */
  workloadDefault: {
    name: "workload-default",
    value: 1_000,
    description: "Default for pods without a priorityClassName (cluster-wide default)",
    globalDefault: true,
  },
} as const satisfies Record<string, PlatformPriorityClass>;

/** Built-in classes every cluster has. */
export const SYSTEM_PRIORITY_CLASSES = ["system-cluster-critical", "system-node-critical"] as const;

/** How strictly a spread is enforced: `DoNotSchedule` leaves a pod pending rather than skew; `ScheduleAnyway` only prefers. */
export type SpreadMode = "DoNotSchedule" | "ScheduleAnyway";

export interface TopologySpreadOptions {
  /** Labels that select exactly the pods of this workload (the chart's selector labels); must not be empty. */
  readonly selector: Readonly<Record<string, string>>;
  /**
   * Spread over availability zones. `DoNotSchedule` keeps at most one replica more in any zone,
   * so an AZ loss takes at most ⌈n/zones⌉ replicas. Tainted nodes (a lost AZ's unreachable nodes)
   * are left out of the skew (`nodeTaintsPolicy: Honor`), so replacements schedule in the zones left.
   * @default "DoNotSchedule"
   */
  readonly zone?: SpreadMode;
  /** Spread over nodes. Soft by default so a small system node group still fits every replica. @default "ScheduleAnyway" */
  readonly node?: SpreadMode;
}

/**
 * `topologySpreadConstraints` over zones and nodes for pods matching `selector`. `matchLabelKeys:
 * [pod-template-hash]` counts only the current ReplicaSet's pods, so a rolling update does not
 * skew against the old pods it is about to delete.
 */
export function topologySpread(options: TopologySpreadOptions): ITopologySpreadConstraint[] {
  if (Object.keys(options.selector).length === 0) {
    throw new Error("topologySpread: selector {} must name at least one label: an empty selector would count every pod of the namespace");
  }
  const constraint = (topologyKey: string, whenUnsatisfiable: SpreadMode): ITopologySpreadConstraint => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable,
    labelSelector: { matchLabels: { ...options.selector } },
    matchLabelKeys: ["pod-template-hash"],
    nodeTaintsPolicy: "Honor",
  });
  return [constraint(ZONE_TOPOLOGY_KEY, options.zone ?? "DoNotSchedule"), constraint(HOSTNAME_TOPOLOGY_KEY, options.node ?? "ScheduleAnyway")];
}

export interface HighAvailabilityOptions extends TopologySpreadOptions {
  /** Who asks, named in errors (e.g. `metrics-server`). */
  readonly component: string;
  /** At least 2, so one replica survives a node or zone loss and a voluntary eviction. @default 2 */
  readonly replicas?: number;
  /** Replicas a voluntary disruption (drain, consolidation) may take at once; below `replicas`. @default 1 */
  readonly maxUnavailable?: number;
  /** @default - none (the chart's own default) */
  readonly priorityClassName?: string;
}

/** The chart-independent pieces; each add-on maps them onto its chart's value names. */
export interface HighAvailability {
  /** Replica count (at least 2). */
  readonly replicas: number;
  /** The PodDisruptionBudget's spec without its selector (charts add their own). */
  readonly podDisruptionBudget: { readonly maxUnavailable: number };
  /** Zone spread, then node spread, over the component's pods. */
  readonly topologySpreadConstraints: ITopologySpreadConstraint[];
  /** Set only when asked for. */
  readonly priorityClassName?: string;
}

/**
 * Replicas, disruption budget and spread for one highly available add-on; throws when the
 * settings could not survive a node or zone loss.
 */
export function highAvailability(options: HighAvailabilityOptions): HighAvailability {
  const replicas = options.replicas ?? 2;
  const maxUnavailable = options.maxUnavailable ?? 1;
  const fail = (setting: string, value: unknown, rule: string) => {
    throw new Error(`highAvailability ${options.component}: ${setting} ${JSON.stringify(value)} ${rule}`);
  };
  if (!Number.isInteger(replicas) || replicas < 2) {
    fail("replicas", replicas, "must be an integer >= 2: a single replica is lost with its node or zone");
  }
  if (!Number.isInteger(maxUnavailable) || maxUnavailable < 1 || maxUnavailable >= replicas) {
    fail("maxUnavailable", maxUnavailable, `must be an integer from 1 to replicas - 1 (${replicas - 1}): 0 blocks every drain, replicas allows a full outage`);
  }
  if (options.priorityClassName !== undefined && !isDnsSubdomain(options.priorityClassName)) {
    fail("priorityClassName", options.priorityClassName, "must be a PriorityClass name (lower-case DNS subdomain)");
  }
  return {
    replicas,
    podDisruptionBudget: { maxUnavailable },
    topologySpreadConstraints: topologySpread(options),
    ...(options.priorityClassName ? { priorityClassName: options.priorityClassName } : {}),
  };
}

/**
 * The disruption budget in the common chart shape with an `enabled` toggle. `minAvailable: null`
 * removes a chart default of `minAvailable` (Helm drops keys set to null), because a budget takes
 * only one of the two.
 */
export function toggledPodDisruptionBudget(ha: HighAvailability): { enabled: true; minAvailable: null; maxUnavailable: number } {
  return { enabled: true, minAvailable: null, maxUnavailable: ha.podDisruptionBudget.maxUnavailable };
}
