import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, Testing, Token } from "cdktf";
import { awsStack, onlyResourceOf, policyStatements, resourcesOf, synthJson } from "../../../test-support/fixture";
import { XCLUSTER_SCOPE } from "../../platform/crossplane";
import {
  ARGOCD_SERVICE_ACCOUNTS,
  ArgoCdHubRole,
  GitOpsSpokeAccess,
  argoCdHubRoleName,
  argoCdSpokeRoleName,
  crossplaneEksStatements,
  crossplaneIamStatements,
  crossplaneProviderRoleName,
  type ArgoCdHubRoleProps,
  type CrossplanePolicyContext,
  type GitOpsSpokeAccessProps,
} from "..";
import { GitOpsAccessExample } from "./usage";

/**
 * Sorts `resources` into the allowed kinds (anchored patterns) and expects every resource to be of
 * one kind and every kind to be granted at least once: a grant outside the patterns fails, and so
 * does a statement list that grants nothing at all.
 */
function expectOnlyAllowedResources(resources: readonly string[], allowed: Record<string, RegExp>): void {
  const outside = resources.filter((r) => !Object.values(allowed).some((pattern) => pattern.test(r)));
  expect(outside).toEqual([]);
  const perKind = Object.fromEntries(Object.entries(allowed).map(([kind, pattern]) => [kind, resources.some((r) => pattern.test(r))]));
  expect(perKind).toEqual(Object.fromEntries(Object.keys(allowed).map((kind) => [kind, true])));
}
type Statement = DataAwsIamPolicyDocumentStatement;
const POLICY_CONTEXT: CrossplanePolicyContext = {
  partition: "aws",
  accountId: "111111111111",
  regions: ["us-east-1", "eu-west-1"],
  clusterNamePrefix: XCLUSTER_SCOPE.clusterNamePrefix,
  rolePath: XCLUSTER_SCOPE.rolePath,
};

const CONTEXT_EKS = String.raw`arn:aws:eks:(us-east-1|eu-west-1):111111111111`;
const CONTEXT_XCLUSTER_ROLE = /^arn:aws:iam::111111111111:role\/xcluster\/\*$/;
describe.each([
  [
    "provider-aws-eks",
    () => crossplaneEksStatements(POLICY_CONTEXT),
    {
      cluster: new RegExp(String.raw`^${CONTEXT_EKS}:cluster/xcluster-\*$`),
      nodegroup: new RegExp(String.raw`^${CONTEXT_EKS}:nodegroup/xcluster-\*/\*/\*$`),
      accessEntry: new RegExp(String.raw`^${CONTEXT_EKS}:access-entry/xcluster-\*/\*$`),
      xclusterRole: CONTEXT_XCLUSTER_ROLE,
      serviceLinkedRole: /^arn:aws:iam::111111111111:role\/aws-service-role\/eks(-nodegroup)?\.amazonaws\.com\/AWSServiceRoleForAmazonEKS(Nodegroup)?$/,
    },
  ],
  ["provider-aws-iam", () => crossplaneIamStatements(POLICY_CONTEXT), { xclusterRole: CONTEXT_XCLUSTER_ROLE }],
] as [string, () => Statement[], Record<string, RegExp>][])("%s statements (security rule #20)", (_name, build, allowed) => {
  test("allow named actions with unique sids; no wildcard action, no Not* element", () => {
    const statements = build();
    expect(statements.length).toBeGreaterThan(0);
    expect(new Set(statements.map((s) => s.sid)).size).toBe(statements.length);
    for (const s of statements) {
      expect(s.effect).toBe("Allow");
      expect(s.actions?.length ?? 0).toBeGreaterThan(0);
      expect(s.resources?.length ?? 0).toBeGreaterThan(0);
      (s.actions ?? []).forEach((a) => expect(a).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/));
      expect(s).not.toHaveProperty("notActions");
      expect(s).not.toHaveProperty("notResources");
    }
  });

  test("never grant on resource \"*\" and never outside the composition's scope or account", () => {
    const resources = build().flatMap((s) => s.resources ?? []);
    expect(resources).not.toContain("*");
    expectOnlyAllowedResources(resources, allowed);
  });
});

describe("crossplane provider policies: bad context", () => {
  test.each([
    ["regions is empty", { regions: [] }, /regions is empty/],
    ["the role path is the root path", { rolePath: "/" }, /rolePath "\/" must be an IAM path/],
    ["the cluster prefix does not end in '-'", { clusterNamePrefix: "xcluster" }, /clusterNamePrefix "xcluster" must be/],
  ])("throws when %s", (_case, override, message) => {
    expect(() => crossplaneEksStatements({ ...POLICY_CONTEXT, ...override })).toThrow(message);
    expect(() => crossplaneIamStatements({ ...POLICY_CONTEXT, ...override })).toThrow(message);
  });
});

/** A stack with an AWS provider to build the constructs in. */
const testStack = () => awsStack().stack;
const ISSUER = { providerArn: "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC", host: "oidc.eks.us-east-1.amazonaws.com/id/ABC" };
const SPOKE: GitOpsSpokeAccessProps = { clusterName: "c", roleName: "c-argocd-spoke", hubRoleArn: "arn:aws:iam::111111111111:role/hub-argocd-hub", partition: "aws" };
const HUB: ArgoCdHubRoleProps = { roleName: "hub-argocd-hub", issuer: ISSUER, spokeRoleArns: ["arn:aws:iam::222222222222:role/c-argocd-spoke"] };

describe("GitOpsSpokeAccess: bad props", () => {
  test("throws when the hub role ARN is a token (it must be deterministic, not read from another stack)", () => {
    expect(() => new GitOpsSpokeAccess(testStack(), "s", { ...SPOKE, hubRoleArn: Token.asString({ ref: "x" }) })).toThrow(/hubRoleArn .* must be a literal IAM role ARN/);
  });

  test("throws when the hub role ARN is not a role ARN", () => {
    expect(() => new GitOpsSpokeAccess(testStack(), "s", { ...SPOKE, hubRoleArn: "arn:aws:iam::111111111111:user/bob" })).toThrow(/hubRoleArn "arn:aws:iam::111111111111:user\/bob"/);
  });

  test("throws when the role name exceeds IAM's 64 characters, naming the length", () => {
    const roleName = `${"x".repeat(52)}-argocd-spoke`;
    expect(() => new GitOpsSpokeAccess(testStack(), "s", { ...SPOKE, roleName })).toThrow(/roleName ".*" is 65 characters; IAM allows 64/);
  });

  test("throws when the access policy is not an EKS cluster access policy", () => {
    expect(() => new GitOpsSpokeAccess(testStack(), "s", { ...SPOKE, accessPolicy: "AdministratorAccess" as never })).toThrow(/accessPolicy "AdministratorAccess" is not one of/);
  });
});

describe("ArgoCdHubRole: bad props", () => {
  test("throws when no spoke role is listed", () => {
    expect(() => new ArgoCdHubRole(testStack(), "h", { ...HUB, spokeRoleArns: [] })).toThrow(/spokeRoleArns is empty/);
  });

  test("throws when a spoke role ARN is a token or a pattern", () => {
    expect(() => new ArgoCdHubRole(testStack(), "h", { ...HUB, spokeRoleArns: [Token.asString({ ref: "x" })] })).toThrow(/spokeRoleArns\[0\] .* must be a literal IAM role ARN/);
    expect(() => new ArgoCdHubRole(testStack(), "h", { ...HUB, spokeRoleArns: ["arn:aws:iam::*:role/*"] })).toThrow(/spokeRoleArns\[0\] "arn:aws:iam::\*:role\/\*"/);
  });

  test("throws when a spoke role is listed twice", () => {
    const arn = HUB.spokeRoleArns[0]!;
    expect(() => new ArgoCdHubRole(testStack(), "h", { ...HUB, spokeRoleArns: [arn, arn] })).toThrow(/lists ".*" twice/);
  });

  test("throws when a service account is not a Kubernetes name", () => {
    expect(() => new ArgoCdHubRole(testStack(), "h", { ...HUB, serviceAccounts: ["Argo_CD"] })).toThrow(/serviceAccounts\[0\] "Argo_CD" is not a Kubernetes name/);
    expect(() => new ArgoCdHubRole(testStack(), "h", { ...HUB, serviceAccounts: ["argocd-server", "argocd-server"] })).toThrow(/^ArgoCdHubRole .*: service account "argocd-server" is listed twice$/);
    expect(() => new ArgoCdHubRole(testStack(), "h", { ...HUB, namespace: "Argo" })).toThrow(/^ArgoCdHubRole .*: namespace "Argo" is not a Kubernetes name/);
    expect(() => new ArgoCdHubRole(testStack(), "h", { ...HUB, roleName: "r".repeat(65) })).toThrow(/^ArgoCdHubRole r+: roleName "r+" is 65 characters; IAM allows 64$/);
  });
});


describe("GitOpsSpokeAccess", () => {
  /** GIVEN a stack with the AWS provider WHEN the spoke access is built with `SPOKE` and `overrides` THEN the stack's JSON. */
  const build = (overrides: Partial<GitOpsSpokeAccessProps> = {}) => {
    const { stack } = awsStack();
    const access = new GitOpsSpokeAccess(stack, "s", { ...SPOKE, ...overrides });
    new TerraformOutput(stack, "role_arn", { value: access.roleArn });
    return { json: synthJson(stack), access };
  };

  test("a role only the hub's Argo CD role may assume (account principal pinned by aws:PrincipalArn), and a cluster-admin access entry", () => {
    const { json, access } = build();
    expect(onlyResourceOf(json, "aws_iam_role")).toMatchObject({ name: "c-argocd-spoke", max_session_duration: 3600 });
    expect(policyStatements(json, "trust")).toEqual([
      expect.objectContaining({
        sid: "HubArgoCdOnly",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111111111111:root"] }],
        condition: [{ test: "ArnEquals", variable: "aws:PrincipalArn", values: [SPOKE.hubRoleArn] }],
      }),
    ]);
    expect(onlyResourceOf(json, "aws_eks_access_entry")).toMatchObject({ cluster_name: "c", type: "STANDARD" });
    expect(onlyResourceOf(json, "aws_eks_access_policy_association")).toMatchObject({ policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", access_scope: { type: "cluster" } });
    expect(json.output!.role_arn!.value).toBe(`\${aws_iam_role.${access.role.friendlyUniqueId}.arn}`);
  });

  test("accessPolicy grants another EKS access policy; partition shapes its ARN", () => {
    const { json } = build({ accessPolicy: "AmazonEKSViewPolicy", partition: "aws-us-gov" });
    expect(onlyResourceOf(json, "aws_eks_access_policy_association").policy_arn).toBe("arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSViewPolicy");
  });

  test("dependsOn orders the access entry after what it names", () => {
    const { stack } = awsStack();
    const other = new GitOpsSpokeAccess(stack, "first", { ...SPOKE, roleName: "first-argocd-spoke" });
    new GitOpsSpokeAccess(stack, "s", { ...SPOKE, dependsOn: [other.role] });
    const entries = resourcesOf(synthJson(stack), "aws_eks_access_entry");
    expect(entries.map((e) => e.depends_on)).toContainEqual([`aws_iam_role.${other.role.friendlyUniqueId}`]);
  });

  test("provider places the role, its trust policy and the access entry with that provider", () => {
    const { stack } = awsStack();
    const spokeAccount = new AwsProvider(stack, "spoke", { region: "us-west-2", alias: "spoke" });
    new GitOpsSpokeAccess(stack, "s", { ...SPOKE, provider: spokeAccount });
    const json = synthJson(stack);
    for (const type of ["aws_iam_role", "aws_eks_access_entry", "aws_eks_access_policy_association"]) {
      expect(onlyResourceOf(json, type).provider).toBe("aws.spoke");
    }
  });
});

describe("ArgoCdHubRole", () => {
  test("trusts each Argo CD service account through the issuer and may only assume the listed spoke roles", () => {
    const { stack } = awsStack();
    const role = new ArgoCdHubRole(stack, "h", HUB);
    const json = synthJson(stack);
    const trust = policyStatements(json, "trust");
    expect(trust).toHaveLength(ARGOCD_SERVICE_ACCOUNTS.length);
    expect(trust.flatMap((s) => s.condition!.filter((c) => c.variable.endsWith(":sub")).flatMap((c) => c.values))).toEqual(ARGOCD_SERVICE_ACCOUNTS.map((sa) => `system:serviceaccount:argocd:${sa}`));
    expect(JSON.stringify(json.data!.aws_iam_policy_document)).toContain('"actions":["sts:AssumeRole"],"effect":"Allow","resources":["arn:aws:iam::222222222222:role/c-argocd-spoke"]');
    expect([role.serviceAccounts, role.spokeRoleArns]).toEqual([[...ARGOCD_SERVICE_ACCOUNTS], HUB.spokeRoleArns]);
  });

  test("namespace and serviceAccounts name where Argo CD runs and which accounts may assume the role", () => {
    const { stack } = awsStack();
    new ArgoCdHubRole(stack, "h", { ...HUB, namespace: "gitops", serviceAccounts: ["argocd-application-controller"] });
    const trust = policyStatements(synthJson(stack), "trust");
    expect(trust).toHaveLength(1);
    expect(JSON.stringify(trust)).toContain("system:serviceaccount:gitops:argocd-application-controller");
  });
});

describe("GitOps role names", () => {
  test("derive from the cluster name, so hub and spoke agree without reading each other's state", () => {
    expect([argoCdHubRoleName("c"), argoCdSpokeRoleName("c"), crossplaneProviderRoleName("c", "eks")]).toEqual(["c-argocd-hub", "c-argocd-spoke", "c-crossplane-eks"]);
  });
});

test("the README's usage example synthesizes (snapshot)", () => {
  expect(synthJson(new GitOpsAccessExample(Testing.app(), "example"))).toMatchSnapshot();
});
