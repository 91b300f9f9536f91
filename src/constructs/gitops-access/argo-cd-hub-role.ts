import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Token, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import type { OidcIssuer } from "../eks-cluster/irsa-role";
import { ARGOCD_NAMESPACE, ARGOCD_SERVICE_ACCOUNTS } from "./names";
import { assertRoleNameFits, parseRoleArn } from "../../aws-formats";
import { isDnsLabel } from "../../kubernetes-formats";

export interface ArgoCdHubRoleProps {
  /** IAM role name, e.g. `argoCdHubRoleName(hubClusterName)`; at most 64 characters. */
  readonly roleName: string;
  /** The hub cluster's OIDC provider. */
  readonly issuer: OidcIssuer;
  /** Namespace of Argo CD on the hub. @default "argocd" */
  readonly namespace?: string;
  /** Service accounts that may assume the role. @default ARGOCD_SERVICE_ACCOUNTS */
  readonly serviceAccounts?: readonly string[];
  /**
   * Literal ARNs of the spoke access roles (one per managed cluster, the hub's own included) the
   * role may assume. Deterministic names, so the hub needs no other stack's state.
   */
  readonly spokeRoleArns: readonly string[];
  /** @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}


/**
 * The IRSA role of Argo CD on the hub. The trust policy has one statement per service account,
 * each pinning `:sub` to exactly that account and `:aud` to STS (security rule #19), so no other
 * pod can use it. Its only permission is `sts:AssumeRole` into the listed spoke access roles: all
 * rights on a cluster come from that cluster's access entry, never from this role.
 */
export class ArgoCdHubRole extends Construct {
  readonly role: IamRole;
  readonly serviceAccounts: readonly string[];
  readonly spokeRoleArns: readonly string[];

  constructor(scope: Construct, id: string, props: ArgoCdHubRoleProps) {
    super(scope, id);
    const owner = `ArgoCdHubRole ${props.roleName}`;
    assertRoleNameFits(owner, "roleName", props.roleName);
    const namespace = props.namespace ?? ARGOCD_NAMESPACE;
    const serviceAccounts = (this.serviceAccounts = [...(props.serviceAccounts ?? ARGOCD_SERVICE_ACCOUNTS)]);
    for (const [setting, value] of [["namespace", namespace], ...serviceAccounts.map((sa, i) => [`serviceAccounts[${i}]`, sa])] as const) {
      if (!isDnsLabel(value)) {
        throw new Error(`${owner}: ${setting} "${value}" is not a Kubernetes name (lower-case alphanumerics and '-', at most 63)`);
      }
    }
    if (serviceAccounts.length === 0) {
      throw new Error(`${owner}: serviceAccounts is empty; at least the application controller must be able to assume the role`);
    }
    if (props.spokeRoleArns.length === 0) {
      throw new Error(`${owner}: spokeRoleArns is empty; the hub manages at least its own cluster, so list its spoke role`);
    }
    props.spokeRoleArns.forEach((arn, index) => {
      if (Token.isUnresolved(arn) || !parseRoleArn(arn)) {
        throw new Error(`${owner}: spokeRoleArns[${index}] "${arn}" must be a literal IAM role ARN (account id + deterministic name), not a token or a pattern`);
      }
    });
    const duplicate = props.spokeRoleArns.find((arn, index) => props.spokeRoleArns.indexOf(arn) !== index);
    if (duplicate) {
      throw new Error(`${owner}: spokeRoleArns lists "${duplicate}" twice`);
    }
    this.spokeRoleArns = [...props.spokeRoleArns];

    const provider = props.provider;
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      provider,
      statement: serviceAccounts.map((serviceAccount) => ({
        effect: "Allow",
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: [props.issuer.providerArn] }],
        condition: [
          { test: "StringEquals", variable: `${props.issuer.host}:sub`, values: [`system:serviceaccount:${namespace}:${serviceAccount}`] },
          { test: "StringEquals", variable: `${props.issuer.host}:aud`, values: ["sts.amazonaws.com"] },
        ],
      })),
    });
    this.role = new IamRole(this, "role", {
      provider,
      name: props.roleName,
      description: "Argo CD on the GitOps hub; may only assume the spoke access roles of the clusters it manages",
      assumeRolePolicy: trust.json,
    });
    const permissions = new DataAwsIamPolicyDocument(this, "permissions", {
      provider,
      statement: [{ sid: "AssumeSpokeAccessRoles", effect: "Allow", actions: ["sts:AssumeRole"], resources: [...props.spokeRoleArns] }],
    });
    new IamRolePolicy(this, "policy", { provider, role: this.role.id, name: "assume-spoke-access-roles", policy: permissions.json });
  }

  get arn(): string {
    return this.role.arn;
  }
}
