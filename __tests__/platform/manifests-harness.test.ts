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

  test("throws when no model exists for an unknown group, so nothing goes unchecked", () => {
    expect(() => validateManifest({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } })).toThrow('no schema model known for API group "example.com"');
  });

  test("maps API versions to model modules", () => {
    expect(modelModuleOf("v1", "ConfigMap")).toBe("kubernetes-models/v1/ConfigMap");
    expect(modelModuleOf("storage.k8s.io/v1", "StorageClass")).toBe("kubernetes-models/storage.k8s.io/v1/StorageClass");
    expect(modelModuleOf("argoproj.io/v1alpha1", "ApplicationSet")).toBe("@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet");
  });
});
