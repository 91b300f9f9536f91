import { Release } from "@cdktf/provider-helm/lib/release";
import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { isDnsLabel } from "../core/kubernetes-formats";

/** A Helm chart at a pinned version. Each add-on owns its default pin in its own `chart.ts`. */
export interface ChartPin {
  /** Helm repository URL, or an `oci://` registry path. */
  readonly repository: string;
  /** The chart's name in the repository. */
  readonly chart: string;
  /** The chart version, never a range: an upgrade is a reviewed change. */
  readonly version: string;
}

/** Helm values: a YAML document as a JavaScript object. */
export type HelmValues = Readonly<Record<string, unknown>>;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && [Object.prototype, null].includes(Object.getPrototypeOf(value));

/**
 * `overrides` deep-merged over `base`, as Helm merges `--values` files: objects merge key by key,
 * anything else (arrays included) replaces. A key keeps its place in `base` and new keys follow,
 * so the rendered YAML changes only where the override does. `null` stays `null`, which Helm
 * reads as "drop the chart's default". Neither argument is modified.
 */
export function mergeValues(base: HelmValues, overrides: HelmValues | undefined): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? mergeValues(current, value) : value;
  }
  return merged;
}

export interface ChartReleaseProps {
  /** Release name (a DNS label, at most 53 characters). */
  readonly releaseName: string;
  /** Namespace of the release (a DNS label). */
  readonly namespace: string;
  /** Where the chart comes from: a pin (each add-on's `chart.ts`), or a chart kept on disk. */
  readonly chart: ChartPin | { readonly localPath: string };
  /** Helm values; rendered to YAML. @default {} */
  readonly values?: Readonly<Record<string, unknown>>;
  /** Create the namespace with the release. @default true */
  readonly createNamespace?: boolean;
  /** Releases (or other resources) that must be ready first, e.g. the chart that installs a CRD. @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** Seconds Helm waits for the release's workloads to become ready. @default 600 */
  readonly timeoutSeconds?: number;
  /** Leave the chart's `crds/` out, when another release owns those CRDs. @default false */
  readonly skipCrds?: boolean;
  /** The helm provider (cluster) the release is installed with. @default - the stack's default helm provider */
  readonly provider?: TerraformProvider;
}

/**
 * One Helm release as the platform installs every chart: a pinned version, values as YAML,
 * atomic upgrades that roll back on failure, waiting for readiness (so dependants start on a
 * working add-on), and a bounded release history.
 */
export class ChartRelease extends Construct {
  readonly release: Release;
  /** The values exactly as rendered, for tests and reviews. */
  readonly values: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, props: ChartReleaseProps) {
    super(scope, id);
    if (!isDnsLabel(props.releaseName, 53)) {
      throw new Error(`ChartRelease: releaseName "${props.releaseName}" must be a DNS label of at most 53 characters (Helm's limit)`);
    }
    if (!isDnsLabel(props.namespace)) {
      throw new Error(`ChartRelease ${props.releaseName}: namespace "${props.namespace}" must be a DNS label of at most 63 characters`);
    }
    this.values = props.values ?? {};
    const source = "localPath" in props.chart ? { chart: props.chart.localPath } : { repository: props.chart.repository, chart: props.chart.chart, version: props.chart.version };
    this.release = new Release(this, "release", {
      provider: props.provider,
      name: props.releaseName,
      namespace: props.namespace,
      createNamespace: props.createNamespace ?? true,
      ...source,
      // No YAML anchors/aliases (they make plan diffs unreadable), no line folding.
      values: [stringify(this.values, { aliasDuplicateObjects: false, lineWidth: 0 })],
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout: props.timeoutSeconds ?? 600,
      maxHistory: 10,
      ...(props.skipCrds ? { skipCrds: true } : {}),
      dependsOn: props.dependsOn,
    });
  }
}
