import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { InterruptionQueue, interruptionEventsFor } from "@meridian/constructs";

/** The interruption queue of a cluster whose nodes Karpenter manages. */
export class InterruptionQueueExample extends TerraformStack {
  readonly queue: InterruptionQueue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    this.queue = new InterruptionQueue(this, "interruption", {
      queueName: "team-a-interruption",
      events: interruptionEventsFor("karpenter"),
    });
  }
}
