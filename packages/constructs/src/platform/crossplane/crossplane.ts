import { Token, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { createHash } from "node:crypto";
import { CROSSPLANE_CHART } from "./chart";
import { parseRoleArn } from "../../core/aws-formats";
import { ChartRelease, mergeValues, type ChartPin, type HelmValues } from "../chart-release";
import { ManifestsRelease, type KubernetesManifest } from "../manifests-release";
import {
  ACTIVATED_MANAGED_RESOURCES,
  AWS_FAMILY_PROVIDER,
  AWS_SERVICE_PROVIDERS,
  CLUSTER_PROVIDER_CONFIG_KIND,
  COMPOSITION_FUNCTIONS,
  CROSSPLANE_NAMESPACE,
  DEFAULT_PROVIDER_CONFIG,
  KUBECTL_IMAGE,
  type AwsServiceProvider,
} from "./packages";
import { validateCrossplaneObject } from "./schemas";
import { xClusterComposedResources, xClusterComposition, xClusterDefinition, type XClusterApiProps } from "./xcluster";

const ZONE = "topology.kubernetes.io/zone";
const RELEASE_NAME = "crossplane";

/** Props of {@link Crossplane}. */
export interface CrossplaneProps {
  /** IRSA role ARN (literal) of each AWS service provider, by service (`eks`, `iam`). */
  readonly providerRoleArns: Readonly<Record<string, string>>;
  /** The KubernetesCluster API: group, allowed regions and versions, partition, account. */
  readonly xcluster: XClusterApiProps;
  /** Replicas of Crossplane and its RBAC manager (leader-elected); at least 2. @default 2 */
  readonly replicas?: number;
  /** Seconds to wait for the AWS family provider to install and report healthy. @default 900 */
  readonly packageTimeoutSeconds?: number;
  /** The crossplane chart. @default CROSSPLANE_CHART */
  readonly chart?: ChartPin;
  /** Helm values deep-merged over {@link crossplaneValues} (objects merge, arrays and scalars replace; see `mergeValues`). @default - none */
  readonly values?: HelmValues;
  /** Releases the chart must wait for. @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** Helm provider of the three releases. @default - the stack's default helm provider */
  readonly provider?: TerraformProvider;
}

/**
 * Values of the crossplane chart: replicated, leader-elected core and RBAC manager, spread over
 * zones. `provider.defaultActivations` is emptied so the init container creates no catch-all
 * `default` ManagedResourceActivationPolicy (the chart's default is `["*"]`, which activates every
 * kind of every provider): the packages release owns the hub's only policy instead.
 */
export function crossplaneValues(replicas: number): Record<string, unknown> {
  const spread = (app: string) => [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { app, release: RELEASE_NAME } } }];
  return {
    replicas,
    leaderElection: true,
    topologySpreadConstraints: spread("crossplane"),
    rbacManager: { replicas, leaderElection: true, topologySpreadConstraints: spread("crossplane-rbac-manager") },
    provider: { defaultActivations: [] },
  };
}

/** Name of the hub's ManagedResourceActivationPolicy. */
export const ACTIVATION_POLICY_NAME = "xcluster";

/** Activates exactly the managed resources the composition uses (a Helm-owned policy, so a changed list is applied on upgrade). */
export function activationPolicy(): KubernetesManifest {
  return {
    apiVersion: "apiextensions.crossplane.io/v1alpha1",
    kind: "ManagedResourceActivationPolicy",
    metadata: { name: ACTIVATION_POLICY_NAME },
    spec: { activate: [...ACTIVATED_MANAGED_RESOURCES] },
  };
}

/** A DeploymentRuntimeConfig that fixes a provider's service account name and gives it the IRSA annotation. */
export function irsaRuntimeConfig(provider: AwsServiceProvider, roleArn: string): KubernetesManifest {
  return {
    apiVersion: "pkg.crossplane.io/v1beta1",
    kind: "DeploymentRuntimeConfig",
    metadata: { name: provider.name },
    spec: { serviceAccountTemplate: { metadata: { name: provider.serviceAccount, annotations: { "eks.amazonaws.com/role-arn": roleArn } } } },
  };
}

/** The CRD of the cluster-wide ProviderConfig of namespaced managed resources, owned by the family provider. */
export const CLUSTER_PROVIDER_CONFIG_CRD = "clusterproviderconfigs.aws.m.upbound.io";

/**
 * The job that holds the packages release until the AWS family provider is healthy and its
 * ClusterProviderConfig CRD is established, so the next release (which creates the
 * ClusterProviderConfig) never meets a missing CRD. Named after the family package, so a new version runs a new job (a Job's
 * pod template cannot be changed in place).
 */
export function packageWaitManifests(namespace: string, timeoutSeconds: number): KubernetesManifest[] {
  const hash = createHash("sha256").update(`${AWS_FAMILY_PROVIDER.package} ${KUBECTL_IMAGE}`).digest("hex").slice(0, 8);
  const name = "crossplane-package-wait";
  const container = (containerName: string, args: string[]) => ({
    name: containerName,
    image: KUBECTL_IMAGE,
    command: ["kubectl"],
    args,
    env: [{ name: "HOME", value: "/tmp" }],
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
    resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } },
    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
  });
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name },
      rules: [
        { apiGroups: ["pkg.crossplane.io"], resources: ["providers"], verbs: ["get", "list", "watch"] },
        { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["get", "list", "watch"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
      subjects: [{ kind: "ServiceAccount", name, namespace }],
    },
    {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: `wait-for-aws-provider-${hash}`, namespace },
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: timeoutSeconds + 120,
        template: {
          spec: {
            serviceAccountName: name,
            restartPolicy: "Never",
            securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
            initContainers: [
              container("family-provider-healthy", ["wait", "--for=condition=Healthy", `providers.pkg.crossplane.io/${AWS_FAMILY_PROVIDER.name}`, `--timeout=${timeoutSeconds}s`]),
            ],
            containers: [container("providerconfig-crd-established", ["wait", "--for=condition=Established", `crd/${CLUSTER_PROVIDER_CONFIG_CRD}`, "--timeout=120s"])],
            volumes: [{ name: "tmp", emptyDir: {} }],
          },
        },
      },
    },
  ];
}

/**
 * Crossplane on the GitOps hub, in three Helm releases so nothing needs a CRD that does not exist
 * yet (the plan-time CRD problem, applied to install order):
 *
 * 1. `crossplane` (the pinned chart): core and RBAC manager, 2 replicas each, leader-elected and
 *    spread over zones. Its init container installs Crossplane's CRDs before the pods are ready.
 * 2. `crossplane-packages`: the ManagedResourceActivationPolicy (only the kinds the composition
 *    composes), a DeploymentRuntimeConfig per AWS service provider (fixed service account name +
 *    IRSA annotation), the AWS family and service providers, the composition functions, and a job
 *    that keeps the release pending until the family provider is healthy.
 * 3. `crossplane-apis`: the `default` ClusterProviderConfig (IRSA credentials), and the
 *    namespaced KubernetesCluster definition and composition.
 *
 * Every object, the composition's managed resources included, is validated against its schema
 * when the construct is created.
 */
export class Crossplane extends Construct {
  /** The `crossplane` release. */
  readonly chart: ChartRelease;
  /** The `crossplane-packages` release (providers, functions, wait job). */
  readonly packages: ManifestsRelease;
  /** The `crossplane-apis` release (ClusterProviderConfig, KubernetesCluster definition and composition). */
  readonly apis: ManifestsRelease;
  /** The chart's rendered values. */
  readonly values: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, props: CrossplaneProps) {
    super(scope, id);
    const replicas = props.replicas ?? 2;
    if (!Number.isInteger(replicas) || replicas < 2) {
      throw new Error(`Crossplane "${id}": replicas is ${replicas}; at least 2 are required so a standby takes over the leader lease`);
    }
    const timeout = props.packageTimeoutSeconds ?? 900;
    if (!Number.isInteger(timeout) || timeout < 60) {
      throw new Error(`Crossplane "${id}": packageTimeoutSeconds is ${timeout}; pulling and starting a provider takes minutes, allow at least 60`);
    }
    const runtimeConfigs = AWS_SERVICE_PROVIDERS.map((provider) => {
      const roleArn = props.providerRoleArns[provider.service];
      if (!roleArn || Token.isUnresolved(roleArn) || !parseRoleArn(roleArn)) {
        throw new Error(`Crossplane "${id}": providerRoleArns.${provider.service} "${roleArn ?? ""}" must be the literal IRSA role ARN of ${provider.name}`);
      }
      return irsaRuntimeConfig(provider, roleArn);
    });
    const packageObjects: KubernetesManifest[] = [
      activationPolicy(),
      ...runtimeConfigs,
      { apiVersion: "pkg.crossplane.io/v1", kind: "Provider", metadata: { name: AWS_FAMILY_PROVIDER.name }, spec: { package: AWS_FAMILY_PROVIDER.package } },
      ...AWS_SERVICE_PROVIDERS.map((provider) => ({
        apiVersion: "pkg.crossplane.io/v1",
        kind: "Provider",
        metadata: { name: provider.name },
        spec: { package: provider.package, runtimeConfigRef: { name: provider.name } },
      })),
      ...Object.values(COMPOSITION_FUNCTIONS).map((fn) => ({
        apiVersion: "pkg.crossplane.io/v1",
        kind: "Function",
        metadata: { name: fn.name },
        spec: { package: fn.package },
      })),
    ];
    // Built once: the composition embeds them, and each is validated on its own.
    const composed = xClusterComposedResources(props.xcluster);
    const apiObjects: KubernetesManifest[] = [
      { apiVersion: "aws.m.upbound.io/v1beta1", kind: CLUSTER_PROVIDER_CONFIG_KIND, metadata: { name: DEFAULT_PROVIDER_CONFIG }, spec: { credentials: { source: "IRSA" } } },
      xClusterDefinition(props.xcluster),
      xClusterComposition(props.xcluster, composed),
    ];
    [...packageObjects, ...apiObjects, ...composed.map((c) => c.manifest)].forEach(validateCrossplaneObject);

    this.values = mergeValues(crossplaneValues(replicas), props.values);
    this.chart = new ChartRelease(this, "chart", {
      releaseName: RELEASE_NAME,
      namespace: CROSSPLANE_NAMESPACE,
      chart: props.chart ?? CROSSPLANE_CHART,
      values: this.values,
      dependsOn: props.dependsOn,
      provider: props.provider,
    });
    this.packages = new ManifestsRelease(this, "packages", {
      releaseName: "crossplane-packages",
      namespace: CROSSPLANE_NAMESPACE,
      manifests: [...packageObjects, ...packageWaitManifests(CROSSPLANE_NAMESPACE, timeout)],
      dependsOn: [this.chart.release],
      provider: props.provider,
    });
    // Helm counts the release ready only when the wait job has completed.
    this.packages.chart.release.waitForJobs = true;
    this.packages.chart.release.timeout = timeout + 300;
    this.apis = new ManifestsRelease(this, "apis", {
      releaseName: "crossplane-apis",
      namespace: CROSSPLANE_NAMESPACE,
      manifests: apiObjects,
      dependsOn: [this.packages.chart.release],
      provider: props.provider,
    });
  }
}
