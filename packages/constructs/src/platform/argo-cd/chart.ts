import type { ChartPin } from "../chart-release";

/** The default chart of {@link ArgoCd}. */
export const ARGO_CD_CHART = {
  repository: "https://argoproj.github.io/argo-helm",
  chart: "argo-cd",
  version: "10.1.1",
} as const satisfies ChartPin;

/**
 * argocd-apps, pinned for teams that bootstrap Applications through Helm. No construct installs it:
 * {@link AppOfAppsBootstrap} delivers its ApplicationSet through the in-repo manifests chart.
 */
export const ARGO_CD_APPS_CHART = {
  repository: "https://argoproj.github.io/argo-helm",
  chart: "argocd-apps",
  version: "2.0.5",
} as const satisfies ChartPin;
