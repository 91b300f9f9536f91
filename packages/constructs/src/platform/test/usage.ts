import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { ChartRelease, ManifestsRelease, highAvailability } from "@meridian/constructs";

/** A team's own chart installed the way the platform installs its add-ons, then a custom resource it defines. */
export class PlatformExample extends TerraformStack {
  readonly chart: ChartRelease;
  readonly objects: ManifestsRelease;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new HelmProvider(this, "helm", { kubernetes: { configPath: "~/.kube/config", configContext: "team-a" } });
    const ha = highAvailability({ component: "podinfo", selector: { "app.kubernetes.io/name": "podinfo" } });
    this.chart = new ChartRelease(this, "podinfo", {
      releaseName: "podinfo",
      namespace: "podinfo",
      chart: { repository: "https://stefanprodan.github.io/podinfo", chart: "podinfo", version: "6.9.2" },
      values: { replicaCount: ha.replicas, topologySpreadConstraints: ha.topologySpreadConstraints },
    });
    this.objects = new ManifestsRelease(this, "podinfo-config", {
      releaseName: "podinfo-config",
      namespace: "podinfo",
      manifests: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "podinfo-banner", namespace: "podinfo" }, data: { message: "hello" } }],
      dependsOn: [this.chart.release],
    });
  }
}
