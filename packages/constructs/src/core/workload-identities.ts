/**
 * The in-cluster controllers that call AWS through an IRSA role. The regional stack's role trusts
 * exactly this namespace and service account, and the platform stack's chart creates exactly that
 * service account: both sides read this table, so they cannot drift apart.
 * (The observability agents have their own table: `OBSERVABILITY_WORKLOADS`.)
 */
export interface WorkloadIdentity {
  /** Suffix of the role name (`<cluster>-<roleId>`) and the role construct's id. */
  readonly roleId: string;
  /** Namespace of the controller's service account. */
  readonly namespace: string;
  /** The service account the role trusts and the chart creates. */
  readonly serviceAccount: string;
}

/** A controller of {@link CONTROLLER_IDENTITIES}: the key a stack's typed role handles use. */
export type ControllerName = keyof typeof CONTROLLER_IDENTITIES;

/** The identity of each in-cluster controller that calls AWS. */
export const CONTROLLER_IDENTITIES = {
  loadBalancerController: { roleId: "load-balancer-controller", namespace: "kube-system", serviceAccount: "aws-load-balancer-controller" },
  externalDns: { roleId: "external-dns", namespace: "external-dns", serviceAccount: "external-dns" },
  clusterAutoscaler: { roleId: "cluster-autoscaler", namespace: "kube-system", serviceAccount: "cluster-autoscaler" },
  nodeTerminationHandler: { roleId: "node-termination-handler", namespace: "kube-system", serviceAccount: "aws-node-termination-handler" },
} as const satisfies Record<string, WorkloadIdentity>;
