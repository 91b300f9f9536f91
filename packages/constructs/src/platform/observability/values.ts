import type { IAlertmanagerSpec } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/AlertmanagerSpec" with { "resolution-mode": "import" };
import type { IPrometheusRuleSpec } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRuleSpec" with { "resolution-mode": "import" };
import type { IPrometheusSpec } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusSpec" with { "resolution-mode": "import" };
import type { IStorageSpec } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/StorageSpec" with { "resolution-mode": "import" };
import type { IPodDisruptionBudgetSpec } from "kubernetes-models/policy/v1/PodDisruptionBudgetSpec" with { "resolution-mode": "import" };
import type { IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements" with { "resolution-mode": "import" };
import type { IToleration } from "kubernetes-models/v1/Toleration" with { "resolution-mode": "import" };
import type { ITopologySpreadConstraint } from "kubernetes-models/v1/TopologySpreadConstraint" with { "resolution-mode": "import" };
import { OBSERVABILITY_WORKLOADS } from "../../observability-aws/workloads";
import { highAvailability, toggledPodDisruptionBudget, type HighAvailability } from "../resilience";

/**
 * Helm values of the three observability charts, as pure functions of the cluster's settings so
 * tests (and reviews) see exactly what is installed. Value keys were checked against the charts'
 * published values.yaml and templates, not the pinned versions (no chart repository offline);
 * the keys whose effect at the pinned version is assumed are listed in docs/observability.md.
 */

/*
 * Value fragments that the charts pass through to Kubernetes fields are typed with the
 * kubernetes-models interfaces, so TypeScript's excess-property check rejects a misspelt key at
 * `tsc` time; the tests' manifest harness also rejects unknown fields by path.
 */

/** `prometheus.prometheusSpec`: the Prometheus spec, with `storage` named `storageSpec` and the chart's selector switches. */
export type PrometheusSpecValues = Omit<IPrometheusSpec, "storage"> & { readonly storageSpec?: IStorageSpec } & Partial<
  Record<`${"rule" | "serviceMonitor" | "podMonitor" | "probe" | "scrapeConfig"}SelectorNilUsesHelmValues`, boolean>
>;
/** `alertmanager.alertmanagerSpec`: passed through to the Alertmanager spec. */
export type AlertmanagerSpecValues = IAlertmanagerSpec;
/** The `podDisruptionBudget` block of the charts: an on/off switch plus budget fields (`null` removes a chart default). */
export type PodDisruptionBudgetValues = { readonly enabled: boolean } & { readonly [K in "minAvailable" | "maxUnavailable"]?: IPodDisruptionBudgetSpec[K] | null };
/** Scheduling and resources of an agent's pods (the charts copy these into the pod spec). */
export interface PodValues {
  readonly priorityClassName?: string;
  readonly tolerations?: IToleration[];
  readonly topologySpreadConstraints?: ITopologySpreadConstraint[];
  readonly resources?: IResourceRequirements;
}

export const RELEASES = {
  kubePrometheusStack: "kube-prometheus-stack",
  fluentBit: "aws-for-fluent-bit",
  otelCollector: "otel-collector",
} as const;

/** DaemonSets must run on every node, GPU-tainted (`nvidia.com/gpu:NoSchedule`) and cordoned ones included. */
export const TOLERATE_EVERY_TAINT: IToleration[] = [{ operator: "Exists" }];

/** Built-in class for per-node agents: the kubelet keeps them over everything else on the node. */
export const NODE_AGENT_PRIORITY_CLASS = "system-node-critical";

/** The name the chart gives the Prometheus object (`<fullname>-prometheus`). */
export const PROMETHEUS_NAME = `${RELEASES.kubePrometheusStack}-prometheus`;

/** AMP's recommended remote-write queue settings (AMP user guide, "remote write"): big batches, many shards. */
export const AMP_QUEUE_CONFIG = { capacity: 2500, maxSamplesPerSend: 1000, maxShards: 200 } as const;

export type PrometheusRules = Readonly<Record<string, IPrometheusRuleSpec>>;

const severity = (level: "warning" | "critical") => ({ severity: level });

/**
 * Alerts on the observability pipeline itself: a metrics, log or trace path that silently stops is
 * only noticed when someone needs the data. Metric names follow Prometheus 3 / collector 0.1xx
 * (`_total` on counters); the collector's are matched with and without the suffix.
 */
export function pipelineRules(namespaces: { readonly fluentBit: string }): PrometheusRules {
  return {
    "observability-pipeline": {
      groups: [
        {
          name: "observability-pipeline",
          rules: [
            {
              alert: "AmpRemoteWriteFailing",
              expr: "sum by (pod) (rate(prometheus_remote_storage_samples_failed_total[5m])) > 0",
              for: "10m",
              labels: severity("critical"),
              annotations: {
                summary: "Prometheus {{ $labels.pod }} cannot write samples to Amazon Managed Service for Prometheus",
                description: "Samples are failing remote write (SigV4, IRSA role or workspace). Local retention is short; data older than it is lost if this continues.",
              },
            },
            {
              alert: "FluentBitCloudWatchRetriesFailing",
              expr: "sum by (pod) (rate(fluentbit_output_retries_failed_total[5m])) > 0",
              for: "10m",
              labels: severity("warning"),
              annotations: {
                summary: "Fluent Bit {{ $labels.pod }} drops log records after exhausting retries",
                description: "CloudWatch Logs rejects or throttles the agent (IRSA role, log group, quota).",
              },
            },
            {
              alert: "FluentBitMissingOnNodes",
              expr: `kube_daemonset_status_desired_number_scheduled{namespace="${namespaces.fluentBit}"} - kube_daemonset_status_number_ready{namespace="${namespaces.fluentBit}"} > 0`,
              for: "15m",
              labels: severity("warning"),
              annotations: {
                summary: "Fluent Bit is not ready on {{ $value }} node(s)",
                description: "Logs of the pods on those nodes are not shipped. Check tolerations and priority (it must run on every node).",
              },
            },
            {
              alert: "OtelCollectorXRayExportFailing",
              expr: 'sum by (pod) (rate({__name__=~"otelcol_exporter_send_failed_spans(_total)?", exporter="awsxray"}[5m])) > 0',
              for: "10m",
              labels: severity("warning"),
              annotations: {
                summary: "OpenTelemetry collector {{ $labels.pod }} fails to send spans to X-Ray",
                description: "Traces are being dropped (IRSA role, X-Ray throttling or invalid trace ids).",
              },
            },
          ],
        },
      ],
    },
  };
}

/** Inputs of {@link kubePrometheusStackValues}. */
export interface KubePrometheusStackValuesProps {
  /** The `cluster` label of every series. */
  readonly clusterName: string;
  /** SigV4 signing region and the `region` label. */
  readonly region: string;
  /** The `environment` label of every series. */
  readonly environment: string;
  /** The AMP workspace's remote-write URL. */
  readonly remoteWriteUrl: string;
  /** Prometheus's IRSA role (remote write). */
  readonly roleArn: string;
  /** Where Alertmanager sends alerts: the region's SNS topic, published to with this IRSA role. */
  readonly alerting: { readonly topicArn: string; readonly roleArn: string };
  /** Prometheus's replicas, budget, spread and priority. */
  readonly prometheus: HighAvailability;
  /** Alertmanager's replicas, budget, spread and priority. */
  readonly alertmanager: HighAvailability;
  /** Local TSDB retention (remote write is the store). */
  readonly retention: string;
  /** Rule files for `additionalPrometheusRulesMap`, by name. */
  readonly rules: PrometheusRules;
}

/**
 * kube-prometheus-stack on EKS with AMP as the store:
 *
 * - Prometheus: an HA pair (spread over zones, PDB) remote-writing to the region's workspace with
 *   SigV4 through IRSA. AMP de-duplicates the pair by the external labels `cluster` + `__replica__`.
 *   Local storage is an emptyDir with a short retention: the pair covers for each other and AMP
 *   holds history, so a PVC buys nothing but zonal stickiness.
 * - Alertmanager: in-cluster, 3 replicas gossiping over zones. Rules (the chart's and teams'
 *   PrometheusRules) evaluate where the data is freshest and keep alerting when AMP ingestion is
 *   impaired; AMP's alert manager only offers SNS and would need every rule converted.
 * - Grafana: off; Amazon Managed Grafana reads every region's workspace (docs/observability.md).
 * - Control-plane scrapes EKS does not expose (controller manager, scheduler, etcd, kube-proxy's
 *   localhost-bound metrics) and their rules are off, so they do not fire as "down".
 * - Every ServiceMonitor/PodMonitor/PrometheusRule/Probe/ScrapeConfig of the cluster is selected,
 *   not only the chart's own (`*SelectorNilUsesHelmValues: false`).
 */
export function kubePrometheusStackValues(props: KubePrometheusStackValuesProps): Record<string, unknown> {
  const workload = OBSERVABILITY_WORKLOADS.prometheus;
  const { prometheus, alertmanager } = props;
  const alertmanagerSpec: AlertmanagerSpecValues = {
    replicas: alertmanager.replicas,
    topologySpreadConstraints: alertmanager.topologySpreadConstraints,
    priorityClassName: alertmanager.priorityClassName,
    resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
  };
  const prometheusSpec: PrometheusSpecValues = {
    replicas: prometheus.replicas,
    topologySpreadConstraints: prometheus.topologySpreadConstraints,
    priorityClassName: prometheus.priorityClassName,
    retention: props.retention,
    // Includes the WAL; stays under the emptyDir limit so the kubelet never evicts for disk.
    retentionSize: "4GB",
    storageSpec: { emptyDir: { sizeLimit: "6Gi" } },
    externalLabels: { cluster: props.clusterName, region: props.region, environment: props.environment },
    // AMP de-duplicates HA pairs on `cluster` + `__replica__` (and drops `__replica__`);
    // the operator also drops this label from alerts so Alertmanager sees one alert, not two.
    replicaExternalLabelName: "__replica__",
    remoteWrite: [{ url: props.remoteWriteUrl, sigv4: { region: props.region }, queueConfig: { ...AMP_QUEUE_CONFIG } }],
    resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "4Gi" } },
    ruleSelectorNilUsesHelmValues: false,
    serviceMonitorSelectorNilUsesHelmValues: false,
    podMonitorSelectorNilUsesHelmValues: false,
    probeSelectorNilUsesHelmValues: false,
    scrapeConfigSelectorNilUsesHelmValues: false,
  };
  const nodeExporter: PodValues = { priorityClassName: NODE_AGENT_PRIORITY_CLASS, tolerations: TOLERATE_EVERY_TAINT };
  return {
    crds: { enabled: true },
    defaultRules: {
      create: true,
      rules: { etcd: false, kubeControllerManager: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false, kubeProxy: false },
    },
    additionalPrometheusRulesMap: props.rules,
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeEtcd: { enabled: false },
    kubeProxy: { enabled: false },
    grafana: { enabled: false },
    alertmanager: {
      enabled: true,
      serviceAccount: { create: true, name: OBSERVABILITY_WORKLOADS.alertmanager.serviceAccount, annotations: { "eks.amazonaws.com/role-arn": props.alerting.roleArn } },
      config: alertmanagerConfig(props.alerting.topicArn, props.region),
      podDisruptionBudget: budget(alertmanager),
      alertmanagerSpec,
    },
    prometheusOperator: {
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
    },
    prometheus: {
      serviceAccount: { create: true, name: workload.serviceAccount, annotations: { "eks.amazonaws.com/role-arn": props.roleArn } },
      podDisruptionBudget: budget(prometheus),
      prometheusSpec,
    },
    "prometheus-node-exporter": nodeExporter,
  };
}

/** The parts of Alertmanager's configuration file the platform sets (Helm merges them over the chart's). */
export interface AlertmanagerConfigFile {
  readonly route: { readonly receiver: string; readonly routes: readonly { readonly receiver: string; readonly matchers: readonly string[] }[] };
  readonly receivers: readonly {
    readonly name: string;
    readonly sns_configs?: readonly { readonly topic_arn: string; readonly sigv4: { readonly region: string }; readonly send_resolved: boolean }[];
  }[];
}

/** The receiver every alert goes to, unless a team's AlertmanagerConfig routes it first. */
const ALERT_TOPIC_RECEIVER = "alert-topic";

/**
 * Every alert to the region's SNS topic, signed with SigV4 through IRSA; `Watchdog` (always
 * firing, for a dead man's switch) and `InfoInhibitor` (only inhibits) stay with the chart's
 * `null` receiver. Inhibit rules, grouping and timing stay the chart's: lists replace, maps merge.
 */
export function alertmanagerConfig(topicArn: string, region: string): AlertmanagerConfigFile {
  return {
    route: {
      receiver: ALERT_TOPIC_RECEIVER,
      routes: ["Watchdog", "InfoInhibitor"].map((alertname) => ({ receiver: "null", matchers: [`alertname = "${alertname}"`] })),
    },
    receivers: [{ name: "null" }, { name: ALERT_TOPIC_RECEIVER, sns_configs: [{ topic_arn: topicArn, sigv4: { region }, send_resolved: true }] }],
  };
}

/** Inputs of {@link fluentBitValues}. */
export interface FluentBitValuesProps {
  /** CloudWatch Logs region. */
  readonly region: string;
  /** The pre-created log group. */
  readonly logGroupName: string;
  /** Fluent Bit's IRSA role. */
  readonly roleArn: string;
}

/**
 * aws-for-fluent-bit as a DaemonSet on every node, shipping container logs to the one
 * pre-created log group with a stream per namespace/pod/container. It never creates groups
 * (`autoCreateGroup` off, no `logGroupTemplate`), so retention stays what Terraform set.
 */
export function fluentBitValues(props: FluentBitValuesProps): Record<string, unknown> {
  const workload = OBSERVABILITY_WORKLOADS.fluentBit;
  const pod: PodValues = {
    priorityClassName: NODE_AGENT_PRIORITY_CLASS,
    tolerations: TOLERATE_EVERY_TAINT,
    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
  };
  return {
    serviceAccount: { create: true, name: workload.serviceAccount, annotations: { "eks.amazonaws.com/role-arn": props.roleArn } },
    cloudWatchLogs: {
      enabled: true,
      region: props.region,
      logGroupName: props.logGroupName,
      // The chart's default template creates a group per namespace; "" removes it.
      logGroupTemplate: "",
      logStreamTemplate: "$kubernetes['namespace_name'].$kubernetes['pod_name'].$kubernetes['container_name']",
      autoCreateGroup: false,
    },
    cloudWatch: { enabled: false },
    firehose: { enabled: false },
    kinesis: { enabled: false },
    elasticsearch: { enabled: false },
    ...pod,
    updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%" } },
    // The chart's own Service + ServiceMonitor on the HTTP server (:2020); needs the CRD from kube-prometheus-stack.
    serviceMonitor: { enabled: true },
  };
}

/** Inputs of {@link otelCollectorValues}. */
export interface OtelCollectorValuesProps {
  /** The `cluster` attribute of every span. */
  readonly clusterName: string;
  /** X-Ray region. */
  readonly region: string;
  /** The collector's IRSA role. */
  readonly roleArn: string;
  /** The collector's replicas, budget, spread and priority. */
  readonly collector: HighAvailability;
}

/** Port of the collector's `awsproxy` extension, which X-Ray SDKs use for sampling rules. */
export const AWS_PROXY_PORT = 2000;

/**
 * The OpenTelemetry collector (contrib distribution: `awsxray` lives there) as a Deployment behind
 * a Service: OTLP gRPC/HTTP in, X-Ray out, Kubernetes attributes and the cluster/region added to
 * every span. Only a traces pipeline: metrics are Prometheus', logs Fluent Bit's.
 */
export function otelCollectorValues(props: OtelCollectorValuesProps): Record<string, unknown> {
  const workload = OBSERVABILITY_WORKLOADS.otelCollector;
  const { collector } = props;
  const pod: PodValues = {
    topologySpreadConstraints: collector.topologySpreadConstraints,
    priorityClassName: collector.priorityClassName,
    resources: { requests: { cpu: "200m", memory: "512Mi" }, limits: { memory: "1Gi" } },
  };
  return {
    mode: "deployment",
    replicaCount: collector.replicas,
    image: { repository: "otel/opentelemetry-collector-contrib" },
    command: { name: "otelcol-contrib" },
    serviceAccount: { create: true, name: workload.serviceAccount, annotations: { "eks.amazonaws.com/role-arn": props.roleArn } },
    presets: { kubernetesAttributes: { enabled: true } },
    ports: {
      "jaeger-compact": { enabled: false },
      "jaeger-thrift": { enabled: false },
      "jaeger-grpc": { enabled: false },
      zipkin: { enabled: false },
      metrics: { enabled: true, containerPort: 8888, servicePort: 8888, protocol: "TCP" },
      awsproxy: { enabled: true, containerPort: AWS_PROXY_PORT, servicePort: AWS_PROXY_PORT, protocol: "TCP" },
    },
    config: {
      receivers: { jaeger: null, zipkin: null, prometheus: null },
      processors: {
        resource: {
          attributes: [
            { key: "k8s.cluster.name", value: props.clusterName, action: "upsert" },
            { key: "cloud.region", value: props.region, action: "upsert" },
          ],
        },
      },
      exporters: { debug: null, awsxray: { region: props.region } },
      // `$${` is Terraform's escape for a literal `${`: the collector, not Terraform, expands its env variables.
      extensions: { awsproxy: { endpoint: `$\${env:MY_POD_IP}:${AWS_PROXY_PORT}`, region: props.region } },
      service: {
        extensions: ["health_check", "awsproxy"],
        pipelines: {
          traces: { receivers: ["otlp"], processors: ["memory_limiter", "resource", "batch"], exporters: ["awsxray"] },
          metrics: null,
          logs: null,
        },
      },
    },
    podDisruptionBudget: budget(collector),
    ...pod,
  };
}

/** Pod labels the opentelemetry-collector chart puts on the collector (selector labels). */
export function otelCollectorSelector(): Record<string, string> {
  return { "app.kubernetes.io/name": "opentelemetry-collector", "app.kubernetes.io/instance": RELEASES.otelCollector };
}

/** The charts' budget block from resilience.ts's budget (typed, so a misspelt field fails `tsc`). */
function budget(ha: HighAvailability): PodDisruptionBudgetValues {
  return toggledPodDisruptionBudget(ha);
}

/** Inputs of {@link availability}. */
export interface AvailabilityProps {
  /** Prometheus replicas. @default 2 */
  readonly prometheusReplicas?: number;
  /** Alertmanager replicas. @default 3 */
  readonly alertmanagerReplicas?: number;
  /** Collector replicas. @default 2 */
  readonly collectorReplicas?: number;
  /** PriorityClass of the three. @default - none (the charts' default priority) */
  readonly priorityClassName?: string;
}

/** Replicas, budgets and spread of the three highly available components (resilience.ts rules). */
export function availability(props: AvailabilityProps): { prometheus: HighAvailability; alertmanager: HighAvailability; collector: HighAvailability } {
  return {
    // Operator-managed StatefulSets: one Prometheus / Alertmanager per namespace, so the name label suffices.
    prometheus: highAvailability({
      component: "prometheus",
      replicas: props.prometheusReplicas ?? 2,
      priorityClassName: props.priorityClassName,
      selector: { "app.kubernetes.io/name": "prometheus" },
    }),
    alertmanager: highAvailability({
      component: "alertmanager",
      replicas: props.alertmanagerReplicas ?? 3,
      priorityClassName: props.priorityClassName,
      selector: { "app.kubernetes.io/name": "alertmanager" },
    }),
    collector: highAvailability({
      component: "otel-collector",
      replicas: props.collectorReplicas ?? 2,
      priorityClassName: props.priorityClassName,
      selector: otelCollectorSelector(),
    }),
  };
}
