import { Token, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { ARGO_CD_CHART } from "./chart";
import { ARGOCD_NAMESPACE, ARGOCD_SERVICE_ACCOUNTS } from "../../gitops-access/names";
import { parseRoleArn } from "../../core/aws-formats";
import { ChartRelease, mergeValues, type ChartPin, type HelmValues } from "../chart-release";
import { ZONE_TOPOLOGY_KEY } from "../resilience";

/** Props of {@link ArgoCd} and {@link argoCdValues}. */
export interface ArgoCdProps {
  /** The hub's Argo CD IRSA role (literal ARN); annotates the controller, server and ApplicationSet service accounts. */
  readonly hubRoleArn: string;
  /** Namespace, created with the release. @default "argocd" */
  readonly namespace?: string;
  /** Replicas of the API server, repo server and ApplicationSet controller; at least 2. @default 2 */
  readonly replicas?: number;
  /**
   * Application controller replicas: each owns a shard of the clusters (the chart sets
   * ARGOCD_CONTROLLER_REPLICAS), and a failed shard's clusters move to the others. @default 2
   */
  readonly controllerReplicas?: number;
  /** The chart to install. @default ARGO_CD_CHART */
  readonly chart?: ChartPin;
  /** Helm values deep-merged over {@link argoCdValues} (objects merge, arrays and scalars replace; see `mergeValues`). @default - none */
  readonly values?: HelmValues;
  /** Releases the chart must wait for. @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** Helm provider of the release. @default - the stack's default helm provider */
  readonly provider?: TerraformProvider;
}

const [CONTROLLER_SA, SERVER_SA, APPLICATIONSET_SA] = ARGOCD_SERVICE_ACCOUNTS;

/**
 * Values of the argo-cd chart (`ARGO_CD_CHART`) for the hub, in the chart's high-availability
 * layout: Redis HA (3 Redis + HAProxy, hard anti-affinity) instead of the single Redis, at least
 * two replicas of every stateless component, a sharded application controller, a
 * PodDisruptionBudget for each, and every component spread over zones. The three service accounts
 * that reach spoke clusters carry the IRSA annotation of the hub role.
 */
export function argoCdValues(props: ArgoCdProps): Record<string, unknown> {
  const owner = "ArgoCd";
  if (Token.isUnresolved(props.hubRoleArn) || !parseRoleArn(props.hubRoleArn)) {
    throw new Error(`${owner}: hubRoleArn "${props.hubRoleArn}" must be a literal IAM role ARN (the hub's deterministic role name)`);
  }
  const replicas = props.replicas ?? 2;
  const controllerReplicas = props.controllerReplicas ?? 2;
  for (const [setting, value] of [["replicas", replicas], ["controllerReplicas", controllerReplicas]] as const) {
    if (!Number.isInteger(value) || value < 2) {
      throw new Error(`${owner}: ${setting} is ${value}; at least 2 are required so losing one pod or AZ leaves Argo CD working`);
    }
  }
  const irsa = (name: string) => ({ create: true, name, annotations: { "eks.amazonaws.com/role-arn": props.hubRoleArn } });
  // Eviction may take one pod at a time; the others keep serving.
  const pdb = { enabled: true, maxUnavailable: 1 };
  return {
    global: {
      // The chart fills in each component's own labelSelector when none is given.
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: ZONE_TOPOLOGY_KEY, whenUnsatisfiable: "ScheduleAnyway" }],
      affinity: { podAntiAffinity: "soft" },
      logging: { format: "json" },
    },
    controller: { replicas: controllerReplicas, pdb, serviceAccount: irsa(CONTROLLER_SA!) },
    server: { replicas, pdb, serviceAccount: irsa(SERVER_SA!) },
    repoServer: { replicas, pdb },
    applicationSet: { replicas, pdb, serviceAccount: irsa(APPLICATIONSET_SA!) },
    // With redis-ha enabled the chart drops its single Redis and points every component at HAProxy.
    "redis-ha": {
      enabled: true,
      topologySpreadConstraints: { enabled: true, maxSkew: 1, topologyKey: ZONE_TOPOLOGY_KEY, whenUnsatisfiable: "ScheduleAnyway" },
      podDisruptionBudget: { maxUnavailable: 1 },
    },
    // No SSO is configured yet; add dex or an OIDC provider with configs.cm when one is.
    dex: { enabled: false },
  };
}

/**
 * Argo CD on the GitOps hub, from the pinned argo-cd chart with {@link argoCdValues} (and `values` over them). The chart
 * installs Argo CD's CRDs (kept on uninstall), so releases of Applications and ApplicationSets
 * depend on this one.
 */
export class ArgoCd extends Construct {
  /** The `argocd` release. */
  readonly chart: ChartRelease;
  /** Argo CD's namespace. */
  readonly namespace: string;
  /** The rendered values (`argoCdValues` with `values` merged over them). */
  readonly values: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, props: ArgoCdProps) {
    super(scope, id);
    this.namespace = props.namespace ?? ARGOCD_NAMESPACE;
    this.values = mergeValues(argoCdValues(props), props.values);
    this.chart = new ChartRelease(this, "chart", {
      releaseName: "argocd",
      namespace: this.namespace,
      chart: props.chart ?? ARGO_CD_CHART,
      values: this.values,
      dependsOn: props.dependsOn,
      provider: props.provider,
      // Redis HA waits for its quorum; give the first install time.
      timeoutSeconds: 900,
    });
  }
}
