import { Testing } from "cdktf";
import { emptyStack, synthJson } from "../../../test-support/fixture";
import { helmRelease, helmStack, helmValues } from "../../../test-support/helm";
import { validateManifest } from "../../../test-support/manifests";
import {
  CHARTS,
  CHART_OWNERS,
  ChartRelease,
  HOSTNAME_TOPOLOGY_KEY,
  ManifestsRelease,
  ZONE_TOPOLOGY_KEY,
  highAvailability,
  mergeValues,
  toggledPodDisruptionBudget,
  topologySpread,
} from "..";
import { PlatformExample } from "./usage";

/** A Pod that carries a values fragment, so the Kubernetes schema checks the fragment's fields. */
function podWith(spec: Record<string, unknown>): Parameters<typeof validateManifest>[0] {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "probe" }, spec: { containers: [{ name: "probe", image: "probe" }], ...spec } };
}

const PIN = { repository: "https://charts.example.com", chart: "c", version: "1.0.0" };

describe("ChartRelease", () => {
  const release = (releaseName: string, namespace = "kube-system") => () =>
    new ChartRelease(emptyStack(), "r", { releaseName, namespace, chart: { repository: "https://charts.example.com", chart: "c", version: "1.0.0" } });
  test("throws when the release name is longer than Helm's 53 characters or not a DNS label", () => {
    expect(release("r".repeat(53))).not.toThrow();
    expect(release("r".repeat(54))).toThrow(`ChartRelease: releaseName "${"r".repeat(54)}" must be a DNS label of at most 53 characters (Helm's limit)`);
    expect(release("Release")).toThrow(/releaseName "Release" must be a DNS label/);
  });
  test("throws when the namespace is not a DNS label of at most 63 characters", () => {
    expect(release("r", "n".repeat(64))).toThrow(/namespace "n{64}" must be a DNS label of at most 63 characters/);
  });
});


describe("ChartRelease with explicit props", () => {
  test("with the required props: the pin, values as YAML, atomic with cleanup, waiting, 600 s, 10 revisions, the namespace created", () => {
    const stack = helmStack();
    new ChartRelease(stack, "r", { releaseName: "app", namespace: "apps", chart: PIN, values: { a: { b: [1, 2] } } });
    const release = helmRelease(synthJson(stack), "app");
    expect(release).toMatchObject({ ...PIN, namespace: "apps", create_namespace: true, atomic: true, cleanup_on_fail: true, wait: true, timeout: 600, max_history: 10 });
    expect(release).not.toHaveProperty("skip_crds");
    expect(release).not.toHaveProperty("depends_on");
    expect(helmValues(release)).toEqual({ a: { b: [1, 2] } });
  });

  test("createNamespace, timeoutSeconds, skipCrds, dependsOn and a local chart are rendered as given", () => {
    const stack = helmStack();
    const first = new ChartRelease(stack, "first", { releaseName: "first", namespace: "apps", chart: PIN });
    new ChartRelease(stack, "second", { releaseName: "second", namespace: "apps", chart: { localPath: "./charts/mine" }, createNamespace: false, timeoutSeconds: 60, skipCrds: true, dependsOn: [first.release] });
    const release = helmRelease(synthJson(stack), "second");
    expect(release).toMatchObject({ chart: "./charts/mine", create_namespace: false, timeout: 60, skip_crds: true, depends_on: [expect.stringMatching(/^helm_release\.first_release_/)] });
    expect(release).not.toHaveProperty("repository");
  });
});

describe("mergeValues", () => {
  test("objects merge key by key; arrays and scalars replace; keys keep their place and new keys follow; null stays", () => {
    const base = { a: 1, b: { c: [1, 2], d: "x" }, e: [{ f: 1 }] };
    const merged = mergeValues(base, { b: { c: [3], g: true }, e: [{ h: 2 }], a: null, z: 0 });
    expect(merged).toEqual({ a: null, b: { c: [3], d: "x", g: true }, e: [{ h: 2 }], z: 0 });
    expect(Object.keys(merged)).toEqual(["a", "b", "e", "z"]);
    expect(Object.keys(merged.b as object)).toEqual(["c", "d", "g"]);
    expect(base).toEqual({ a: 1, b: { c: [1, 2], d: "x" }, e: [{ f: 1 }] });
  });

  test("no overrides returns an equal copy", () => {
    const base = { a: { b: 1 } };
    expect(mergeValues(base, undefined)).toEqual(base);
  });
});

describe("ManifestsRelease", () => {
  const map = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "apps" }, data: { k: "v" } });

  test("delivers the objects as the manifests chart's values, one chart asset per stack", () => {
    const stack = helmStack();
    const first = new ManifestsRelease(stack, "one", { releaseName: "one", namespace: "apps", manifests: [map("a")] });
    new ManifestsRelease(stack, "two", { releaseName: "two", namespace: "apps", manifests: [map("b")], dependsOn: [first.chart.release] });
    const json = synthJson(stack);
    const one = helmRelease(json, "one");
    const two = helmRelease(json, "two");
    expect(helmValues(one)).toEqual({ manifests: [map("a")] });
    expect(one.chart).toBe(two.chart);
    expect(one.chart).toMatch(/^assets\/platform-manifests-chart\//);
    expect(two.depends_on).toEqual([expect.stringMatching(/^helm_release\.one_release_/)]);
  });

  test("throws when an object lacks apiVersion, kind or metadata.name, or appears twice", () => {
    const build = (manifests: ReturnType<typeof map>[]) => () => new ManifestsRelease(emptyStack(), "m", { releaseName: "m", namespace: "apps", manifests });
    expect(build([{ ...map("a"), kind: "" }])).toThrow("ManifestsRelease m: manifests[0] needs apiVersion, kind and metadata.name");
    expect(build([map("a"), map("a")])).toThrow("ManifestsRelease m: manifests[1] v1/ConfigMap/apps/a appears twice");
  });
});

describe("highAvailability (shared resilience helper)", () => {
  test("defaults: 2 replicas, maxUnavailable 1, hard zone spread and soft node spread over the selected pods", () => {
    // GIVEN only a component and its selector
    const ha = highAvailability({ component: "demo", selector: { "app.kubernetes.io/name": "demo" } });

    // THEN the fragment is highly available by default
    expect(ha.replicas).toBe(2);
    expect(ha.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
    expect(ha.priorityClassName).toBeUndefined();
    expect(ha.topologySpreadConstraints).toEqual([
      expect.objectContaining({ topologyKey: ZONE_TOPOLOGY_KEY, whenUnsatisfiable: "DoNotSchedule", maxSkew: 1, nodeTaintsPolicy: "Honor", labelSelector: { matchLabels: { "app.kubernetes.io/name": "demo" } } }),
      expect.objectContaining({ topologyKey: HOSTNAME_TOPOLOGY_KEY, whenUnsatisfiable: "ScheduleAnyway", maxSkew: 1 }),
    ]);
  });

  test("the fragments are valid Kubernetes: the spread and priority in a Pod, the budget in a PodDisruptionBudget", () => {
    const ha = highAvailability({ component: "demo", replicas: 3, priorityClassName: "platform-critical", selector: { app: "demo" } });
    expect(() => validateManifest(podWith({ topologySpreadConstraints: ha.topologySpreadConstraints, priorityClassName: ha.priorityClassName }))).not.toThrow();
    expect(() =>
      validateManifest({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "demo" }, spec: { ...ha.podDisruptionBudget, selector: { matchLabels: { app: "demo" } } } }),
    ).not.toThrow();
  });

  test("the toggled budget shape enables the budget and clears a chart's minAvailable default", () => {
    expect(toggledPodDisruptionBudget(highAvailability({ component: "demo", selector: { app: "demo" } }))).toEqual({ enabled: true, minAvailable: null, maxUnavailable: 1 });
  });

  test("a soft zone spread when asked", () => {
    expect(topologySpread({ selector: { app: "demo" }, zone: "ScheduleAnyway" })[0]!.whenUnsatisfiable).toBe("ScheduleAnyway");
  });

  test.each([1, 0, 2.5])("throws when replicas is %p", (replicas) => {
    expect(() => highAvailability({ component: "demo", replicas, selector: { app: "demo" } })).toThrow(
      `highAvailability demo: replicas ${replicas} must be an integer >= 2: a single replica is lost with its node or zone`,
    );
  });

  test.each([0, 3])("throws when maxUnavailable is %p with 3 replicas", (maxUnavailable) => {
    expect(() => highAvailability({ component: "demo", replicas: 3, maxUnavailable, selector: { app: "demo" } })).toThrow(
      `highAvailability demo: maxUnavailable ${maxUnavailable} must be an integer from 1 to replicas - 1 (2)`,
    );
  });

  test("throws when the selector is empty", () => {
    expect(() => highAvailability({ component: "demo", selector: {} })).toThrow("topologySpread: selector {} must name at least one label");
  });

  test("throws when the priority class name is not a DNS subdomain", () => {
    expect(() => highAvailability({ component: "demo", selector: { app: "demo" }, priorityClassName: "Platform_Critical" })).toThrow(
      'highAvailability demo: priorityClassName "Platform_Critical" must be a PriorityClass name',
    );
  });
});


describe("CHARTS", () => {
  test("lists each add-on's own pin, and names the add-on that owns it", () => {
    expect(Object.keys(CHART_OWNERS).sort()).toEqual(Object.keys(CHARTS).sort());
    for (const pin of Object.values(CHARTS)) {
      expect(pin.version).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  test("the README's usage example synthesizes (snapshot)", () => {
    expect(synthJson(new PlatformExample(Testing.app(), "example"))).toMatchSnapshot();
  });
});
