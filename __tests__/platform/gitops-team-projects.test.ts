import { parse } from "yaml";
import { resourcesOf, synthStacks, validCatalogue, type Block, type SynthesizedJson } from "../helpers";
import { validateManifest, type Manifest } from "../manifests";

const stacks = synthStacks();
const hub = stacks.get("production-platform-us-east-1")!;
const releaseNamed = (json: SynthesizedJson, name: string): Block | undefined => resourcesOf(json, "helm_release").find((r) => r.name === name);
const addressOf = (json: SynthesizedJson, name: string) => `helm_release.${Object.entries(json.resource.helm_release ?? {}).find(([, r]) => r.name === name)![0]}`;

// The construct-level tests (TeamProjects, teamProjectManifests, defaultProjectGuard) are in
// packages/constructs/src/platform/argo-cd/test/.
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

  test("throws at synth when a catalogue project reaches into a namespace an add-on of the hub is installed in", () => {
    // GIVEN the payments project widened to Karpenter's namespace  WHEN synthesized  THEN the hub refuses it
    const catalogue = validCatalogue((raw) => (raw.gitopsHub.projects[0]!.namespaces = ["payments", "karpenter"]));
    expect(() => synthStacks(catalogue)).toThrow('TeamProjects: project payments: namespaces entry "karpenter" covers the platform\'s namespace karpenter');
  });
});
