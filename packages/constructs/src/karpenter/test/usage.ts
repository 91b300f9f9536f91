import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { EksCluster, InterruptionQueue, KarpenterAwsResources, interruptionEventsFor } from "@meridian/constructs";

/** Karpenter's AWS side for a cluster a team already runs. */
export class KarpenterAwsExample extends TerraformStack {
  readonly karpenter: KarpenterAwsResources;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    const cluster = EksCluster.fromClusterAttributes(this, "cluster", {
      clusterName: "team-a",
      kubernetesVersion: "1.33",
      endpoint: "https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
      certificateAuthorityData: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t",
      clusterSecurityGroupId: "sg-0123456789abcdef0",
      oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF",
      oidcIssuerUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF",
    });
    const queue = new InterruptionQueue(this, "interruption", { queueName: "team-a-interruption", events: interruptionEventsFor("karpenter") });
    this.karpenter = new KarpenterAwsResources(this, "karpenter", {
      cluster,
      accountId: "123456789012",
      region: "eu-west-1",
      partition: "aws",
      interruptionQueueArn: queue.queue.arn,
    });
  }
}
