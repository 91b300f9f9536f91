import type { PolicyInput, PolicyResource } from "../policy-input";
import { cannotTell, fail, inProduction, type CheckOutcome, type Rule } from "../rule";
import { asBoolean, blocks, isUnknown, plannedOrConfigured, show } from "../terraform-values";
import { defaultRoutes, isPublicSubnet, routeTablesOf, subnetZone } from "./network-topology";

export const subnetNoAutoPublicIp: Rule = {
  id: "subnet-no-auto-public-ip",
  title: "Only public (load balancer / NAT) subnets hand out public IPs on launch",
  publicIds: ["CKV_AWS_130", "AVD-AWS-0164"],
  severity: "medium",
  kind: "security",
  resourceTypes: ["aws_subnet"],
  fix: "Set map_public_ip_on_launch = false; give load balancers and NAT gateways their addresses explicitly.",
  check(subnet, { input }) {
    const mapPublic = asBoolean(subnet.values.map_public_ip_on_launch);
    if (isUnknown(mapPublic)) {
      return [cannotTell("map_public_ip_on_launch is known only after apply")];
    }
    if (mapPublic !== true || isPublicSubnet(input, subnet)) {
      return [];
    }
    return [fail("map_public_ip_on_launch = true on a subnet without a route to an internet gateway: instances launched there get public addresses")];
  },
};

export const vpcFlowLogs: Rule = {
  id: "vpc-flow-logs",
  title: "Every VPC has a flow log",
  publicIds: ["CKV2_AWS_11", "AVD-AWS-0178", "AwsSolutions-VPC7"],
  severity: "medium",
  kind: "security",
  resourceTypes: ["aws_vpc"],
  fix: 'Add an aws_flow_log with vpc_id = the VPC\'s id and traffic_type = "ALL".',
  check(vpc, { input }) {
    const logs = vpcReferrers(input, vpc, "aws_flow_log", "vpc_id");
    return logs.length > 0 ? [] : [fail("no aws_flow_log has vpc_id referring to this VPC: its traffic is not recorded")];
  },
};

export const defaultSecurityGroupClosed: Rule = {
  id: "default-security-group-closed",
  title: "Every VPC's default security group is managed and has no rules",
  publicIds: ["CKV2_AWS_12", "AVD-AWS-0173"],
  severity: "medium",
  kind: "security",
  resourceTypes: ["aws_vpc", "aws_default_security_group"],
  fix: "Adopt the default security group with an aws_default_security_group (vpc_id = the VPC) that declares no ingress or egress.",
  check(resource, { input }) {
    if (resource.type === "aws_vpc") {
      const adopted = vpcReferrers(input, resource, "aws_default_security_group", "vpc_id");
      return adopted.length > 0 ? [] : [fail("no aws_default_security_group has vpc_id referring to this VPC: its default group keeps AWS's allow-all rules")];
    }
    const outcomes: CheckOutcome[] = [];
    for (const direction of ["ingress", "egress"] as const) {
      // Unconfigured, the provider strips every rule when it adopts the group.
      const rules = blocks(plannedOrConfigured(resource, direction));
      if (isUnknown(rules)) {
        outcomes.push(cannotTell(`${direction} is known only after apply`));
      } else if (rules.length > 0) {
        outcomes.push(fail(`${direction} = ${show(rules)}: the default security group must have no rules`));
      }
    }
    return outcomes;
  },
};

export const natGatewayPerAz: Rule = {
  id: "nat-gateway-per-az",
  title: "Each private route table uses a NAT gateway in its own AZ (one NAT per AZ in production)",
  publicIds: ["CKV2_AWS_35"],
  guidance: "AWS VPC guide: NAT gateways are zonal; one per AZ keeps an AZ outage from cutting the other AZs' egress",
  severity: "medium",
  kind: "reliability",
  resourceTypes: ["aws_vpc"],
  fix: 'Create a NAT gateway in every AZ and route each private subnet\'s 0.0.0.0/0 to its own AZ\'s NAT (natGateways = "per-az"); a single NAT is only for non-production.',
  check(vpc, context) {
    const { input } = context;
    const production = inProduction(vpc, context);
    const subnets = vpcReferrers(input, vpc, "aws_subnet", "vpc_id");
    const outcomes: CheckOutcome[] = [];
    // Every NAT gateway in the VPC's subnets counts, whether or not a route uses it.
    const natZones = new Set<string>();
    for (const nat of input.resourcesOf(vpc.stack, "aws_nat_gateway")) {
      const natSubnet = input.referencedResources(nat, nat.config.subnet_id, ["aws_subnet"])[0];
      const natZone = natSubnet && subnets.includes(natSubnet) ? subnetZone(natSubnet) : undefined;
      if (natZone) {
        natZones.add(natZone);
      }
    }
    const privateRoutes: { zone: string; route: ReturnType<typeof defaultRoutes>[number]; nat: PolicyResource; natZone: string }[] = [];
    for (const subnet of subnets) {
      const zone = subnetZone(subnet);
      for (const table of routeTablesOf(input, subnet)) {
        for (const route of defaultRoutes(input, table).filter((r) => r.targetKind === "nat_gateway_id")) {
          const nat = input.referencedResources(route.holder, route.target, ["aws_nat_gateway"])[0];
          const natSubnet = nat ? input.referencedResources(nat, nat.config.subnet_id, ["aws_subnet"])[0] : undefined;
          const natZone = natSubnet ? subnetZone(natSubnet) : undefined;
          if (!zone || !nat || !natZone) {
            outcomes.push(cannotTell(`the AZ of ${subnet.address} or of the NAT gateway it routes through is not in the configuration`));
            continue;
          }
          privateRoutes.push({ zone, route, nat, natZone });
        }
      }
    }
    const reported = new Set<string>();
    for (const { zone, route, nat, natZone } of privateRoutes) {
      // Crossing AZs is wrong whenever the subnet's own AZ has a NAT; without one it is wrong only in production.
      if (zone === natZone || (!production && !natZones.has(zone)) || reported.has(route.holder.address)) {
        continue;
      }
      reported.add(route.holder.address);
      const why = natZones.has(zone) ? `although ${zone} has its own NAT` : `and ${zone} has no NAT (production needs one per AZ)`;
      outcomes.push(fail(`${route.holder.address} sends 0.0.0.0/0 of subnets in ${zone} through ${nat.address} in ${natZone} ${why}: an outage of ${natZone} cuts ${zone}'s egress`, route.holder.address));
    }
    return outcomes;
  },
};

/** Resources of `type` in any stack whose `attribute` refers to the VPC. */
function vpcReferrers(input: PolicyInput, vpc: PolicyResource, type: string, attribute: string): PolicyResource[] {
  return input.allResourcesOf(type).filter((candidate) => input.references(candidate.stack, candidate.config[attribute]).some((ref) => ref.resource === vpc));
}

export const NETWORK_RULES: readonly Rule[] = [subnetNoAutoPublicIp, vpcFlowLogs, defaultSecurityGroupClosed, natGatewayPerAz];
