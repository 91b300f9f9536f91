import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { RegionFailureDrill } from "@meridian/constructs";

const ACCOUNT = "123456789012";

/** Both region failure drills in the Aurora writer's region. */
export class RegionFailureDrillExample extends TerraformStack {
  readonly drill: RegionFailureDrill;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "us-east-1" });
    this.drill = new RegionFailureDrill(this, "drill", {
      name: "team-a-prod-us-east-1",
      region: "us-east-1",
      accountId: ACCOUNT,
      partition: "aws",
      auroraClusterIdentifier: "team-a-prod-us-east-1",
      auroraRole: "writer",
      publicSubnetArns: [
        `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-0a1b2c3d4e5f60718`,
        `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-1a1b2c3d4e5f60718`,
      ],
      failoverStopAlarmArn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:team-a-no-healthy-targets`,
      ingressLossStopAlarmArn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:team-a-replication-lag`,
      ingressLossMinutes: 10,
    });
  }
}
