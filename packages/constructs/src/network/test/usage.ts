import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { Network, planSubnets, type INetwork } from "@meridian/constructs";

/** A VPC over three zones for one cluster, and a team's existing VPC adopted for the same use. */
export class NetworkExample extends TerraformStack {
  readonly network: Network;
  readonly existing: INetwork;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    this.network = new Network(this, "network", {
      name: "team-a-eu-west-1",
      region: "eu-west-1",
      accountId: "123456789012",
      vpcCidr: "10.20.0.0/16",
      subnets: planSubnets("10.20.0.0/16", ["eu-west-1a", "eu-west-1b", "eu-west-1c"]),
      natGateways: "per-az",
      clusterName: "team-a-eu-west-1",
    });
    // A VPC made elsewhere: constructs that take an INetwork (or its subnets) accept it alike.
    this.existing = Network.fromNetworkAttributes(this, "existing", {
      vpcId: "vpc-0abc1234def567890",
      vpcCidr: "10.30.0.0/16",
      privateSubnets: [
        { id: "subnet-0aaa1111bbbb2222c", availabilityZone: "eu-west-1a" },
        { id: "subnet-0ddd3333eeee4444f", availabilityZone: "eu-west-1b" },
      ],
    });
  }
}
