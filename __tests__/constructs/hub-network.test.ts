import { HubPeering, type PeeredSpoke } from "@meridian/constructs";
import { SpokePeeringAcceptance } from "@meridian/constructs";
import { awsStack, resourcesOf, synthJson } from "../helpers";

const SPOKE: PeeredSpoke = { key: "staging-us-west-2", vpcId: "vpc-0123456789abcdef0", vpcCidr: "10.65.0.0/16", accountId: "222222222222", region: "us-west-2" };

function hubPeering(spokes: PeeredSpoke[], hubRouteTableIds = ["rtb-a", "rtb-b"]) {
  const { stack } = awsStack();
  new HubPeering(stack, "hub", { name: "meridian-production-us-east-1", hubVpcId: "vpc-hub", hubRouteTableIds, spokes });
  return synthJson(stack);
}

function acceptance(overrides: Partial<ConstructorParameters<typeof SpokePeeringAcceptance>[2]> = {}) {
  const { stack } = awsStack("us-west-2");
  new SpokePeeringAcceptance(stack, "link", {
    name: "meridian-staging-us-west-2",
    peeringConnectionId: "pcx-0123456789abcdef0",
    hubVpcCidr: "10.72.0.0/16",
    routeTableIds: ["rtb-1", "rtb-2", "rtb-3"],
    clusterSecurityGroupId: "sg-0123456789abcdef0",
    ...overrides,
  });
  return synthJson(stack);
}

describe("HubPeering", () => {
  test("requests a peering per spoke and routes its CIDR from every hub route table", () => {
    // GIVEN two hub route tables and one spoke WHEN synthesized
    const json = hubPeering([SPOKE]);
    // THEN
    expect(resourcesOf(json, "aws_vpc_peering_connection")).toEqual([
      expect.objectContaining({ vpc_id: "vpc-hub", peer_vpc_id: SPOKE.vpcId, peer_owner_id: "222222222222", peer_region: "us-west-2" }),
    ]);
    expect(resourcesOf(json, "aws_route").map((r) => `${r.route_table_id}→${r.destination_cidr_block}`)).toEqual(["rtb-a→10.65.0.0/16", "rtb-b→10.65.0.0/16"]);
  });

  test("throws when a spoke's CIDR is not a network block", () => {
    expect(() => hubPeering([{ ...SPOKE, vpcCidr: "10.65.0.1/16" }])).toThrow('spokes[staging-us-west-2].vpcCidr is "10.65.0.1/16": must be an IPv4 network block');
  });

  test("throws when a spoke's account id is malformed", () => {
    expect(() => hubPeering([{ ...SPOKE, accountId: "2222" }])).toThrow('spokes[staging-us-west-2].accountId is "2222": must be a 12-digit AWS account id');
  });

  test("throws when a spoke's region is malformed", () => {
    expect(() => hubPeering([{ ...SPOKE, region: "uswest2" }])).toThrow('spokes[staging-us-west-2].region is "uswest2": must be an AWS region name');
  });

  test("throws when a spoke is listed twice", () => {
    expect(() => hubPeering([SPOKE, SPOKE])).toThrow("spoke staging-us-west-2 is listed twice");
  });

  test("throws when the hub has no route table to route from", () => {
    expect(() => hubPeering([SPOKE], [])).toThrow("hubRouteTableIds is empty");
  });
});

describe("SpokePeeringAcceptance", () => {
  test("accepts, routes the hub CIDR from every spoke route table, and admits 443 from it only", () => {
    const json = acceptance();
    expect(resourcesOf(json, "aws_vpc_peering_connection_accepter")).toEqual([expect.objectContaining({ vpc_peering_connection_id: "pcx-0123456789abcdef0", auto_accept: true })]);
    expect(resourcesOf(json, "aws_route").map((r) => r.route_table_id)).toEqual(["rtb-1", "rtb-2", "rtb-3"]);
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).toEqual([
      expect.objectContaining({ security_group_id: "sg-0123456789abcdef0", ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "10.72.0.0/16" }),
    ]);
  });

  test("throws when the hub CIDR is malformed", () => {
    expect(() => acceptance({ hubVpcCidr: "10.72.0.0" })).toThrow('hubVpcCidr is "10.72.0.0": must be an IPv4 network block');
  });

  test("throws when there is no route table for the replies", () => {
    expect(() => acceptance({ routeTableIds: [] })).toThrow("routeTableIds is empty");
  });
});
