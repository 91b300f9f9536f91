import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { ClusterAutoscaler } from "@meridian/constructs";

/** Cluster Autoscaler for a cluster with a per-AZ system group and a spot group; spot is grown first. */
export class ClusterAutoscalerExample extends TerraformStack {
  readonly autoscaler: ClusterAutoscaler;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new HelmProvider(this, "helm", { kubernetes: { configPath: "~/.kube/config", configContext: "team-a" } });
    this.autoscaler = new ClusterAutoscaler(this, "cluster-autoscaler", {
      clusterName: "team-a",
      region: "eu-west-1",
      kubernetesVersion: "1.33",
      roleArn: "arn:aws:iam::123456789012:role/team-a-cluster-autoscaler",
      nodeGroups: [
        { name: "system", class: "system", perAvailabilityZone: true },
        { name: "spot", class: "spot", perAvailabilityZone: false },
      ],
      availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
      nodeAffinity: [{ key: "node.meridian.io/class", operator: "In", values: ["system"] }],
    });
  }
}
