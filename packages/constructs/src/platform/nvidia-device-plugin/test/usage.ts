import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { NvidiaDevicePlugin } from "@meridian/constructs";

/** The device plugin on a cluster's GPU nodes (class label `gpu`, tainted `nvidia.com/gpu=true:NoSchedule`). */
export class NvidiaDevicePluginExample extends TerraformStack {
  readonly devicePlugin: NvidiaDevicePlugin;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new HelmProvider(this, "helm", { kubernetes: { configPath: "~/.kube/config", configContext: "team-a" } });
    this.devicePlugin = new NvidiaDevicePlugin(this, "nvidia-device-plugin", {
      tolerations: [{ key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" }],
    });
  }
}
