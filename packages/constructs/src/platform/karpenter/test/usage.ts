import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { Karpenter, type KarpenterPoolSource } from "@meridian/constructs";

/** Karpenter on a cluster's system nodes, launching a general-purpose pool and a spot pool in three zones. */
export class KarpenterExample extends TerraformStack {
  readonly karpenter: Karpenter;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new HelmProvider(this, "helm", { kubernetes: { configPath: "~/.kube/config", configContext: "team-a" } });
    const pool: Omit<KarpenterPoolSource, "name" | "class"> = { instanceTypes: ["m7i.xlarge", "m6i.xlarge"], maxSize: 10, diskSizeGiB: 100, labels: {}, taints: [], metadataHopLimit: 1 };
    this.karpenter = new Karpenter(this, "karpenter", {
      clusterName: "team-a",
      clusterEndpoint: "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
      controllerRoleArn: "arn:aws:iam::123456789012:role/team-a-karpenter",
      interruptionQueueName: "team-a-interruption",
      nodeRoleName: "team-a-karpenter-node",
      securityGroupIds: ["sg-0123456789abcdef0"],
      availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
      nodePools: [
        { ...pool, name: "general", class: "system" },
        { ...pool, name: "spot", class: "spot", instanceTypes: ["m7i.xlarge", "m6i.xlarge", "m6a.xlarge", "m5.xlarge", "c7i.2xlarge"] },
      ],
      controllerNodeAffinity: [{ key: "node.meridian.io/class", operator: "In", values: ["system"] }],
      amiAlias: "al2023@v20261101",
    });
  }
}
