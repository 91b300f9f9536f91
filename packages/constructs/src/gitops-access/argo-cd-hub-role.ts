import { Token, type TerraformProvider } from "cdktf";
import type { Construct } from "constructs";
import { IrsaRole, assertIrsaIdentity, type OidcIssuer } from "../eks-cluster/irsa-role";
import { ARGOCD_NAMESPACE, ARGOCD_SERVICE_ACCOUNTS } from "./names";
import { parseRoleArn } from "../core/aws-formats";

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
  /** The AWS provider (account and region) the role is created with. @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}


/**
 * The IRSA role of Argo CD on the hub: an {@link IrsaRole} for several service accounts. The trust policy has one statement per service account,
 * each pinning `:sub` to exactly that account and `:aud` to STS (security rule #19), so no other
 * pod can use it. Its only permission is `sts:AssumeRole` into the listed spoke access roles: all
 * rights on a cluster come from that cluster's access entry, never from this role.
 */
export class ArgoCdHubRole extends IrsaRole {
  readonly serviceAccounts: readonly string[];
  readonly spokeRoleArns: readonly string[];

  constructor(scope: Construct, id: string, props: ArgoCdHubRoleProps) {
    const owner = `ArgoCdHubRole ${props.roleName}`;
    const [serviceAccount, ...additionalServiceAccounts] = props.serviceAccounts ?? ARGOCD_SERVICE_ACCOUNTS;
    if (serviceAccount === undefined) {
      throw new Error(`${owner}: serviceAccounts is empty; at least the application controller must be able to assume the role`);
    }
    // Before IrsaRole's own check, so errors name this construct and its settings.
    const accounts = [serviceAccount, ...additionalServiceAccounts];
    assertIrsaIdentity(owner, props.roleName, ["namespace", props.namespace ?? ARGOCD_NAMESPACE], accounts.map((name, index) => [`serviceAccounts[${index}]`, name] as const));
    checkSpokeRoleArns(owner, props.spokeRoleArns);
    super(scope, id, {
      roleName: props.roleName,
      issuer: props.issuer,
      namespace: props.namespace ?? ARGOCD_NAMESPACE,
      serviceAccount,
      additionalServiceAccounts,
      description: "Argo CD on the GitOps hub; may only assume the spoke access roles of the clusters it manages",
      statements: [{ sid: "AssumeSpokeAccessRoles", effect: "Allow", actions: ["sts:AssumeRole"], resources: [...props.spokeRoleArns] }],
      policyName: "assume-spoke-access-roles",
      provider: props.provider,
    });
    this.serviceAccounts = accounts;
    this.spokeRoleArns = [...props.spokeRoleArns];
  }
}

function checkSpokeRoleArns(owner: string, spokeRoleArns: readonly string[]): void {
  if (spokeRoleArns.length === 0) {
    throw new Error(`${owner}: spokeRoleArns is empty; the hub manages at least its own cluster, so list its spoke role`);
  }
  spokeRoleArns.forEach((arn, index) => {
    if (Token.isUnresolved(arn) || !parseRoleArn(arn)) {
      throw new Error(`${owner}: spokeRoleArns[${index}] "${arn}" must be a literal IAM role ARN (account id + deterministic name), not a token or a pattern`);
    }
  });
  const duplicate = spokeRoleArns.find((arn, index) => spokeRoleArns.indexOf(arn) !== index);
  if (duplicate) {
    throw new Error(`${owner}: spokeRoleArns lists "${duplicate}" twice`);
  }
}
