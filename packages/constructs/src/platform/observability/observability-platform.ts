import { Token, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { FLUENT_BIT_CHART, KUBE_PROMETHEUS_STACK_CHART, OPENTELEMETRY_COLLECTOR_CHART } from "./chart";
import { OBSERVABILITY_WORKLOADS, type ObservabilityWorkloadName } from "../../observability-aws/workloads";
import { ChartRelease, mergeValues, type ChartPin, type HelmValues } from "../chart-release";
import { ManifestsRelease, type KubernetesManifest } from "../manifests-release";
import type { HighAvailability } from "../resilience";
import { OBSERVABILITY_NAMESPACES, fluentBitObjects, kubePrometheusStackObjects, otelCollectorObjects } from "./embedded-manifests";
import { IAM_ROLE_ARN, REGION_NAME, SNS_TOPIC_ARN } from "../../core/aws-formats";
import { isDnsLabel } from "../../core/kubernetes-formats";
import {
  RELEASES,
  availability,
  fluentBitValues,
  kubePrometheusStackValues,
  otelCollectorSelector,
  otelCollectorValues,
  pipelineRules,
  type PrometheusRules,
} from "./values";

/** One setting per release of {@link ObservabilityPlatform}. */
export interface ObservabilityReleases<T> {
  /** kube-prometheus-stack (Prometheus, Alertmanager, node exporter). @default - the construct's */
  readonly kubePrometheusStack?: T;
  /** aws-for-fluent-bit (container logs). @default - the construct's */
  readonly fluentBit?: T;
  /** opentelemetry-collector (traces). @default - the construct's */
  readonly otelCollector?: T;
}

/** Props of {@link ObservabilityPlatform}. */
export interface ObservabilityPlatformProps {
  /** The EKS cluster's name: the `cluster` label of every series and span. */
  readonly clusterName: string;
  /** The cluster's region: SigV4 signing region, CloudWatch Logs and X-Ray region, `region` label. */
  readonly region: string;
  /** Environment name: the `environment` label of every series. */
  readonly environment: string;
  /** The AMP workspace's remote-write URL (`<prometheus_endpoint>api/v1/remote_write`; a cross-stack token is fine). */
  readonly remoteWriteUrl: string;
  /** The pre-created CloudWatch log group container logs go to. */
  readonly logGroupName: string;
  /** The SNS topic Alertmanager publishes every alert to (the regional stack's `alertTopicArn`). */
  readonly alertTopicArn: string;
  /** IRSA role of each agent (`ObservabilityAws.roleArns`). */
  readonly roleArns: Readonly<Record<ObservabilityWorkloadName, string>>;
  /** Prometheus replicas; each scrapes everything, AMP de-duplicates. @default 2 */
  readonly prometheusReplicas?: number;
  /** Local TSDB retention, 2h to 7d: AMP is the store, local data only serves rules and restarts. @default "12h" */
  readonly retention?: string;
  /** Alertmanager replicas (a gossip cluster spread over zones). @default 3 */
  readonly alertmanagerReplicas?: number;
  /** OpenTelemetry collector replicas. @default 2 */
  readonly collectorReplicas?: number;
  /**
   * PriorityClass of Prometheus, Alertmanager and the collector (the DaemonSets always run as
   * `system-node-critical`). Pass the class's resource in `dependsOn` so it exists first.
   * @default - none (the charts' default priority)
   */
  readonly priorityClassName?: string;
  /** More rule files for `additionalPrometheusRulesMap`, by name. @default {} */
  readonly additionalRules?: PrometheusRules;
  /**
   * The chart of each release.
   * @default - KUBE_PROMETHEUS_STACK_CHART, FLUENT_BIT_CHART and OPENTELEMETRY_COLLECTOR_CHART
   */
  readonly charts?: ObservabilityReleases<ChartPin>;
  /**
   * Helm values of each release, deep-merged over the construct's own (objects merge, arrays and
   * scalars replace; see `mergeValues`); objects they embed are returned by `manifests()` too.
   * @default - none
   */
  readonly values?: ObservabilityReleases<HelmValues>;
  /** What every release waits for (priority classes, the load balancer controller's webhook, …). @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** Helm provider of the four releases. @default - the stack's default helm provider */
  readonly provider?: TerraformProvider;
}

const LOG_GROUP = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const UNIT_HOURS: Readonly<Record<string, number>> = { ms: 1 / 3_600_000, s: 1 / 3600, m: 1 / 60, h: 1, d: 24, w: 168, y: 8760 };

/** Hours of a Prometheus duration such as `12h` or `1d12h`. */
export function durationHours(duration: string): number {
  return [...duration.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)].reduce((sum, [, amount, unit]) => sum + Number(amount) * UNIT_HOURS[unit!]!, 0);
}

/**
 * One cluster's observability agents, each in its own namespace:
 *
 * - `monitoring`: kube-prometheus-stack (Prometheus HA pair remote-writing to AMP with SigV4 via
 *   IRSA, Alertmanager, node exporter on every node, rules on the pipeline itself);
 * - `logging`: aws-for-fluent-bit on every node, into the region's pre-created log group;
 * - `opentelemetry`: an OpenTelemetry collector Deployment, OTLP in, X-Ray out;
 * - a PodMonitor so Prometheus scrapes the collector's own metrics.
 *
 * Fluent Bit and the PodMonitor wait for kube-prometheus-stack, which installs the CRDs their
 * ServiceMonitor/PodMonitor need. {@link manifests} returns every object this construct renders
 * or embeds in values, for schema validation.
 */
export class ObservabilityPlatform extends Construct {
  /** The kube-prometheus-stack release. */
  readonly kubePrometheusStack: ChartRelease;
  /** The aws-for-fluent-bit release. */
  readonly fluentBit: ChartRelease;
  /** The opentelemetry-collector release. */
  readonly otelCollector: ChartRelease;
  /** Custom resources rendered by this construct (the collector's PodMonitor). */
  readonly monitors: ManifestsRelease;
  /** Rendered replicas, budgets, spread and priority of Prometheus, Alertmanager and the collector. */
  readonly availability: { readonly prometheus: HighAvailability; readonly alertmanager: HighAvailability; readonly collector: HighAvailability };

  constructor(scope: Construct, id: string, props: ObservabilityPlatformProps) {
    super(scope, id);
    validate(props);
    const { provider } = props;
    const dependsOn = props.dependsOn ?? [];
    this.availability = availability(props);
    const rules = { ...pipelineRules({ fluentBit: OBSERVABILITY_NAMESPACES.fluentBit }), ...(props.additionalRules ?? {}) };

    this.kubePrometheusStack = new ChartRelease(this, "kube-prometheus-stack", {
      releaseName: RELEASES.kubePrometheusStack,
      namespace: OBSERVABILITY_NAMESPACES.kubePrometheusStack,
      chart: props.charts?.kubePrometheusStack ?? KUBE_PROMETHEUS_STACK_CHART,
      values: mergeValues(
        kubePrometheusStackValues({
          clusterName: props.clusterName,
          region: props.region,
          environment: props.environment,
          remoteWriteUrl: props.remoteWriteUrl,
          roleArn: props.roleArns.prometheus,
          alerting: { topicArn: props.alertTopicArn, roleArn: props.roleArns.alertmanager },
          prometheus: this.availability.prometheus,
          alertmanager: this.availability.alertmanager,
          retention: props.retention ?? "12h",
          rules,
        }),
        props.values?.kubePrometheusStack,
      ),
      dependsOn,
      // CRDs, operator admission webhook jobs and two StatefulSets: more than the default 10 minutes on a fresh cluster.
      timeoutSeconds: 900,
      provider,
    });
    this.fluentBit = new ChartRelease(this, "aws-for-fluent-bit", {
      releaseName: RELEASES.fluentBit,
      namespace: OBSERVABILITY_NAMESPACES.fluentBit,
      chart: props.charts?.fluentBit ?? FLUENT_BIT_CHART,
      values: mergeValues(fluentBitValues({ region: props.region, logGroupName: props.logGroupName, roleArn: props.roleArns.fluentBit }), props.values?.fluentBit),
      dependsOn: [...dependsOn, this.kubePrometheusStack.release],
      provider,
    });
    this.otelCollector = new ChartRelease(this, "otel-collector", {
      releaseName: RELEASES.otelCollector,
      namespace: OBSERVABILITY_NAMESPACES.otelCollector,
      chart: props.charts?.otelCollector ?? OPENTELEMETRY_COLLECTOR_CHART,
      values: mergeValues(
        otelCollectorValues({ clusterName: props.clusterName, region: props.region, roleArn: props.roleArns.otelCollector, collector: this.availability.collector }),
        props.values?.otelCollector,
      ),
      dependsOn,
      provider,
    });
    this.monitors = new ManifestsRelease(this, "monitors", {
      releaseName: "observability-monitors",
      namespace: OBSERVABILITY_NAMESPACES.kubePrometheusStack,
      manifests: [
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "PodMonitor",
          metadata: { name: RELEASES.otelCollector, namespace: OBSERVABILITY_NAMESPACES.otelCollector },
          spec: {
            selector: { matchLabels: otelCollectorSelector() },
            podMetricsEndpoints: [{ port: "metrics", path: "/metrics", interval: "30s" }],
          },
        },
      ],
      dependsOn: [this.kubePrometheusStack.release, this.otelCollector.release],
      provider,
    });
  }

  /**
   * Every Kubernetes object this construct renders (the PodMonitor) or embeds in chart values
   * (PrometheusRules, Prometheus and Alertmanager specs, budgets, service accounts, agent pod specs).
   */
  manifests(): KubernetesManifest[] {
    return [
      ...this.monitors.manifests,
      ...kubePrometheusStackObjects({ ...this.kubePrometheusStack.values }, OBSERVABILITY_NAMESPACES.kubePrometheusStack),
      ...fluentBitObjects({ ...this.fluentBit.values }, OBSERVABILITY_NAMESPACES.fluentBit),
      ...otelCollectorObjects({ ...this.otelCollector.values }, OBSERVABILITY_NAMESPACES.otelCollector),
    ];
  }
}

function validate(props: ObservabilityPlatformProps): void {
  const problems: string[] = [];
  const check = (ok: boolean, setting: string, value: unknown, rule: string) => {
    if (!ok) {
      problems.push(`${setting} ${JSON.stringify(value)} ${rule}`);
    }
  };
  const resolved = (value: string) => !Token.isUnresolved(value);
  check(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,99}$/.test(props.clusterName), "clusterName", props.clusterName, "must be an EKS cluster name (letters, digits, '-')");
  check(!resolved(props.region) || REGION_NAME.test(props.region), "region", props.region, "must be an AWS region name such as us-east-1");
  check(isDnsLabel(props.environment), "environment", props.environment, "must be a lower-case DNS label");
  if (resolved(props.remoteWriteUrl)) {
    check(/^https:\/\/[^\s]+\/api\/v1\/remote_write$/.test(props.remoteWriteUrl), "remoteWriteUrl", props.remoteWriteUrl, "must be an https URL ending in /api/v1/remote_write");
  } else {
    check(props.remoteWriteUrl.endsWith("api/v1/remote_write"), "remoteWriteUrl", props.remoteWriteUrl, "must end in api/v1/remote_write (append it to the workspace's prometheus_endpoint)");
  }
  check(!resolved(props.alertTopicArn) || SNS_TOPIC_ARN.test(props.alertTopicArn), "alertTopicArn", props.alertTopicArn, "must be an SNS topic ARN");
  if (resolved(props.alertTopicArn) && resolved(props.region) && SNS_TOPIC_ARN.test(props.alertTopicArn)) {
    check(props.alertTopicArn.split(":")[3] === props.region, "alertTopicArn", props.alertTopicArn, `must be in the cluster's region ${props.region} (Alertmanager signs for one region)`);
  }
  check(!resolved(props.logGroupName) || LOG_GROUP.test(props.logGroupName), "logGroupName", props.logGroupName, "must be a CloudWatch Logs group name");
  for (const name of Object.keys(OBSERVABILITY_WORKLOADS) as ObservabilityWorkloadName[]) {
    const arn = props.roleArns[name];
    check(typeof arn === "string" && (!resolved(arn) || IAM_ROLE_ARN.test(arn)), `roleArns.${name}`, arn, "must be an IAM role ARN");
  }
  const retention = props.retention ?? "12h";
  if (!DURATION.test(retention)) {
    check(false, "retention", retention, "must be a Prometheus duration such as 12h or 1d");
  } else {
    const hours = durationHours(retention);
    check(hours >= 2, "retention", retention, "must be at least 2h: rules and a restarting replica need the last hours locally");
    check(hours <= 7 * 24, "retention", retention, "must be at most 7d: remote write to AMP is the long-term store, longer local retention only costs node disk");
  }
  for (const key of Object.keys(props.additionalRules ?? {})) {
    check(isDnsLabel(key, 40), `additionalRules.${key}`, key, "must be a lower-case DNS label of at most 40 characters (it names a PrometheusRule)");
    check(!(key in pipelineRules({ fluentBit: "" })), `additionalRules.${key}`, key, "is the name of the built-in pipeline rules; choose another");
  }
  if (problems.length > 0) {
    throw new Error(`ObservabilityPlatform ${props.clusterName}:\n  - ${problems.join("\n  - ")}`);
  }
}
