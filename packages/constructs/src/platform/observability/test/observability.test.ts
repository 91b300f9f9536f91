import { TerraformVariable, Testing } from "cdktf";
import { ObservabilityPlatform, durationHours, type ObservabilityPlatformProps } from "..";
import { emptyStack, synthJson } from "../../../../test-support/fixture";
import { helmRelease, helmStack, helmValues } from "../../../../test-support/helm";
import { ObservabilityExample } from "./usage";

const ROLE = (id: string) => `arn:aws:iam::111111111111:role/meridian-staging-us-east-1-${id}`;
const props = (overrides: Partial<ObservabilityPlatformProps> = {}): ObservabilityPlatformProps => ({
  clusterName: "meridian-staging-us-east-1",
  region: "us-east-1",
  environment: "staging",
  remoteWriteUrl: "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-0123/api/v1/remote_write",
  logGroupName: "/aws/eks/meridian-staging-us-east-1/workloads",
  alertTopicArn: "arn:aws:sns:us-east-1:222222222222:meridian-staging-us-east-1-alerts",
  roleArns: { prometheus: ROLE("amp-remote-write"), fluentBit: ROLE("fluent-bit"), otelCollector: ROLE("otel-collector"), alertmanager: ROLE("alertmanager-sns") },
  ...overrides,
});
const stack = () => emptyStack();
const build = (overrides: Partial<ObservabilityPlatformProps> = {}) => () => new ObservabilityPlatform(stack(), "observability", props(overrides));

describe("ObservabilityPlatform rejects settings that would lose data or availability", () => {
  test("throws when the alert topic is not an SNS topic ARN in the cluster's region", () => {
    expect(build({ alertTopicArn: "meridian-alerts" })).toThrow('alertTopicArn "meridian-alerts" must be an SNS topic ARN');
    expect(build({ alertTopicArn: "arn:aws:sns:eu-west-1:222222222222:meridian-staging-us-east-1-alerts" })).toThrow("must be in the cluster's region us-east-1");
  });
  test("throws when Prometheus would run a single replica", () => {
    expect(build({ prometheusReplicas: 1 })).toThrow("highAvailability prometheus: replicas 1 must be an integer >= 2");
  });
  test("throws when Alertmanager would run a single replica", () => {
    expect(build({ alertmanagerReplicas: 1 })).toThrow("highAvailability alertmanager: replicas 1 must be an integer >= 2");
  });
  test("throws when the collector would run a single replica", () => {
    expect(build({ collectorReplicas: 1 })).toThrow("highAvailability otel-collector: replicas 1 must be an integer >= 2");
  });
  test("throws when the priority class is not a PriorityClass name", () => {
    expect(build({ priorityClassName: "Platform Critical" })).toThrow('highAvailability prometheus: priorityClassName "Platform Critical" must be a PriorityClass name');
  });
  test("throws when local retention exceeds 7d (AMP is the store)", () => {
    expect(build({ retention: "30d" })).toThrow('retention "30d" must be at most 7d: remote write to AMP is the long-term store');
  });
  test("throws when local retention is under 2h", () => {
    expect(build({ retention: "90m" })).toThrow('retention "90m" must be at least 2h');
  });
  test("throws when retention is not a Prometheus duration", () => {
    expect(build({ retention: "12 hours" })).toThrow('retention "12 hours" must be a Prometheus duration such as 12h or 1d');
  });
  test("throws when the remote-write URL is not https or not the remote-write path", () => {
    expect(build({ remoteWriteUrl: "http://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-0123/api/v1/remote_write" })).toThrow(
      "remoteWriteUrl \"http://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-0123/api/v1/remote_write\" must be an https URL ending in /api/v1/remote_write",
    );
    expect(build({ remoteWriteUrl: "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-0123/" })).toThrow("must be an https URL ending in /api/v1/remote_write");
  });
  test("throws when a token URL is the bare workspace endpoint", () => {
    // GIVEN the endpoint token without the remote-write path
    const s = stack();
    const endpoint = new TerraformVariable(s, "endpoint", { type: "string" }).stringValue;
    // WHEN built  THEN the error says what to append
    expect(() => new ObservabilityPlatform(s, "observability", props({ remoteWriteUrl: endpoint }))).toThrow("must end in api/v1/remote_write (append it to the workspace's prometheus_endpoint)");
  });
  test("accepts a token URL ending in the remote-write path", () => {
    const s = stack();
    const endpoint = new TerraformVariable(s, "endpoint", { type: "string" }).stringValue;
    expect(() => new ObservabilityPlatform(s, "observability", props({ remoteWriteUrl: `${endpoint}api/v1/remote_write` }))).not.toThrow();
  });
  test("throws when a role ARN is not an IAM role ARN", () => {
    expect(build({ roleArns: { ...props().roleArns, fluentBit: "arn:aws:iam::111111111111:user/fluent-bit" } })).toThrow(
      'roleArns.fluentBit "arn:aws:iam::111111111111:user/fluent-bit" must be an IAM role ARN',
    );
  });
  test("throws when the region is not a region name", () => {
    expect(build({ region: "useast1" })).toThrow('region "useast1" must be an AWS region name');
  });
  test("throws when the environment is not a DNS label", () => {
    expect(build({ environment: "Prod" })).toThrow('environment "Prod" must be a lower-case DNS label');
  });
  test("throws when the log group name has characters CloudWatch Logs refuses", () => {
    expect(build({ logGroupName: "/aws/eks/x/work loads" })).toThrow('logGroupName "/aws/eks/x/work loads" must be a CloudWatch Logs group name');
  });
  test("throws when an additional rule file reuses the built-in pipeline rules' name", () => {
    expect(build({ additionalRules: { "observability-pipeline": { groups: [] } } })).toThrow('additionalRules.observability-pipeline "observability-pipeline" is the name of the built-in pipeline rules');
  });
  test("throws when an additional rule file's name is not a DNS label", () => {
    expect(build({ additionalRules: { Team_SLO: { groups: [] } } })).toThrow('additionalRules.Team_SLO "Team_SLO" must be a lower-case DNS label');
    // The PrometheusRule is named kube-prometheus-stack-<key>: 40 keeps that a DNS label.
    expect(build({ additionalRules: { ["k".repeat(40)]: { groups: [] } } })).not.toThrow();
    expect(build({ additionalRules: { ["k".repeat(41)]: { groups: [] } } })).toThrow("must be a lower-case DNS label of at most 40 characters");
  });
  test("reports every problem at once", () => {
    expect(build({ region: "x", environment: "Y", retention: "1y" })).toThrow(/region "x"[\s\S]*environment "Y"[\s\S]*retention "1y"/);
  });
});

describe("ObservabilityPlatform settings", () => {
  test("replicas follow the props, each with a budget allowing one disruption", () => {
    // GIVEN 3 Prometheus and 5 Alertmanager replicas
    const platform = new ObservabilityPlatform(stack(), "observability", props({ prometheusReplicas: 3, alertmanagerReplicas: 5, collectorReplicas: 4, retention: "1d" }));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const kps = platform.kubePrometheusStack.values as any;
    // THEN the values carry them, budgets allow one pod down at a time
    expect(kps.prometheus.prometheusSpec).toMatchObject({ replicas: 3, retention: "1d" });
    expect(kps.alertmanager.alertmanagerSpec.replicas).toBe(5);
    expect(platform.otelCollector.values.replicaCount).toBe(4);
    expect(platform.availability.alertmanager.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
  });
  test("without a priority class the charts' defaults apply", () => {
    const platform = new ObservabilityPlatform(stack(), "observability", props());
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect((platform.kubePrometheusStack.values as any).prometheus.prometheusSpec.priorityClassName).toBeUndefined();
    expect(platform.otelCollector.values.priorityClassName).toBeUndefined();
  });
  test("durations add up across units", () => {
    expect(["2h", "12h", "1d12h", "7d", "90m", "1w"].map(durationHours)).toEqual([2, 12, 36, 168, 1.5, 168]);
  });
});

describe("ObservabilityPlatform releases", () => {
  test("four releases: kube-prometheus-stack first, Fluent Bit and the monitors after it; charts replace the pins", () => {
    const s = helmStack();
    const chart = { repository: "https://charts.example.com", chart: "opentelemetry-collector", version: "9.9.9" };
    new ObservabilityPlatform(s, "observability", props({ charts: { otelCollector: chart }, values: { fluentBit: { extra: true } } }));
    const json = synthJson(s);
    const kps = helmRelease(json, "kube-prometheus-stack");
    expect(kps).toMatchObject({ namespace: "monitoring", timeout: 900 });
    expect(helmRelease(json, "aws-for-fluent-bit").depends_on).toEqual([expect.stringMatching(/^helm_release\.observability_kube-prometheus-stack_release_/)]);
    expect(helmValues(helmRelease(json, "aws-for-fluent-bit")).extra).toBe(true);
    expect(helmRelease(json, "otel-collector")).toMatchObject(chart);
    expect(helmRelease(json, "observability-monitors").depends_on).toHaveLength(2);
  });
  test("priorityClassName and additionalRules reach kube-prometheus-stack's values", () => {
    const platform = new ObservabilityPlatform(stack(), "observability", props({ priorityClassName: "platform-critical", additionalRules: { slo: { groups: [] } } }));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const kps = platform.kubePrometheusStack.values as any;
    expect(kps.prometheus.prometheusSpec.priorityClassName).toBe("platform-critical");
    expect(Object.keys(kps.additionalPrometheusRulesMap)).toEqual(expect.arrayContaining(["slo", "observability-pipeline"]));
  });
});

test("the README's usage example synthesizes (snapshot)", () => {
  expect(synthJson(new ObservabilityExample(Testing.app(), "example"))).toMatchSnapshot();
});
