import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { NodeTerminationHandler, interruptionQueueUrl } from "@meridian/constructs";

/** The handler in queue-processor mode, draining nodes of one cluster on the events of its interruption queue. */
export class NodeTerminationHandlerExample extends TerraformStack {
  readonly handler: NodeTerminationHandler;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new HelmProvider(this, "helm", { kubernetes: { configPath: "~/.kube/config", configContext: "team-a" } });
    this.handler = new NodeTerminationHandler(this, "node-termination-handler", {
      clusterName: "team-a",
      region: "eu-west-1",
      queueUrl: interruptionQueueUrl("eu-west-1", "123456789012", "team-a-interruption"),
      roleArn: "arn:aws:iam::123456789012:role/team-a-node-termination-handler",
      nodeAffinity: [{ key: "node.meridian.io/class", operator: "In", values: ["system"] }],
    });
  }
}
