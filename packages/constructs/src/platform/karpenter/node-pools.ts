import type { IEC2NodeClass } from "@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass" with { "resolution-mode": "import" };
import type { IBudget } from "@kubernetes-models/karpenter/karpenter.sh/v1/Budget" with { "resolution-mode": "import" };
import type { INodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool" with { "resolution-mode": "import" };
import type { INodeSelectorRequirementWithMinValues } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodeSelectorRequirementWithMinValues" with { "resolution-mode": "import" };
import type { ITaint } from "kubernetes-models/v1/Taint" with { "resolution-mode": "import" };
import type { NodeGroupConfig } from "../../eks-cluster/node-group-spec";
import { isGravitonType } from "../../core/eks-nodes";
import type { KubernetesManifest } from "../manifests-release";
import { NODE_CLASS_LABEL, TAINT_EFFECT } from "../../eks-cluster/managed-node-groups";

/**
 * What a Karpenter NodePool is derived from: a node group spec (the same shape the managed
 * node groups take), so one class definition drives both autoscalers.
 */
export type KarpenterPoolSource = Pick<NodeGroupConfig, "name" | "class" | "instanceTypes" | "maxSize" | "diskSizeGiB" | "labels" | "taints" | "metadataHopLimit">;

/** `karpenter.sh/v1` disruption settings of one class of pool. */
export interface PoolDisruption {
  /** `WhenEmptyOrUnderutilized` repacks pods onto fewer or cheaper nodes; `WhenEmpty` only removes empty nodes. */
  readonly consolidationPolicy: "WhenEmpty" | "WhenEmptyOrUnderutilized";
  /** How long a node must be consolidatable before Karpenter acts. */
  readonly consolidateAfter: string;
  /** The most restrictive active budget wins; none applies to involuntary loss (spot reclaim, health events). */
  readonly budgets: readonly IBudget[];
}

/** Node label every platform node carries with its class; the managed node groups set the same label. */
export { NODE_CLASS_LABEL };
/** Label Karpenter puts on the nodes it launches; the managed (system) nodes never have it. */
export const KARPENTER_NODEPOOL_LABEL = "karpenter.sh/nodepool";
/** Taint key GPU pools must carry so only pods asking for GPUs land there. */
export const GPU_TAINT_KEY = "nvidia.com/gpu";

/** At most a tenth of a pool's nodes are disrupted voluntarily (consolidation, drift, expiry) at once. */
const TEN_PERCENT: IBudget = { nodes: "10%" };

/**
 * Disruption per class. General and spot capacity consolidate onto fewer or cheaper nodes; GPU
 * nodes are only removed when empty (a training job is never moved to save money), and a GPU node
 * that drifted (new AMI, changed EC2NodeClass) is not replaced on weekdays 08:00-18:00 UTC, when
 * interactive GPU work runs. Cron schedules in budgets are UTC: Karpenter has no time zones.
 */
export const DISRUPTION_BY_CLASS: Readonly<Record<NodeGroupConfig["class"], PoolDisruption>> = {
  system: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "5m", budgets: [TEN_PERCENT] },
  spot: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "1m", budgets: [TEN_PERCENT] },
  gpu: {
    consolidationPolicy: "WhenEmpty",
    consolidateAfter: "10m",
    budgets: [TEN_PERCENT, { nodes: "0", reasons: ["Drifted"], schedule: "0 8 * * 1-5", duration: "10h" }],
  },
};

/**
 * Pool weights: Karpenter tries the highest weight first among the pools a pod fits. Spot first
 * (cheapest), then on-demand; pods that must not be interrupted select
 * `karpenter.sh/capacity-type: on-demand` (or the system class label). GPU pools are tainted, so
 * their weight never competes.
 */
export const WEIGHT_BY_CLASS: Readonly<Record<NodeGroupConfig["class"], number>> = { spot: 50, system: 10, gpu: 10 };

/** A node is replaced after 30 days (patching by rotation); one blocked by a PDB is forced out after a further day. */
export const EXPIRE_AFTER = "720h";
export const TERMINATION_GRACE_PERIOD = "24h";


/** Everything a pool needs besides its source node group. */
export interface PoolContext {
  readonly clusterName: string;
  readonly availabilityZones: readonly string[];
  /** IAM role the nodes run with (name, not ARN); Karpenter creates the instance profile. */
  readonly nodeRoleName: string;
  readonly securityGroupIds: readonly string[];
  /** Subnets are discovered by this tag (the network construct sets it on the private subnets). */
  readonly subnetSelectorTags: Readonly<Record<string, string>>;
  readonly amiAlias: string;
  /** @default - the account's default EBS key */
  readonly volumeKmsKeyArn?: string;
}

/**
 * vCPUs of an instance type from its size (`xlarge` 4, `Nxlarge` 4N, `large` 2, smaller 2,
 * `metal-Nxl` 4N, plain `metal` 96). True for the general, compute, memory and GPU families this
 * platform uses; it only sizes pool limits, so an overestimate for burstable types is harmless.
 */
export function vcpusOf(instanceType: string): number {
  const size = instanceType.split(".")[1] ?? "";
  const multiple = /^(\d+)xlarge$/.exec(size) ?? /^metal-(\d+)xl$/.exec(size);
  if (multiple) {
    return 4 * Number(multiple[1]);
  }
  if (size === "xlarge") {
    return 4;
  }
  if (size === "metal") {
    return 96;
  }
  return 2;
}

/** The pool's CPU limit: `maxSize` nodes of the group's largest instance type, the capacity the managed group would have. */
export function cpuLimitOf(source: KarpenterPoolSource): number {
  return source.maxSize * Math.max(...source.instanceTypes.map(vcpusOf));
}

/** `amd64` or `arm64`, from the group's instance types (the schema refuses mixed groups). */
export function architectureOf(source: KarpenterPoolSource): "amd64" | "arm64" {
  return source.instanceTypes.some(isGravitonType) ? "arm64" : "amd64";
}

/** The group's labels plus the class label, as every node of the pool carries them. */
export function nodeLabelsOf(source: KarpenterPoolSource): Record<string, string> {
  return { ...source.labels, [NODE_CLASS_LABEL]: source.class };
}

export function taintsOf(source: KarpenterPoolSource): ITaint[] {
  return source.taints.map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: TAINT_EFFECT[t.effect] }));
}

/**
 * Instance requirements per class:
 * - system (on-demand general purpose): categories c, m, r of generation 6 or later;
 * - spot: categories c, m, r of generation 5 or later, and at least 5 instance families to choose
 *   from (`minValues`), so one exhausted spot pool never stops scaling;
 * - gpu: the NVIDIA families of the group's instance types, on-demand.
 * Every pool: the group's architecture, Linux, the region's zones, and no node larger than twice
 * the group's largest type (a huge node concentrates too many pods on one failure).
 */
export function requirementsOf(source: KarpenterPoolSource, zones: readonly string[]): INodeSelectorRequirementWithMinValues[] {
  const capacityType = source.class === "spot" ? "spot" : "on-demand";
  const maxCpu = Math.max(...source.instanceTypes.map(vcpusOf));
  const common: INodeSelectorRequirementWithMinValues[] = [
    { key: "karpenter.sh/capacity-type", operator: "In", values: [capacityType] },
    { key: "kubernetes.io/arch", operator: "In", values: [architectureOf(source)] },
    { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
    { key: "topology.kubernetes.io/zone", operator: "In", values: [...zones] },
    { key: "karpenter.k8s.aws/instance-cpu", operator: "Lt", values: [String(2 * maxCpu + 1)] },
  ];
  switch (source.class) {
    case "system":
      return [
        ...common,
        { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["c", "m", "r"] },
        { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["5"] },
      ];
    case "spot":
      return [
        ...common,
        { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["c", "m", "r"] },
        { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["4"] },
        { key: "karpenter.k8s.aws/instance-family", operator: "Exists", minValues: 5 },
      ];
    case "gpu":
      return [
        ...common,
        { key: "karpenter.k8s.aws/instance-family", operator: "In", values: [...new Set(source.instanceTypes.map((t) => t.split(".")[0]!))] },
        { key: "karpenter.k8s.aws/instance-gpu-manufacturer", operator: "In", values: ["nvidia"] },
      ];
  }
}

/**
 * The EC2NodeClass of one pool: the AL2023 AMI (Karpenter picks the NVIDIA variant for GPU
 * types), private subnets found by their discovery tag, the cluster security group, IMDSv2 only
 * with the group's hop limit, and an encrypted gp3 root volume of the group's size.
 */
export function ec2NodeClassFor(source: KarpenterPoolSource, context: PoolContext): IEC2NodeClass & KubernetesManifest {
  return {
    apiVersion: "karpenter.k8s.aws/v1",
    kind: "EC2NodeClass",
    metadata: { name: source.name },
    spec: {
      role: context.nodeRoleName,
      amiSelectorTerms: [{ alias: context.amiAlias }],
      subnetSelectorTerms: [{ tags: { ...context.subnetSelectorTags } }],
      securityGroupSelectorTerms: context.securityGroupIds.map((id) => ({ id })),
      associatePublicIPAddress: false,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpProtocolIPv6: "disabled",
        httpPutResponseHopLimit: source.metadataHopLimit,
        httpTokens: "required",
      },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          rootVolume: true,
          ebs: {
            volumeSize: `${source.diskSizeGiB}Gi`,
            volumeType: "gp3",
            encrypted: true,
            deleteOnTermination: true,
            ...(context.volumeKmsKeyArn ? { kmsKeyID: context.volumeKmsKeyArn } : {}),
          },
        },
      ],
      detailedMonitoring: true,
      tags: { Name: `${context.clusterName}-${source.name}` },
    },
  };
}

/** The NodePool of one node group, using the EC2NodeClass of the same name. */
export function nodePoolFor(source: KarpenterPoolSource, context: PoolContext): INodePool & KubernetesManifest {
  const disruption = DISRUPTION_BY_CLASS[source.class];
  const taints = taintsOf(source);
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name: source.name },
    spec: {
      weight: WEIGHT_BY_CLASS[source.class],
      template: {
        metadata: { labels: nodeLabelsOf(source) },
        spec: {
          nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: source.name },
          requirements: requirementsOf(source, context.availabilityZones),
          ...(taints.length > 0 ? { taints } : {}),
          expireAfter: EXPIRE_AFTER,
          terminationGracePeriod: TERMINATION_GRACE_PERIOD,
        },
      },
      limits: { cpu: String(cpuLimitOf(source)) },
      disruption: {
        consolidationPolicy: disruption.consolidationPolicy,
        consolidateAfter: disruption.consolidateAfter,
        budgets: disruption.budgets.map((b) => ({ ...b, ...(b.reasons ? { reasons: [...b.reasons] } : {}) })),
      },
    },
  };
}
