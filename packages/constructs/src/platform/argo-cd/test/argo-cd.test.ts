import { Testing, Token } from "cdktf";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { onlyResourceOf, synthJson } from "../../../../test-support/fixture";
import { helmRelease, helmStack, helmValues } from "../../../../test-support/helm";
import { validateManifest, type Manifest } from "../../../../test-support/manifests";
import { xClusterComposedResources, CLUSTER_API } from "../../crossplane";
import {
  ARGO_CD_CHART,
  AppOfAppsBootstrap,
  ArgoCd,
  ArgoCdClusterSecret,
  TeamProjects,
  appOfAppsManifests,
  argoCdValues,
  defaultProjectGuard,
  teamProjectManifests,
  type ArgoCdClusterSecretProps,
  type TeamProject,
  type TeamProjectsProps,
} from "..";
import { ArgoCdExample } from "./usage";

const HUB_ROLE_ARN = "arn:aws:iam::333333333333:role/meridian-production-us-east-1-argocd-hub";
const REPOSITORY = { url: "https://example.com/r.git", path: "clusters", revision: "main" };

/** A stack with a helm and a kubernetes provider. */
const stack = () => {
  const s = helmStack();
  new KubernetesProvider(s, "kubernetes", { configPath: "~/.kube/config" });
  return s;
};

describe("ArgoCd", () => {
  test("with only hubRoleArn: the pinned chart in argocd, 2 replicas of each component, the IRSA annotation on three service accounts", () => {
    const s = stack();
    const argoCd = new ArgoCd(s, "a", { hubRoleArn: HUB_ROLE_ARN });
    const release = helmRelease(synthJson(s), "argocd");
    expect(release).toMatchObject({ ...ARGO_CD_CHART, namespace: "argocd", timeout: 900 });
    const values = helmValues(release) as Record<string, { replicas?: number; serviceAccount?: { annotations: Record<string, string> } }>;
    expect(values.controller).toMatchObject({ replicas: 2, serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": HUB_ROLE_ARN } } });
    expect(values.server!.replicas).toBe(2);
    expect(values.repoServer!.serviceAccount).toBeUndefined();
    expect(argoCd.namespace).toBe("argocd");
    expect(argoCd.values).toEqual(values);
  });

  test("namespace, replicas, controllerReplicas, chart and values are rendered as given", () => {
    const s = stack();
    const chart = { repository: "https://charts.example.com", chart: "argo-cd", version: "9.9.9" };
    new ArgoCd(s, "a", { hubRoleArn: HUB_ROLE_ARN, namespace: "gitops", replicas: 3, controllerReplicas: 4, chart, values: { dex: { enabled: true } } });
    const release = helmRelease(synthJson(s), "argocd");
    expect(release).toMatchObject({ ...chart, namespace: "gitops" });
    expect(helmValues(release)).toMatchObject({ controller: { replicas: 4 }, server: { replicas: 3 }, repoServer: { replicas: 3 }, applicationSet: { replicas: 3 }, dex: { enabled: true } });
  });

  test("throws when the hub role ARN is a token", () => {
    expect(() => new ArgoCd(stack(), "a", { hubRoleArn: Token.asString({ ref: "x" }) })).toThrow(/hubRoleArn .* must be a literal IAM role ARN/);
  });

  test("argoCdValues throws when fewer than 2 replicas are asked for, naming the setting", () => {
    expect(() => argoCdValues({ hubRoleArn: HUB_ROLE_ARN, replicas: 1 })).toThrow(/ArgoCd: replicas is 1; at least 2 are required/);
    expect(() => argoCdValues({ hubRoleArn: HUB_ROLE_ARN, controllerReplicas: 1 })).toThrow(/controllerReplicas is 1/);
  });
});

describe("ArgoCdClusterSecret", () => {
  const SECRET: ArgoCdClusterSecretProps = {
    name: "staging-us-east-1",
    server: "https://example.eks.amazonaws.com",
    caData: "Q0E=",
    clusterName: "meridian-staging-us-east-1",
    roleArn: "arn:aws:iam::222222222222:role/meridian-staging-us-east-1-argocd-spoke",
    environment: "staging",
    region: "us-east-1",
  };

  test("a secret cluster-<name> in argocd, labelled for Argo CD, with awsAuthConfig for the spoke role; labels and namespace as given", () => {
    const s = stack();
    const secret = new ArgoCdClusterSecret(s, "s", { ...SECRET, labels: { bootstrap: "app-of-apps" }, namespace: "gitops" });
    const block = onlyResourceOf(synthJson(s), "kubernetes_secret_v1");
    expect(block.metadata).toEqual({
      name: "cluster-staging-us-east-1",
      namespace: "gitops",
      labels: { bootstrap: "app-of-apps", environment: "staging", region: "us-east-1", cluster: "meridian-staging-us-east-1", "argocd.argoproj.io/secret-type": "cluster" },
    });
    expect(JSON.parse((block.data as { config: string }).config)).toEqual({
      awsAuthConfig: { clusterName: SECRET.clusterName, roleARN: SECRET.roleArn },
      tlsClientConfig: { insecure: false, caData: "Q0E=" },
    });
    expect(secret.labels).toEqual((block.metadata as { labels: unknown }).labels);
  });

  test("throws when the spoke role is a token or the name is not a DNS label", () => {
    expect(() => new ArgoCdClusterSecret(stack(), "s", { ...SECRET, roleArn: Token.asString({ ref: "x" }) })).toThrow(/roleArn must be a literal/);
    expect(() => new ArgoCdClusterSecret(stack(), "s", { ...SECRET, name: "Staging_US" })).toThrow(/name "Staging_US" must be a DNS label/);
    // The secret is named cluster-<name>: 55 characters is the longest name that keeps it a DNS label.
    expect(() => new ArgoCdClusterSecret(stack(), "s", { ...SECRET, name: "n".repeat(55) })).not.toThrow();
    expect(() => new ArgoCdClusterSecret(stack(), "s", { ...SECRET, name: "n".repeat(56) })).toThrow(/must be a DNS label of at most 55 characters/);
  });

  test("throws when the role ARN is not an IAM role ARN", () => {
    expect(() => new ArgoCdClusterSecret(stack(), "s", { ...SECRET, roleArn: "arn:aws:iam::222222222222:user/x" })).toThrow('ArgoCdClusterSecret staging-us-east-1: roleArn "arn:aws:iam::222222222222:user/x" is not an IAM role ARN');
  });

  test("throws when a label value is not a Kubernetes label value", () => {
    expect(() => new ArgoCdClusterSecret(stack(), "s", { ...SECRET, labels: { team: "a b" } })).toThrow(/label team="a b" is not a Kubernetes label value/);
  });
});

describe("AppOfAppsBootstrap", () => {
  test("with defaults: the argocd-bootstrap release with the cluster-bootstrap project and ApplicationSet, retrying 10 times", () => {
    const s = stack();
    const bootstrap = new AppOfAppsBootstrap(s, "b", { repository: REPOSITORY });
    const release = helmRelease(synthJson(s), "argocd-bootstrap");
    expect(release.namespace).toBe("argocd");
    const manifests = helmValues(release).manifests as Manifest[];
    expect(manifests.map((m) => `${m.kind}/${m.metadata!.name}`)).toEqual(["AppProject/cluster-bootstrap", "ApplicationSet/cluster-bootstrap"]);
    expect(JSON.stringify(manifests[1])).toContain('"retry":{"limit":10');
    expect(bootstrap.manifests).toEqual(manifests);
  });

  test("name, namespace and retryLimit are rendered as given", () => {
    const [project, applicationSet] = appOfAppsManifests({ repository: REPOSITORY, name: "roots", namespace: "gitops", retryLimit: 3 });
    expect(project!.metadata).toEqual({ name: "roots", namespace: "gitops" });
    expect(applicationSet).toMatchObject({ metadata: { name: "roots", namespace: "gitops" }, spec: { template: { spec: { project: "roots", syncPolicy: { retry: { limit: 3 } } } } } });
  });

  test("throws when the name is not a DNS label", () => {
    expect(() => appOfAppsManifests({ repository: REPOSITORY, name: "Roots" })).toThrow('AppOfApps Roots: name "Roots" must be a DNS label of at most 63 characters');
  });

  test("throws when the repository path is absolute or climbs out", () => {
    const repository = { ...REPOSITORY, path: "/clusters" };
    expect(() => appOfAppsManifests({ repository })).toThrow(/repository\.path "\/clusters" must be relative/);
    expect(() => appOfAppsManifests({ repository: { ...repository, path: "a/../b" } })).toThrow(/repository\.path "a\/\.\.\/b"/);
  });

  test("throws when retries are disabled", () => {
    expect(() => new AppOfAppsBootstrap(stack(), "b", { repository: REPOSITORY, retryLimit: 0 })).toThrow(/retryLimit is 0/);
  });
});

const PAYMENTS: TeamProject = {
  name: "payments",
  description: "Payments team: the payments API",
  sourceRepos: ["https://github.com/example/payments.git"],
  environments: ["staging"],
  namespaces: ["payments", "payments-*"],
};
const props = (projects: TeamProject[]): TeamProjectsProps => ({
  projects,
  clusters: [
    { environment: "staging", argoCdName: "staging-us-east-1" },
    { environment: "staging-eu", argoCdName: "staging-eu-eu-west-1" },
    { environment: "production", argoCdName: "production-us-east-1" },
  ],
  platformNamespaces: ["karpenter", "argocd", "monitoring"],
  dependsOn: [],
});

describe("TeamProjects", () => {
  test("one release argocd-team-projects: each project's AppProject, then the default-project guard; namespace as given", () => {
    const s = stack();
    const projects = new TeamProjects(s, "tp", { ...props([PAYMENTS]), namespace: "gitops" });
    const release = helmRelease(synthJson(s), "argocd-team-projects");
    expect(release.namespace).toBe("gitops");
    const manifests = helmValues(release).manifests as Manifest[];
    expect(manifests.map((m) => `${m.kind}/${m.metadata!.name}/${m.metadata!.namespace ?? ""}`)).toEqual(["AppProject/payments/gitops", "ClusterPolicy/argocd-no-default-project/"]);
    expect(projects.manifests).toEqual(manifests);
    manifests.forEach((m) => expect(() => validateManifest(m)).not.toThrow());
  });

  test("a project reaches only its environments' clusters by name, its repositories and namespaces, its own Namespaces as the only cluster-scoped objects, no quotas", () => {
    const [project] = teamProjectManifests(props([PAYMENTS]));
    expect(project!.spec).toEqual({
      description: PAYMENTS.description,
      sourceRepos: ["https://github.com/example/payments.git"],
      // staging-eu's cluster is not staging's, although its name starts alike.
      destinations: [
        { name: "staging-us-east-1", namespace: "payments" },
        { name: "staging-us-east-1", namespace: "payments-*" },
      ],
      clusterResourceWhitelist: [
        { group: "", kind: "Namespace", name: "payments" },
        { group: "", kind: "Namespace", name: "payments-*" },
      ],
      namespaceResourceBlacklist: [
        { group: "", kind: "ResourceQuota" },
        { group: "", kind: "LimitRange" },
        { group: "aws.m.upbound.io", kind: "*" },
        { group: "*.aws.m.upbound.io", kind: "*" },
      ],
    });
  });

  test("a team cannot deploy Crossplane's namespaced AWS managed resources or ProviderConfigs, only the KubernetesCluster API", () => {
    // GIVEN the blacklist, matched as Argo CD matches it (filepath.Match: '*' spans anything but '/')
    const [project] = teamProjectManifests(props([PAYMENTS]));
    const blacklist = project!.spec!.namespaceResourceBlacklist!;
    const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`);
    const refused = (group: string, kind: string) => blacklist.some((entry) => glob(entry.group).test(group) && glob(entry.kind).test(kind));
    // WHEN a team's application carries each kind the composition composes, or a ProviderConfig of its own
    const composed = xClusterComposedResources({ group: "platform.meridian.io", regions: ["us-east-1"], kubernetesVersions: ["1.33"], partition: "aws", accountId: "333333333333" });
    const kinds = [...composed.map((c) => [c.manifest.apiVersion.split("/")[0]!, c.manifest.kind] as const), ["aws.m.upbound.io", "ProviderConfig"] as const];
    // THEN Argo CD refuses every one, and still admits the composite and ordinary workloads
    kinds.forEach(([group, kind]) => expect({ group, kind, refused: refused(group, kind) }).toEqual({ group, kind, refused: true }));
    expect(refused("platform.meridian.io", CLUSTER_API.kind)).toBe(false);
    expect(refused("apps", "Deployment")).toBe(false);
    // The legacy cluster-scoped kinds are cluster-scoped: the Namespace-only cluster whitelist refuses them.
    expect(project!.spec!.clusterResourceWhitelist!.every((entry) => entry.group === "" && entry.kind === "Namespace")).toBe(true);
  });

  test("the guard refuses the default project on Applications and on ApplicationSets' templates, at admission, failing closed", () => {
    const guard = defaultProjectGuard();
    expect(guard.spec).toMatchObject({ validationFailureAction: "Enforce", failurePolicy: "Fail", background: false });
    // An empty or missing project is Argo CD's "default": the condition treats it so.
    expect(guard.spec!.rules!.map((r) => r.validate?.deny?.conditions)).toEqual([
      { any: [{ key: "{{ request.object.spec.project || 'default' }}", operator: "Equals", value: "default" }] },
      { any: [{ key: "{{ request.object.spec.template.spec.project || 'default' }}", operator: "Equals", value: "default" }] },
    ]);
    expect(guard.spec!.rules!.every((r) => r.validate?.allowExistingViolations === false)).toBe(true);
    expect(guard.spec!.rules!.every((r) => JSON.stringify(r.match).includes('"namespaces":["argocd"]'))).toBe(true);
    expect(() => validateManifest(guard as unknown as Manifest)).not.toThrow();
  });

  test("throws when a project takes a reserved name or a name twice", () => {
    expect(() => teamProjectManifests(props([{ ...PAYMENTS, name: "default" }]))).toThrow("TeamProjects: project default: the name is reserved (reserved: default, cluster-bootstrap)");
    expect(() => new TeamProjects(stack(), "tp", props([PAYMENTS, PAYMENTS]))).toThrow("TeamProjects: project payments: the name is used twice");
  });

  test("throws when a project's namespaces cover a platform namespace or Kubernetes' own", () => {
    expect(() => teamProjectManifests(props([{ ...PAYMENTS, namespaces: ["karp*"] }]))).toThrow('namespaces entry "karp*" covers the platform\'s namespace karpenter');
    expect(() => teamProjectManifests(props([{ ...PAYMENTS, namespaces: ["k*"] }]))).toThrow('namespaces entry "k*" covers the platform\'s namespace karpenter');
    expect(() => teamProjectManifests(props([{ ...PAYMENTS, namespaces: ["kube-system"] }]))).toThrow('namespaces entry "kube-system" covers the platform\'s namespace kube-*');
  });

  test("throws when a project names an environment without clusters", () => {
    expect(() => teamProjectManifests(props([{ ...PAYMENTS, environments: ["qa"] }]))).toThrow('TeamProjects: project payments: environments ["qa"] have no registered cluster');
  });
});

test("the README's usage example synthesizes (snapshot)", () => {
  expect(synthJson(new ArgoCdExample(Testing.app(), "example"))).toMatchSnapshot();
});
