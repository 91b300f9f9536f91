import type { IFlowSchema } from "kubernetes-models/flowcontrol.apiserver.k8s.io/v1/FlowSchema" with { "resolution-mode": "import" };
import type { INodeSelectorRequirement } from "kubernetes-models/v1/NodeSelectorRequirement" with { "resolution-mode": "import" };
import type { IToleration } from "kubernetes-models/v1/Toleration" with { "resolution-mode": "import" };
import { Token, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { KARPENTER_CHART, KARPENTER_CRD_CHART } from "./chart";
import { ChartRelease, mergeValues, type ChartPin, type HelmValues } from "../chart-release";
import { ManifestsRelease, type KubernetesManifest } from "../manifests-release";
import { highAvailability, SYSTEM_PRIORITY_CLASSES, type HighAvailability } from "../resilience";
import { GPU_TAINT_KEY, KARPENTER_NODEPOOL_LABEL, ec2NodeClassFor, nodeLabelsOf, nodePoolFor, type KarpenterPoolSource, type PoolContext } from "./node-pools";
import { IAM_ROLE_ARN, IAM_ROLE_NAME } from "../../core/aws-formats";
import { isDnsLabel } from "../../core/kubernetes-formats";

/**
 * Where the controller runs. Its IRSA role (`KarpenterAwsResources`) trusts exactly
 * `system:serviceaccount:karpenter:karpenter`, and a namespace of its own keeps its RBAC and
 * secrets apart from kube-system. What kube-system would give for free, API Priority and Fairness
 * at `workload-high`, the construct adds with its own FlowSchema.
 */
export const KARPENTER_NAMESPACE = "karpenter";
export const KARPENTER_SERVICE_ACCOUNT = "karpenter";
export const KARPENTER_RELEASE = "karpenter";
/** The release of Karpenter's CRDs (the `karpenter-crd` chart). */
export const KARPENTER_CRD_RELEASE = "karpenter-crd";
/** The release of the EC2NodeClasses, NodePools and FlowSchema (the in-repo manifests chart). */
export const KARPENTER_NODES_RELEASE = "karpenter-nodes";
/** Tag the network construct puts on the private subnets (`karpenter.sh/discovery = <cluster>`). */
export const SUBNET_DISCOVERY_TAG = "karpenter.sh/discovery";
/**
 * Label domains Karpenter refuses on NodePool labels (its CRD's validation rules), and the
 * exceptions it allows. This is Karpenter's rule only: catalogue node groups are held to the
 * stricter EKS node-group rule (no key containing kubernetes.io/, packages/constructs/src/core/eks-nodes.ts), so one class
 * definition is valid under either autoscaler.
 */
const RESTRICTED_LABEL_DOMAINS = ["kubernetes.io", "k8s.io", "karpenter.sh", "karpenter.k8s.aws"];
const ALLOWED_LABEL_SUBDOMAINS = ["node.kubernetes.io", "node-restriction.kubernetes.io", "kops.k8s.io"];
const ALLOWED_LABELS = ["topology.kubernetes.io/zone", "topology.kubernetes.io/region", "kubernetes.io/arch", "kubernetes.io/os", "karpenter.sh/capacity-type"];

export interface KarpenterProps {
  /** EKS cluster name (`settings.clusterName`; also the subnets' discovery tag value). */
  readonly clusterName: string;
  /**
   * API server URL written into node user data (a cross-stack reference is fine). Set explicitly
   * rather than left to discovery through `eks:DescribeCluster` at start-up.
   * @default - discovered by the controller
   */
  readonly clusterEndpoint?: string;
  /** IRSA role of the controller (`KarpenterAwsResources.controllerRole`); a cross-stack reference is fine. */
  readonly controllerRoleArn: string;
  /** Name (not URL) of the SQS queue of interruption events; Karpenter must be its only reader. */
  readonly interruptionQueueName: string;
  /** Name of the IAM role Karpenter's nodes run with (`KarpenterAwsResources.nodeRole`); a reference is fine. */
  readonly nodeRoleName: string;
  /** Security groups of the nodes: the cluster security group, which EFS, Aurora and the NLB already admit. */
  readonly securityGroupIds: readonly string[];
  /** KMS key of the root volumes (the cluster's storage key). @default - the account's default EBS key */
  readonly volumeKmsKeyArn?: string;
  /** The region's availability zones; every pool spans all of them. At least 2. */
  readonly availabilityZones: readonly string[];
  /** One NodePool (and EC2NodeClass of the same name) per node group, by its class. At least one. */
  readonly nodePools: readonly KarpenterPoolSource[];
  /**
   * Node affinity that places the controller on the system managed node group. The construct adds
   * `karpenter.sh/nodepool DoesNotExist`, so the controller never runs on a node it manages.
   */
  readonly controllerNodeAffinity: readonly INodeSelectorRequirement[];
  /** Taints of the system nodes the controller tolerates (`CriticalAddonsOnly` is always added). @default [] */
  readonly controllerTolerations?: readonly IToleration[];
  /** Controller replicas; one leads, the other takes over within seconds. @default 2 */
  readonly replicas?: number;
  /**
   * `family@version` alias of the AMI. `al2023@latest` follows every new EKS AMI (nodes drift and
   * are replaced within the disruption budgets); pin `al2023@vYYYYMMDD` to move deliberately.
   * @default "al2023@latest"
   */
  readonly amiAlias?: string;
  /** The controller chart. @default KARPENTER_CHART */
  readonly chart?: ChartPin;
  /** The CRD chart; must carry the same version as {@link chart}. @default KARPENTER_CRD_CHART */
  readonly crdChart?: ChartPin;
  /** Helm values of the controller chart, deep-merged over the construct's own (objects merge, arrays and scalars replace; see `mergeValues`). @default - none */
  readonly values?: HelmValues;
  /** The helm provider (cluster) to install into. @default - the stack's default helm provider */
  readonly provider?: TerraformProvider;
}

/**
 * Karpenter v1: the controller (two replicas on the system managed nodes, leader election, a
 * disruption budget, zone spread, `system-cluster-critical`), then, once it runs, one
 * EC2NodeClass and one NodePool per node group, delivered through the in-repo manifests chart so
 * no CRD is needed at plan time. Karpenter reads the interruption queue itself, so the Node
 * Termination Handler must not run next to it.
 */
export class Karpenter extends Construct {
  /** Karpenter's CRDs (NodePool, NodeClaim, EC2NodeClass), upgraded with every version change. */
  readonly crds: ChartRelease;
  readonly controller: ChartRelease;
  readonly nodes: ManifestsRelease;
  readonly highAvailability: HighAvailability;
  /** Every object of the nodes release, in order: FlowSchema, EC2NodeClasses, NodePools. */
  readonly manifests: readonly KubernetesManifest[];

  constructor(scope: Construct, id: string, props: KarpenterProps) {
    super(scope, id);
    validate(props);
    const selector = { "app.kubernetes.io/name": "karpenter", "app.kubernetes.io/instance": KARPENTER_RELEASE };
    this.highAvailability = highAvailability({
      component: "karpenter",
      selector,
      replicas: props.replicas,
      priorityClassName: SYSTEM_PRIORITY_CLASSES[0],
    });
    const ha = this.highAvailability;

    // Helm never upgrades a chart's crds/: the CRDs get their own release, and the controller's
    // chart leaves them out, so raising the pin upgrades the API the NodePools are written in.
    this.crds = new ChartRelease(this, "crds", {
      releaseName: KARPENTER_CRD_RELEASE,
      namespace: KARPENTER_NAMESPACE,
      chart: props.crdChart ?? KARPENTER_CRD_CHART,
      timeoutSeconds: 300,
      provider: props.provider,
    });
    this.controller = new ChartRelease(this, "controller", {
      releaseName: KARPENTER_RELEASE,
      namespace: KARPENTER_NAMESPACE,
      chart: props.chart ?? KARPENTER_CHART,
      skipCrds: true,
      dependsOn: [this.crds.release],
      values: mergeValues(
        {
          serviceAccount: {
            create: true,
            name: KARPENTER_SERVICE_ACCOUNT,
            annotations: { "eks.amazonaws.com/role-arn": props.controllerRoleArn },
          },
          settings: {
            clusterName: props.clusterName,
            ...(props.clusterEndpoint ? { clusterEndpoint: props.clusterEndpoint } : {}),
            interruptionQueue: props.interruptionQueueName,
            // The clusters enable ARC zonal shift; without this Karpenter (>= 1.12) keeps launching
            // into the zone traffic was shifted away from. Needs arc-zonal-shift:GetManagedResource.
            enableZonalShift: true,
          },
          replicas: ha.replicas,
          podDisruptionBudget: { name: KARPENTER_RELEASE, maxUnavailable: ha.podDisruptionBudget.maxUnavailable },
          priorityClassName: ha.priorityClassName,
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchExpressions: [...props.controllerNodeAffinity, { key: KARPENTER_NODEPOOL_LABEL, operator: "DoesNotExist" }] },
                ],
              },
            },
            // Two replicas never share a node, whatever the zone spread allows.
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: selector } }],
            },
          },
          topologySpreadConstraints: ha.topologySpreadConstraints,
          tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }, ...(props.controllerTolerations ?? [])],
          controller: {
            // Karpenter's guidance: requests = limits for memory, a full CPU for bursts of scheduling.
            resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "1Gi" } },
          },
          logLevel: "info",
        },
        props.values,
      ),
      provider: props.provider,
    });

    const context: PoolContext = {
      clusterName: props.clusterName,
      availabilityZones: props.availabilityZones,
      nodeRoleName: props.nodeRoleName,
      securityGroupIds: props.securityGroupIds,
      subnetSelectorTags: { [SUBNET_DISCOVERY_TAG]: props.clusterName },
      amiAlias: props.amiAlias ?? "al2023@latest",
      volumeKmsKeyArn: props.volumeKmsKeyArn,
    };
    this.manifests = [
      flowSchema(),
      ...props.nodePools.map((pool) => ec2NodeClassFor(pool, context)),
      ...props.nodePools.map((pool) => nodePoolFor(pool, context)),
    ];
    this.nodes = new ManifestsRelease(this, "nodes", {
      releaseName: KARPENTER_NODES_RELEASE,
      namespace: KARPENTER_NAMESPACE,
      manifests: this.manifests,
      // The CRDs come with the controller chart; its webhook-free v1 API then accepts the pools.
      dependsOn: [this.controller.release],
      provider: props.provider,
    });
  }
}

/**
 * Requests of the controller's service account at the `workload-high` priority level, as every
 * kube-system service account gets by default, so a busy API server does not starve the
 * component that adds the capacity it needs.
 */
function flowSchema(): IFlowSchema & KubernetesManifest {
  return {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1",
    kind: "FlowSchema",
    metadata: { name: KARPENTER_RELEASE },
    spec: {
      priorityLevelConfiguration: { name: "workload-high" },
      matchingPrecedence: 1000,
      distinguisherMethod: { type: "ByUser" },
      rules: [
        {
          subjects: [{ kind: "ServiceAccount", serviceAccount: { name: KARPENTER_SERVICE_ACCOUNT, namespace: KARPENTER_NAMESPACE } }],
          resourceRules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"], namespaces: ["*"], clusterScope: true }],
          nonResourceRules: [{ nonResourceURLs: ["*"], verbs: ["*"] }],
        },
      ],
    },
  };
}

function validate(props: KarpenterProps): void {
  const fail = (setting: string, value: unknown, rule: string): never => {
    throw new Error(`Karpenter ${props.clusterName}: ${setting} ${JSON.stringify(value)} ${rule}`);
  };
  if (!Token.isUnresolved(props.clusterName) && !/^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/.test(props.clusterName)) {
    fail("clusterName", props.clusterName, "must be an EKS cluster name: 1-100 letters, digits and '-', starting with a letter or digit");
  }
  const controllerVersion = (props.chart ?? KARPENTER_CHART).version;
  const crdVersion = (props.crdChart ?? KARPENTER_CRD_CHART).version;
  if (controllerVersion !== crdVersion) {
    fail("crdChart.version", crdVersion, `must equal the controller chart's version ${controllerVersion}: the controller reads the API its own CRDs define`);
  }
  if (props.clusterEndpoint !== undefined && !Token.isUnresolved(props.clusterEndpoint) && !/^https:\/\/[\w.-]+$/.test(props.clusterEndpoint)) {
    fail("clusterEndpoint", props.clusterEndpoint, "must be the cluster's https:// API server URL");
  }
  if (!Token.isUnresolved(props.controllerRoleArn) && !IAM_ROLE_ARN.test(props.controllerRoleArn)) {
    fail("controllerRoleArn", props.controllerRoleArn, "must be an IAM role ARN (or a Terraform reference to one)");
  }
  if (!Token.isUnresolved(props.interruptionQueueName) && !/^[\w-]{1,80}$/.test(props.interruptionQueueName)) {
    fail("interruptionQueueName", props.interruptionQueueName, "must be an SQS queue name (1-80 letters, digits, '-', '_'), not its URL or ARN");
  }
  if (!Token.isUnresolved(props.nodeRoleName) && !IAM_ROLE_NAME.test(props.nodeRoleName)) {
    fail("nodeRoleName", props.nodeRoleName, "must be an IAM role name (1-64 characters), not an ARN");
  }
  if (props.securityGroupIds.length === 0) {
    fail("securityGroupIds", props.securityGroupIds, "must name at least one security group (the cluster security group)");
  }
  props.securityGroupIds.forEach((id, i) => {
    if (!Token.isUnresolved(id) && !/^sg-[0-9a-f]+$/.test(id)) {
      fail(`securityGroupIds[${i}]`, id, "must be a security group id such as sg-0123456789abcdef0");
    }
  });
  if (props.availabilityZones.length < 2) {
    fail("availabilityZones", props.availabilityZones, "must list at least 2 zones: a pool in one zone is lost with it");
  }
  const alias = props.amiAlias ?? "al2023@latest";
  if (!/^al2023@(latest|v\d{8})$/.test(alias)) {
    fail("amiAlias", alias, "must be al2023@latest or al2023@vYYYYMMDD (the EKS-optimized Amazon Linux 2023 AMI)");
  }
  if (props.nodePools.length === 0) {
    fail("nodePools", props.nodePools, "must hold at least one node group to derive a NodePool from");
  }
  props.nodePools.forEach((pool, i) => validatePool(pool, `nodePools[${i}]`, fail));
  props.nodePools.forEach((pool, i) => {
    if (props.nodePools.findIndex((p) => p.name === pool.name) !== i) {
      fail(`nodePools[${i}].name`, pool.name, "is used by another pool; NodePool names must be unique");
    }
  });
}

function validatePool(pool: KarpenterPoolSource, at: string, fail: (setting: string, value: unknown, rule: string) => never): void {
  if (!isDnsLabel(pool.name)) {
    fail(`${at}.name`, pool.name, "must be a DNS label (the NodePool and EC2NodeClass name)");
  }
  if (pool.instanceTypes.length === 0) {
    fail(`${at}.instanceTypes`, pool.instanceTypes, "must name at least one instance type (it sets architecture, families and limits)");
  }
  if (!Number.isInteger(pool.maxSize) || pool.maxSize < 1) {
    fail(`${at}.maxSize`, pool.maxSize, "must be an integer >= 1 (it sets the pool's CPU limit)");
  }
  if (!Number.isInteger(pool.diskSizeGiB) || pool.diskSizeGiB < 20 || pool.diskSizeGiB > 16384) {
    fail(`${at}.diskSizeGiB`, pool.diskSizeGiB, "must be an integer from 20 to 16384");
  }
  if (pool.metadataHopLimit !== 1 && pool.metadataHopLimit !== 2) {
    fail(`${at}.metadataHopLimit`, pool.metadataHopLimit, "must be 1, or 2 where pods need IMDS");
  }
  for (const key of Object.keys(nodeLabelsOf(pool))) {
    const domain = key.includes("/") ? key.split("/")[0]! : "";
    const restricted = RESTRICTED_LABEL_DOMAINS.find((d) => domain === d || domain.endsWith(`.${d}`));
    const allowed = ALLOWED_LABELS.includes(key) || ALLOWED_LABEL_SUBDOMAINS.some((d) => domain === d || domain.endsWith(`.${d}`));
    if ((restricted && !allowed) || key === "kubernetes.io/hostname") {
      fail(`${at}.labels`, key, `uses the label domain "${restricted ?? "kubernetes.io"}", which Karpenter reserves; use e.g. node.meridian.io/...`);
    }
  }
  if (pool.class === "gpu" && !pool.taints.some((t) => t.key === GPU_TAINT_KEY && t.effect === "NO_SCHEDULE")) {
    fail(`${at}.taints`, pool.taints, `must include ${GPU_TAINT_KEY} (NO_SCHEDULE) so only pods asking for GPUs land on GPU nodes`);
  }
}
