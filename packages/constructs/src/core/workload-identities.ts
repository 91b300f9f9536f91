/**
 * The in-cluster controllers that call AWS through an IRSA role. The regional stack's role trusts
 * exactly this namespace and service account, and the platform stack's chart creates exactly that
 * service account: both sides read this table, so they cannot drift apart.
 * (The observability agents have their own table: `OBSERVABILITY_WORKLOADS`.)
 */
export interface WorkloadIdentity {
  /** Suffix of the role name (`<cluster>-<roleId>`) and key of `RegionalStack.workloadRoleArns`. */
  readonly roleId: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

export const CONTROLLER_IDENTITIES = {
  loadBalancerController: { roleId: "load-balancer-controller", namespace: "kube-system", serviceAccount: "aws-load-balancer-controller" },
  externalDns: { roleId: "external-dns", namespace: "external-dns", serviceAccount: "external-dns" },
  clusterAutoscaler: { roleId: "cluster-autoscaler", namespace: "kube-system", serviceAccount: "cluster-autoscaler" },
  nodeTerminationHandler: { roleId: "node-termination-handler", namespace: "kube-system", serviceAccount: "aws-node-termination-handler" },
} as const satisfies Record<string, WorkloadIdentity>;
