import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { Crossplane } from "@meridian/constructs";

/** Crossplane on a hub cluster, offering teams the KubernetesCluster API in two regions. */
export class CrossplaneExample extends TerraformStack {
  readonly crossplane: Crossplane;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new HelmProvider(this, "helm", { kubernetes: { configPath: "~/.kube/config", configContext: "hub" } });
    this.crossplane = new Crossplane(this, "crossplane", {
      providerRoleArns: { eks: "arn:aws:iam::123456789012:role/hub-crossplane-eks", iam: "arn:aws:iam::123456789012:role/hub-crossplane-iam" },
      xcluster: { group: "platform.example.com", regions: ["eu-west-1", "us-east-1"], kubernetesVersions: ["1.33"], partition: "aws", accountId: "123456789012" },
    });
  }
}
