import type { ChartPin } from "./chart-release";
import { ARGO_CD_APPS_CHART, ARGO_CD_CHART } from "./argo-cd/chart";
import { AWS_LOAD_BALANCER_CONTROLLER_CHART } from "./aws-load-balancer-controller/chart";
import { CLUSTER_AUTOSCALER_CHART } from "./cluster-autoscaler/chart";
import { CROSSPLANE_CHART } from "./crossplane/chart";
import { EXTERNAL_DNS_CHART } from "./external-dns/chart";
import { KARPENTER_CHART, KARPENTER_CRD_CHART } from "./karpenter/chart";
import { METRICS_SERVER_CHART } from "./metrics-server/chart";
import { NODE_TERMINATION_HANDLER_CHART } from "./node-termination-handler/chart";
import { NVIDIA_DEVICE_PLUGIN_CHART } from "./nvidia-device-plugin/chart";
import { FLUENT_BIT_CHART, KUBE_PROMETHEUS_STACK_CHART, OPENTELEMETRY_COLLECTOR_CHART } from "./observability/chart";
import { KYVERNO_CHART } from "./workload-defaults/chart";

/**
 * Every add-on's default chart pin, by name: an index for tools that list every pin (the support
 * calendar, `npm run currency`, the chart-values inventory test, the graph's labels), built from
 * the constants each add-on owns in its own `chart.ts`, so no version is written twice. Raise a
 * version there, run the tests (they validate every rendered manifest), and review the plan of
 * each platform stack.
 *
 * Versions are the releases current when each pin was last reviewed; they cannot be checked
 * against the repositories offline, so CI proves the values, not the chart's existence.
 */
export const CHARTS = {
  awsLoadBalancerController: AWS_LOAD_BALANCER_CONTROLLER_CHART,
  nodeTerminationHandler: NODE_TERMINATION_HANDLER_CHART,
  karpenter: KARPENTER_CHART,
  karpenterCrd: KARPENTER_CRD_CHART,
  nvidiaDevicePlugin: NVIDIA_DEVICE_PLUGIN_CHART,
  clusterAutoscaler: CLUSTER_AUTOSCALER_CHART,
  metricsServer: METRICS_SERVER_CHART,
  externalDns: EXTERNAL_DNS_CHART,
  kyverno: KYVERNO_CHART,
  argoCd: ARGO_CD_CHART,
  argoCdApps: ARGO_CD_APPS_CHART,
  crossplane: CROSSPLANE_CHART,
  kubePrometheusStack: KUBE_PROMETHEUS_STACK_CHART,
  fluentBit: FLUENT_BIT_CHART,
  openTelemetryCollector: OPENTELEMETRY_COLLECTOR_CHART,
} as const satisfies Record<string, ChartPin>;

/** The name of a pin in {@link CHARTS}. */
export type ChartName = keyof typeof CHARTS;

/** The add-on folder (under `platform/`) whose `chart.ts` owns each pin, for tools that cite the owner. */
export const CHART_OWNERS: Readonly<Record<ChartName, string>> = {
  awsLoadBalancerController: "aws-load-balancer-controller",
  nodeTerminationHandler: "node-termination-handler",
  karpenter: "karpenter",
  karpenterCrd: "karpenter",
  nvidiaDevicePlugin: "nvidia-device-plugin",
  clusterAutoscaler: "cluster-autoscaler",
  metricsServer: "metrics-server",
  externalDns: "external-dns",
  kyverno: "workload-defaults",
  argoCd: "argo-cd",
  argoCdApps: "argo-cd",
  crossplane: "crossplane",
  kubePrometheusStack: "observability",
  fluentBit: "observability",
  openTelemetryCollector: "observability",
};
