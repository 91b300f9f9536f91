import { Testing, type TerraformStack } from "cdktf";
import { parse } from "yaml";
import { type Block, emptyStack, resourcesOf, synthJson } from "../../../../test-support/fixture";
import { helmRelease, helmStack, helmValues } from "../../../../test-support/helm";
import { PRIORITY_CLASSES } from "../../resilience";
import { KYVERNO_CHART, PriorityClasses, WorkloadDefaults, type WorkloadDefaultsProps } from "..";
import { WorkloadDefaultsExample } from "./usage";

const stack = () => emptyStack();
const synth = (s: TerraformStack) => synthJson(s);
const valuesOf = (release: Block) => parse((release.values as string[])[0]!) as Record<string, unknown>;

describe("PriorityClasses", () => {
  const cls = (name: string, value: number, globalDefault = false) => ({ name, value, description: name, globalDefault });

  test("throws when two classes are the global default", () => {
    expect(() => new PriorityClasses(stack(), "pc", { classes: [cls("a", 1, true), cls("b", 2, true)] })).toThrow(
      'PriorityClasses pc: classes ["a","b"] mark more than one class globalDefault; the API server admits only one',
    );
  });

  test("throws when a class takes a system name", () => {
    expect(() => new PriorityClasses(stack(), "pc", { classes: [cls("system-custom", 1)] })).toThrow('classes[0].name "system-custom" must be a lower-case DNS subdomain not starting with system- (reserved)');
  });

  test("throws when a value is above the user range", () => {
    expect(() => new PriorityClasses(stack(), "pc", { classes: [cls("huge", 2_000_000_000)] })).toThrow("classes[0].value 2000000000 must be an integer from -1000000000 to 1000000000");
  });

  test("throws when a name appears twice", () => {
    expect(() => new PriorityClasses(stack(), "pc", { classes: [cls("a", 1), cls("a", 2)] })).toThrow('classes[1].name "a" appears twice');
  });

  test("the built-in set is ordered platform > high > default, with exactly one global default", () => {
    const { platformCritical, workloadHigh, workloadDefault } = PRIORITY_CLASSES;
    expect(platformCritical.value).toBeGreaterThan(workloadHigh.value);
    expect(workloadHigh.value).toBeGreaterThan(workloadDefault.value);
    expect(Object.values(PRIORITY_CLASSES).filter((c) => c.globalDefault).map((c) => c.name)).toEqual(["workload-default"]);
  });
});

describe("WorkloadDefaults", () => {
  test("throws when the admission controller would run 1 replica", () => {
    expect(() => new WorkloadDefaults(stack(), "wd", { replicas: { admission: 1 } })).toThrow("highAvailability kyverno admission-controller: replicas 1 must be an integer >= 2");
  });

  test("throws when an excluded namespace is not a namespace name", () => {
    expect(() => new WorkloadDefaults(stack(), "wd", { excludedNamespaces: ["Team_A"] })).toThrow('WorkloadDefaults wd: excludedNamespaces[0] "Team_A" must be a namespace name (DNS label)');
  });

  test("extra excluded namespaces are left alone by both policies", () => {
    const scope = stack();
    new WorkloadDefaults(scope, "wd", { excludedNamespaces: ["legacy"] });
    const policies = resourcesOf(synth(scope), "helm_release").find((r) => r.name === "workload-defaults")!;
    const manifests = valuesOf(policies).manifests as { spec: { rules: { exclude: { any: { resources: { namespaces?: string[] } }[] } }[] } }[];
    for (const policy of manifests) {
      expect(policy.spec.rules[0]!.exclude.any[0]!.resources.namespaces).toEqual(["kube-system", "kube-public", "kube-node-lease", "kyverno", "legacy"]);
    }
  });
});

/** GIVEN a stack with a helm provider WHEN the defaults are built with `props` THEN the three releases. */
function synthDefaults(props: WorkloadDefaultsProps = {}) {
  const scope = helmStack();
  const defaults = new WorkloadDefaults(scope, "wd", props);
  const json = synthJson(scope);
  return { defaults, kyverno: helmRelease(json, "kyverno"), rbac: helmRelease(json, "workload-defaults-rbac"), policies: helmRelease(json, "workload-defaults") };
}

describe("WorkloadDefaults with explicit props", () => {
  test("with no props: Kyverno from the pin in its namespace, 3 admission and 2 of each other controller, each with a budget at platform-critical; then RBAC, then the policies", () => {
    const { kyverno, rbac, policies } = synthDefaults();
    expect(kyverno).toMatchObject({ ...KYVERNO_CHART, namespace: "kyverno" });
    const values = helmValues(kyverno);
    for (const [controller, replicas] of [["admissionController", 3], ["backgroundController", 2], ["cleanupController", 2], ["reportsController", 2]] as const) {
      expect(values[controller]).toMatchObject({ replicas, podDisruptionBudget: { enabled: true, maxUnavailable: 1 }, priorityClassName: "platform-critical" });
    }
    expect(rbac.depends_on).toEqual([expect.stringMatching(/^helm_release\.wd_kyverno_release_/)]);
    expect(policies.depends_on).toHaveLength(2);
    expect((helmValues(policies).manifests as { metadata: { name: string } }[]).map((m) => m.metadata.name)).toEqual(["workload-defaults-zone-spread", "workload-defaults-disruption-budget"]);
  });

  test("namespace, replicas and priorityClassName are rendered as given", () => {
    const { kyverno } = synthDefaults({ namespace: "policy", replicas: { admission: 5, reports: 3 }, priorityClassName: "workload-high" });
    const values = helmValues(kyverno);
    expect(kyverno.namespace).toBe("policy");
    expect(values.admissionController).toMatchObject({ replicas: 5, priorityClassName: "workload-high" });
    expect(values.reportsController).toMatchObject({ replicas: 3 });
    expect(values.backgroundController).toMatchObject({ replicas: 2 });
  });

  test("chart replaces the pin; values are deep-merged over the construct's", () => {
    const chart = { repository: "https://charts.example.com", chart: "kyverno", version: "9.9.9" };
    const { kyverno } = synthDefaults({ chart, values: { admissionController: { replicas: 4 }, features: { logging: { format: "json" } } } });
    expect(kyverno).toMatchObject(chart);
    expect(helmValues(kyverno)).toMatchObject({ admissionController: { replicas: 4, priorityClassName: "platform-critical" }, features: { logging: { format: "json" } } });
  });

  test("PriorityClasses with no props creates the platform's classes; with classes, exactly those", () => {
    const scope = stack();
    const built = new PriorityClasses(scope, "pc");
    new PriorityClasses(scope, "custom", { classes: [{ name: "batch", value: 10, description: "batch", globalDefault: false }] });
    const classes = resourcesOf(synth(scope), "kubernetes_priority_class_v1");
    expect(classes.map((c) => (c.metadata as { name: string }).name).sort()).toEqual(["batch", "platform-critical", "workload-default", "workload-high"]);
    expect(built.all).toHaveLength(3);
  });

  test("the README's usage example synthesizes (snapshot)", () => {
    expect(synthJson(new WorkloadDefaultsExample(Testing.app(), "example"))).toMatchSnapshot();
  });
});
