import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

/**
 * Permissions of Crossplane's AWS service providers on the GitOps hub, one role per provider, as
 * plain statement lists (pure functions). They allow exactly what the `XCluster` composition
 * creates, and only under its naming scope, so Crossplane can never change the platform's own
 * clusters and roles (which live in the same account):
 *
 * - provider-aws-eks: EKS clusters named `<clusterNamePrefix>*`, their node groups and access
 *   entries, in the listed regions; `iam:PassRole` of roles under `rolePath` to EKS only; the EKS
 *   service-linked roles, should the account not have them yet.
 * - provider-aws-iam: roles under `rolePath` only, and attaching only the four AWS managed policies
 *   EKS clusters and nodes need (so a composed role can never become an administrator). No inline
 *   policies.
 *
 * Rule #20 as the other controller policies apply it: no wildcard actions, every PassRole bound to
 * one service. Resources carry a name or path wildcard (the clusters are created on demand); the
 * scope is the prefix, documented in docs/gitops.md.
 */

type Statement = DataAwsIamPolicyDocumentStatement;

export interface CrossplanePolicyContext {
  /** The hub's partition (a token from aws_partition is fine). */
  readonly partition: string;
  /** The hub's account: composed resources are created there. */
  readonly accountId: string;
  /** Regions an `XCluster` may be created in. */
  readonly regions: readonly string[];
  /** Composed EKS clusters are named `<prefix><xr name>`, e.g. `xcluster-`. */
  readonly clusterNamePrefix: string;
  /** Composed IAM roles live under this path, e.g. `/xcluster/`. */
  readonly rolePath: string;
}

/** AWS managed policies a composed cluster role and node role need (ARN suffix after `arn:<partition>:iam::aws:policy/`). */
export const XCLUSTER_MANAGED_POLICIES = {
  cluster: ["AmazonEKSClusterPolicy"],
  node: ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"],
} as const;

function validate(ctx: CrossplanePolicyContext): void {
  if (ctx.regions.length === 0) {
    throw new Error("Crossplane provider policies: regions is empty; list the regions an XCluster may be created in");
  }
  if (!/^[a-z][a-z0-9-]*-$/.test(ctx.clusterNamePrefix)) {
    throw new Error(`Crossplane provider policies: clusterNamePrefix "${ctx.clusterNamePrefix}" must be lower-case letters, digits and '-', ending in '-'`);
  }
  if (!/^\/([\w+=,.@-]+\/)+$/.test(ctx.rolePath)) {
    throw new Error(`Crossplane provider policies: rolePath "${ctx.rolePath}" must be an IAM path such as /xcluster/ (not "/", which is every role)`);
  }
}

/** ARNs of the composed resources the providers may touch. */
function scopeArns(ctx: CrossplanePolicyContext) {
  const { partition, accountId, clusterNamePrefix } = ctx;
  const eks = (resource: string) => ctx.regions.map((region) => `arn:${partition}:eks:${region}:${accountId}:${resource}`);
  return {
    clusters: eks(`cluster/${clusterNamePrefix}*`),
    nodeGroups: eks(`nodegroup/${clusterNamePrefix}*/*/*`),
    accessEntries: eks(`access-entry/${clusterNamePrefix}*/*`),
    roles: [`arn:${partition}:iam::${accountId}:role${ctx.rolePath}*`],
  };
}

/** provider-aws-eks: composed clusters, node groups and access entries. */
export function crossplaneEksStatements(ctx: CrossplanePolicyContext): Statement[] {
  validate(ctx);
  const scope = scopeArns(ctx);
  return [
    {
      sid: "ManageComposedClusters",
      effect: "Allow",
      actions: [
        "eks:CreateCluster",
        "eks:DescribeCluster",
        "eks:UpdateClusterConfig",
        "eks:UpdateClusterVersion",
        "eks:DeleteCluster",
        "eks:DescribeUpdate",
        "eks:TagResource",
        "eks:UntagResource",
        "eks:ListTagsForResource",
      ],
      resources: scope.clusters,
    },
    {
      // CreateNodegroup and CreateAccessEntry are authorized on the cluster, the rest on the node group / entry.
      sid: "ManageComposedNodeGroups",
      effect: "Allow",
      actions: [
        "eks:CreateNodegroup",
        "eks:DescribeNodegroup",
        "eks:UpdateNodegroupConfig",
        "eks:UpdateNodegroupVersion",
        "eks:DeleteNodegroup",
        "eks:DescribeUpdate",
        "eks:TagResource",
        "eks:UntagResource",
        "eks:ListTagsForResource",
      ],
      resources: [...scope.clusters, ...scope.nodeGroups],
    },
    {
      sid: "ManageComposedAccessEntries",
      effect: "Allow",
      actions: [
        "eks:CreateAccessEntry",
        "eks:DescribeAccessEntry",
        "eks:UpdateAccessEntry",
        "eks:DeleteAccessEntry",
        "eks:AssociateAccessPolicy",
        "eks:DisassociateAccessPolicy",
        "eks:ListAssociatedAccessPolicies",
        "eks:TagResource",
        "eks:UntagResource",
      ],
      resources: [...scope.clusters, ...scope.accessEntries],
    },
    {
      sid: "PassComposedRolesToEks",
      effect: "Allow",
      actions: ["iam:PassRole"],
      resources: scope.roles,
      condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["eks.amazonaws.com"] }],
    },
    {
      // Only needed in an account that has never had an EKS cluster or managed node group.
      sid: "CreateEksServiceLinkedRoles",
      effect: "Allow",
      actions: ["iam:CreateServiceLinkedRole"],
      resources: [
        `arn:${ctx.partition}:iam::${ctx.accountId}:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS`,
        `arn:${ctx.partition}:iam::${ctx.accountId}:role/aws-service-role/eks-nodegroup.amazonaws.com/AWSServiceRoleForAmazonEKSNodegroup`,
      ],
      condition: [{ test: "StringEquals", variable: "iam:AWSServiceName", values: ["eks.amazonaws.com", "eks-nodegroup.amazonaws.com"] }],
    },
  ];
}

/** provider-aws-iam: the composed cluster and node roles, with only the EKS managed policies attached. */
export function crossplaneIamStatements(ctx: CrossplanePolicyContext): Statement[] {
  validate(ctx);
  const scope = scopeArns(ctx);
  const managedPolicies = [...XCLUSTER_MANAGED_POLICIES.cluster, ...XCLUSTER_MANAGED_POLICIES.node].map((policy) => `arn:${ctx.partition}:iam::aws:policy/${policy}`);
  return [
    {
      sid: "ManageComposedRoles",
      effect: "Allow",
      actions: [
        "iam:CreateRole",
        "iam:GetRole",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
        "iam:UpdateAssumeRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:ListInstanceProfilesForRole",
        "iam:DeleteRole",
      ],
      resources: scope.roles,
    },
    {
      sid: "AttachOnlyEksManagedPolicies",
      effect: "Allow",
      actions: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
      resources: scope.roles,
      condition: [{ test: "ArnEquals", variable: "iam:PolicyARN", values: managedPolicies }],
    },
  ];
}
