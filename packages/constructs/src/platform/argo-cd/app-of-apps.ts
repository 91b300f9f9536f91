import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { BOOTSTRAP_PROJECT } from "./project-names";
import { ARGOCD_NAMESPACE } from "../../gitops-access/names";
import { ManifestsRelease, type KubernetesManifest } from "../manifests-release";
import { CLUSTER_LABEL_KEYS } from "./cluster-secret";
import { isDnsLabel } from "../../core/kubernetes-formats";

/** The hub's own API server as Argo CD names it: root Applications create child Applications there. */
export const IN_CLUSTER_SERVER = "https://kubernetes.default.svc";

/** Label of the cluster secrets the bootstrap ApplicationSet generates a root Application for. */
export const BOOTSTRAP_SELECTOR = { bootstrap: "app-of-apps" } as const;

/** Argo CD's cascade-delete finalizer: deleting a root Application deletes the child Applications it created. */
export const RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io";

/** Where the per-cluster folders of Applications live. */
export interface GitOpsRepository {
  /** Repository URL Argo CD clones. */
  readonly url: string;
  /** Directory holding `<environment>/<region>/` per cluster. */
  readonly path: string;
  /** Branch, tag or commit. */
  readonly revision: string;
}

/** Props of {@link AppOfAppsBootstrap} and {@link appOfAppsManifests}. */
export interface AppOfAppsProps {
  /** The GitOps repository: root Applications sync `<path>/<environment>/<region>` of it. */
  readonly repository: GitOpsRepository;
  /** Argo CD's namespace. @default "argocd" */
  readonly namespace?: string;
  /** Name of the ApplicationSet and of the AppProject its root Applications belong to. @default "cluster-bootstrap" */
  readonly name?: string;
  /** Sync retries before Argo CD gives up until the next change. @default 10 */
  readonly retryLimit?: number;
  /** Typically the Argo CD release, which installs the CRDs. @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** Helm provider of the release. @default - the stack's default helm provider */
  readonly provider?: TerraformProvider;
}

const label = (key: string) => `{{ index .metadata.labels "${key}" }}`;

/**
 * The bootstrap objects: an AppProject that confines root Applications to creating Argo CD
 * Applications and ApplicationSets in the hub's Argo CD namespace, from the GitOps repository only;
 * and an ApplicationSet whose cluster generator selects every registered cluster labelled
 * {@link BOOTSTRAP_SELECTOR} and creates one root ("app of apps") Application per cluster, syncing
 * `<path>/<environment>/<region>` (recursively) automatically, with pruning, self-heal and retries.
 */
export function appOfAppsManifests(props: AppOfAppsProps): KubernetesManifest[] {
  const namespace = props.namespace ?? ARGOCD_NAMESPACE;
  const name = props.name ?? BOOTSTRAP_PROJECT;
  const retryLimit = props.retryLimit ?? 10;
  const { url, path, revision } = props.repository;
  const owner = `AppOfApps ${name}`;
  if (!isDnsLabel(name)) {
    throw new Error(`${owner}: name "${name}" must be a DNS label of at most 63 characters`);
  }
  if (path.startsWith("/") || path.endsWith("/") || path.split("/").includes("..")) {
    throw new Error(`${owner}: repository.path "${path}" must be relative, without '..' and without a trailing '/'`);
  }
  if (!Number.isInteger(retryLimit) || retryLimit < 1) {
    throw new Error(`${owner}: retryLimit is ${retryLimit}; at least one retry is required so a transient error does not stop a sync`);
  }
  const project: KubernetesManifest = {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AppProject",
    metadata: { name, namespace },
    spec: {
      description: "Root app-of-apps Applications, one per registered cluster: they create only Argo CD Applications and ApplicationSets on the hub",
      sourceRepos: [url],
      destinations: [{ server: IN_CLUSTER_SERVER, namespace }],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: [
        { group: "argoproj.io", kind: "Application" },
        { group: "argoproj.io", kind: "ApplicationSet" },
      ],
    },
  };
  const applicationSet: KubernetesManifest = {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "ApplicationSet",
    metadata: { name, namespace },
    spec: {
      goTemplate: true,
      goTemplateOptions: ["missingkey=error"],
      generators: [{ clusters: { selector: { matchLabels: { ...BOOTSTRAP_SELECTOR } } } }],
      template: {
        metadata: {
          name: "{{ .name }}-bootstrap",
          labels: {
            [CLUSTER_LABEL_KEYS.environment]: label(CLUSTER_LABEL_KEYS.environment),
            [CLUSTER_LABEL_KEYS.region]: label(CLUSTER_LABEL_KEYS.region),
            [CLUSTER_LABEL_KEYS.cluster]: label(CLUSTER_LABEL_KEYS.cluster),
          },
          finalizers: [RESOURCES_FINALIZER],
        },
        spec: {
          project: name,
          source: {
            repoURL: url,
            targetRevision: revision,
            path: `${path}/${label(CLUSTER_LABEL_KEYS.environment)}/${label(CLUSTER_LABEL_KEYS.region)}`,
            directory: { recurse: true },
          },
          // The folder holds Applications; they live on the hub and name their cluster themselves.
          destination: { server: IN_CLUSTER_SERVER, namespace },
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            retry: { limit: retryLimit, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } },
          },
        },
      },
    },
  };
  return [project, applicationSet];
}

/**
 * The bootstrap ApplicationSet and its AppProject, delivered as a Helm release of the repository's
 * manifests chart: Helm needs the ApplicationSet CRD only at apply time (after the Argo CD
 * release), never at plan time, and renders exactly the objects the tests validate.
 */
export class AppOfAppsBootstrap extends Construct {
  /** The `argocd-bootstrap` release. */
  readonly release: ManifestsRelease;
  /** The AppProject and the ApplicationSet it renders. */
  readonly manifests: readonly KubernetesManifest[];

  constructor(scope: Construct, id: string, props: AppOfAppsProps) {
    super(scope, id);
    this.manifests = appOfAppsManifests(props);
    this.release = new ManifestsRelease(this, "manifests", {
      releaseName: "argocd-bootstrap",
      namespace: props.namespace ?? ARGOCD_NAMESPACE,
      manifests: this.manifests,
      dependsOn: props.dependsOn,
      provider: props.provider,
    });
  }
}
