import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { CHARTS, type ChartPin } from "../charts";
import { ChartRelease } from "../chart-release";
import { highAvailability, toggledPodDisruptionBudget, type HighAvailability } from "../resilience";

const RELEASE_NAME = "metrics-server";

export interface MetricsServerProps {
  /** Replicas behind the `v1beta1.metrics.k8s.io` APIService. @default 2 */
  readonly replicas?: number;
  /** @default "system-cluster-critical" (HPA and `kubectl top` depend on it) */
  readonly priorityClassName?: string;
  /** @default "kube-system" */
  readonly namespace?: string;
  /** @default CHARTS.metricsServer */
  readonly chart?: ChartPin;
  /** @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** @default - the stack's default helm provider */
  readonly provider?: TerraformProvider;
}

/**
 * metrics-server, the resource metrics API that Horizontal Pod Autoscalers read. With one
 * replica every HPA freezes while it restarts, so it runs highly available: replicas spread over
 * zones and nodes, a disruption budget, system-critical priority.
 */
export class MetricsServer extends Construct {
  readonly release: ChartRelease;
  readonly highAvailability: HighAvailability;

  constructor(scope: Construct, id: string, props: MetricsServerProps = {}) {
    super(scope, id);
    this.highAvailability = highAvailability({
      component: "metrics-server",
      replicas: props.replicas,
      priorityClassName: props.priorityClassName ?? "system-cluster-critical",
      selector: { "app.kubernetes.io/name": "metrics-server", "app.kubernetes.io/instance": RELEASE_NAME },
    });
    const ha = this.highAvailability;
    const namespace = props.namespace ?? "kube-system";
    this.release = new ChartRelease(this, "metrics-server", {
      releaseName: RELEASE_NAME,
      namespace,
      createNamespace: namespace !== "kube-system",
      chart: props.chart ?? CHARTS.metricsServer,
      values: {
        replicas: ha.replicas,
        podDisruptionBudget: toggledPodDisruptionBudget(ha),
        topologySpreadConstraints: ha.topologySpreadConstraints,
        priorityClassName: ha.priorityClassName,
      },
      dependsOn: props.dependsOn,
      provider: props.provider,
    });
  }
}
