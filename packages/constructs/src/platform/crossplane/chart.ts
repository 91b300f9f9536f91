import type { ChartPin } from "../chart-release";

/**
 * The default chart of {@link Crossplane}: Crossplane v2 (v1.20, the last v1 line, reached end of
 * life when v2.5 shipped in November 2026). 2.3.4 is the newest release whose tag (and so
 * values.yaml) could be read here; raise it one minor at a time (Crossplane's upgrade rule) and
 * re-read the values inventory at the new tag.
 */
export const CROSSPLANE_CHART = {
  repository: "https://charts.crossplane.io/stable",
  chart: "crossplane",
  version: "2.3.4",
} as const satisfies ChartPin;
