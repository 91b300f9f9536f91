import { modelModuleOf, validateManifest } from "../manifests";

describe("manifest schema validation", () => {
  test("accepts a valid core object and a valid custom resource", () => {
    expect(() => validateManifest({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "x" }, spec: { minAvailable: 1, selector: { matchLabels: { app: "x" } } } })).not.toThrow();
    expect(() =>
      validateManifest({
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name: "general" },
        spec: { template: { spec: { nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" }, requirements: [] } } },
      }),
    ).not.toThrow();
  });

  test("throws when a field is misspelt, naming the object", () => {
    expect(() => validateManifest({ apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "general" }, spec: { templat: {} } })).toThrow(/karpenter\.sh\/v1 NodePool \/general: /);
    expect(() => validateManifest({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "x" }, spec: { minAvailable: { nope: 1 } } })).toThrow(/PodDisruptionBudget/);
  });

  test("throws when an optional field is misspelt, naming its path", () => {
    // GIVEN a NodePool whose `disruption` block and a Deployment whose topology spread are misspelt
    const nodePool = {
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      metadata: { name: "general" },
      spec: { disruptio: { consolidationPolicy: "WhenEmpty" }, template: { spec: { nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" }, requirements: [] } } },
    };
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", labels: { "any-label": "is fine" } },
      spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx" }], topologySpreadConstraint: [] } } },
    };
    // WHEN validated THEN the unknown keys are named by path; map keys (labels) are not
    expect(() => validateManifest(nodePool)).toThrow("karpenter.sh/v1 NodePool /general: /spec/disruptio is not a field of the schema");
    expect(() => validateManifest(deployment)).toThrow("apps/v1 Deployment /web: /spec/template/spec/topologySpreadConstraint is not a field of the schema");
  });

  test("accepts any keys inside free-form objects (Helm values of an Argo CD Application)", () => {
    const application = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: { name: "app", namespace: "argocd" },
      spec: {
        project: "default",
        destination: { server: "https://kubernetes.default.svc", namespace: "app" },
        source: { repoURL: "https://example.com/charts", chart: "app", targetRevision: "1.0.0", helm: { valuesObject: { anything: { goes: true } } } },
      },
    };
    expect(() => validateManifest(application)).not.toThrow();
  });

  test("throws when no model exists for an unknown group, so nothing goes unchecked", () => {
    expect(() => validateManifest({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } })).toThrow('no schema model known for API group "example.com"');
  });

  test("maps API versions to model modules", () => {
    expect(modelModuleOf("v1", "ConfigMap")).toBe("kubernetes-models/v1/ConfigMap");
    expect(modelModuleOf("storage.k8s.io/v1", "StorageClass")).toBe("kubernetes-models/storage.k8s.io/v1/StorageClass");
    expect(modelModuleOf("argoproj.io/v1alpha1", "ApplicationSet")).toBe("@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet");
  });
});
