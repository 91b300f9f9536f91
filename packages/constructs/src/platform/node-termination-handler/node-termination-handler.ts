import type { INodeSelectorRequirement } from "kubernetes-models/v1/NodeSelectorRequirement" with { "resolution-mode": "import" };
import type { IToleration } from "kubernetes-models/v1/Toleration" with { "resolution-mode": "import" };
import { Token, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { NODE_TERMINATION_HANDLER_CHART } from "./chart";
import { ChartRelease, mergeValues, type ChartPin, type HelmValues } from "../chart-release";
import { highAvailability, SYSTEM_PRIORITY_CLASSES, type HighAvailability } from "../resilience";
import { CONTROLLER_IDENTITIES } from "../../core/workload-identities";
import { IAM_ROLE_ARN, REGION_NAME } from "../../core/aws-formats";

/** Where the handler runs; the regional stack's IRSA role trusts exactly this service account. */
export const NODE_TERMINATION_HANDLER_NAMESPACE = CONTROLLER_IDENTITIES.nodeTerminationHandler.namespace;
export const NODE_TERMINATION_HANDLER_SERVICE_ACCOUNT = CONTROLLER_IDENTITIES.nodeTerminationHandler.serviceAccount;
export const NODE_TERMINATION_HANDLER_RELEASE = "aws-node-termination-handler";

export interface NodeTerminationHandlerProps {
  /** EKS cluster name; only instances of this cluster's Auto Scaling groups are drained. */
  readonly clusterName: string;
  /** AWS region of the cluster (`awsRegion`); the queue must be in it. */
  readonly region: string;
  /**
   * URL of the SQS queue of interruption events (`https://sqs.<region>.amazonaws.com/<account>/<name>`);
   * a cross-stack reference is fine. The handler must be the queue's only reader.
   */
  readonly queueUrl: string;
  /** IRSA role for `kube-system/aws-node-termination-handler`; a cross-stack reference is fine. */
  readonly roleArn: string;
  /** Node affinity that places the handler on the system managed nodes. */
  readonly nodeAffinity: readonly INodeSelectorRequirement[];
  /** Taints of the system nodes it tolerates (`CriticalAddonsOnly` is always added). @default [] */
  readonly tolerations?: readonly IToleration[];
  /** Queue processors; SQS gives each message to one of them. @default 2 */
  readonly replicas?: number;
  /** The chart to install. @default NODE_TERMINATION_HANDLER_CHART */
  readonly chart?: ChartPin;
  /** Helm values deep-merged over the construct's own (objects merge, arrays and scalars replace; see `mergeValues`). @default - none */
  readonly values?: HelmValues;
  /** The helm provider (cluster) to install into. @default - the stack's default helm provider */
  readonly provider?: TerraformProvider;
}

/** The queue URL of `queueName` in `region` and `accountId`, for callers without a reference to the queue. */
export function interruptionQueueUrl(region: string, accountId: string, queueName: string): string {
  return `https://sqs.${region}.amazonaws.com/${accountId}/${queueName}`;
}

/**
 * AWS Node Termination Handler in queue-processor mode, next to Cluster Autoscaler: it reads the
 * interruption queue and cordons, taints and drains the affected node before it goes. Beside EKS
 * managed node groups the regional stack routes only AWS Health scheduled changes (instance
 * retirement, maintenance reboots) to that queue: EKS already drains spot nodes on rebalance and
 * interruption notices and every node it terminates (`INTERRUPTION_EVENTS_BY_AUTOSCALER`). It drains
 * only instances whose Auto Scaling group carries `k8s.io/cluster-autoscaler/<cluster>` (every
 * EKS managed node group of this cluster), the tag its IAM policy is scoped to as well. A
 * Deployment of two replicas on the system nodes, never a DaemonSet (that is IMDS mode).
 */
export class NodeTerminationHandler extends Construct {
  readonly release: ChartRelease;
  readonly highAvailability: HighAvailability;

  constructor(scope: Construct, id: string, props: NodeTerminationHandlerProps) {
    super(scope, id);
    validate(props);
    const selector = { "app.kubernetes.io/instance": NODE_TERMINATION_HANDLER_RELEASE };
    this.highAvailability = highAvailability({
      component: "aws-node-termination-handler",
      selector,
      replicas: props.replicas,
      priorityClassName: SYSTEM_PRIORITY_CLASSES[0],
    });
    const ha = this.highAvailability;
    this.release = new ChartRelease(this, "node-termination-handler", {
      releaseName: NODE_TERMINATION_HANDLER_RELEASE,
      namespace: NODE_TERMINATION_HANDLER_NAMESPACE,
      createNamespace: false,
      chart: props.chart ?? NODE_TERMINATION_HANDLER_CHART,
      values: mergeValues(
        {
          enableSqsTerminationDraining: true,
          queueURL: props.queueUrl,
          awsRegion: props.region,
          checkTagBeforeDraining: true,
          managedTag: `k8s.io/cluster-autoscaler/${props.clusterName}`,
          // Events for instances of no node here (another cluster in the account) are dropped, not retried.
          deleteSqsMsgIfNodeNotFound: true,
          taintNode: true,
          emitKubernetesEvents: true,
          serviceAccount: {
            create: true,
            name: NODE_TERMINATION_HANDLER_SERVICE_ACCOUNT,
            annotations: { "eks.amazonaws.com/role-arn": props.roleArn },
          },
          replicas: ha.replicas,
          podDisruptionBudget: ha.podDisruptionBudget,
          priorityClassName: ha.priorityClassName,
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [...props.nodeAffinity] }] } } },
          topologySpreadConstraints: ha.topologySpreadConstraints,
          tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }, ...(props.tolerations ?? [])],
          resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
        },
        props.values,
      ),
      provider: props.provider,
    });
  }
}

function validate(props: NodeTerminationHandlerProps): void {
  const fail = (setting: string, value: unknown, rule: string): never => {
    throw new Error(`NodeTerminationHandler ${props.clusterName}: ${setting} ${JSON.stringify(value)} ${rule}`);
  };
  if (!Token.isUnresolved(props.clusterName) && !/^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/.test(props.clusterName)) {
    fail("clusterName", props.clusterName, "must be an EKS cluster name: 1-100 letters, digits and '-'");
  }
  if (!REGION_NAME.test(props.region)) {
    fail("region", props.region, "must be an AWS region name such as us-east-1");
  }
  if (!Token.isUnresolved(props.queueUrl)) {
    const match = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/\d{12}\/[\w-]{1,80}$/.exec(props.queueUrl);
    if (!match) {
      fail("queueUrl", props.queueUrl, "must be an SQS queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/<queue> (not its name or ARN)");
    } else if (match[1] !== props.region) {
      fail("queueUrl", props.queueUrl, `must be a queue in the cluster's region ${props.region}`);
    }
  }
  if (!Token.isUnresolved(props.roleArn) && !IAM_ROLE_ARN.test(props.roleArn)) {
    fail("roleArn", props.roleArn, "must be an IAM role ARN (or a Terraform reference to one)");
  }
  if (props.nodeAffinity.length === 0) {
    fail("nodeAffinity", props.nodeAffinity, "must place the handler on the system nodes (e.g. node.meridian.io/class In [system]); otherwise it may drain the node it runs on");
  }
}
