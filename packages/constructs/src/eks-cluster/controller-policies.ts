import type {
  DataAwsIamPolicyDocumentStatement,
  DataAwsIamPolicyDocumentStatementCondition,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IAM_ROLE_ARN } from "../core/aws-formats";

/**
 * Least-privilege IAM permissions for the controllers that run inside each EKS cluster, as plain
 * statement lists for a `DataAwsIamPolicyDocument` (pure functions: no constructs are created).
 *
 * They follow the controllers' published policies (Karpenter v1 `cloudformation.yaml` and the
 * terraform-aws-eks `karpenter` submodule, the AWS Load Balancer Controller's `iam_policy.json`,
 * the Cluster Autoscaler and external-dns AWS guides) but are tightened to the platform's rules
 * (security-rules.md #20): no wildcard actions, every `iam:PassRole` bound to one role and one
 * service, and no write action on resource `"*"` without a condition. Where an upstream policy
 * grants a write on `"*"` without a condition, the statement here is scoped to ARNs of the
 * cluster's own account and region instead.
 */

/** Where the cluster lives; every ARN in the statements is built from these values. */
export interface ControllerPolicyContext {
  /** AWS partition, usually a token from aws_partition (e.g. "${data.aws_partition.x.partition}"). */
  readonly partition: string;
  /** Account that owns the cluster and everything its controllers manage. */
  readonly accountId: string;
  /** Region of the cluster; controllers only act in this region. */
  readonly region: string;
  /** EKS cluster name, as in the `kubernetes.io/cluster/<name>` ownership tags. */
  readonly clusterName: string;
}

/** AWS managed policy for the EBS CSI driver (ARN suffix after `arn:<partition>:iam::aws:policy/`). */
export const EBS_CSI_DRIVER_MANAGED_POLICY = "service-role/AmazonEBSCSIDriverPolicy";
/** AWS managed policy for the EFS CSI driver (ARN suffix after `arn:<partition>:iam::aws:policy/`). */
export const EFS_CSI_DRIVER_MANAGED_POLICY = "service-role/AmazonEFSCSIDriverPolicy";

type Statement = DataAwsIamPolicyDocumentStatement;
type Condition = DataAwsIamPolicyDocumentStatementCondition;

const when = (test: string, variable: string, ...values: string[]): Condition => ({ test, variable, values });

/** An unresolved Terraform expression or cdktf token, whose value is only known at plan time. */
const isToken = (value: string): boolean => value.includes("${");

function requireArn(owner: string, setting: string, value: string, pattern: RegExp, expected: string): void {
  if (isToken(value)) return;
  if (!pattern.test(value)) {
    throw new Error(`${owner}: ${setting} = ${JSON.stringify(value)}: must be ${expected}`);
  }
}

/** Builders for ARNs in the cluster's own account and region. */
function arns(ctx: ControllerPolicyContext) {
  const { partition, region, accountId } = ctx;
  return {
    ec2: (resource: string) => `arn:${partition}:ec2:${region}:${accountId}:${resource}`,
    /** Images and snapshots (public AMIs included) have no account in their ARN. */
    ec2Public: (resource: string) => `arn:${partition}:ec2:${region}::${resource}`,
    elb: (resource: string) => `arn:${partition}:elasticloadbalancing:${region}:${accountId}:${resource}`,
    iam: (resource: string) => `arn:${partition}:iam::${accountId}:${resource}`,
    eks: (resource: string) => `arn:${partition}:eks:${region}:${accountId}:${resource}`,
  };
}

/**
 * Karpenter v1 controller. Launches and terminates only instances it tags as owned by this
 * cluster and a NodePool, passes only the node role, and reads only this cluster's interruption
 * queue.
 *
 * @param ctx.nodeRoleArn the role of the nodes Karpenter launches: the only role it may pass
 * @param ctx.interruptionQueueArn the SQS queue EventBridge sends spot/health/state events to
 */
export function karpenterControllerStatements(
  ctx: ControllerPolicyContext & { nodeRoleArn: string; interruptionQueueArn: string },
): Statement[] {
  const owner = "karpenterControllerStatements";
  requireArn(owner, "nodeRoleArn", ctx.nodeRoleArn, IAM_ROLE_ARN, "one IAM role ARN (arn:<partition>:iam::<account>:role/<name>), never a wildcard");
  requireArn(owner, "interruptionQueueArn", ctx.interruptionQueueArn, /^arn:[\w-]+:sqs:[a-z0-9-]+:\d{12}:[\w-]+(\.fifo)?$/, "one SQS queue ARN (arn:<partition>:sqs:<region>:<account>:<name>)");

  const arn = arns(ctx);
  const cluster = ctx.clusterName;
  const ownedRequest = when("StringEquals", `aws:RequestTag/kubernetes.io/cluster/${cluster}`, "owned");
  const ownedResource = when("StringEquals", `aws:ResourceTag/kubernetes.io/cluster/${cluster}`, "owned");
  const eksClusterNameRequest = when("StringEquals", "aws:RequestTag/eks:eks-cluster-name", cluster);
  const nodePoolRequest = when("StringLike", "aws:RequestTag/karpenter.sh/nodepool", "*");
  const nodePoolResource = when("StringLike", "aws:ResourceTag/karpenter.sh/nodepool", "*");
  const regionRequest = when("StringEquals", "aws:RequestTag/topology.kubernetes.io/region", ctx.region);
  const regionResource = when("StringEquals", "aws:ResourceTag/topology.kubernetes.io/region", ctx.region);
  const nodeClassRequest = when("StringLike", "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass", "*");
  const nodeClassResource = when("StringLike", "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass", "*");
  // Everything RunInstances/CreateFleet/CreateLaunchTemplate creates, tagged at creation.
  const launchedResources = ["fleet/*", "instance/*", "volume/*", "network-interface/*", "launch-template/*", "spot-instances-request/*"].map(arn.ec2);
  const instanceProfiles = [arn.iam("instance-profile/*")];

  return [
    {
      // RunInstances/CreateFleet also authorize against the AMI, snapshots, subnets, security
      // groups and capacity reservations they launch into; these carry no Karpenter tags.
      sid: "AllowScopedEC2InstanceAccessActions",
      effect: "Allow",
      actions: ["ec2:RunInstances", "ec2:CreateFleet"],
      resources: [arn.ec2Public("image/*"), arn.ec2Public("snapshot/*"), arn.ec2("security-group/*"), arn.ec2("subnet/*"), arn.ec2("capacity-reservation/*")],
    },
    {
      // Launching from a launch template only when Karpenter created it for this cluster.
      sid: "AllowScopedEC2LaunchTemplateAccessActions",
      effect: "Allow",
      actions: ["ec2:RunInstances", "ec2:CreateFleet"],
      resources: [arn.ec2("launch-template/*")],
      condition: [ownedResource, nodePoolResource],
    },
    {
      // New instances, volumes, ENIs, fleets and launch templates must be tagged as this cluster's.
      sid: "AllowScopedEC2InstanceActionsWithTags",
      effect: "Allow",
      actions: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
      resources: launchedResources,
      condition: [ownedRequest, eksClusterNameRequest, nodePoolRequest],
    },
    {
      // Tag-on-create only, for the three create calls above.
      sid: "AllowScopedResourceCreationTagging",
      effect: "Allow",
      actions: ["ec2:CreateTags"],
      resources: launchedResources,
      condition: [ownedRequest, eksClusterNameRequest, when("StringEquals", "ec2:CreateAction", "RunInstances", "CreateFleet", "CreateLaunchTemplate"), nodePoolRequest],
    },
    {
      // Karpenter later adds the NodeClaim and Name tags to its own instances, and nothing else.
      sid: "AllowScopedResourceTagging",
      effect: "Allow",
      actions: ["ec2:CreateTags"],
      resources: [arn.ec2("instance/*")],
      condition: [
        ownedResource,
        nodePoolResource,
        when("StringEqualsIfExists", "aws:RequestTag/eks:eks-cluster-name", cluster),
        when("ForAllValues:StringEquals", "aws:TagKeys", "eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"),
      ],
    },
    {
      sid: "AllowScopedDeletion",
      effect: "Allow",
      actions: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
      resources: [arn.ec2("instance/*"), arn.ec2("launch-template/*")],
      condition: [ownedResource, nodePoolResource],
    },
    {
      // EC2 Describe* calls support no resource-level permissions; pinned to the cluster's region.
      sid: "AllowRegionalReadActions",
      effect: "Allow",
      actions: [
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeCapacityReservations",
        "ec2:DescribeImages",
        "ec2:DescribeInstances",
        // Instance status health checks of the interruption controller (Karpenter >= 1.12).
        "ec2:DescribeInstanceStatus",
        "ec2:DescribeInstanceTypeOfferings",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplates",
        // Placement groups named by an EC2NodeClass (Karpenter >= 1.11).
        "ec2:DescribePlacementGroups",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSpotPriceHistory",
        "ec2:DescribeSubnets",
      ],
      resources: ["*"],
      condition: [when("StringEquals", "aws:RequestedRegion", ctx.region)],
    },
    {
      // Public parameters only: EKS-optimized AMI ids are resolved from /aws/service/eks/...
      sid: "AllowSSMReadActions",
      effect: "Allow",
      actions: ["ssm:GetParameter"],
      resources: [`arn:${ctx.partition}:ssm:${ctx.region}::parameter/aws/service/*`],
    },
    {
      // On-demand prices for instance selection; the Price List API has no resources.
      sid: "AllowPricingReadActions",
      effect: "Allow",
      actions: ["pricing:GetProducts"],
      resources: ["*"],
    },
    {
      // Spot interruption, rebalance, health and state-change events, from this cluster's queue only.
      sid: "AllowInterruptionQueueActions",
      effect: "Allow",
      actions: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
      resources: [ctx.interruptionQueueArn],
    },
    {
      // The node role goes into the instance profiles Karpenter creates, and only to EC2.
      sid: "AllowPassingInstanceRole",
      effect: "Allow",
      actions: ["iam:PassRole"],
      resources: [ctx.nodeRoleArn],
      condition: [when("StringEquals", "iam:PassedToService", "ec2.amazonaws.com")],
    },
    {
      // Karpenter creates one instance profile per EC2NodeClass, tagged for this cluster and region.
      sid: "AllowScopedInstanceProfileCreationActions",
      effect: "Allow",
      actions: ["iam:CreateInstanceProfile"],
      resources: instanceProfiles,
      condition: [ownedRequest, eksClusterNameRequest, regionRequest, nodeClassRequest],
    },
    {
      sid: "AllowScopedInstanceProfileTagActions",
      effect: "Allow",
      actions: ["iam:TagInstanceProfile"],
      resources: instanceProfiles,
      condition: [ownedResource, regionResource, ownedRequest, eksClusterNameRequest, regionRequest, nodeClassResource, nodeClassRequest],
    },
    {
      sid: "AllowScopedInstanceProfileActions",
      effect: "Allow",
      actions: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
      resources: instanceProfiles,
      condition: [ownedResource, regionResource, nodeClassResource],
    },
    {
      sid: "AllowInstanceProfileReadActions",
      effect: "Allow",
      actions: ["iam:GetInstanceProfile"],
      resources: instanceProfiles,
    },
    {
      // Garbage collection of orphaned instance profiles; ListInstanceProfiles has no resource type.
      sid: "AllowUnscopedInstanceProfileListAction",
      effect: "Allow",
      actions: ["iam:ListInstanceProfiles"],
      resources: ["*"],
    },
    {
      // The API server endpoint and CA bundle written into node user data.
      sid: "AllowAPIServerEndpointDiscovery",
      effect: "Allow",
      actions: ["eks:DescribeCluster"],
      resources: [arn.eks(`cluster/${cluster}`)],
    },
    {
      // Karpenter >= 1.12 stops launching into a zone ARC has shifted this cluster away from
      // (settings.enableZonalShift); it reads the shift status of this cluster only.
      sid: "AllowZonalShiftStatusReadOnly",
      effect: "Allow",
      actions: ["arc-zonal-shift:GetManagedResource"],
      resources: ["*"],
      condition: [when("StringEquals", "arc-zonal-shift:ResourceIdentifier", arn.eks(`cluster/${cluster}`))],
    },
  ];
}

/**
 * AWS Load Balancer Controller v2. Creates load balancers, target groups and security groups only
 * with its `elbv2.k8s.aws/cluster` tag and changes or deletes only resources that carry it. The
 * writes the upstream policy leaves unconditioned on `"*"` (listeners and rules, security group
 * ingress on node groups, target registration for TargetGroupBinding, WAF and Shield) are scoped
 * to the account's ARNs in the cluster's region.
 */
export function loadBalancerControllerStatements(ctx: ControllerPolicyContext): Statement[] {
  const arn = arns(ctx);
  const clusterTag = "elbv2.k8s.aws/cluster";
  const tagRequested = when("Null", `aws:RequestTag/${clusterTag}`, "false");
  const tagNotRequested = when("Null", `aws:RequestTag/${clusterTag}`, "true");
  const taggedResource = when("Null", `aws:ResourceTag/${clusterTag}`, "false");
  const securityGroups = [arn.ec2("security-group/*")];
  const loadBalancers = [arn.elb("loadbalancer/app/*/*"), arn.elb("loadbalancer/net/*/*")];
  const targetGroups = [arn.elb("targetgroup/*/*")];
  const listenersAndRules = [
    arn.elb("listener/app/*/*/*"),
    arn.elb("listener/net/*/*/*"),
    arn.elb("listener-rule/app/*/*/*/*"),
    arn.elb("listener-rule/net/*/*/*/*"),
  ];
  const allElb = [...loadBalancers, ...targetGroups, ...listenersAndRules];

  return [
    {
      // The ELB service-linked role, created on first use in a new account; nothing else.
      sid: "CreateElbServiceLinkedRole",
      effect: "Allow",
      actions: ["iam:CreateServiceLinkedRole"],
      resources: [arn.iam("role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing")],
      condition: [when("StringEquals", "iam:AWSServiceName", "elasticloadbalancing.amazonaws.com")],
    },
    {
      sid: "DescribeNetworkAndLoadBalancers",
      effect: "Allow",
      actions: [
        "ec2:DescribeAccountAttributes",
        "ec2:DescribeAddresses",
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeCoipPools",
        "ec2:DescribeInstances",
        "ec2:DescribeInternetGateways",
        "ec2:DescribeIpamPools",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeRouteTables",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSubnets",
        "ec2:DescribeTags",
        "ec2:DescribeVpcPeeringConnections",
        "ec2:DescribeVpcs",
        "ec2:GetCoipPoolUsage",
        "ec2:GetSecurityGroupsForVpc",
        "elasticloadbalancing:DescribeCapacityReservation",
        "elasticloadbalancing:DescribeListenerAttributes",
        "elasticloadbalancing:DescribeListenerCertificates",
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeRules",
        "elasticloadbalancing:DescribeSSLPolicies",
        "elasticloadbalancing:DescribeTags",
        "elasticloadbalancing:DescribeTargetGroupAttributes",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetHealth",
        "elasticloadbalancing:DescribeTrustStores",
      ],
      resources: ["*"],
    },
    {
      // Certificate discovery for HTTPS listeners, Cognito auth actions, and WAF/Shield state.
      sid: "ReadCertificatesAndProtections",
      effect: "Allow",
      actions: [
        "acm:DescribeCertificate",
        "acm:ListCertificates",
        "cognito-idp:DescribeUserPoolClient",
        "iam:GetServerCertificate",
        "iam:ListServerCertificates",
        "shield:DescribeProtection",
        "shield:GetSubscriptionState",
        "waf-regional:GetWebACL",
        "waf-regional:GetWebACLForResource",
        "wafv2:GetWebACL",
        "wafv2:GetWebACLForResource",
      ],
      resources: ["*"],
    },
    {
      // Web ACLs named in Ingress annotations, attached to ALBs of this account and region.
      sid: "AssociateWebAclsWithLoadBalancers",
      effect: "Allow",
      actions: ["waf-regional:AssociateWebACL", "waf-regional:DisassociateWebACL", "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL"],
      resources: [
        arn.elb("loadbalancer/app/*/*"),
        `arn:${ctx.partition}:wafv2:${ctx.region}:${ctx.accountId}:regional/webacl/*/*`,
        `arn:${ctx.partition}:waf-regional:${ctx.region}:${ctx.accountId}:webacl/*`,
      ],
    },
    {
      // Shield Advanced protection (the `shield-advanced-protection` annotation); Shield is global.
      sid: "ManageShieldProtections",
      effect: "Allow",
      actions: ["shield:CreateProtection", "shield:DeleteProtection"],
      resources: [`arn:${ctx.partition}:shield::${ctx.accountId}:protection/*`],
    },
    {
      // Opens node and pod security groups to the load balancers' traffic. These groups belong
      // to the cluster, not the controller, so they carry no controller tag: scoped by ARN instead.
      sid: "ManageSecurityGroupIngress",
      effect: "Allow",
      actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
      resources: [...securityGroups, arn.ec2("security-group-rule/*")],
    },
    {
      sid: "CreateTaggedSecurityGroups",
      effect: "Allow",
      actions: ["ec2:CreateSecurityGroup"],
      resources: securityGroups,
      condition: [tagRequested],
    },
    {
      // CreateSecurityGroup is also authorized against the VPC, which carries no request tag;
      // the group itself still needs the statement above.
      sid: "CreateSecurityGroupsInVpcs",
      effect: "Allow",
      actions: ["ec2:CreateSecurityGroup"],
      resources: [arn.ec2("vpc/*")],
    },
    {
      sid: "TagSecurityGroupsOnCreate",
      effect: "Allow",
      actions: ["ec2:CreateTags"],
      resources: securityGroups,
      condition: [when("StringEquals", "ec2:CreateAction", "CreateSecurityGroup"), tagRequested],
    },
    {
      // Retagging its own groups, never adding or removing the cluster tag itself.
      sid: "RetagOwnSecurityGroups",
      effect: "Allow",
      actions: ["ec2:CreateTags", "ec2:DeleteTags"],
      resources: securityGroups,
      condition: [tagNotRequested, taggedResource],
    },
    {
      sid: "DeleteOwnSecurityGroups",
      effect: "Allow",
      actions: ["ec2:DeleteSecurityGroup"],
      resources: securityGroups,
      condition: [taggedResource],
    },
    {
      sid: "CreateTaggedLoadBalancers",
      effect: "Allow",
      actions: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
      resources: [...loadBalancers, ...targetGroups],
      condition: [tagRequested],
    },
    {
      sid: "TagLoadBalancersOnCreate",
      effect: "Allow",
      actions: ["elasticloadbalancing:AddTags"],
      resources: [...loadBalancers, ...targetGroups],
      condition: [when("StringEquals", "elasticloadbalancing:CreateAction", "CreateTargetGroup", "CreateLoadBalancer"), tagRequested],
    },
    {
      sid: "RetagOwnLoadBalancers",
      effect: "Allow",
      actions: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      resources: [...loadBalancers, ...targetGroups],
      condition: [tagNotRequested, taggedResource],
    },
    {
      // Listeners and rules are not reliably tagged by older controller releases, so upstream
      // leaves these unconditioned; they stay within the account's load balancers in this region.
      sid: "TagListenersAndRules",
      effect: "Allow",
      actions: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      resources: listenersAndRules,
    },
    {
      sid: "ManageListenersAndRules",
      effect: "Allow",
      actions: [
        "elasticloadbalancing:AddListenerCertificates",
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:CreateRule",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:DeleteRule",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:ModifyRule",
        "elasticloadbalancing:RemoveListenerCertificates",
        "elasticloadbalancing:SetRulePriorities",
        "elasticloadbalancing:SetWebAcl",
      ],
      resources: allElb,
    },
    {
      sid: "ModifyOwnLoadBalancers",
      effect: "Allow",
      actions: [
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:ModifyCapacityReservation",
        "elasticloadbalancing:ModifyIpPools",
        "elasticloadbalancing:ModifyListenerAttributes",
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:SetIpAddressType",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
      ],
      resources: allElb,
      condition: [taggedResource],
    },
    {
      // TargetGroupBinding registers pods in target groups created outside the controller
      // (e.g. by Terraform for Global Accelerator), which do not carry its tag.
      sid: "RegisterTargets",
      effect: "Allow",
      actions: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
      resources: targetGroups,
    },
  ];
}

/**
 * Cluster Autoscaler. Reads every Auto Scaling group (discovery by tag needs that) and this
 * cluster's managed node groups, but scales and terminates only in groups tagged
 * `k8s.io/cluster-autoscaler/<cluster> = owned`, which EKS managed node groups carry.
 */
export function clusterAutoscalerStatements(ctx: ControllerPolicyContext): Statement[] {
  return [
    {
      sid: "DescribeScalingGroupsAndInstanceTypes",
      effect: "Allow",
      actions: [
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeAutoScalingInstances",
        "autoscaling:DescribeLaunchConfigurations",
        "autoscaling:DescribeScalingActivities",
        "autoscaling:DescribeTags",
        "ec2:DescribeImages",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:GetInstanceTypesFromInstanceRequirements",
      ],
      resources: ["*"],
    },
    {
      // Labels, taints and resources of managed node groups, for scaling up from zero.
      sid: "DescribeClusterNodegroups",
      effect: "Allow",
      actions: ["eks:DescribeNodegroup"],
      resources: [arns(ctx).eks(`nodegroup/${ctx.clusterName}/*/*`)],
    },
    {
      sid: "ScaleOwnedNodeGroups",
      effect: "Allow",
      actions: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      resources: [`arn:${ctx.partition}:autoscaling:${ctx.region}:${ctx.accountId}:autoScalingGroup:*:autoScalingGroupName/*`],
      condition: [when("StringEquals", `aws:ResourceTag/k8s.io/cluster-autoscaler/${ctx.clusterName}`, "owned")],
    },
  ];
}

/**
 * external-dns. Changes records only in the given hosted zones; listing zones, records and zone
 * tags is read-only and unscoped because external-dns discovers its zones by listing them.
 *
 * @param ctx.hostedZoneArns zones external-dns may change (`arn:<partition>:route53:::hostedzone/<id>`)
 * @throws when `hostedZoneArns` is empty or an entry is not a hosted zone ARN (tokens are accepted)
 */
export function externalDnsStatements(ctx: ControllerPolicyContext & { hostedZoneArns: readonly string[] }): Statement[] {
  const owner = "externalDnsStatements";
  if (ctx.hostedZoneArns.length === 0) {
    throw new Error(`${owner}: hostedZoneArns = []: must name at least one Route 53 hosted zone external-dns may change`);
  }
  ctx.hostedZoneArns.forEach((zoneArn, index) =>
    requireArn(owner, `hostedZoneArns[${index}]`, zoneArn, /^arn:[\w-]+:route53:::hostedzone\/[A-Z0-9]+$/, "a Route 53 hosted zone ARN (arn:<partition>:route53:::hostedzone/<zone id>)"),
  );
  return [
    {
      sid: "ChangeRecordsInManagedZones",
      effect: "Allow",
      actions: ["route53:ChangeResourceRecordSets"],
      resources: [...ctx.hostedZoneArns],
    },
    {
      // Zone tags feed the `--aws-zone-tags` filter: the singular call in older releases, the
      // batch call in newer ones.
      sid: "ListZonesAndRecords",
      effect: "Allow",
      actions: ["route53:ListHostedZones", "route53:ListResourceRecordSets", "route53:ListTagsForResource", "route53:ListTagsForResources"],
      resources: ["*"],
    },
  ];
}
