import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { MetricsServer } from "@meridian/constructs";

/** metrics-server in a cluster reached through the local kubeconfig, with three replicas. */
export class MetricsServerExample extends TerraformStack {
  readonly metricsServer: MetricsServer;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new HelmProvider(this, "helm", { kubernetes: { configPath: "~/.kube/config", configContext: "team-a" } });
    this.metricsServer = new MetricsServer(this, "metrics-server", {
      replicas: 3,
      values: { args: ["--kubelet-preferred-address-types=InternalIP"] },
    });
  }
}
