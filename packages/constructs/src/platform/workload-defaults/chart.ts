import type { ChartPin } from "../chart-release";

/** The default chart of {@link WorkloadDefaults}: Kyverno, which applies the defaults. */
export const KYVERNO_CHART = {
  repository: "https://kyverno.github.io/kyverno",
  chart: "kyverno",
  version: "3.9.0",
} as const satisfies ChartPin;
