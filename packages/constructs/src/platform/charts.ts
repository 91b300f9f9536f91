/**
 * Every Helm chart the platform stacks install, pinned in one place. Raise a version here, run
 * the tests (they validate every rendered manifest), and review the plan of each platform stack.
 *
 * Versions are the releases current when this file was last reviewed; they cannot be checked
 * against the repositories offline, so CI proves the values, not the chart's existence.
 */
export interface ChartPin {
  /** Helm repository URL, or an `oci://` registry path. */
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
}

export const CHARTS = {
  awsLoadBalancerController: { repository: "https://aws.github.io/eks-charts", chart: "aws-load-balancer-controller", version: "3.5.0" },
  // eks-charts dropped this chart (eks-charts #1155); the project publishes it to Public ECR.
  nodeTerminationHandler: { repository: "oci://public.ecr.aws/aws-ec2/helm", chart: "aws-node-termination-handler", version: "0.27.6" },
  karpenter: { repository: "oci://public.ecr.aws/karpenter", chart: "karpenter", version: "1.14.1" },
  // Helm installs a chart's crds/ only once and never upgrades them, so Karpenter's CRDs come from
  // their own chart, released before the controller and at the same version.
  karpenterCrd: { repository: "oci://public.ecr.aws/karpenter", chart: "karpenter-crd", version: "1.14.1" },
  // Only where the environment has a GPU class: the AL2023 NVIDIA AMIs carry the driver, not the plugin.
  nvidiaDevicePlugin: { repository: "https://nvidia.github.io/k8s-device-plugin", chart: "nvidia-device-plugin", version: "0.20.0" },
  clusterAutoscaler: { repository: "https://kubernetes.github.io/autoscaler", chart: "cluster-autoscaler", version: "9.59.0" },
  metricsServer: { repository: "https://kubernetes-sigs.github.io/metrics-server", chart: "metrics-server", version: "3.13.1" },
  externalDns: { repository: "https://kubernetes-sigs.github.io/external-dns", chart: "external-dns", version: "1.21.1" },
  kyverno: { repository: "https://kyverno.github.io/kyverno", chart: "kyverno", version: "3.9.0" },
  argoCd: { repository: "https://argoproj.github.io/argo-helm", chart: "argo-cd", version: "10.1.1" },
  argoCdApps: { repository: "https://argoproj.github.io/argo-helm", chart: "argocd-apps", version: "2.0.5" },
  // Crossplane v2 (v1.20, the last v1 line, reached end of life when v2.5 shipped in November 2026).
  // 2.3.4 is the newest release whose tag (and so values.yaml) could be read here; raise it one
  // minor at a time (Crossplane's upgrade rule) and re-read the values inventory at the new tag.
  crossplane: { repository: "https://charts.crossplane.io/stable", chart: "crossplane", version: "2.3.4" },
  kubePrometheusStack: { repository: "https://prometheus-community.github.io/helm-charts", chart: "kube-prometheus-stack", version: "88.5.3" },
  fluentBit: { repository: "https://aws.github.io/eks-charts", chart: "aws-for-fluent-bit", version: "0.2.0" },
  openTelemetryCollector: { repository: "https://open-telemetry.github.io/opentelemetry-helm-charts", chart: "opentelemetry-collector", version: "0.170.0" },
} as const satisfies Record<string, ChartPin>;

export type ChartName = keyof typeof CHARTS;
