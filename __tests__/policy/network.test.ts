import { defaultSecurityGroupClosed, natGatewayPerAz, subnetNoAutoPublicIp, vpcFlowLogs } from "../../src/policy/rules/network";
import { securityGroupDescriptions, securityGroupEgressNotOpen, securityGroupIngressNotOpen } from "../../src/policy/rules/security-groups";
import { fixtureStack, messages, ref, regionalNetwork, remoteRef, remoteState, single, tweak, withResources } from "./fixtures";

const production = (resources = regionalNetwork()) => fixtureStack("production-regional-us-east-1", resources);

describe("subnet-no-auto-public-ip", () => {
  test("flags a private subnet that maps public IPs on launch", () => {
    const stack = production(tweak(regionalNetwork(), (r) => (r.aws_subnet!["private-us-east-1b"]!.map_public_ip_on_launch = true)));
    expect(messages(subnetNoAutoPublicIp, stack)).toEqual([
      "aws_subnet.private-us-east-1b: map_public_ip_on_launch = true on a subnet without a route to an internet gateway: instances launched there get public addresses",
    ]);
  });

  test("passes a public subnet (routed to the internet gateway) that maps public IPs, and private ones that do not", () => {
    const stack = production(tweak(regionalNetwork(), (r) => (r.aws_subnet!["public-us-east-1a"]!.map_public_ip_on_launch = true)));
    expect(messages(subnetNoAutoPublicIp, stack)).toEqual([]);
  });
});

describe("vpc-flow-logs", () => {
  test("flags a VPC no flow log refers to", () => {
    const stack = production(tweak(regionalNetwork(), (r) => delete r.aws_flow_log));
    expect(messages(vpcFlowLogs, stack)).toEqual(["aws_vpc.vpc: no aws_flow_log has vpc_id referring to this VPC: its traffic is not recorded"]);
  });

  test("passes a VPC with a flow log, also when the flow log lives in another stack", () => {
    expect(messages(vpcFlowLogs, production())).toEqual([]);
    // GIVEN the flow log in a second stack reading the VPC id through remote state
    const network = fixtureStack("production-network", tweak(regionalNetwork(), (r) => delete r.aws_flow_log), { output: { vpc_id: { value: ref("aws_vpc.vpc") } } });
    const logging = fixtureStack("production-logging", { aws_flow_log: { vpc: { vpc_id: remoteRef("production-network", "vpc_id"), traffic_type: "ALL" } } }, { data: { terraform_remote_state: remoteState("production-network") } });
    expect(messages(vpcFlowLogs, [network, logging])).toEqual([]);
  });
});

describe("default-security-group-closed", () => {
  test("flags a VPC whose default security group is not adopted", () => {
    const stack = production(tweak(regionalNetwork(), (r) => delete r.aws_default_security_group));
    expect(messages(defaultSecurityGroupClosed, stack)).toEqual([expect.stringContaining("aws_vpc.vpc: no aws_default_security_group has vpc_id referring to this VPC")]);
  });

  test("flags an adopted default security group that keeps rules", () => {
    const stack = production(tweak(regionalNetwork(), (r) => (r.aws_default_security_group!.default!.ingress = [{ protocol: "-1", self: true, from_port: 0, to_port: 0 }])));
    expect(messages(defaultSecurityGroupClosed, stack)).toEqual([
      'aws_default_security_group.default: ingress = [{"protocol":"-1","self":true,"from_port":0,"to_port":0}]: the default security group must have no rules',
    ]);
  });

  test("passes an adopted default security group without rules", () => {
    expect(messages(defaultSecurityGroupClosed, production())).toEqual([]);
  });
});

describe("nat-gateway-per-az", () => {
  test("flags production private subnets that route through another AZ's NAT (single NAT)", () => {
    const stack = production(regionalNetwork({ nat: "single" }));
    expect(messages(natGatewayPerAz, stack)).toEqual([
      "aws_route.private-us-east-1b-default: aws_route.private-us-east-1b-default sends 0.0.0.0/0 of subnets in us-east-1b through aws_nat_gateway.nat-us-east-1a in us-east-1a and us-east-1b has no NAT (production needs one per AZ): an outage of us-east-1a cuts us-east-1b's egress",
      "aws_route.private-us-east-1c-default: aws_route.private-us-east-1c-default sends 0.0.0.0/0 of subnets in us-east-1c through aws_nat_gateway.nat-us-east-1a in us-east-1a and us-east-1c has no NAT (production needs one per AZ): an outage of us-east-1a cuts us-east-1c's egress",
    ]);
  });

  test("flags a route table that uses another AZ's NAT although its own AZ has one (any environment)", () => {
    const crossed = tweak(regionalNetwork(), (r) => (r.aws_route!["private-us-east-1b-default"]!.nat_gateway_id = ref("aws_nat_gateway.nat-us-east-1c")));
    const stack = fixtureStack("staging-regional-us-east-1", crossed);
    expect(messages(natGatewayPerAz, stack, ["production"])).toEqual([expect.stringContaining("through aws_nat_gateway.nat-us-east-1c in us-east-1c although us-east-1b has its own NAT")]);
  });

  test("passes one NAT per AZ in production, and a single NAT outside production", () => {
    expect(messages(natGatewayPerAz, production())).toEqual([]);
    expect(messages(natGatewayPerAz, fixtureStack("staging-regional-us-east-1", regionalNetwork({ nat: "single" })), ["production"])).toEqual([]);
  });
});

/** A public NLB on 443 with its security group, in the regional network. */
function ingress(rule: Record<string, unknown>, listenerPort = 443) {
  return production(
    withResources(regionalNetwork(), {
      aws_security_group: { nlb: { name: "nlb", description: "Public ingress NLB", vpc_id: ref("aws_vpc.vpc") } },
      aws_vpc_security_group_ingress_rule: { "from-internet": { security_group_id: ref("aws_security_group.nlb"), description: "clients", ...rule } },
      aws_lb: { nlb: { load_balancer_type: "network", internal: false, security_groups: [ref("aws_security_group.nlb")], subnets: [ref("aws_subnet.public-us-east-1a")] } },
      aws_lb_listener: { tls: { load_balancer_arn: ref("aws_lb.nlb", "arn"), port: listenerPort, protocol: "TCP" } },
    }),
  );
}

describe("security-group-ingress-not-open", () => {
  test("flags 0.0.0.0/0 on a port that is no listener of the load balancer", () => {
    expect(messages(securityGroupIngressNotOpen, ingress({ cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 22, to_port: 22 }))).toEqual([
      "aws_vpc_security_group_ingress_rule.from-internet: aws_vpc_security_group_ingress_rule.from-internet admits 0.0.0.0/0 on port 22 (listener ports of aws_lb.nlb: 443): open to the internet",
    ]);
  });

  test("flags an inline ingress block open to ::/0 on a group no load balancer uses", () => {
    const stack = single("aws_security_group", { description: "app", ingress: [{ description: "all", protocol: "tcp", from_port: 443, to_port: 443, cidr_blocks: [], ipv6_cidr_blocks: ["::/0"] }] });
    expect(messages(securityGroupIngressNotOpen, stack)).toEqual(["aws_security_group.subject: ingress[0] admits ::/0 on port 443: open to the internet"]);
  });

  test("flags all protocols from 0.0.0.0/0 even on a load balancer's group", () => {
    expect(messages(securityGroupIngressNotOpen, ingress({ cidr_ipv4: "0.0.0.0/0", ip_protocol: "-1" }))).toEqual([expect.stringContaining("admits 0.0.0.0/0 on all ports")]);
  });

  test("passes 0.0.0.0/0 on the listener port of an internet-facing load balancer", () => {
    expect(messages(securityGroupIngressNotOpen, ingress({ cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 443, to_port: 443 }))).toEqual([]);
  });

  test("passes ingress from the VPC or a peer security group", () => {
    expect(messages(securityGroupIngressNotOpen, ingress({ cidr_ipv4: "10.0.0.0/16", ip_protocol: "tcp", from_port: 22, to_port: 22 }))).toEqual([]);
  });
});

describe("security-group-egress-not-open", () => {
  test("flags egress to 0.0.0.0/0 on all ports (inline and as a rule resource)", () => {
    const inline = single("aws_security_group", { description: "app", egress: [{ description: "all", protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: ["0.0.0.0/0"] }] });
    expect(messages(securityGroupEgressNotOpen, inline)).toEqual(['aws_security_group.subject: egress[0] allows ["0.0.0.0/0"] on all ports (protocol "-1"): members can send anything anywhere']);
    const resource = single("aws_vpc_security_group_egress_rule", { security_group_id: "sg-1", description: "all", ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0" });
    expect(messages(securityGroupEgressNotOpen, resource)).toHaveLength(1);
  });

  test("passes egress to the internet on one port, or to the VPC on all ports", () => {
    expect(messages(securityGroupEgressNotOpen, single("aws_vpc_security_group_egress_rule", { ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" }))).toEqual([]);
    expect(messages(securityGroupEgressNotOpen, single("aws_security_group_rule", { type: "egress", protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: ["10.0.0.0/16"] }))).toEqual([]);
  });
});

describe("security-group-descriptions", () => {
  test("flags a group with Terraform's default description and rules without one", () => {
    const stack = single("aws_security_group", { description: "Managed by Terraform", ingress: [{ protocol: "tcp", from_port: 443, to_port: 443, cidr_blocks: ["10.0.0.0/16"] }] });
    expect(messages(securityGroupDescriptions, stack)).toEqual([
      'aws_security_group.subject: description = "Managed by Terraform": say what the group is for',
      "aws_security_group.subject: ingress[0].description = not set: say what the rule admits and why",
    ]);
    expect(messages(securityGroupDescriptions, single("aws_vpc_security_group_ingress_rule", { ip_protocol: "tcp", from_port: 5432, to_port: 5432, referenced_security_group_id: "sg-1" }))).toEqual([
      "aws_vpc_security_group_ingress_rule.subject: description = not set: say what the rule admits and why",
    ]);
  });

  test("passes a described group with described rules", () => {
    const stack = single("aws_security_group", { description: "HTTPS to endpoints", ingress: [{ description: "HTTPS from the VPC", protocol: "tcp", from_port: 443, to_port: 443, cidr_blocks: ["10.0.0.0/16"] }] });
    expect(messages(securityGroupDescriptions, stack)).toEqual([]);
  });
});
