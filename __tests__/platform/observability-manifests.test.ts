import { Testing } from "cdktf";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { OBSERVABILITY_WORKLOADS } from "@meridian/constructs";
import { fluentBitObjects, kubePrometheusStackObjects, otelCollectorObjects } from "@meridian/constructs";
import { ObservabilityPlatform, type ObservabilityPlatformProps } from "@meridian/constructs";
import type { PrometheusRules } from "@meridian/constructs";
import { buildPlatformApp } from "../../stacks/platform-app";
import { PlatformStack } from "../../stacks/platform-stack";
import { emptyStack, validCatalogue } from "../helpers";
import { manifestsInYaml, validateManifest, type Manifest } from "../manifests";

const ROLE = (id: string) => `arn:aws:iam::111111111111:role/meridian-production-us-east-1-${id}`;
const props = (overrides: Partial<ObservabilityPlatformProps> = {}): ObservabilityPlatformProps => ({
  clusterName: "meridian-production-us-east-1",
  region: "us-east-1",
  environment: "production",
  remoteWriteUrl: "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-0123/api/v1/remote_write",
  logGroupName: "/aws/eks/meridian-production-us-east-1/workloads",
  alertTopicArn: "arn:aws:sns:us-east-1:111111111111:meridian-production-us-east-1-alerts",
  roleArns: { prometheus: ROLE("amp-remote-write"), fluentBit: ROLE("fluent-bit"), otelCollector: ROLE("otel-collector"), alertmanager: ROLE("alertmanager-sns") },
  priorityClassName: "platform-critical",
  ...overrides,
});
const build = (overrides: Partial<ObservabilityPlatformProps> = {}) => new ObservabilityPlatform(emptyStack(), "observability", props(overrides));

type Values = Record<string, unknown>;
/** A deep copy of a values object with one change made at a path. */
function edited(values: Readonly<Values>, edit: (copy: Values) => void): Values {
  const copy = structuredClone(values) as Values;
  edit(copy);
  return copy;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

describe("every object the observability platform renders or embeds in values passes its schema", () => {
  const platform = build();
  const manifests = platform.manifests();

  test("covers the rule files, Prometheus, Alertmanager, budgets, service accounts, agents and the PodMonitor", () => {
    // GIVEN the construct's manifests  THEN each kind the values describe is present
    const kinds = manifests.map((m) => `${m.kind}/${m.metadata.namespace}/${m.metadata.name}`).sort();
    expect(kinds).toEqual(
      [
        "Alertmanager/monitoring/kube-prometheus-stack-alertmanager",
        "DaemonSet/logging/aws-for-fluent-bit",
        "DaemonSet/monitoring/kube-prometheus-stack-prometheus-node-exporter",
        "Deployment/opentelemetry/otel-collector-opentelemetry-collector",
        "PodDisruptionBudget/monitoring/kube-prometheus-stack-alertmanager",
        "PodDisruptionBudget/monitoring/kube-prometheus-stack-prometheus",
        "PodDisruptionBudget/opentelemetry/otel-collector-opentelemetry-collector",
        "PodMonitor/opentelemetry/otel-collector",
        "Prometheus/monitoring/kube-prometheus-stack-prometheus",
        "PrometheusRule/monitoring/kube-prometheus-stack-observability-pipeline",
        "ServiceAccount/logging/aws-for-fluent-bit",
        "ServiceAccount/monitoring/alertmanager",
        "ServiceAccount/monitoring/prometheus",
        "ServiceAccount/opentelemetry/otel-collector",
      ].sort(),
    );
  });

  test.each(manifests.map((m) => [`${m.kind} ${m.metadata.namespace}/${m.metadata.name}`, m] as const))("%s", (_, manifest) => {
    // GIVEN one rendered or embedded object  WHEN validated  THEN its schema accepts it
    expect(() => validateManifest(manifest as Manifest)).not.toThrow();
  });

  test("the PodMonitor in the synthesized release values is exactly the validated one", () => {
    // GIVEN the monitors release as synthesized  WHEN its values are read back
    const stack = emptyStack("synth");
    const synthPlatform = new ObservabilityPlatform(stack, "observability", props());
    const json = JSON.parse(Testing.synth(stack)) as { resource: { helm_release: Record<string, { name: string; values: string[] }> } };
    const monitors = Object.values(json.resource.helm_release).find((r) => r.name === "observability-monitors")!;
    const rendered = (parse(monitors.values[0]!) as { manifests: Manifest[] }).manifests;
    // THEN they equal the construct's manifests and validate
    expect(rendered).toEqual(synthPlatform.monitors.manifests);
    rendered.forEach((m) => expect(() => validateManifest(m)).not.toThrow());
  });

  test("the service accounts carry the IRSA role ARNs the roles were made for", () => {
    const accounts = manifests.filter((m) => m.kind === "ServiceAccount");
    for (const [name, workload] of Object.entries(OBSERVABILITY_WORKLOADS)) {
      const account = accounts.find((a) => a.metadata.name === workload.serviceAccount && a.metadata.namespace === workload.namespace);
      expect(account?.metadata.annotations).toEqual({ "eks.amazonaws.com/role-arn": props().roleArns[name as keyof typeof OBSERVABILITY_WORKLOADS] });
    }
  });
});

/**
 * The stacks' values hold tokens for cross-stack reads (workspace endpoint, role ARNs); they are
 * replaced with values of the shape Terraform resolves them to, so patterns (an https URL) apply.
 */
function withExampleValues(manifests: readonly Manifest[], region: string): Manifest[] {
  const text = JSON.stringify(manifests)
    .replace(/\$\{TfToken\[TOKEN\.\d+\]\}api\/v1\/remote_write/g, `https://aps-workspaces.${region}.amazonaws.com/workspaces/ws-example/api/v1/remote_write`)
    .replace(/\$\{TfToken\[TOKEN\.\d+\]\}/g, "arn:aws:iam::111111111111:role/example");
  expect(text).not.toContain("TfToken");
  return JSON.parse(text) as Manifest[];
}

describe("every platform stack's observability objects pass their schemas", () => {
  const outdir = mkdtempSync(join(tmpdir(), "obs-manifests-"));
  const app = buildPlatformApp(validCatalogue(), { outdir });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const platforms = app.node.children.filter((c): c is PlatformStack => c instanceof PlatformStack);

  test.each(platforms.map((p) => [p.node.id, p] as const))("%s", (_, stack) => {
    // GIVEN the stack's observability construct, its cross-stack tokens given their resolved shape
    const observability = stack.node.findChild("observability") as ObservabilityPlatform;
    const manifests = withExampleValues(observability.manifests() as Manifest[], stack.context.region.region);
    // WHEN each is validated  THEN none fails
    expect(manifests.length).toBe(14);
    manifests.forEach((m) => expect(() => validateManifest(m)).not.toThrow());
    // AND the YAML stream of the monitors release parses back to valid objects
    const stream = observability.monitors.manifests.map((m) => `---\n${JSON.stringify(m)}`).join("\n");
    expect(manifestsInYaml(stream)).toHaveLength(1);
    manifestsInYaml(stream).forEach((m) => validateManifest(m));
  });
});

describe("a wrong value fails schema validation (misspelt keys fail tsc: packages/constructs/src/platform/observability/test/observability-typos.test.ts)", () => {
  const platform = build();
  const kps = platform.kubePrometheusStack.values as Values;

  test("throws when an additional rule file misspells expr (a required field)", () => {
    // GIVEN a team rule with `expresion` for `expr`
    const rules = { "team-slo": { groups: [{ name: "slo", rules: [{ alert: "ErrorBudgetBurn", expresion: "up == 0" }] }] } } as unknown as PrometheusRules;
    const withTypo = build({ additionalRules: rules });
    // WHEN its objects are validated  THEN the PrometheusRule is rejected, by name
    const rule = withTypo.manifests().find((m) => m.metadata.name === "kube-prometheus-stack-team-slo")!;
    expect(() => validateManifest(rule as Manifest)).toThrow(/monitoring\.coreos\.com\/v1 PrometheusRule monitoring\/kube-prometheus-stack-team-slo: .*expr/);
  });

  test("throws when the remote-write URL has no scheme", () => {
    // GIVEN the endpoint without https://
    const values = edited(kps, (v: Any) => {
      v.prometheus.prometheusSpec.remoteWrite[0].url = "aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-0123/api/v1/remote_write";
    });
    // WHEN the Prometheus object is validated  THEN the URL pattern fails
    const prometheus = kubePrometheusStackObjects(values, "monitoring").find((m) => m.kind === "Prometheus")!;
    expect(() => validateManifest(prometheus as Manifest)).toThrow(/Prometheus monitoring\/kube-prometheus-stack-prometheus: .*remoteWrite\/0\/url/);
  });

  test("throws when the retention is not a Prometheus duration", () => {
    const values = edited(kps, (v: Any) => {
      v.prometheus.prometheusSpec.retention = "12 hours";
    });
    const prometheus = kubePrometheusStackObjects(values, "monitoring").find((m) => m.kind === "Prometheus")!;
    expect(() => validateManifest(prometheus as Manifest)).toThrow(/Prometheus .*retention/);
  });

  test("throws when Alertmanager's spread constraint misspells topologyKey (a required field)", () => {
    const values = edited(kps, (v: Any) => {
      v.alertmanager.alertmanagerSpec.topologySpreadConstraints = [{ maxSkew: 1, topologyKy: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" }];
    });
    const alertmanager = kubePrometheusStackObjects(values, "monitoring").find((m) => m.kind === "Alertmanager")!;
    expect(() => validateManifest(alertmanager as Manifest)).toThrow(/Alertmanager .*topologyKey/);
  });

  test("throws when a DaemonSet toleration has a wrongly typed field", () => {
    const values = edited(platform.fluentBit.values as Values, (v: Any) => {
      v.tolerations = [{ operator: "Exists", tolerationSeconds: "300" }];
    });
    const daemonSet = fluentBitObjects(values, "logging").find((m) => m.kind === "DaemonSet")!;
    expect(() => validateManifest(daemonSet as Manifest)).toThrow(/DaemonSet logging\/aws-for-fluent-bit: .*tolerationSeconds/);
  });

  test("throws when the collector's disruption budget is not a number or percentage", () => {
    const values = edited(platform.otelCollector.values as Values, (v: Any) => {
      v.podDisruptionBudget = { enabled: true, maxUnavailable: { one: 1 } };
    });
    const budget = otelCollectorObjects(values, "opentelemetry").find((m) => m.kind === "PodDisruptionBudget")!;
    expect(() => validateManifest(budget as Manifest)).toThrow(/PodDisruptionBudget opentelemetry\/otel-collector-opentelemetry-collector/);
  });

  test("throws when the collector's replica count is not a number", () => {
    const values = edited(platform.otelCollector.values as Values, (v: Any) => {
      v.replicaCount = "two";
    });
    const deployment = otelCollectorObjects(values, "opentelemetry").find((m) => m.kind === "Deployment")!;
    expect(() => validateManifest(deployment as Manifest)).toThrow(/Deployment opentelemetry\/otel-collector-opentelemetry-collector: .*replicas/);
  });
});
