/**
 * The Crossplane packages the GitOps hub installs, pinned in one place (the Crossplane chart itself
 * is pinned in `./chart.ts`). This module imports no provider bindings, so the AWS side
 * (the IRSA roles in the hub's regional stack) can share the service-account names with it.
 *
 * Versions are the newest releases tagged in each project's repository for Crossplane v2.3 (the
 * `CHARTS.crossplane` pin); they cannot be checked against the registry offline. provider-upjet-aws
 * v2 serves every managed resource twice: the legacy cluster-scoped kinds (`*.aws.upbound.io`) and
 * the namespaced Crossplane v2 kinds (`*.aws.m.upbound.io`), of which the `KubernetesCluster` composition
 * uses only the latter. Raise all AWS providers together (the family provider and its service
 * providers must share a version), then review the hub platform stack's plan.
 */

/** Namespace of Crossplane, its package runtimes and the wait job. */
export const CROSSPLANE_NAMESPACE = "crossplane-system";

/** The public Crossplane registry; `crossplane-contrib` builds are free to pull, unlike `xpkg.upbound.io/upbound/*`. */
export const CROSSPLANE_REGISTRY = "xpkg.crossplane.io/crossplane-contrib";

/** provider-upjet-aws release of every AWS provider (family and service providers). */
export const AWS_PROVIDER_VERSION = "v2.6.0";

export interface CrossplanePackage {
  /** Name of the Provider/Function object. */
  readonly name: string;
  /** Fully qualified package reference (registry host, repository and tag). */
  readonly package: string;
}

export interface AwsServiceProvider extends CrossplanePackage {
  /**
   * The AWS service (`eks`, `iam`): names the provider's IRSA role and its service account.
   * The service account name is fixed by a DeploymentRuntimeConfig per provider, so the IRSA trust
   * policy can pin it with StringEquals (a generated `provider-aws-eks-<hash>` name could not be).
   */
  readonly service: string;
  readonly serviceAccount: string;
}

/**
 * The family provider: owns the ProviderConfig CRDs (`aws.upbound.io` for legacy managed resources,
 * `aws.m.upbound.io` ProviderConfig and ClusterProviderConfig for namespaced ones) and is a dependency of every
 * service provider. It makes no AWS calls, so it needs no credentials. Named as Crossplane names an
 * auto-installed dependency, so dependency resolution finds it instead of installing a second copy.
 */
export const AWS_FAMILY_PROVIDER: CrossplanePackage = {
  name: "crossplane-contrib-provider-family-aws",
  package: `${CROSSPLANE_REGISTRY}/provider-family-aws:${AWS_PROVIDER_VERSION}`,
};

/**
 * The service providers the `KubernetesCluster` composition needs: EKS (cluster, node groups, access
 * entries) and IAM (cluster and node roles). Each runs with its own IRSA role and only that
 * service's permissions. provider-aws-ec2 is deliberately not installed: the composition places
 * clusters in existing subnets, and every installed provider is a pod and an IRSA role to keep
 * least-privileged (its kinds cost no API-server memory until activated: ACTIVATED_MANAGED_RESOURCES).
 * Add it here when a composition needs it.
 */
export const AWS_SERVICE_PROVIDERS: readonly AwsServiceProvider[] = ["eks", "iam"].map((service) => ({
  name: `provider-aws-${service}`,
  package: `${CROSSPLANE_REGISTRY}/provider-aws-${service}:${AWS_PROVIDER_VERSION}`,
  service,
  serviceAccount: `provider-aws-${service}`,
}));

/**
 * Composition functions of the `KubernetesCluster` pipeline. function-go-templating v0.12 is its newest
 * line. function-auto-ready stays on the v0.6 line: v0.6.7 carries the July 2026 CVE fixes (Go
 * 1.25.12, grpc 1.82.1) that no v0.7 tag has yet, and v0.7 adds only CEL readiness rules and
 * response TTLs, which this pipeline does not use.
 */
export const COMPOSITION_FUNCTIONS = {
  goTemplating: { name: "function-go-templating", package: `${CROSSPLANE_REGISTRY}/function-go-templating:v0.12.2` },
  autoReady: { name: "function-auto-ready", package: `${CROSSPLANE_REGISTRY}/function-auto-ready:v0.6.7` },
} as const satisfies Record<string, CrossplanePackage>;

/** The ProviderConfig managed resources name (explicitly, though it is also the CRDs' default). */
export const DEFAULT_PROVIDER_CONFIG = "default";
/**
 * Namespaced managed resources name a namespaced `ProviderConfig` (in their own namespace) or a
 * cluster-scoped `ClusterProviderConfig`; the hub keeps one cluster-wide configuration, so the
 * credentials are never a team namespace's object.
 */
export const CLUSTER_PROVIDER_CONFIG_KIND = "ClusterProviderConfig";

/**
 * The managed resource definitions the `KubernetesCluster` composition needs, activated by the hub's
 * ManagedResourceActivationPolicy. provider-upjet-aws declares the SafeStart capability, so with
 * Crossplane v2 every other kind stays an inactive MRD: no CRD, no controller, no API-server memory.
 */
export const ACTIVATED_MANAGED_RESOURCES = [
  "roles.iam.aws.m.upbound.io",
  "rolepolicyattachments.iam.aws.m.upbound.io",
  "clusters.eks.aws.m.upbound.io",
  "nodegroups.eks.aws.m.upbound.io",
  "accessentries.eks.aws.m.upbound.io",
  "accesspolicyassociations.eks.aws.m.upbound.io",
] as const;

/**
 * The API groups of provider-upjet-aws's namespaced managed resources and ProviderConfigs. A
 * namespaced managed resource can be created by anyone who may write it in some namespace, and
 * runs with the provider's IRSA role through the cluster-wide `default` ClusterProviderConfig,
 * so only Crossplane itself (composing a KubernetesCluster, whose schema holds the platform's rules) may
 * create them: team projects refuse these groups.
 */
export const AWS_NAMESPACED_API_GROUPS = ["aws.m.upbound.io", "*.aws.m.upbound.io"] as const;

/** Image of the job that waits until the family provider's CRDs exist (kubectl only, no shell). */
export const KUBECTL_IMAGE = "registry.k8s.io/kubectl:v1.33.5";

/**
 * What the `KubernetesCluster` composition may create, shared with the IAM policies of the provider roles:
 * EKS clusters are named `<prefix><xr name>` and IAM roles live under `rolePath`, so the providers'
 * permissions can be scoped to them and can never touch the platform's own clusters and roles.
 */
export const XCLUSTER_SCOPE = {
  clusterNamePrefix: "xcluster-",
  rolePath: "/xcluster/",
} as const;
