import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { awsStack, onlyResourceOf, resourcesOf, synthJson } from "../../../test-support/fixture";
import { HubPeering, SpokePeeringAcceptance, spokePeeringName, type PeeredSpoke } from "..";
import { HubNetworkExample, SpokePeeringExample } from "./usage";

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
    expect(() => hubPeering([{ ...SPOKE, vpcCidr: "10.65.0.1/16" }])).toThrow('HubPeering meridian-production-us-east-1: spokes[staging-us-west-2].vpcCidr "10.65.0.1/16" must be an IPv4 network block such as 10.64.0.0/16');
  });

  test("throws when a spoke's account id is malformed", () => {
    expect(() => hubPeering([{ ...SPOKE, accountId: "2222" }])).toThrow('HubPeering meridian-production-us-east-1: spokes[staging-us-west-2].accountId "2222" must be a 12-digit AWS account id');
  });

  test("throws when a spoke's region is malformed", () => {
    expect(() => hubPeering([{ ...SPOKE, region: "uswest2" }])).toThrow('HubPeering meridian-production-us-east-1: spokes[staging-us-west-2].region "uswest2" must be an AWS region name such as us-east-1');
  });

  test("throws when a spoke is listed twice", () => {
    expect(() => hubPeering([SPOKE, SPOKE])).toThrow("HubPeering meridian-production-us-east-1: spokes lists staging-us-west-2 twice; one peering per spoke VPC");
  });

  test("throws when the hub has no route table to route from", () => {
    expect(() => hubPeering([SPOKE], [])).toThrow("HubPeering meridian-production-us-east-1: hubRouteTableIds is empty; the hub's pods could not route to any spoke");
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
    expect(() => acceptance({ hubVpcCidr: "10.72.0.0" })).toThrow('SpokePeeringAcceptance meridian-staging-us-west-2: hubVpcCidr "10.72.0.0" must be an IPv4 network block');
  });

  test("throws when there is no route table for the replies", () => {
    expect(() => acceptance({ routeTableIds: [] })).toThrow("SpokePeeringAcceptance meridian-staging-us-west-2: routeTableIds is empty; replies from the API endpoint could not reach the hub");
  });
});

describe("HubPeering props", () => {
  test("the peering is tagged with the hub's name and the spoke's key; connections are by spoke key", () => {
    const { stack } = awsStack();
    const peering = new HubPeering(stack, "hub", { name: "hub", hubVpcId: "vpc-hub", hubRouteTableIds: ["rtb-a"], spokes: [SPOKE, { ...SPOKE, key: "other", vpcCidr: "10.66.0.0/16" }] });
    expect(Object.keys(peering.connections)).toEqual(["staging-us-west-2", "other"]);
    expect(resourcesOf(synthJson(stack), "aws_vpc_peering_connection").map((p) => p.tags)).toEqual(expect.arrayContaining([
      { Name: "hub-to-staging-us-west-2", "meridian.io/gitops-spoke": "staging-us-west-2" },
      { Name: "hub-to-other", "meridian.io/gitops-spoke": "other" },
    ]));
  });

  test("no spokes: no peering and no routes", () => {
    expect(hubPeering([]).resource ?? {}).toEqual({});
  });

  test("provider places the peerings and routes with that provider", () => {
    const { stack } = awsStack();
    const hub = new AwsProvider(stack, "hub", { region: "us-east-1", alias: "hub" });
    new HubPeering(stack, "hub-peering", { name: "hub", hubVpcId: "vpc-hub", hubRouteTableIds: ["rtb-a"], spokes: [SPOKE], provider: hub });
    const json = synthJson(stack);
    [...resourcesOf(json, "aws_vpc_peering_connection"), ...resourcesOf(json, "aws_route")].forEach((r) => expect(r.provider).toBe("aws.hub"));
  });
});

describe("SpokePeeringAcceptance props", () => {
  test("the accepted peering is tagged spokePeeringName(name), and the API rule names the spoke", () => {
    const json = acceptance();
    expect(onlyResourceOf(json, "aws_vpc_peering_connection_accepter").tags).toEqual({ Name: spokePeeringName("meridian-staging-us-west-2") });
    expect(spokePeeringName("c")).toBe("c-from-gitops-hub");
    expect(onlyResourceOf(json, "aws_vpc_security_group_ingress_rule").tags).toEqual({ Name: "meridian-staging-us-west-2-gitops-hub-api" });
  });

  test("provider places the accepter, routes and rule with that provider", () => {
    const { stack } = awsStack();
    const spoke = new AwsProvider(stack, "spoke", { region: "us-west-2", alias: "spoke" });
    new SpokePeeringAcceptance(stack, "link", { name: "s", peeringConnectionId: "pcx-1", hubVpcCidr: "10.72.0.0/16", routeTableIds: ["rtb-1"], clusterSecurityGroupId: "sg-1", provider: spoke });
    const json = synthJson(stack);
    for (const type of ["aws_vpc_peering_connection_accepter", "aws_route", "aws_vpc_security_group_ingress_rule"]) {
      resourcesOf(json, type).forEach((r) => expect(r.provider).toBe("aws.spoke"));
    }
  });
});

test("the README's usage example synthesizes (snapshot)", () => {
  expect(synthJson(new HubNetworkExample(Testing.app(), "example"))).toMatchSnapshot();
  expect(synthJson(new SpokePeeringExample(Testing.app(), "spoke-example", "pcx-0123456789abcdef0"))).toMatchSnapshot();
});
