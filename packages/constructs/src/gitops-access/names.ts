/**
 * Names of the GitOps IAM roles. Both sides derive them from the cluster name, so a spoke's
 * regional stack can trust the hub's Argo CD role, and the hub can name a spoke's access role in
 * its cluster secret, without either reading the other's state (they may live in other accounts).
 */

/** Namespace Argo CD runs in on the hub. */
export const ARGOCD_NAMESPACE = "argocd";

/**
 * The Argo CD service accounts that talk to spoke clusters: the application controller (sync and
 * health), the API server (live state in the UI and CLI) and the ApplicationSet controller.
 * The chart's defaults; the hub's values set them explicitly so they cannot drift apart.
 */
export const ARGOCD_SERVICE_ACCOUNTS = ["argocd-application-controller", "argocd-server", "argocd-applicationset-controller"] as const;

/** The hub's Argo CD IRSA role, e.g. `meridian-production-us-east-1-argocd-hub`. */
export function argoCdHubRoleName(hubClusterName: string): string {
  return `${hubClusterName}-argocd-hub`;
}

/** The role Argo CD assumes to manage a cluster (hub included), e.g. `meridian-staging-us-west-2-argocd-spoke`. */
export function argoCdSpokeRoleName(clusterName: string): string {
  return `${clusterName}-argocd-spoke`;
}

/** The IRSA role of one Crossplane AWS service provider on the hub, e.g. `meridian-production-us-east-1-crossplane-eks`. */
export function crossplaneProviderRoleName(hubClusterName: string, service: string): string {
  return `${hubClusterName}-crossplane-${service}`;
}
