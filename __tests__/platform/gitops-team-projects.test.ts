import { parse } from "yaml";
import { defaultProjectGuard, teamProjectManifests, type TeamProject, type TeamProjectsProps } from "@meridian/constructs";
import { CLUSTER_API, xClusterComposedResources } from "@meridian/constructs";
import { resourcesOf, synthStacks, validCatalogue, type Block, type SynthesizedJson } from "../helpers";
import { validateManifest, type Manifest } from "../manifests";

const stacks = synthStacks();
const hub = stacks.get("production-platform-us-east-1")!;
const releaseNamed = (json: SynthesizedJson, name: string): Block | undefined => resourcesOf(json, "helm_release").find((r) => r.name === name);
const addressOf = (json: SynthesizedJson, name: string) => `helm_release.${Object.entries(json.resource.helm_release ?? {}).find(([, r]) => r.name === name)![0]}`;

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

describe("team projects on the GitOps hub", () => {
  test("the hub installs the built-in catalogue's payments project and the default-project guard after Argo CD and Kyverno", () => {
    // GIVEN the built-in catalogue (one project: payments, staging and production)  WHEN synthesized
    const release = releaseNamed(hub, "argocd-team-projects")!;
    const manifests = (parse((release.values as string[])[0]!) as { manifests: Manifest[] }).manifests;
    // THEN
    expect(manifests.map((m) => `${m.kind}/${m.metadata!.name}`)).toEqual(["AppProject/payments", "ClusterPolicy/argocd-no-default-project"]);
    const destinations = (manifests[0]!.spec as { destinations: { name: string; namespace: string }[] }).destinations;
    expect(destinations.map((d) => `${d.name}:${d.namespace}`).sort()).toEqual(
      ["production-eu-west-1", "production-us-east-1", "staging-us-east-1", "staging-us-west-2"].flatMap((c) => [`${c}:payments`, `${c}:payments-*`]).sort(),
    );
    expect(release.depends_on).toEqual(expect.arrayContaining([addressOf(hub, "argocd"), addressOf(hub, "kyverno")]));
    manifests.forEach((m) => expect(() => validateManifest(m)).not.toThrow());
  });

  test("only the hub has them", () => {
    for (const [name, json] of stacks) {
      if (name.includes("-platform-") && name !== "production-platform-us-east-1") {
        expect(releaseNamed(json, "argocd-team-projects")).toBeUndefined();
      }
    }
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

  test("throws when a project takes a reserved name", () => {
    expect(() => teamProjectManifests(props([{ ...PAYMENTS, name: "default" }]))).toThrow("TeamProjects: project default: the name is reserved (reserved: default, cluster-bootstrap)");
  });

  test("throws when a project's namespaces cover a platform namespace or Kubernetes' own", () => {
    expect(() => teamProjectManifests(props([{ ...PAYMENTS, namespaces: ["karp*"] }]))).toThrow('namespaces entry "karp*" covers the platform\'s namespace karpenter');
    expect(() => teamProjectManifests(props([{ ...PAYMENTS, namespaces: ["k*"] }]))).toThrow('namespaces entry "k*" covers the platform\'s namespace karpenter');
    expect(() => teamProjectManifests(props([{ ...PAYMENTS, namespaces: ["kube-system"] }]))).toThrow('namespaces entry "kube-system" covers the platform\'s namespace kube-*');
  });

  test("throws when a project names an environment without clusters", () => {
    expect(() => teamProjectManifests(props([{ ...PAYMENTS, environments: ["qa"] }]))).toThrow('TeamProjects: project payments: environments ["qa"] have no registered cluster');
  });

  test("throws at synth when a catalogue project reaches into a namespace an add-on of the hub is installed in", () => {
    // GIVEN the payments project widened to Karpenter's namespace  WHEN synthesized  THEN the hub refuses it
    const catalogue = validCatalogue((raw) => (raw.gitopsHub.projects[0]!.namespaces = ["payments", "karpenter"]));
    expect(() => synthStacks(catalogue)).toThrow('TeamProjects: project payments: namespaces entry "karpenter" covers the platform\'s namespace karpenter');
  });
});
