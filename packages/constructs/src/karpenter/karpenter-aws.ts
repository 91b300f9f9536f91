import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { karpenterControllerStatements } from "../eks-cluster/controller-policies";
import type { IEksCluster } from "../eks-cluster/eks-cluster";
import { IrsaRole } from "../eks-cluster/irsa-role";
import { NODE_MANAGED_POLICIES } from "../eks-cluster/managed-node-groups";

export interface KarpenterAwsResourcesProps {
  /**
   * The cluster Karpenter runs in (an `EksCluster`, or one adopted with
   * `EksCluster.fromClusterAttributes`): its name scopes the roles and the controller's
   * permissions, its OIDC provider trusts the controller, and the node access entry waits for it.
   */
  readonly cluster: IEksCluster;
  /** The cluster's account: the controller's ARNs are scoped to it. */
  readonly accountId: string;
  /** The cluster's region: the controller's ARNs are scoped to it. */
  readonly region: string;
  /** AWS partition (a token from aws_partition is fine). */
  readonly partition: string;
  /** Queue Karpenter reads interruption events from (`InterruptionQueue.queue.arn`). */
  readonly interruptionQueueArn: string;
  /** Namespace of the controller's service account. @default "karpenter" */
  readonly namespace?: string;
  /** The controller's service account. @default "karpenter" */
  readonly serviceAccount?: string;
  /** The AWS provider (region and account) the resources are created with. @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * The AWS side of Karpenter: the role its nodes run with (and the EC2_LINUX access entry that lets
 * them join an API-mode cluster) and the controller's IRSA role, whose permissions are scoped to
 * this cluster's tags, its node role and its interruption queue. No instance profile: each
 * EC2NodeClass names the role (`spec.role`), and Karpenter v1 creates and deletes the instance
 * profile of each class itself (the controller policy's scoped instance-profile actions); a
 * Terraform-made profile would be one nothing launches with.
 */
export class KarpenterAwsResources extends Construct {
  /** The role Karpenter's nodes run with; each EC2NodeClass names it (`spec.role`). */
  readonly nodeRole: IamRole;
  /** The controller's IRSA role. */
  readonly controllerRole: IrsaRole;

  constructor(scope: Construct, id: string, props: KarpenterAwsResourcesProps) {
    super(scope, id);
    const provider = props.provider;
    const { clusterName } = props.cluster;
    const trust = new DataAwsIamPolicyDocument(this, "node-trust", {
      provider,
      statement: [{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }] }],
    });
    this.nodeRole = new IamRole(this, "node-role", { provider, name: `${clusterName}-karpenter-node`, assumeRolePolicy: trust.json });
    NODE_MANAGED_POLICIES.forEach(
      (policy) =>
        new IamRolePolicyAttachment(this, `node-${policy}`, {
          provider,
          role: this.nodeRole.name,
          policyArn: `arn:${props.partition}:iam::aws:policy/${policy}`,
        }),
    );
    new EksAccessEntry(this, "node-access-entry", {
      provider,
      clusterName,
      principalArn: this.nodeRole.arn,
      type: "EC2_LINUX",
      dependsOn: props.cluster.dependables.length > 0 ? [...props.cluster.dependables] : undefined,
    });
    this.controllerRole = new IrsaRole(this, "controller-role", {
      provider,
      roleName: `${clusterName}-karpenter`,
      issuer: props.cluster.issuer,
      namespace: props.namespace ?? "karpenter",
      serviceAccount: props.serviceAccount ?? "karpenter",
      statements: karpenterControllerStatements({
        partition: props.partition,
        accountId: props.accountId,
        region: props.region,
        clusterName,
        nodeRoleArn: this.nodeRole.arn,
        interruptionQueueArn: props.interruptionQueueArn,
      }),
    });
  }
}
