import { Token, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { AWS_LOAD_BALANCER_CONTROLLER_CHART } from "./chart";
import { ChartRelease, mergeValues, type ChartPin, type HelmValues } from "../chart-release";
import { highAvailability, type HighAvailability } from "../resilience";
import { TargetGroupBinding, type TargetGroupBindingProps } from "./target-group-binding";
import { CONTROLLER_IDENTITIES } from "../../core/workload-identities";
import { IAM_ROLE_ARN, REGION_NAME } from "../../core/aws-formats";

/** Where the controller runs; the IRSA role's trust policy names exactly this service account. */
export const LOAD_BALANCER_CONTROLLER_NAMESPACE = CONTROLLER_IDENTITIES.loadBalancerController.namespace;
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = CONTROLLER_IDENTITIES.loadBalancerController.serviceAccount;
const RELEASE_NAME = "aws-load-balancer-controller";

export interface AwsLoadBalancerControllerProps {
  /** EKS cluster name (`--cluster-name`): the controller only manages resources tagged for it. */
  readonly clusterName: string;
  /** AWS region of the cluster; set so the controller never asks the instance metadata service. */
  readonly region: string;
  /** VPC of the cluster (a cross-stack reference is fine); set for the same reason. */
  readonly vpcId: string;
  /** IRSA role for `kube-system/aws-load-balancer-controller` (a cross-stack reference is fine). */
  readonly roleArn: string;
  /** Controller replicas (leader-elected; the others serve the webhooks). @default 2 */
  readonly replicas?: number;
  /** PriorityClass of the controller's pods. @default "system-cluster-critical" (target registration is on the data path) */
  readonly priorityClassName?: string;
  /** The chart to install. @default AWS_LOAD_BALANCER_CONTROLLER_CHART */
  readonly chart?: ChartPin;
  /** Helm values deep-merged over the construct's own (objects merge, arrays and scalars replace; see `mergeValues`). @default - none */
  readonly values?: HelmValues;
  /** Resources the release waits for (e.g. the IRSA role's policy attachment). @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** The helm provider (cluster) to install into. @default - the stack's default helm provider */
  readonly provider?: TerraformProvider;
}

/**
 * The AWS Load Balancer Controller. Load balancers are Terraform-owned here; the controller's job
 * is to keep their target groups filled with pod IPs through TargetGroupBindings (`bindTargetGroup`).
 * Highly available: replicas spread over zones and nodes, a disruption budget, and a
 * system-critical priority, because a stalled controller leaves targets of dead pods registered.
 */
export class AwsLoadBalancerController extends Construct {
  readonly release: ChartRelease;
  readonly highAvailability: HighAvailability;
  private readonly provider?: TerraformProvider;

  constructor(scope: Construct, id: string, props: AwsLoadBalancerControllerProps) {
    super(scope, id);
    const fail = (setting: string, value: unknown, rule: string) => {
      throw new Error(`AwsLoadBalancerController ${props.clusterName}: ${setting} ${JSON.stringify(value)} ${rule}`);
    };
    if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(props.clusterName)) {
      fail("clusterName", props.clusterName, "must be an EKS cluster name (1-100 letters, digits, '-' and '_', starting with a letter or digit)");
    }
    if (!REGION_NAME.test(props.region)) {
      fail("region", props.region, "must be an AWS region name such as us-east-1");
    }
    if (!Token.isUnresolved(props.vpcId) && !/^vpc-[0-9a-f]{8,17}$/.test(props.vpcId)) {
      fail("vpcId", props.vpcId, "must be a VPC id such as vpc-0123456789abcdef0 (or a Terraform reference to one)");
    }
    if (!Token.isUnresolved(props.roleArn) && !IAM_ROLE_ARN.test(props.roleArn)) {
      fail("roleArn", props.roleArn, "must be an IAM role ARN (or a Terraform reference to one)");
    }
    this.provider = props.provider;
    this.highAvailability = highAvailability({
      component: "aws-load-balancer-controller",
      replicas: props.replicas,
      priorityClassName: props.priorityClassName ?? "system-cluster-critical",
      selector: { "app.kubernetes.io/name": "aws-load-balancer-controller", "app.kubernetes.io/instance": RELEASE_NAME },
    });
    const ha = this.highAvailability;
    this.release = new ChartRelease(this, "controller", {
      releaseName: RELEASE_NAME,
      namespace: LOAD_BALANCER_CONTROLLER_NAMESPACE,
      createNamespace: false,
      chart: props.chart ?? AWS_LOAD_BALANCER_CONTROLLER_CHART,
      values: mergeValues(
        {
          clusterName: props.clusterName,
          region: props.region,
          vpcId: props.vpcId,
          serviceAccount: {
            create: true,
            name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
            annotations: { "eks.amazonaws.com/role-arn": props.roleArn },
          },
          replicaCount: ha.replicas,
          podDisruptionBudget: ha.podDisruptionBudget,
          topologySpreadConstraints: ha.topologySpreadConstraints,
          priorityClassName: ha.priorityClassName,
          // Pods are targets by IP (VPC CNI); the NLB and its security groups are Terraform's.
          defaultTargetType: "ip",
          // The Service mutator webhook (failurePolicy Fail, every Service CREATE) would reject the
          // Services of releases installed alongside while the controller's pods start, and nothing
          // here needs it: the NLB is Terraform-owned and bound by a TargetGroupBinding.
          enableServiceMutatorWebhook: false,
        },
        props.values,
      ),
      dependsOn: props.dependsOn,
      provider: props.provider,
    });
  }

  /** A TargetGroupBinding that waits for this controller. */
  bindTargetGroup(id: string, props: Omit<TargetGroupBindingProps, "dependsOn" | "provider">): TargetGroupBinding {
    return new TargetGroupBinding(this, id, { ...props, dependsOn: [this.release.release], provider: this.provider });
  }
}
