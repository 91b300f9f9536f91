import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AzFaultExperiment } from "@meridian/constructs";

const ACCOUNT = "123456789012";

/** A rehearsal of losing eu-west-1a for one EKS cluster. */
export class AzFaultExperimentExample extends TerraformStack {
  readonly experiment: AzFaultExperiment;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    this.experiment = new AzFaultExperiment(this, "az-loss", {
      name: "team-a-prod-eu-west-1",
      partition: "aws",
      accountId: ACCOUNT,
      clusterName: "team-a-prod",
      availabilityZone: "eu-west-1a",
      subnetArns: [`arn:aws:ec2:eu-west-1:${ACCOUNT}:subnet/subnet-0a1b2c3d4e5f60718`],
      stopConditionAlarmArn: `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:team-a-slo-burn`,
      durationMinutes: 15,
    });
  }
}
