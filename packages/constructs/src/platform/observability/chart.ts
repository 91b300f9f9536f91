import type { ChartPin } from "../chart-release";

/** The default metrics chart of {@link ObservabilityPlatform}: Prometheus, Alertmanager, node exporter. */
export const KUBE_PROMETHEUS_STACK_CHART = {
  repository: "https://prometheus-community.github.io/helm-charts",
  chart: "kube-prometheus-stack",
  version: "88.5.3",
} as const satisfies ChartPin;

/** The default logs chart of {@link ObservabilityPlatform}. */
export const FLUENT_BIT_CHART = {
  repository: "https://aws.github.io/eks-charts",
  chart: "aws-for-fluent-bit",
  version: "0.2.0",
} as const satisfies ChartPin;

/** The default traces chart of {@link ObservabilityPlatform}. */
export const OPENTELEMETRY_COLLECTOR_CHART = {
  repository: "https://open-telemetry.github.io/opentelemetry-helm-charts",
  chart: "opentelemetry-collector",
  version: "0.170.0",
} as const satisfies ChartPin;
