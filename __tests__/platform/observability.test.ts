import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { CHARTS } from "@meridian/constructs";
import { OBSERVABILITY_WORKLOADS } from "@meridian/constructs";
import { AMP_QUEUE_CONFIG } from "@meridian/constructs";
import { buildPlatformApp } from "../../stacks/platform-app";
import { RegionalStack } from "../../stacks/regional-stack";
import { onlyResourceOf, resourcesOf, synthStacks, validCatalogue, type Block, type SynthesizedJson } from "../helpers";

const stacks = synthStacks();
const names = [...stacks.keys()];
const regionalNames = names.filter((n) => n.includes("-regional-"));
const platformNames = names.filter((n) => n.includes("-platform-"));

const clusterOf = (stackName: string) => {
  const [environment, , ...region] = stackName.split("-");
  return { environment: environment!, region: region.join("-"), cluster: `meridian-${environment}-${region.join("-")}` };
};
const regionalOf = (platformName: string) => platformName.replace("-platform-", "-regional-");

const release = (json: SynthesizedJson, name: string): Block => {
  const found = resourcesOf(json, "helm_release").filter((r) => r.name === name);
  expect(found).toHaveLength(1);
  return found[0]!;
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const valuesOf = (json: SynthesizedJson, name: string): any => parse((release(json, name).values as string[])[0]!);
const idOf = (json: SynthesizedJson, type: string, predicate: (b: Block) => boolean): string => {
  const entries = Object.entries(json.resource[type] ?? {}).filter(([, b]) => predicate(b));
  expect(entries).toHaveLength(1);
  return entries[0]![0];
};

/** The expression the platform stack reads a regional stack's value through: the output that exposes `expression`. */
function crossStackRead(platform: SynthesizedJson, regionalName: string, regional: SynthesizedJson, expression: string): string {
  const outputs = Object.entries(regional.output ?? {}).filter(([key, o]) => key.startsWith("cross-stack-output-") && o.value === expression);
  expect(outputs).toHaveLength(1);
  const remoteState = `cross-stack-reference-input-${regionalName}`;
  expect(platform.data?.terraform_remote_state?.[remoteState]).toBeDefined();
  return `\${data.terraform_remote_state.${remoteState}.outputs.${outputs[0]![0]}}`;
}

describe.each(regionalNames)("%s: observability AWS side", (name) => {
  const json = stacks.get(name)!;
  const { cluster, environment } = clusterOf(name);

  test("has one AMP workspace aliased by the cluster, encrypted with the cluster's storage key", () => {
    // GIVEN the regional stack  WHEN synthesized  THEN one workspace, storage-key encrypted, logging with retention
    const workspace = onlyResourceOf(json, "aws_prometheus_workspace");
    expect(workspace.alias).toBe(cluster);
    expect(workspace.kms_key_arn).toMatch(/^\$\{aws_kms_key\.cluster_storage-key_[\w]+\.arn\}$/);
    const logGroupId = idOf(json, "aws_cloudwatch_log_group", (g) => g.name === `/aws/vendedlogs/prometheus/${cluster}`);
    expect(workspace.logging_configuration).toEqual({ log_group_arn: `\${aws_cloudwatch_log_group.${logGroupId}.arn}:*` });
  });

  test("pre-creates the workload log group with the environment's log retention", () => {
    // GIVEN the environment's cluster.logRetentionDays (30 staging, 365 production)
    const retention = environment === "production" ? 365 : 30;
    // THEN both observability log groups keep logs exactly that long
    for (const groupName of [`/aws/eks/${cluster}/workloads`, `/aws/vendedlogs/prometheus/${cluster}`]) {
      expect(resourcesOf(json, "aws_cloudwatch_log_group").find((g) => g.name === groupName)?.retention_in_days).toBe(retention);
    }
  });

  test("outputs the workspace id and endpoint and the workload log group", () => {
    // GIVEN the outputs  THEN they reference the workspace and log group
    const workspaceId = idOf(json, "aws_prometheus_workspace", () => true);
    expect(json.output!.amp_workspace_id!.value).toBe(`\${aws_prometheus_workspace.${workspaceId}.id}`);
    expect(json.output!.amp_workspace_endpoint!.value).toBe(`\${aws_prometheus_workspace.${workspaceId}.prometheus_endpoint}`);
    expect(json.output!.workload_log_group_name!.value).toMatch(/^\$\{aws_cloudwatch_log_group\.observability_workload-logs_\w+\.name\}$/);
  });

  test("the alert topic mails the environment's alertEmails and is an output for other subscribers", () => {
    // GIVEN the catalogue's addresses for this environment
    const emails = validCatalogue().environments.find((e) => e.name === environment)!.cluster.alertEmails;
    // THEN each is subscribed to this region's topic, and the topic's ARN is an output
    const topicId = idOf(json, "aws_sns_topic", (t) => t.name === `${cluster}-alerts`);
    expect(resourcesOf(json, "aws_sns_topic_subscription")).toEqual(emails.map((endpoint) => ({ topic_arn: `\${aws_sns_topic.${topicId}.arn}`, protocol: "email", endpoint })));
    expect(json.output!.alert_topic_arn!.value).toBe(`\${aws_sns_topic.${topicId}.arn}`);
  });

  test("creates the agents' IRSA roles under the cluster name", () => {
    // GIVEN the roles  THEN each workload's role exists, named <cluster>-<roleId>
    const roleNames = resourcesOf(json, "aws_iam_role").map((r) => r.name);
    for (const workload of Object.values(OBSERVABILITY_WORKLOADS)) {
      expect(roleNames).toContain(`${cluster}-${workload.roleId}`);
    }
  });
});

describe("the regional stacks hand out the observability roles and the controllers' roles", () => {
  test("as typed handles: one role per agent, and the load balancer controller's", () => {
    // GIVEN an app built from the built-in catalogue
    const outdir = mkdtempSync(join(tmpdir(), "obs-"));
    try {
      const app = buildPlatformApp(validCatalogue(), { outdir });
      const regionals = app.node.children.filter((c): c is RegionalStack => c instanceof RegionalStack);
      expect(regionals).toHaveLength(4);
      // THEN every regional stack carries a role per agent and the load balancer controller's role
      for (const regional of regionals) {
        expect(Object.keys(regional.observability.roles).sort()).toEqual(["alertmanager", "fluentBit", "otelCollector", "prometheus"]);
        expect(regional.controllerRoles.loadBalancerController.node.id).toBe("load-balancer-controller");
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe.each(platformNames)("%s: observability in the cluster", (name) => {
  const json = stacks.get(name)!;
  const regionalName = regionalOf(name);
  const regional = stacks.get(regionalName)!;
  const { cluster, region, environment } = clusterOf(name);
  const roleArnRead = (roleId: string) =>
    crossStackRead(json, regionalName, regional, `\${aws_iam_role.${idOf(regional, "aws_iam_role", (r) => r.name === `${cluster}-${roleId}`)}.arn}`);
  const kps = valuesOf(json, "kube-prometheus-stack");
  const fluentBit = valuesOf(json, "aws-for-fluent-bit");
  const collector = valuesOf(json, "otel-collector");

  test("installs the three charts at the versions pinned in CHARTS, each in its namespace", () => {
    // GIVEN the helm releases  THEN repository, chart and version come from CHARTS
    const expectations = [
      ["kube-prometheus-stack", CHARTS.kubePrometheusStack, "monitoring"],
      ["aws-for-fluent-bit", CHARTS.fluentBit, "logging"],
      ["otel-collector", CHARTS.openTelemetryCollector, "opentelemetry"],
    ] as const;
    for (const [releaseName, pin, namespace] of expectations) {
      expect(release(json, releaseName)).toMatchObject({ repository: pin.repository, chart: pin.chart, version: pin.version, namespace, atomic: true, wait: true });
    }
  });

  test("Prometheus remote-writes to this region's workspace, read across stacks, signed with SigV4 for this region", () => {
    // GIVEN the regional stack's workspace endpoint
    const workspaceId = idOf(regional, "aws_prometheus_workspace", () => true);
    const endpoint = crossStackRead(json, regionalName, regional, `\${aws_prometheus_workspace.${workspaceId}.prometheus_endpoint}`);
    // THEN the one remote write is <endpoint>api/v1/remote_write with SigV4 in the region and AMP's queue settings
    expect(kps.prometheus.prometheusSpec.remoteWrite).toEqual([{ url: `${endpoint}api/v1/remote_write`, sigv4: { region }, queueConfig: { ...AMP_QUEUE_CONFIG } }]);
  });

  test("each agent's service account is the one its role trusts and carries that role's ARN", () => {
    // GIVEN the IRSA role ARNs read from the regional stack
    const accounts = [
      [kps.prometheus.serviceAccount, OBSERVABILITY_WORKLOADS.prometheus],
      [kps.alertmanager.serviceAccount, OBSERVABILITY_WORKLOADS.alertmanager],
      [fluentBit.serviceAccount, OBSERVABILITY_WORKLOADS.fluentBit],
      [collector.serviceAccount, OBSERVABILITY_WORKLOADS.otelCollector],
    ] as const;
    // THEN the chart creates the trusted service account annotated with the role
    for (const [account, workload] of accounts) {
      expect(account).toEqual({ create: true, name: workload.serviceAccount, annotations: { "eks.amazonaws.com/role-arn": roleArnRead(workload.roleId) } });
    }
    expect(release(json, "kube-prometheus-stack").namespace).toBe(OBSERVABILITY_WORKLOADS.prometheus.namespace);
    expect(release(json, "aws-for-fluent-bit").namespace).toBe(OBSERVABILITY_WORKLOADS.fluentBit.namespace);
    expect(release(json, "otel-collector").namespace).toBe(OBSERVABILITY_WORKLOADS.otelCollector.namespace);
  });

  test("Prometheus is an HA pair spread over zones with a budget, labelled for AMP de-duplication, keeping little locally", () => {
    const spec = kps.prometheus.prometheusSpec;
    // THEN 2 replicas, zone spread (hard) and node spread (soft), PDB allowing one disruption
    expect(spec.replicas).toBe(2);
    expect(spec.topologySpreadConstraints).toEqual([
      expect.objectContaining({ topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } }),
      expect.objectContaining({ topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway" }),
    ]);
    expect(kps.prometheus.podDisruptionBudget).toEqual({ enabled: true, minAvailable: null, maxUnavailable: 1 });
    // AND AMP's HA labels `cluster` + `__replica__`, plus region and environment for cross-region dashboards
    expect(spec.externalLabels).toEqual({ cluster, region, environment });
    expect(spec.replicaExternalLabelName).toBe("__replica__");
    // AND a short local retention on an emptyDir bounded below its size limit
    expect(spec).toMatchObject({ retention: "12h", retentionSize: "4GB", storageSpec: { emptyDir: { sizeLimit: "6Gi" } } });
    // AND every team's monitors and rules are selected, not only the chart's
    for (const key of ["rule", "serviceMonitor", "podMonitor", "probe", "scrapeConfig"]) {
      expect(spec[`${key}SelectorNilUsesHelmValues`]).toBe(false);
    }
  });

  test("Alertmanager runs in-cluster as 3 replicas over zones; Grafana is left to Amazon Managed Grafana", () => {
    expect(kps.alertmanager.enabled).toBe(true);
    expect(kps.alertmanager.alertmanagerSpec.replicas).toBe(3);
    expect(kps.alertmanager.alertmanagerSpec.topologySpreadConstraints[0]).toMatchObject({ topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" });
    expect(kps.alertmanager.podDisruptionBudget).toEqual({ enabled: true, minAvailable: null, maxUnavailable: 1 });
    expect(kps.grafana).toEqual({ enabled: false });
  });

  test("Alertmanager sends every alert to this region's alert topic, signed for this region; Watchdog and InfoInhibitor go nowhere", () => {
    // GIVEN the regional stack's alert topic (its ARN is built from parts, known at plan time)
    const accountId = validCatalogue().environments.find((e) => e.name === environment)!.accountId;
    const topicArn = `arn:aws:sns:${region}:${accountId}:${cluster}-alerts`;
    expect(resourcesOf(regional, "aws_sns_topic").map((t) => t.name)).toEqual([`${cluster}-alerts`]);
    // THEN the default route is the topic receiver, with resolved notifications
    expect(kps.alertmanager.config.route).toEqual({
      receiver: "alert-topic",
      routes: [
        { receiver: "null", matchers: ['alertname = "Watchdog"'] },
        { receiver: "null", matchers: ['alertname = "InfoInhibitor"'] },
      ],
    });
    expect(kps.alertmanager.config.receivers).toEqual([{ name: "null" }, { name: "alert-topic", sns_configs: [{ topic_arn: topicArn, sigv4: { region }, send_resolved: true }] }]);
  });

  test("control-plane components EKS does not expose are neither scraped nor alerted on", () => {
    for (const component of ["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"]) {
      expect(kps[component]).toEqual({ enabled: false });
    }
    expect(kps.defaultRules.rules).toEqual({ etcd: false, kubeControllerManager: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false, kubeProxy: false });
  });

  test("the per-node agents run on every node, GPU-tainted ones included, as system-node-critical", () => {
    // GIVEN the GPU node group's taint nvidia.com/gpu:NoSchedule  THEN both DaemonSets tolerate every taint
    for (const daemonSet of [fluentBit, kps["prometheus-node-exporter"]]) {
      expect(daemonSet.tolerations).toEqual([{ operator: "Exists" }]);
      expect(daemonSet.priorityClassName).toBe("system-node-critical");
    }
  });

  test("the Deployments and StatefulSets run as platform-critical, after the class exists", () => {
    // GIVEN the cluster add-ons' PriorityClass resource
    const priorityClassId = idOf(json, "kubernetes_priority_class_v1", (p) => (p.metadata as Block).name === "platform-critical");
    // THEN Prometheus, Alertmanager and the collector name it and every release waits for it
    expect(kps.prometheus.prometheusSpec.priorityClassName).toBe("platform-critical");
    expect(kps.alertmanager.alertmanagerSpec.priorityClassName).toBe("platform-critical");
    expect(collector.priorityClassName).toBe("platform-critical");
    for (const releaseName of ["kube-prometheus-stack", "aws-for-fluent-bit", "otel-collector"]) {
      expect(release(json, releaseName).depends_on).toContain(`kubernetes_priority_class_v1.${priorityClassId}`);
    }
  });

  test("Fluent Bit ships to the pre-created group of this region and never creates groups", () => {
    expect(fluentBit.cloudWatchLogs).toEqual({
      enabled: true,
      region,
      logGroupName: `/aws/eks/${cluster}/workloads`,
      logGroupTemplate: "",
      logStreamTemplate: "$kubernetes['namespace_name'].$kubernetes['pod_name'].$kubernetes['container_name']",
      autoCreateGroup: false,
    });
    for (const output of ["cloudWatch", "firehose", "kinesis", "elasticsearch"]) {
      expect(fluentBit[output]).toEqual({ enabled: false });
    }
  });

  test("the collector is a 2-replica contrib Deployment: OTLP in, X-Ray out in this region, spread with a budget", () => {
    expect(collector).toMatchObject({ mode: "deployment", replicaCount: 2, image: { repository: "otel/opentelemetry-collector-contrib" }, command: { name: "otelcol-contrib" } });
    expect(collector.podDisruptionBudget).toEqual({ enabled: true, minAvailable: null, maxUnavailable: 1 });
    expect(collector.topologySpreadConstraints[0]).toMatchObject({
      topologyKey: "topology.kubernetes.io/zone",
      labelSelector: { matchLabels: { "app.kubernetes.io/name": "opentelemetry-collector", "app.kubernetes.io/instance": "otel-collector" } },
    });
    const config = collector.config;
    expect(config.exporters.awsxray).toEqual({ region });
    expect(config.service.pipelines).toEqual({
      traces: { receivers: ["otlp"], processors: ["memory_limiter", "resource", "batch"], exporters: ["awsxray"] },
      metrics: null,
      logs: null,
    });
    expect(config.processors.resource.attributes).toEqual([
      { key: "k8s.cluster.name", value: cluster, action: "upsert" },
      { key: "cloud.region", value: region, action: "upsert" },
    ]);
  });

  test("the collector's env reference is escaped so Terraform passes it through literally", () => {
    // GIVEN the raw values string (Terraform would otherwise parse ${env:...} as its own interpolation)
    const raw = (release(json, "otel-collector").values as string[])[0]!;
    // THEN it carries $${env:MY_POD_IP}, which Terraform turns into ${env:MY_POD_IP}
    expect(raw).toContain("endpoint: $${env:MY_POD_IP}:2000");
    expect(raw.replace(/\$\$\{/g, "").includes("${env:")).toBe(false);
  });

  test("every component a pipeline names is configured (here or by the chart's defaults)", () => {
    // GIVEN the chart's own defaults: otlp receiver, memory_limiter and batch processors, health_check extension
    const chartDefaults = { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: [] as string[] };
    const config = collector.config;
    // THEN nothing is referenced that is not defined
    for (const pipeline of Object.values(config.service.pipelines).filter(Boolean) as Record<string, string[]>[]) {
      for (const kind of ["receivers", "processors", "exporters"] as const) {
        for (const component of pipeline[kind]!) {
          expect([...chartDefaults[kind], ...Object.keys(config[kind] ?? {}).filter((k) => config[kind][k] !== null)]).toContain(component);
        }
      }
    }
    expect(config.service.extensions).toEqual(["health_check", "awsproxy"]);
  });

  test("Fluent Bit's ServiceMonitor and the collector's PodMonitor wait for the CRDs kube-prometheus-stack installs", () => {
    const kpsRef = `helm_release.${idOf(json, "helm_release", (r) => r.name === "kube-prometheus-stack")}`;
    expect(release(json, "aws-for-fluent-bit").depends_on).toContain(kpsRef);
    expect(release(json, "observability-monitors").depends_on).toEqual(
      expect.arrayContaining([kpsRef, `helm_release.${idOf(json, "helm_release", (r) => r.name === "otel-collector")}`]),
    );
    expect(fluentBit.serviceMonitor).toEqual({ enabled: true });
  });

  test("the pipeline's own alerts ship as a rule file", () => {
    const alerts = kps.additionalPrometheusRulesMap["observability-pipeline"].groups[0].rules.map((r: { alert: string }) => r.alert);
    expect(alerts).toEqual(["AmpRemoteWriteFailing", "FluentBitCloudWatchRetriesFailing", "FluentBitMissingOnNodes", "OtelCollectorXRayExportFailing"]);
  });
});
