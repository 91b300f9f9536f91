import type { ChartPin } from "../chart-release";

/** The default chart of {@link MetricsServer}. */
export const METRICS_SERVER_CHART = {
  repository: "https://kubernetes-sigs.github.io/metrics-server",
  chart: "metrics-server",
  version: "3.13.1",
} as const satisfies ChartPin;
