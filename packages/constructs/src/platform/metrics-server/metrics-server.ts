import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { METRICS_SERVER_CHART } from "./chart";
import { ChartRelease, mergeValues, type ChartPin, type HelmValues } from "../chart-release";
import { highAvailability, toggledPodDisruptionBudget, type HighAvailability } from "../resilience";

const RELEASE_NAME = "metrics-server";

export interface MetricsServerProps {
  /** Replicas behind the `v1beta1.metrics.k8s.io` APIService. @default 2 */
  readonly replicas?: number;
  /** PriorityClass of the pods. @default "system-cluster-critical" (HPA and `kubectl top` depend on it) */
  readonly priorityClassName?: string;
  /** Namespace of the release; created with it unless it is kube-system. @default "kube-system" */
  readonly namespace?: string;
  /** The chart to install. @default METRICS_SERVER_CHART */
  readonly chart?: ChartPin;
  /** Helm values deep-merged over the construct's own (objects merge, arrays and scalars replace; see `mergeValues`). @default - none */
  readonly values?: HelmValues;
  /** Resources the release waits for (e.g. the priority classes). @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** The helm provider (cluster) to install into. @default - the stack's default helm provider */
  readonly provider?: TerraformProvider;
}

/**
 * metrics-server, the resource metrics API that Horizontal Pod Autoscalers read. With one
 * replica every HPA freezes while it restarts, so it runs highly available: replicas spread over
 * zones and nodes, a disruption budget, system-critical priority.
 */
export class MetricsServer extends Construct {
  /** The metrics-server release. */
  readonly release: ChartRelease;
  /** The replicas, budget, spread and priority its values were built from. */
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
      chart: props.chart ?? METRICS_SERVER_CHART,
      values: mergeValues(
        {
          replicas: ha.replicas,
          podDisruptionBudget: toggledPodDisruptionBudget(ha),
          topologySpreadConstraints: ha.topologySpreadConstraints,
          priorityClassName: ha.priorityClassName,
        },
        props.values,
      ),
      dependsOn: props.dependsOn,
      provider: props.provider,
    });
  }
}
