import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { assertRoleNameFits } from "../core/aws-formats";
import { isDnsLabel } from "../core/kubernetes-formats";

/** What an IRSA trust policy needs from the cluster's OIDC provider. */
export interface OidcIssuer {
  /** ARN of the cluster's IAM OIDC provider. */
  readonly providerArn: string;
  /** Issuer URL without `https://`, e.g. `oidc.eks.us-east-1.amazonaws.com/id/ABC`. */
  readonly host: string;
}

export interface IrsaRoleProps {
  /** The role's name; at most 64 characters. */
  readonly roleName: string;
  /** The cluster's OIDC provider: `issuer` of an `IEksCluster` (an `EksCluster` or an adopted cluster). */
  readonly issuer: OidcIssuer;
  /** Namespace of the service account (a Kubernetes name). */
  readonly namespace: string;
  /** The service account that assumes the role (a Kubernetes name). */
  readonly serviceAccount: string;
  /** Further service accounts in the same namespace that may assume the role, one trust statement each. @default [] */
  readonly additionalServiceAccounts?: readonly string[];
  /** The role's description. @default - none */
  readonly description?: string;
  /** Inline permissions. @default [] */
  readonly statements?: DataAwsIamPolicyDocumentStatement[];
  /** Name of the inline policy holding `statements`. @default "permissions" */
  readonly policyName?: string;
  /** Managed policy ARNs to attach. @default [] */
  readonly managedPolicyArns?: string[];
  /** The AWS provider (region and account) the resources are created with. @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}


/** A setting as the caller wrote it, and its value. */
type Setting = readonly [setting: string, value: string];

/**
 * Throws, naming `owner` and the caller's setting, unless the namespace and service accounts are
 * Kubernetes names, no service account is listed twice, and the role name fits IAM. Constructs
 * built on IrsaRole call it first with their own setting names.
 */
export function assertIrsaIdentity(owner: string, roleName: string, namespace: Setting, serviceAccounts: readonly Setting[]): void {
  assertRoleNameFits(owner, "roleName", roleName);
  for (const [setting, value] of [namespace, ...serviceAccounts]) {
    if (!isDnsLabel(value)) {
      throw new Error(`${owner}: ${setting} "${value}" is not a Kubernetes name (lower-case alphanumerics and '-', at most 63)`);
    }
  }
  const names = serviceAccounts.map(([, value]) => value);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) {
    throw new Error(`${owner}: service account "${repeated}" is listed twice`);
  }
}

/**
 * An IAM role one Kubernetes service account assumes through the cluster's OIDC provider
 * (IAM Roles for Service Accounts). The trust policy pins both `:sub` (that exact service account)
 * and `:aud` (STS), so no other pod and no other audience can use it.
 */
export class IrsaRole extends Construct {
  /** The `aws_iam_role` resource. */
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    const serviceAccounts = [props.serviceAccount, ...(props.additionalServiceAccounts ?? [])];
    assertIrsaIdentity(`IrsaRole "${props.roleName}"`, props.roleName, ["namespace", props.namespace], [
      ["serviceAccount", props.serviceAccount],
      ...(props.additionalServiceAccounts ?? []).map((name, index): Setting => [`additionalServiceAccounts[${index}]`, name]),
    ]);
    const provider = props.provider;
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      provider,
      statement: serviceAccounts.map((serviceAccount) => ({
        effect: "Allow",
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: [props.issuer.providerArn] }],
        condition: [
          { test: "StringEquals", variable: `${props.issuer.host}:sub`, values: [`system:serviceaccount:${props.namespace}:${serviceAccount}`] },
          { test: "StringEquals", variable: `${props.issuer.host}:aud`, values: ["sts.amazonaws.com"] },
        ],
      })),
    });
    this.role = new IamRole(this, "role", { provider, name: props.roleName, description: props.description, assumeRolePolicy: trust.json });
    if (props.statements && props.statements.length > 0) {
      const permissions = new DataAwsIamPolicyDocument(this, "permissions", { provider, statement: props.statements });
      new IamRolePolicy(this, "policy", { provider, role: this.role.id, name: props.policyName ?? "permissions", policy: permissions.json });
    }
    (props.managedPolicyArns ?? []).forEach((policyArn, index) =>
      new IamRolePolicyAttachment(this, `managed-${index}`, { provider, role: this.role.name, policyArn }),
    );
  }

  /** The role's ARN, for the service account's `eks.amazonaws.com/role-arn` annotation. */
  get arn(): string {
    return this.role.arn;
  }
}
