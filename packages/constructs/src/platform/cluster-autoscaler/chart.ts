import type { ChartPin } from "../chart-release";

/** The default chart of {@link ClusterAutoscaler}. */
export const CLUSTER_AUTOSCALER_CHART = {
  repository: "https://kubernetes.github.io/autoscaler",
  chart: "cluster-autoscaler",
  version: "9.59.0",
} as const satisfies ChartPin;
