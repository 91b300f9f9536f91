import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { karpenterControllerStatements } from "../eks-cluster/controller-policies";
import { IrsaRole, type OidcIssuer } from "../eks-cluster/irsa-role";
import { NODE_MANAGED_POLICIES } from "../eks-cluster/managed-node-groups";

export interface KarpenterAwsResourcesProps {
  readonly clusterName: string;
  /** The cluster resource; the node access entry waits for it. */
  readonly cluster: ITerraformDependable;
  readonly accountId: string;
  readonly region: string;
  /** AWS partition (a token from aws_partition is fine). */
  readonly partition: string;
  readonly issuer: OidcIssuer;
  /** Queue Karpenter reads interruption events from. */
  readonly interruptionQueueArn: string;
  /** Namespace and service account of the controller. @default "karpenter" / "karpenter" */
  readonly namespace?: string;
  readonly serviceAccount?: string;
  /** @default - the stack's default AWS provider */
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
  readonly nodeRole: IamRole;
  readonly controllerRole: IrsaRole;

  constructor(scope: Construct, id: string, props: KarpenterAwsResourcesProps) {
    super(scope, id);
    const provider = props.provider;
    const trust = new DataAwsIamPolicyDocument(this, "node-trust", {
      provider,
      statement: [{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }] }],
    });
    this.nodeRole = new IamRole(this, "node-role", { provider, name: `${props.clusterName}-karpenter-node`, assumeRolePolicy: trust.json });
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
      clusterName: props.clusterName,
      principalArn: this.nodeRole.arn,
      type: "EC2_LINUX",
      dependsOn: [props.cluster],
    });
    this.controllerRole = new IrsaRole(this, "controller-role", {
      provider,
      roleName: `${props.clusterName}-karpenter`,
      issuer: props.issuer,
      namespace: props.namespace ?? "karpenter",
      serviceAccount: props.serviceAccount ?? "karpenter",
      statements: karpenterControllerStatements({
        partition: props.partition,
        accountId: props.accountId,
        region: props.region,
        clusterName: props.clusterName,
        nodeRoleArn: this.nodeRole.arn,
        interruptionQueueArn: props.interruptionQueueArn,
      }),
    });
  }
}
