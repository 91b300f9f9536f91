import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Token, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { assertRoleNameFits, parseRoleArn } from "../core/aws-formats";

/** EKS access policies a spoke role may be granted, cluster-wide. */
export const SPOKE_ACCESS_POLICIES = ["AmazonEKSClusterAdminPolicy", "AmazonEKSAdminPolicy", "AmazonEKSEditPolicy", "AmazonEKSViewPolicy"] as const;
export type SpokeAccessPolicy = (typeof SPOKE_ACCESS_POLICIES)[number];

export interface GitOpsSpokeAccessProps {
  /** The spoke cluster's name (a token from the cluster resource is fine, and orders the entry after it). */
  readonly clusterName: string;
  /** IAM role name, e.g. `argoCdSpokeRoleName(clusterName)`; at most 64 characters. */
  readonly roleName: string;
  /**
   * The hub's Argo CD role, as a literal ARN built from the hub's account id and deterministic
   * name: the hub may live in another account, and its stack's state is never read here.
   */
  readonly hubRoleArn: string;
  /** This cluster's AWS partition, for the access policy ARN (a token from aws_partition is fine). */
  readonly partition: string;
  /**
   * Access policy granted cluster-wide. Argo CD creates namespaces, CRDs, cluster roles and
   * webhooks for the applications it syncs, which only the cluster-admin policy allows.
   * @default "AmazonEKSClusterAdminPolicy"
   */
  readonly accessPolicy?: SpokeAccessPolicy;
  /** Resources the access entry must wait for, e.g. the cluster. @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** The AWS provider (account and region) of the spoke cluster. @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * What the GitOps hub needs on one managed cluster (the hub's own included): a role the hub's
 * Argo CD role may assume, and an EKS access entry that maps that role into the cluster with an
 * access policy. Argo CD's cluster secret names the role (`awsAuthConfig.roleARN`), so the hub
 * never holds a long-lived credential.
 *
 * The trust policy names the hub *account* as principal and pins the hub role with
 * `aws:PrincipalArn`, instead of naming the role as principal: IAM rejects a role principal that
 * does not exist yet (the spoke's stack may be deployed before the hub's) and binds it to the
 * role's unique id, so a re-created hub role would silently lose access. The condition admits
 * exactly the same caller and has neither problem.
 */
export class GitOpsSpokeAccess extends Construct {
  readonly role: IamRole;
  readonly accessEntry: EksAccessEntry;
  readonly policyAssociation: EksAccessPolicyAssociation;

  constructor(scope: Construct, id: string, props: GitOpsSpokeAccessProps) {
    super(scope, id);
    const owner = `GitOpsSpokeAccess ${props.roleName}`;
    assertRoleNameFits(owner, "roleName", props.roleName);
    const hub = Token.isUnresolved(props.hubRoleArn) ? undefined : parseRoleArn(props.hubRoleArn);
    if (!hub) {
      throw new Error(`${owner}: hubRoleArn "${props.hubRoleArn}" must be a literal IAM role ARN (hub account id + deterministic name), not a token`);
    }
    const accessPolicy = props.accessPolicy ?? "AmazonEKSClusterAdminPolicy";
    if (!(SPOKE_ACCESS_POLICIES as readonly string[]).includes(accessPolicy)) {
      throw new Error(`${owner}: accessPolicy "${accessPolicy}" is not one of ${SPOKE_ACCESS_POLICIES.join(", ")}`);
    }
    const provider = props.provider;
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      provider,
      statement: [
        {
          sid: "HubArgoCdOnly",
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "AWS", identifiers: [`arn:${hub.partition}:iam::${hub.accountId}:root`] }],
          condition: [{ test: "ArnEquals", variable: "aws:PrincipalArn", values: [props.hubRoleArn] }],
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      provider,
      name: props.roleName,
      description: `Assumed by the GitOps hub's Argo CD (${hub.roleName}) to manage this cluster through its EKS access entry`,
      assumeRolePolicy: trust.json,
      // Argo CD refreshes its token every few minutes; an hour is the STS default and enough.
      maxSessionDuration: 3600,
    });
    this.accessEntry = new EksAccessEntry(this, "access-entry", {
      provider,
      clusterName: props.clusterName,
      principalArn: this.role.arn,
      type: "STANDARD",
      dependsOn: props.dependsOn,
    });
    this.policyAssociation = new EksAccessPolicyAssociation(this, "access-policy", {
      provider,
      clusterName: props.clusterName,
      principalArn: this.accessEntry.principalArn,
      policyArn: `arn:${props.partition}:eks::aws:cluster-access-policy/${accessPolicy}`,
      accessScope: { type: "cluster" },
    });
  }

  get roleArn(): string {
    return this.role.arn;
  }
}
