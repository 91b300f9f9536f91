import type { INodeSelectorRequirement } from "kubernetes-models/v1/NodeSelectorRequirement" with { "resolution-mode": "import" };
import type { IToleration } from "kubernetes-models/v1/Toleration" with { "resolution-mode": "import" };
import { Token, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { CLUSTER_AUTOSCALER_CHART } from "./chart";
import { ChartRelease, mergeValues, type ChartPin, type HelmValues } from "../chart-release";
import { highAvailability, SYSTEM_PRIORITY_CLASSES, type HighAvailability } from "../resilience";
import { CONTROLLER_IDENTITIES } from "../../core/workload-identities";
import { IAM_ROLE_ARN, REGION_NAME } from "../../core/aws-formats";

/** Where Cluster Autoscaler runs; the regional stack's IRSA role trusts exactly this service account. */
export const CLUSTER_AUTOSCALER_NAMESPACE = CONTROLLER_IDENTITIES.clusterAutoscaler.namespace;
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = CONTROLLER_IDENTITIES.clusterAutoscaler.serviceAccount;
export const CLUSTER_AUTOSCALER_RELEASE = "cluster-autoscaler";

/**
 * Node labels that differ between the per-AZ groups of one class although the nodes are
 * interchangeable. `--balance-similar-node-groups` ignores the zone label itself; these it must be
 * told about, or it sees every per-AZ group as unique and grows one zone only.
 */
export const BALANCING_IGNORE_LABELS = [
  "eks.amazonaws.com/nodegroup",
  "eks.amazonaws.com/nodegroup-image",
  "eks.amazonaws.com/sourceLaunchTemplateId",
  "eks.amazonaws.com/sourceLaunchTemplateVersion",
  "topology.ebs.csi.aws.com/zone",
  "topology.k8s.aws/zone-id",
  "k8s.amazonaws.com/eniConfig",
] as const;

/** Priorities of the priority expander: higher wins among the groups that fit the pending pods. */
export const EXPANDER_PRIORITY = { spot: 50, other: 10 } as const;

/** One managed node group class as the expander sees it. */
export interface AutoscaledGroup {
  /** The node group name prefix (EKS names the group `<name>-…` or `<name>-<az>-…`). */
  readonly name: string;
  readonly class: "system" | "spot" | "gpu";
  /** One group per AZ (`<name>-<az>-…`) instead of one spanning all AZs. */
  readonly perAvailabilityZone: boolean;
}

export interface ClusterAutoscalerProps {
  /** EKS cluster name: auto-discovery finds the ASGs tagged `k8s.io/cluster-autoscaler/<name>`. */
  readonly clusterName: string;
  /** AWS region of the cluster (`awsRegion`), where the autoscaler calls the Auto Scaling API. */
  readonly region: string;
  /** The cluster's Kubernetes minor version; Cluster Autoscaler's minor must match it. */
  readonly kubernetesVersion: string;
  /** IRSA role for `kube-system/cluster-autoscaler`; a cross-stack reference is fine. */
  readonly roleArn: string;
  /** The cluster's managed node groups, for the priority expander. At least one. */
  readonly nodeGroups: readonly AutoscaledGroup[];
  /** The region's zones, to recognise per-AZ group names. */
  readonly availabilityZones: readonly string[];
  /** Node affinity that places the autoscaler on the system managed nodes. */
  readonly nodeAffinity: readonly INodeSelectorRequirement[];
  /** Taints of the system nodes it tolerates (`CriticalAddonsOnly` is always added). @default [] */
  readonly tolerations?: readonly IToleration[];
  /** Replicas; leader election keeps one active, the other takes over. @default 2 */
  readonly replicas?: number;
  /**
   * Cluster Autoscaler image tag. Its minor version must equal the cluster's.
   * @default `v<kubernetesVersion>.0`
   */
  readonly imageTag?: string;
  /** The chart to install. @default CLUSTER_AUTOSCALER_CHART */
  readonly chart?: ChartPin;
  /** Helm values deep-merged over the construct's own (objects merge, arrays and scalars replace; see `mergeValues`). @default - none */
  readonly values?: HelmValues;
  /** The helm provider (cluster) to install into. @default - the stack's default helm provider */
  readonly provider?: TerraformProvider;
}

/**
 * Cluster Autoscaler for the EKS managed node groups. Expander `priority,least-waste`: among the
 * groups that fit the pending pods it grows a spot group first (cheapest), otherwise an on-demand
 * one; ties (the per-AZ groups of one class, several spot groups) go to the group that leaves
 * the least idle CPU and memory. When spot capacity runs out, the failed scale-up backs the spot
 * group off after `max-node-provision-time` and the next priority takes over. Balancing keeps
 * per-AZ groups level; nodes running kube-system pods can be scaled down (their pods have
 * disruption budgets). Two replicas with leader election and a disruption budget.
 */
export class ClusterAutoscaler extends Construct {
  readonly release: ChartRelease;
  readonly highAvailability: HighAvailability;
  /** The priority expander's ConfigMap content (priority → ASG name patterns). */
  readonly expanderPriorities: Readonly<Record<string, readonly string[]>>;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    validate(props);
    const selector = { "app.kubernetes.io/instance": CLUSTER_AUTOSCALER_RELEASE };
    this.highAvailability = highAvailability({
      component: "cluster-autoscaler",
      selector,
      replicas: props.replicas,
      priorityClassName: SYSTEM_PRIORITY_CLASSES[0],
    });
    const ha = this.highAvailability;
    this.expanderPriorities = expanderPriorities(props.nodeGroups, props.availabilityZones);

    this.release = new ChartRelease(this, "cluster-autoscaler", {
      releaseName: CLUSTER_AUTOSCALER_RELEASE,
      namespace: CLUSTER_AUTOSCALER_NAMESPACE,
      createNamespace: false,
      chart: props.chart ?? CLUSTER_AUTOSCALER_CHART,
      values: mergeValues(
        {
          cloudProvider: "aws",
          awsRegion: props.region,
          autoDiscovery: { clusterName: props.clusterName },
          image: { tag: props.imageTag ?? `v${props.kubernetesVersion}.0` },
          fullnameOverride: CLUSTER_AUTOSCALER_RELEASE,
          rbac: {
            serviceAccount: {
              create: true,
              name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
              annotations: { "eks.amazonaws.com/role-arn": props.roleArn },
            },
          },
          replicaCount: ha.replicas,
          podDisruptionBudget: ha.podDisruptionBudget,
          priorityClassName: ha.priorityClassName,
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [...props.nodeAffinity] }] } } },
          topologySpreadConstraints: ha.topologySpreadConstraints,
          tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }, ...(props.tolerations ?? [])],
          extraArgs: clusterAutoscalerArgs(),
          expanderPriorities: this.expanderPriorities,
          resources: { requests: { cpu: "100m", memory: "600Mi" }, limits: { memory: "600Mi" } },
        },
        props.values,
      ),
      provider: props.provider,
    });
  }
}

/**
 * The chart's `extraArgs` (each becomes `--<key>=<value>`; the chart drops a `_n` suffix, which
 * lets one flag repeat).
 */
export function clusterAutoscalerArgs(): Record<string, string | number | boolean> {
  return {
    "leader-elect": true,
    expander: "priority,least-waste",
    "balance-similar-node-groups": true,
    ...Object.fromEntries(BALANCING_IGNORE_LABELS.map((label, i) => [`balancing-ignore-label_${i + 1}`, label])),
    "skip-nodes-with-system-pods": false,
    "max-node-provision-time": "10m",
    "scale-down-unneeded-time": "10m",
    "scale-down-delay-after-add": "10m",
  };
}

/**
 * Priority → ASG name patterns. EKS names a managed group's ASG `eks-<node group name>-<uuid>`,
 * and a node group is named `<name>-` (or `<name>-<az>-`) plus a numeric suffix. Spot groups get
 * the higher priority; `.*` catches every other group.
 */
export function expanderPriorities(groups: readonly AutoscaledGroup[], zones: readonly string[]): Record<string, string[]> {
  const pattern = (group: AutoscaledGroup) => (group.perAvailabilityZone ? `^eks-${group.name}-(${zones.join("|")})-[0-9]+-` : `^eks-${group.name}-[0-9]+-`);
  const spot = groups.filter((g) => g.class === "spot").map(pattern);
  return {
    ...(spot.length > 0 ? { [String(EXPANDER_PRIORITY.spot)]: spot } : {}),
    [String(EXPANDER_PRIORITY.other)]: [".*"],
  };
}

function validate(props: ClusterAutoscalerProps): void {
  const fail = (setting: string, value: unknown, rule: string): never => {
    throw new Error(`ClusterAutoscaler ${props.clusterName}: ${setting} ${JSON.stringify(value)} ${rule}`);
  };
  if (!Token.isUnresolved(props.clusterName) && !/^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/.test(props.clusterName)) {
    fail("clusterName", props.clusterName, "must be an EKS cluster name: 1-100 letters, digits and '-'");
  }
  if (!REGION_NAME.test(props.region)) {
    fail("region", props.region, "must be an AWS region name such as us-east-1");
  }
  if (!/^1\.\d{2}$/.test(props.kubernetesVersion)) {
    fail("kubernetesVersion", props.kubernetesVersion, "must be a Kubernetes minor version such as 1.33");
  }
  const tag = props.imageTag ?? `v${props.kubernetesVersion}.0`;
  if (!tag.startsWith(`v${props.kubernetesVersion}.`)) {
    fail("imageTag", tag, `must be a v${props.kubernetesVersion}.x release: Cluster Autoscaler supports only the Kubernetes minor it was built for`);
  }
  if (!Token.isUnresolved(props.roleArn) && !IAM_ROLE_ARN.test(props.roleArn)) {
    fail("roleArn", props.roleArn, "must be an IAM role ARN (or a Terraform reference to one)");
  }
  if (props.nodeGroups.length === 0) {
    fail("nodeGroups", props.nodeGroups, "must list the node groups the autoscaler scales (at least one)");
  }
  props.nodeGroups.forEach((group, i) => {
    if (!/^[a-z]([a-z0-9-]*[a-z0-9])?$/.test(group.name)) {
      fail(`nodeGroups[${i}].name`, group.name, "must be a node group name prefix (lower-case letters, digits and '-', starting with a letter)");
    }
  });
  if (props.availabilityZones.length < 2) {
    fail("availabilityZones", props.availabilityZones, "must list at least 2 zones");
  }
  if (props.nodeAffinity.length === 0) {
    fail("nodeAffinity", props.nodeAffinity, "must place the autoscaler on the system nodes (e.g. node.meridian.io/class In [system]); otherwise it may run on a node it removes");
  }
}
