import { XCLUSTER_MANAGED_POLICIES } from "@meridian/constructs";
import { ARGOCD_SERVICE_ACCOUNTS, argoCdHubRoleName, argoCdSpokeRoleName, crossplaneProviderRoleName } from "@meridian/constructs";
import { IAM_ROLE_NAME_LIMIT } from "@meridian/constructs";
import { AWS_SERVICE_PROVIDERS } from "@meridian/constructs";
import { gitOpsTopology } from "../../stacks/platform/gitops";
import { resourcesOf, synthStacks, validCatalogue, type Block, type SynthesizedJson } from "../helpers";

const stacks = synthStacks();
const regional = [...stacks.entries()].filter(([name]) => name.includes("-regional-"));
const HUB_REGIONAL = "production-regional-us-east-1";
const hubRegional = stacks.get(HUB_REGIONAL)!;
const HUB_ROLE_ARN = "arn:aws:iam::333333333333:role/meridian-production-us-east-1-argocd-hub";

/** The cluster name of a regional stack, e.g. `production-regional-us-east-1` → `meridian-production-us-east-1`. */
const clusterOf = (stackName: string) => `meridian-${stackName.replace("-regional-", "-")}`;
const withIds = (json: SynthesizedJson, type: string) => Object.entries(json.resource[type] ?? {});
const roleNamed = (json: SynthesizedJson, name: string): [string, Block] => {
  const found = withIds(json, "aws_iam_role").filter(([, r]) => r.name === name);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const policyOf = (json: SynthesizedJson, expression: unknown): Block => {
  const id = /data\.aws_iam_policy_document\.([^.]+)\.json/.exec(String(expression))![1]!;
  return json.data!.aws_iam_policy_document![id]!;
};
const statementsOf = (json: SynthesizedJson, expression: unknown) => policyOf(json, expression).statement as Block[];

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
/** `arn:<partition>` as the synthesized stacks write it, from data.aws_partition. */
const PARTITION_ARN = String.raw`arn:\$\{data\.aws_partition\.[^.]+\.partition\}`;
const HUB_EKS = String.raw`${PARTITION_ARN}:eks:(us-east-1|us-west-2|eu-west-1):333333333333`;
const HUB_IAM = String.raw`${PARTITION_ARN}:iam::333333333333`;
/** The inline policy document attached to a role (by the role's logical id). */
const inlinePolicyOf = (json: SynthesizedJson, roleId: string) => {
  const policies = resourcesOf(json, "aws_iam_role_policy").filter((p) => String(p.role).includes(`aws_iam_role.${roleId}.`));
  expect(policies).toHaveLength(1);
  return statementsOf(json, policies[0]!.policy);
};

describe("spoke access on every regional stack (the hub's cluster included)", () => {
  test.each(regional)("%s: a deterministically named spoke role that only the hub's Argo CD role may assume", (name, json) => {
    // GIVEN the regional stack of one cluster
    const roleName = `${clusterOf(name)}-argocd-spoke`;

    // WHEN its spoke role is looked up by its deterministic name
    const [roleId, role] = roleNamed(json, roleName);

    // THEN the name fits IAM and the trust policy admits only the hub role of the hub account
    expect(roleName.length).toBeLessThanOrEqual(IAM_ROLE_NAME_LIMIT);
    expect(statementsOf(json, role.assume_role_policy)).toEqual([
      {
        sid: "HubArgoCdOnly",
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "AWS", identifiers: ["arn:aws:iam::333333333333:root"] }],
        condition: [{ test: "ArnEquals", variable: "aws:PrincipalArn", values: [HUB_ROLE_ARN] }],
      },
    ]);
    // No permissions of its own: everything it may do comes from the access entry.
    const attached = [...resourcesOf(json, "aws_iam_role_policy"), ...resourcesOf(json, "aws_iam_role_policy_attachment")].filter((p) => String(p.role).includes(`aws_iam_role.${roleId}.`));
    expect(attached).toEqual([]);
  });

  test.each(regional)("%s: an access entry maps the spoke role into the cluster with the cluster-admin policy, cluster-wide", (name, json) => {
    // GIVEN the spoke role of the cluster
    const [roleId] = roleNamed(json, `${clusterOf(name)}-argocd-spoke`);

    // WHEN the access entries naming it are collected
    const entries = withIds(json, "aws_eks_access_entry").filter(([, e]) => e.principal_arn === `\${aws_iam_role.${roleId}.arn}`);

    // THEN there is exactly one STANDARD entry on this stack's cluster, and its policy association is cluster admin
    expect(entries).toHaveLength(1);
    const [entryId, entry] = entries[0]!;
    expect(entry).toMatchObject({ type: "STANDARD", cluster_name: expect.stringMatching(/^\$\{aws_eks_cluster\.[^.]+\.name\}$/) });
    const associations = resourcesOf(json, "aws_eks_access_policy_association").filter((a) => a.principal_arn === `\${aws_eks_access_entry.${entryId}.principal_arn}`);
    expect(associations).toEqual([
      expect.objectContaining({
        cluster_name: entry.cluster_name,
        policy_arn: expect.stringMatching(/^arn:\$\{data\.aws_partition\.[^.]+\.partition\}:eks::aws:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/),
        access_scope: { type: "cluster" },
      }),
    ]);
  });

  test.each(regional.filter(([name]) => name !== HUB_REGIONAL))("%s (a spoke): no Argo CD hub role and no Crossplane roles", (_name, json) => {
    const names = resourcesOf(json, "aws_iam_role").map((r) => String(r.name));
    expect(names.filter((n) => n.endsWith("-argocd-hub") || n.includes("-crossplane-"))).toEqual([]);
  });
});

describe("Argo CD hub role (hub's regional stack only)", () => {
  const [hubRoleId, hubRole] = roleNamed(hubRegional, "meridian-production-us-east-1-argocd-hub");

  test("trusts exactly the three Argo CD service accounts through the cluster's OIDC provider, one statement each", () => {
    const statements = statementsOf(hubRegional, hubRole.assume_role_policy);
    expect(statements).toHaveLength(3);
    statements.forEach((statement, i) => {
      expect(statement).toMatchObject({
        effect: "Allow",
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: [expect.stringContaining("aws_iam_openid_connect_provider")] }],
      });
      expect(statement.condition).toEqual([
        { test: "StringEquals", variable: expect.stringMatching(/:sub$/), values: [`system:serviceaccount:argocd:${ARGOCD_SERVICE_ACCOUNTS[i]}`] },
        { test: "StringEquals", variable: expect.stringMatching(/:aud$/), values: ["sts.amazonaws.com"] },
      ]);
    });
    expect([...ARGOCD_SERVICE_ACCOUNTS]).toEqual(["argocd-application-controller", "argocd-server", "argocd-applicationset-controller"]);
  });

  test("may only assume the spoke role of every cluster in the catalogue, by literal ARN", () => {
    // GIVEN the spoke role ARN every regional stack's role will have (account id + deterministic name)
    const expected = regional.map(([name]) => {
      const account = name.startsWith("production") ? "333333333333" : "222222222222";
      return `arn:aws:iam::${account}:role/${clusterOf(name)}-argocd-spoke`;
    });

    // WHEN the hub role's inline policy is read
    const statements = inlinePolicyOf(hubRegional, hubRoleId);

    // THEN its single statement allows sts:AssumeRole on exactly those ARNs
    expect(statements).toEqual([{ sid: "AssumeSpokeAccessRoles", effect: "Allow", actions: ["sts:AssumeRole"], resources: expect.any(Array) }]);
    expect([...(statements[0]!.resources as string[])].sort()).toEqual([...expected].sort());
    expect(expected).toHaveLength(4);
  });

  test("the ARN the spokes trust is the hub role's own name in the hub's account", () => {
    expect(gitOpsTopology(validCatalogue()).hub.argoCdRoleArn).toBe(HUB_ROLE_ARN);
    expect(HUB_ROLE_ARN.endsWith(`:role/${hubRole.name}`)).toBe(true);
  });
});

describe("Crossplane provider roles (hub's regional stack only)", () => {
  const roles = AWS_SERVICE_PROVIDERS.map((provider) => ({ provider, role: roleNamed(hubRegional, `meridian-production-us-east-1-crossplane-${provider.service}`) }));

  test.each(roles.map((r) => [r.provider.name, r] as const))("%s: IRSA trust pinned to its fixed service account in crossplane-system", (_name, { provider, role }) => {
    const [statement, ...rest] = statementsOf(hubRegional, role[1].assume_role_policy);
    expect(rest).toEqual([]);
    expect(statement!.condition).toEqual([
      { test: "StringEquals", variable: expect.stringMatching(/:sub$/), values: [`system:serviceaccount:crossplane-system:${provider.serviceAccount}`] },
      { test: "StringEquals", variable: expect.stringMatching(/:aud$/), values: ["sts.amazonaws.com"] },
    ]);
  });

  test("the EKS provider may manage only xcluster-* clusters, pass only /xcluster/ roles (only to EKS) and create only EKS's service-linked roles", () => {
    const statements = inlinePolicyOf(hubRegional, roles.find((r) => r.provider.service === "eks")!.role[0]);
    expectOnlyAllowedResources(statements.flatMap((s) => s.resources as string[]), {
      cluster: new RegExp(String.raw`^${HUB_EKS}:cluster/xcluster-\*$`),
      nodegroup: new RegExp(String.raw`^${HUB_EKS}:nodegroup/xcluster-\*/\*/\*$`),
      accessEntry: new RegExp(String.raw`^${HUB_EKS}:access-entry/xcluster-\*/\*$`),
      xclusterRole: new RegExp(String.raw`^${HUB_IAM}:role/xcluster/\*$`),
      eksServiceLinkedRole: new RegExp(String.raw`^${HUB_IAM}:role/aws-service-role/eks\.amazonaws\.com/AWSServiceRoleForAmazonEKS$`),
      nodegroupServiceLinkedRole: new RegExp(String.raw`^${HUB_IAM}:role/aws-service-role/eks-nodegroup\.amazonaws\.com/AWSServiceRoleForAmazonEKSNodegroup$`),
    });
    const passRole = statements.filter((s) => (s.actions as string[]).includes("iam:PassRole"));
    expect(passRole).toEqual([
      expect.objectContaining({
        resources: [expect.stringMatching(/:iam::333333333333:role\/xcluster\/\*$/)],
        condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["eks.amazonaws.com"] }],
      }),
    ]);
  });

  test("the IAM provider may manage only /xcluster/ roles and attach only the EKS managed policies", () => {
    const statements = inlinePolicyOf(hubRegional, roles.find((r) => r.provider.service === "iam")!.role[0]);
    expectOnlyAllowedResources(statements.flatMap((s) => s.resources as string[]), { xclusterRole: new RegExp(String.raw`^${HUB_IAM}:role/xcluster/\*$`) });
    const attach = statements.find((s) => (s.actions as string[]).includes("iam:AttachRolePolicy"))!;
    expect(attach.condition).toEqual([
      { test: "ArnEquals", variable: "iam:PolicyARN", values: [...XCLUSTER_MANAGED_POLICIES.cluster, ...XCLUSTER_MANAGED_POLICIES.node].map((p) => expect.stringMatching(new RegExp(`:iam::aws:policy/${p}$`))) },
    ]);
    expect(statements.flatMap((s) => s.actions as string[])).not.toEqual(expect.arrayContaining(["iam:PutRolePolicy"]));
  });
});

describe("GitOps topology and names", () => {
  test("the longest possible cluster name still gives role names IAM accepts", () => {
    // GIVEN the longest project (12), environment (16) and region (14) names the catalogue allows
    const cluster = `${"p".repeat(12)}-${"e".repeat(16)}-ap-southeast-2`;

    // THEN every GitOps role name fits in 64 characters
    const names = [argoCdHubRoleName(cluster), argoCdSpokeRoleName(cluster), ...AWS_SERVICE_PROVIDERS.map((p) => crossplaneProviderRoleName(cluster, p.service))];
    names.forEach((n) => expect(n.length).toBeLessThanOrEqual(IAM_ROLE_NAME_LIMIT));
  });

  test("throws when a cluster is in another partition than the hub, naming environment, region and rule", () => {
    // GIVEN a catalogue whose staging environment moved to GovCloud
    const catalogue = validCatalogue();
    const moved = { ...catalogue, environments: catalogue.environments.map((e) => (e.name === "staging" ? { ...e, regions: [{ ...e.regions[0]!, region: "us-gov-west-1" }, e.regions[1]!] } : e)) };

    // WHEN / THEN the topology refuses it
    expect(() => gitOpsTopology(moved)).toThrow(/environments\.staging region us-gov-west-1 is in partition aws-us-gov, the hub \(us-east-1\) in aws; IAM cannot trust across partitions/);
  });

  test("lists every cluster of the catalogue with its spoke role ARN", () => {
    const topology = gitOpsTopology(validCatalogue());
    expect(topology.clusters.map((c) => c.spokeRoleArn).sort()).toEqual([
      "arn:aws:iam::222222222222:role/meridian-staging-us-east-1-argocd-spoke",
      "arn:aws:iam::222222222222:role/meridian-staging-us-west-2-argocd-spoke",
      "arn:aws:iam::333333333333:role/meridian-production-eu-west-1-argocd-spoke",
      "arn:aws:iam::333333333333:role/meridian-production-us-east-1-argocd-spoke",
    ]);
    expect(topology.hub.crossplaneRoleArns).toEqual({
      eks: "arn:aws:iam::333333333333:role/meridian-production-us-east-1-crossplane-eks",
      iam: "arn:aws:iam::333333333333:role/meridian-production-us-east-1-crossplane-iam",
    });
  });
});
