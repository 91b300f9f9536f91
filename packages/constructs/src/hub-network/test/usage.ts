import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { HubPeering, SpokePeeringAcceptance } from "@meridian/constructs";

/** The hub's side: a peering request to one spoke VPC in another account and region, and the routes to it. */
export class HubNetworkExample extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "us-east-1" });
    const peering = new HubPeering(this, "hub-peering", {
      name: "team-a-hub",
      hubVpcId: "vpc-0123456789abcdef0",
      hubRouteTableIds: ["rtb-0aaaaaaaaaaaaaaaa", "rtb-0bbbbbbbbbbbbbbbb"],
      spokes: [{ key: "team-a-euw1", vpcId: "vpc-0fedcba9876543210", vpcCidr: "10.41.0.0/16", accountId: "210987654321", region: "eu-west-1" }],
    });
    // The spoke's stack reads this to accept the request.
    new TerraformOutput(this, "peering_connection_team_a_euw1", { value: peering.connections["team-a-euw1"]!.id });
  }
}

/** The spoke's side, in its own account: accept the request, route the hub's CIDR, admit it on 443. */
export class SpokePeeringExample extends TerraformStack {
  constructor(scope: Construct, id: string, peeringConnectionId: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    new SpokePeeringAcceptance(this, "hub-peering", {
      name: "team-a-euw1",
      peeringConnectionId,
      hubVpcCidr: "10.40.0.0/16",
      routeTableIds: ["rtb-0ccccccccccccccccc"],
      clusterSecurityGroupId: "sg-0123456789abcdef0",
    });
  }
}
