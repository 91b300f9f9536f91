import type { ChartPin } from "../chart-release";

/** The default controller chart of {@link Karpenter}. */
export const KARPENTER_CHART = {
  repository: "oci://public.ecr.aws/karpenter",
  chart: "karpenter",
  version: "1.14.1",
} as const satisfies ChartPin;

/**
 * The default CRD chart of {@link Karpenter}. Helm installs a chart's crds/ only once and never
 * upgrades them, so Karpenter's CRDs come from their own chart, released before the controller and
 * at the same version.
 */
export const KARPENTER_CRD_CHART = {
  repository: "oci://public.ecr.aws/karpenter",
  chart: "karpenter-crd",
  version: "1.14.1",
} as const satisfies ChartPin;
