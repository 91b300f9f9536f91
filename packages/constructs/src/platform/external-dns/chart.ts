import type { ChartPin } from "../chart-release";

/** The default chart of {@link ExternalDns}. */
export const EXTERNAL_DNS_CHART = {
  repository: "https://kubernetes-sigs.github.io/external-dns",
  chart: "external-dns",
  version: "1.21.1",
} as const satisfies ChartPin;
