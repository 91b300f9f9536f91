import { Testing } from "cdktf";
import { synthJson } from "../../../../test-support/fixture";
import { helmRelease, helmStack, helmValues } from "../../../../test-support/helm";
import { METRICS_SERVER_CHART, MetricsServer, type MetricsServerProps } from "..";
import { MetricsServerExample } from "./usage";

/** GIVEN a stack with a helm provider WHEN metrics-server is built with `props` THEN its release and values. */
function synthMetricsServer(props: MetricsServerProps = {}) {
  const stack = helmStack();
  const metricsServer = new MetricsServer(stack, "ms", props);
  const release = helmRelease(synthJson(stack), "metrics-server");
  return { metricsServer, release, values: helmValues(release) };
}

describe("MetricsServer", () => {
  test("with no props: the pinned chart in kube-system (not created), 2 replicas with a budget, zone spread and system-cluster-critical", () => {
    const { release, values } = synthMetricsServer();
    expect(release).toMatchObject({ ...METRICS_SERVER_CHART, namespace: "kube-system", create_namespace: false, atomic: true, wait: true });
    expect(values).toMatchObject({
      replicas: 2,
      podDisruptionBudget: { enabled: true, minAvailable: null, maxUnavailable: 1 },
      priorityClassName: "system-cluster-critical",
    });
    expect(values.topologySpreadConstraints).toEqual([
      expect.objectContaining({ topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" }),
      expect.objectContaining({ topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway" }),
    ]);
  });

  test("replicas and priorityClassName set the replicas and the priority", () => {
    expect(synthMetricsServer({ replicas: 3, priorityClassName: "platform-critical" }).values).toMatchObject({ replicas: 3, priorityClassName: "platform-critical" });
  });

  test("outside kube-system it creates its namespace", () => {
    expect(synthMetricsServer({ namespace: "monitoring" }).release).toMatchObject({ namespace: "monitoring", create_namespace: true });
  });

  test("chart replaces the pinned chart", () => {
    const chart = { repository: "https://charts.example.com", chart: "metrics-server", version: "9.9.9" };
    expect(synthMetricsServer({ chart }).release).toMatchObject(chart);
  });

  test("values are deep-merged over the construct's: objects merge, other keys replace, new keys follow", () => {
    const { values } = synthMetricsServer({ values: { podDisruptionBudget: { maxUnavailable: 2 }, replicas: 4, args: ["--v=2"] } });
    expect(values.podDisruptionBudget).toEqual({ enabled: true, minAvailable: null, maxUnavailable: 2 });
    expect(values.replicas).toBe(4);
    expect(Object.keys(values)).toEqual(["replicas", "podDisruptionBudget", "topologySpreadConstraints", "priorityClassName", "args"]);
  });

  test("throws when replicas is 1 (every HPA freezes while it restarts)", () => {
    expect(() => new MetricsServer(helmStack(), "ms", { replicas: 1 })).toThrow("highAvailability metrics-server: replicas 1 must be an integer >= 2");
  });

  test("highAvailability and release are the rendered settings and the release", () => {
    const { metricsServer, values } = synthMetricsServer();
    expect(metricsServer.highAvailability.replicas).toBe(values.replicas);
    expect(metricsServer.release.values).toEqual(values);
  });

  test("the README's usage example synthesizes (snapshot)", () => {
    expect(synthJson(new MetricsServerExample(Testing.app(), "example"))).toMatchSnapshot();
  });
});
