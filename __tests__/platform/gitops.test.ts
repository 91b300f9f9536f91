import { parse } from "yaml";
import { CHARTS } from "@meridian/constructs";
import { BOOTSTRAP_SELECTOR, IN_CLUSTER_SERVER } from "@meridian/constructs";
import { type Block, resourcesOf, type SynthesizedJson, synthStacks, validCatalogue } from "../helpers";
import { validateManifest, type Manifest } from "../manifests";

const HUB = "production-platform-us-east-1";
const HUB_ROLE_ARN = "arn:aws:iam::333333333333:role/meridian-production-us-east-1-argocd-hub";
const stacks = synthStacks();
const hub = stacks.get(HUB)!;
const platformStacks = [...stacks.entries()].filter(([name]) => name.includes("-platform-"));
const GITOPS_RELEASES = ["argocd", "argocd-bootstrap", "crossplane", "crossplane-packages", "crossplane-apis"];

const releases = (json: SynthesizedJson) => resourcesOf(json, "helm_release");
function release(json: SynthesizedJson, name: string): Block {
  const found = releases(json).filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one helm_release ${name}, found ${found.length}`);
  return found[0]!;
}
const releaseAddress = (json: SynthesizedJson, name: string) => `helm_release.${Object.entries(json.resource.helm_release ?? {}).find(([, r]) => r.name === name)![0]}`;
const valuesOf = (r: Block) => parse((r.values as string[])[0]!) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const clusterSecrets = (json: SynthesizedJson) =>
  resourcesOf(json, "kubernetes_secret_v1").filter((s) => (s.metadata as { labels?: Record<string, string> }).labels?.["argocd.argoproj.io/secret-type"] === "cluster");

/** A Pod carrying a chart values fragment, so the Kubernetes schema checks the fragment's fields. */
const podWith = (spec: Record<string, unknown>): Manifest => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "probe" }, spec: { containers: [{ name: "probe", image: "probe" }], ...spec } });

describe("Argo CD on the hub", () => {
  const argocd = release(hub, "argocd");
  const values = valuesOf(argocd);

  test("installs the pinned argo-cd chart into argocd, atomically, waiting for readiness", () => {
    expect(argocd).toMatchObject({
      namespace: "argocd",
      create_namespace: true,
      repository: CHARTS.argoCd.repository,
      chart: CHARTS.argoCd.chart,
      version: CHARTS.argoCd.version,
      atomic: true,
      wait: true,
    });
  });

  test("runs highly available: Redis HA, 2+ replicas of every component, a sharded controller, a PDB each", () => {
    expect(values["redis-ha"]).toMatchObject({ enabled: true });
    for (const component of ["server", "repoServer", "applicationSet", "controller"]) {
      expect(values[component].replicas).toBeGreaterThanOrEqual(2);
      expect(values[component].pdb).toEqual({ enabled: true, maxUnavailable: 1 });
      // THEN the budget is one the PodDisruptionBudget schema accepts
      validateManifest({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: component }, spec: { maxUnavailable: values[component].pdb.maxUnavailable, selector: { matchLabels: { app: component } } } });
    }
  });

  test("spreads every component, Redis included, over availability zones with valid constraints", () => {
    expect(values.global.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway" }]);
    validateManifest(podWith({ topologySpreadConstraints: values.global.topologySpreadConstraints }));
    expect(values["redis-ha"].topologySpreadConstraints).toEqual({ enabled: true, maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway" });
  });

  test("annotates exactly the controller, server and ApplicationSet service accounts with the hub role (IRSA), names pinned", () => {
    const annotated = Object.entries(values)
      .filter(([, v]) => v?.serviceAccount?.annotations?.["eks.amazonaws.com/role-arn"])
      .map(([component, v]) => [component, v.serviceAccount.name, v.serviceAccount.annotations["eks.amazonaws.com/role-arn"]]);
    expect(annotated).toEqual([
      ["controller", "argocd-application-controller", HUB_ROLE_ARN],
      ["server", "argocd-server", HUB_ROLE_ARN],
      ["applicationSet", "argocd-applicationset-controller", HUB_ROLE_ARN],
    ]);
  });
});

describe("spoke registration (cluster secrets)", () => {
  const secrets = clusterSecrets(hub);
  const expected = [
    ["staging", "us-east-1", "222222222222"],
    ["staging", "us-west-2", "222222222222"],
    ["production", "us-east-1", "333333333333"],
    ["production", "eu-west-1", "333333333333"],
  ] as const;

  test("registers every managed cluster, the hub's own included, exactly once", () => {
    expect(secrets.map((s) => (s.data as Record<string, string>).name).sort()).toEqual(expected.map(([env, region]) => `${env}-${region}`).sort());
  });

  test.each(expected)("%s %s: labels, server and awsAuthConfig with the cluster's spoke role", (environment, region, account) => {
    // GIVEN the secret of one managed cluster
    const secret = secrets.find((s) => (s.data as Record<string, string>).name === `${environment}-${region}`)!;
    const data = secret.data as Record<string, string>;
    const regionalStack = `${environment}-regional-${region}`;
    const clusterName = `meridian-${environment}-${region}`;

    // THEN it is an Argo CD cluster secret in argocd with the selection labels
    expect(secret.metadata).toEqual({
      name: `cluster-${environment}-${region}`,
      namespace: "argocd",
      labels: { "argocd.argoproj.io/secret-type": "cluster", environment, region, cluster: clusterName, ...BOOTSTRAP_SELECTOR },
    });
    // AND the server is the cluster's endpoint, read from its regional stack
    expect(data.server).toMatch(new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${regionalStack}\\.outputs\\.cross-stack-output-aws_eks_cluster[^}]*endpoint\\}$`));
    // AND config assumes the spoke role for an EKS token and trusts the cluster's CA
    expect(JSON.parse(data.config!)).toEqual({
      awsAuthConfig: { clusterName, roleARN: `arn:aws:iam::${account}:role/${clusterName}-argocd-spoke` },
      tlsClientConfig: { insecure: false, caData: expect.stringMatching(new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${regionalStack}\\.outputs\\.[^}]*certificate_authority0data\\}$`)) },
    });
    // AND it waits for the Argo CD release, which creates the namespace
    expect(secret.depends_on).toEqual([releaseAddress(hub, "argocd")]);
  });

  test("every cluster secret is a valid Kubernetes Secret", () => {
    for (const secret of secrets) {
      validateManifest({ apiVersion: "v1", kind: "Secret", metadata: secret.metadata as Manifest["metadata"], type: secret.type, stringData: secret.data });
    }
  });

  test("deregisters: a catalogue without staging leaves only production's secrets and only production's spoke roles on the hub", () => {
    // GIVEN the built-in catalogue without the staging environment
    const withoutStaging = validCatalogue((raw) => {
      raw.environments = raw.environments.filter((e) => e.name !== "staging");
      // Projects name environments; the catalogue refuses one that names a removed environment.
      raw.gitopsHub.projects.forEach((project) => (project.environments = project.environments.filter((e) => e !== "staging")));
    });

    // WHEN the app is synthesized
    const after = synthStacks(withoutStaging);

    // THEN the hub registers only production's clusters
    const names = clusterSecrets(after.get(HUB)!).map((s) => (s.data as Record<string, string>).name);
    expect(names.sort()).toEqual(["production-eu-west-1", "production-us-east-1"]);
    // AND the hub's Argo CD role may no longer assume staging's spoke roles
    const hubRegional = after.get("production-regional-us-east-1")!;
    const assumable = Object.values(hubRegional.data!.aws_iam_policy_document!).flatMap((doc) =>
      (doc.statement as Block[]).filter((s) => s.sid === "AssumeSpokeAccessRoles").flatMap((s) => s.resources as string[]),
    );
    expect(assumable.sort()).toEqual([
      "arn:aws:iam::333333333333:role/meridian-production-eu-west-1-argocd-spoke",
      "arn:aws:iam::333333333333:role/meridian-production-us-east-1-argocd-spoke",
    ]);
    expect([...after.keys()].filter((n) => n.startsWith("staging-"))).toEqual([]);
  });
});

describe("bootstrap ApplicationSet (app of apps)", () => {
  const bootstrap = release(hub, "argocd-bootstrap");
  const manifests = valuesOf(bootstrap).manifests as Manifest[];
  const appSet = manifests.find((m) => m.kind === "ApplicationSet") as Manifest & { spec: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  const project = manifests.find((m) => m.kind === "AppProject") as Manifest & { spec: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

  test("is a release of the in-repo manifests chart in argocd that waits for Argo CD (which brings the CRDs)", () => {
    expect(bootstrap).toMatchObject({ namespace: "argocd", chart: expect.stringContaining("manifests"), atomic: true });
    expect(bootstrap.depends_on).toEqual(expect.arrayContaining([releaseAddress(hub, "argocd")]));
    expect(manifests.map((m) => `${m.kind}/${m.metadata?.name}`)).toEqual(["AppProject/cluster-bootstrap", "ApplicationSet/cluster-bootstrap"]);
  });

  test("every rendered object passes the Argo CD schema", () => {
    manifests.forEach((m) => expect(() => validateManifest(m)).not.toThrow());
  });

  test("selects the registered clusters by label, the same label every cluster secret carries", () => {
    expect(appSet.spec.generators).toEqual([{ clusters: { selector: { matchLabels: BOOTSTRAP_SELECTOR } } }]);
    clusterSecrets(hub).forEach((s) => expect((s.metadata as { labels: Record<string, string> }).labels).toMatchObject(BOOTSTRAP_SELECTOR));
  });

  test("creates one root Application per cluster from <path>/<environment>/<region> of the GitOps repository", () => {
    const { repository } = validCatalogue().gitopsHub;
    expect(appSet.spec).toMatchObject({ goTemplate: true, goTemplateOptions: ["missingkey=error"] });
    expect(appSet.spec.template.metadata.name).toBe("{{ .name }}-bootstrap");
    expect(appSet.spec.template.spec.source).toEqual({
      repoURL: repository.url,
      targetRevision: repository.revision,
      path: `${repository.path}/{{ index .metadata.labels "environment" }}/{{ index .metadata.labels "region" }}`,
      directory: { recurse: true },
    });
    expect(appSet.spec.template.spec.destination).toEqual({ server: IN_CLUSTER_SERVER, namespace: "argocd" });
  });

  test("syncs automatically with prune, self-heal and bounded retries; deleting a root app removes its children", () => {
    expect(appSet.spec.template.spec.syncPolicy).toEqual({
      automated: { prune: true, selfHeal: true },
      retry: { limit: 10, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } },
    });
    expect(appSet.spec.template.metadata.finalizers).toEqual(["resources-finalizer.argocd.argoproj.io"]);
  });

  test("confines root Applications to Applications and ApplicationSets on the hub, from the GitOps repository only", () => {
    expect(project.spec).toMatchObject({
      sourceRepos: [validCatalogue().gitopsHub.repository.url],
      destinations: [{ server: IN_CLUSTER_SERVER, namespace: "argocd" }],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: [
        { group: "argoproj.io", kind: "Application" },
        { group: "argoproj.io", kind: "ApplicationSet" },
      ],
    });
    expect(appSet.spec.template.spec.project).toBe(project.metadata!.name);
  });

  test("an Application as the ApplicationSet would generate it passes the Application schema", () => {
    // GIVEN the template with the generator's values filled in
    const template = JSON.parse(
      JSON.stringify(appSet.spec.template)
        .replaceAll("{{ .name }}", "production-us-east-1")
        .replaceAll('{{ index .metadata.labels \\"environment\\" }}', "production")
        .replaceAll('{{ index .metadata.labels \\"region\\" }}', "us-east-1")
        .replaceAll('{{ index .metadata.labels \\"cluster\\" }}', "meridian-production-us-east-1"),
    );

    // THEN no template expression is left and the Application is valid
    expect(JSON.stringify(template)).not.toContain("{{");
    expect(template.spec.source.path).toBe("clusters/production/us-east-1");
    validateManifest({ apiVersion: "argoproj.io/v1alpha1", kind: "Application", metadata: { ...template.metadata, namespace: "argocd" }, spec: template.spec });
  });
});

describe("platform stacks other than the hub", () => {
  test.each(platformStacks.filter(([name]) => name !== HUB))("%s has no Argo CD, Crossplane or cluster secret", (_name, json) => {
    expect(releases(json).map((r) => r.name).filter((n) => GITOPS_RELEASES.includes(String(n)))).toEqual([]);
    expect(clusterSecrets(json)).toEqual([]);
  });

  test("the hub has every GitOps release exactly once", () => {
    GITOPS_RELEASES.forEach((name) => expect(() => release(hub, name)).not.toThrow());
  });
});

// The constructs' refusals (bad props) are tested in packages/constructs/src/platform/argo-cd/test/.
