import { Release } from "@cdktf/provider-helm/lib/release";
import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { stringify } from "yaml";
import type { ChartPin } from "./charts";
import { isDnsLabel } from "../core/kubernetes-formats";

export interface ChartReleaseProps {
  /** Release name (a DNS label, at most 53 characters). */
  readonly releaseName: string;
  readonly namespace: string;
  /** Where the chart comes from: a pin from `CHARTS`, or a chart kept in the repository. */
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
  /** @default - the stack's default helm provider */
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
