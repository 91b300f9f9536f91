import { AssetType, TerraformAsset, TerraformStack, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { join } from "node:path";
import { ChartRelease } from "./chart-release";

/** A complete Kubernetes object. */
export interface KubernetesManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** The chart kept in this repository that renders `.Values.manifests`. */
export const MANIFESTS_CHART_DIRECTORY = join(__dirname, "..", "..", "charts", "manifests");

const CHART_ASSET_ID = "platform-manifests-chart";

/** The stack's one copy of the manifests chart: every release of the stack shares it. */
function manifestsChartPath(scope: Construct): string {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(CHART_ASSET_ID) as TerraformAsset | undefined;
  return (existing ?? new TerraformAsset(stack, CHART_ASSET_ID, { path: MANIFESTS_CHART_DIRECTORY, type: AssetType.DIRECTORY })).path;
}

export interface ManifestsReleaseProps {
  /** Release name (a DNS label, at most 53 characters). */
  readonly releaseName: string;
  /** Namespace of the release (a DNS label); objects without their own `metadata.namespace` land here. */
  readonly namespace: string;
  /** The objects to apply; each needs apiVersion, kind and metadata.name, and may appear once. */
  readonly manifests: readonly KubernetesManifest[];
  /** Typically the release that installs the CRDs these objects need. @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** The helm provider (cluster) the release is installed with. @default - the stack's default helm provider */
  readonly provider?: TerraformProvider;
}

/**
 * Custom resources (NodePools, Argo CD Applications, Crossplane objects, TargetGroupBindings)
 * delivered as a Helm release of the repository's `charts/manifests` chart. The kubernetes
 * provider's `kubernetes_manifest` needs each CRD at *plan* time, which a fresh cluster does not
 * have yet; Helm only needs it at apply time, after the release that installs it. So one
 * `cdktf deploy` of a new environment succeeds.
 */
export class ManifestsRelease extends Construct {
  readonly chart: ChartRelease;
  readonly manifests: readonly KubernetesManifest[];

  constructor(scope: Construct, id: string, props: ManifestsReleaseProps) {
    super(scope, id);
    const seen = new Set<string>();
    props.manifests.forEach((manifest, index) => {
      if (!manifest.apiVersion || !manifest.kind || !manifest.metadata?.name) {
        throw new Error(`ManifestsRelease ${props.releaseName}: manifests[${index}] needs apiVersion, kind and metadata.name`);
      }
      const key = `${manifest.apiVersion}/${manifest.kind}/${manifest.metadata.namespace ?? ""}/${manifest.metadata.name}`;
      if (seen.has(key)) {
        throw new Error(`ManifestsRelease ${props.releaseName}: manifests[${index}] ${key} appears twice`);
      }
      seen.add(key);
    });
    this.manifests = props.manifests;
    this.chart = new ChartRelease(this, "release", {
      releaseName: props.releaseName,
      namespace: props.namespace,
      chart: { localPath: manifestsChartPath(this) },
      values: { manifests: props.manifests },
      dependsOn: props.dependsOn,
      provider: props.provider,
    });
  }
}
