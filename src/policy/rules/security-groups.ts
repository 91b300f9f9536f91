import type { PolicyInput, PolicyResource } from "../policy-input";
import { cannotTell, fail, type CheckOutcome, type Rule } from "../rule";
import { UNKNOWN, asBoolean, asNumber, asStrings, blocks, isUnknown, plannedOrConfigured, show, type Unknown } from "../terraform-values";
import { OPEN_TO_WORLD } from "./eks";

const SECURITY_GROUP_TYPES = ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"];
/** The description AWS gives a group created without one. */
const DEFAULT_GROUP_DESCRIPTION = "Managed by Terraform";

/** One ingress or egress rule, inline in a group or a resource of its own. */
interface SecurityGroupRule {
  readonly direction: "ingress" | "egress";
  /** How a message names it: `ingress[0]` or the rule resource's address. */
  readonly label: string;
  readonly holder: PolicyResource;
  readonly description: unknown;
  /** `-1` (all), `tcp`, `udp`, `icmp`, … */
  readonly protocol: unknown;
  readonly fromPort: number | undefined | Unknown;
  readonly toPort: number | undefined | Unknown;
  readonly cidrs: string[] | Unknown;
  /** The group the rule belongs to, when the input holds it. */
  readonly group?: PolicyResource;
}

/** The rules a security-group-like resource declares. */
function rulesOf(input: PolicyInput, resource: PolicyResource): SecurityGroupRule[] | Unknown {
  if (resource.type === "aws_security_group") {
    const found: SecurityGroupRule[] = [];
    for (const direction of ["ingress", "egress"] as const) {
      // Blocks no configuration declares are not this resource's rules (rule resources are checked on their own).
      const list = blocks(plannedOrConfigured(resource, direction));
      if (isUnknown(list)) {
        return list;
      }
      list.forEach((block, index) => {
        const v4 = asStrings(block.cidr_blocks);
        const v6 = asStrings(block.ipv6_cidr_blocks);
        found.push({
          direction,
          label: `${direction}[${index}]`,
          holder: resource,
          description: block.description,
          protocol: block.protocol,
          fromPort: asNumber(block.from_port),
          toPort: asNumber(block.to_port),
          cidrs: isUnknown(v4) || isUnknown(v6) ? UNKNOWN : [...v4, ...v6],
          group: resource,
        });
      });
    }
    return found;
  }
  const v = resource.values;
  const direction = resource.type === "aws_security_group_rule" ? (v.type === "egress" ? "egress" : "ingress") : resource.type.endsWith("egress_rule") ? "egress" : "ingress";
  const cidrs =
    resource.type === "aws_security_group_rule"
      ? [asStrings(v.cidr_blocks), asStrings(v.ipv6_cidr_blocks)]
      : [asStrings(v.cidr_ipv4), asStrings(v.cidr_ipv6)];
  return [
    {
      direction,
      label: resource.address,
      holder: resource,
      description: v.description,
      protocol: resource.type === "aws_security_group_rule" ? v.protocol : v.ip_protocol,
      fromPort: asNumber(v.from_port),
      toPort: asNumber(v.to_port),
      cidrs: cidrs.some(isUnknown) ? UNKNOWN : (cidrs as string[][]).flat(),
      group: input.referencedResources(resource, resource.config.security_group_id, ["aws_security_group"])[0],
    },
  ];
}

const allProtocols = (protocol: unknown) => protocol === "-1" || protocol === -1 || protocol === "all";
const allPorts = (rule: SecurityGroupRule) =>
  allProtocols(rule.protocol) || (rule.fromPort !== undefined && !isUnknown(rule.fromPort) && rule.fromPort <= 0 && rule.toPort !== undefined && !isUnknown(rule.toPort) && rule.toPort >= 65535);
const portsOf = (rule: SecurityGroupRule) => (allProtocols(rule.protocol) ? "all ports" : rule.fromPort === rule.toPort ? `port ${show(rule.fromPort)}` : `ports ${show(rule.fromPort)}-${show(rule.toPort)}`);

/**
 * Listener ports of the internet-facing load balancers a security group is attached to: the only
 * ports that may be open to the world.
 */
function publicListenerPorts(input: PolicyInput, group: PolicyResource): { ports: Set<number>; loadBalancers: PolicyResource[] } {
  const ports = new Set<number>();
  const loadBalancers = ["aws_lb", "aws_alb"]
    .flatMap((type) => input.resourcesOf(group.stack, type))
    .filter((lb) => asBoolean(lb.values.internal) !== true && input.referencedResources(lb, lb.config.security_groups, ["aws_security_group"]).includes(group));
  for (const lb of loadBalancers) {
    for (const listener of ["aws_lb_listener", "aws_alb_listener"].flatMap((type) => input.referrers(lb, type, "load_balancer_arn"))) {
      const port = asNumber(listener.values.port);
      if (typeof port === "number") {
        ports.add(port);
      }
    }
  }
  return { ports, loadBalancers };
}

export const securityGroupIngressNotOpen: Rule = {
  id: "security-group-ingress-not-open",
  title: "No ingress from 0.0.0.0/0 or ::/0 except on public load balancer listener ports",
  publicIds: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277", "AVD-AWS-0107"],
  severity: "high",
  kind: "security",
  resourceTypes: SECURITY_GROUP_TYPES,
  fix: "Admit the VPC, a peer security group or specific CIDRs instead; only an internet-facing load balancer's listener port may be open to the world.",
  check(resource, { input }) {
    const rules = rulesOf(input, resource);
    if (isUnknown(rules)) {
      return [cannotTell("the group's rules are known only after apply")];
    }
    const outcomes: CheckOutcome[] = [];
    for (const rule of rules.filter((r) => r.direction === "ingress")) {
      if (isUnknown(rule.cidrs)) {
        outcomes.push(cannotTell(`${rule.label}: source CIDRs are known only after apply`));
        continue;
      }
      const open = rule.cidrs.filter((cidr) => OPEN_TO_WORLD.includes(cidr));
      if (open.length === 0) {
        continue;
      }
      const listener = rule.group ? publicListenerPorts(input, rule.group) : { ports: new Set<number>(), loadBalancers: [] };
      const onListenerPort = !allProtocols(rule.protocol) && typeof rule.fromPort === "number" && rule.fromPort === rule.toPort && listener.ports.has(rule.fromPort);
      if (!onListenerPort) {
        const context = listener.loadBalancers.length > 0 ? ` (listener ports of ${listener.loadBalancers.map((lb) => lb.address).join(", ")}: ${[...listener.ports].join(", ") || "none"})` : "";
        outcomes.push(fail(`${rule.label} admits ${open.join(", ")} on ${portsOf(rule)}${context}: open to the internet`));
      }
    }
    return outcomes;
  },
};

export const securityGroupEgressNotOpen: Rule = {
  id: "security-group-egress-not-open",
  title: "No egress to 0.0.0.0/0 or ::/0 on all ports",
  publicIds: ["CKV_AWS_382", "AVD-AWS-0104"],
  severity: "medium",
  kind: "security",
  resourceTypes: SECURITY_GROUP_TYPES,
  fix: "Limit egress to the ports and destinations the members need, or suppress CKV_AWS_382 next to the group with the reason it needs the internet on every port.",
  check(resource, { input }) {
    const rules = rulesOf(input, resource);
    if (isUnknown(rules)) {
      return [cannotTell("the group's rules are known only after apply")];
    }
    return rules
      .filter((rule) => rule.direction === "egress" && !isUnknown(rule.cidrs) && rule.cidrs.some((cidr) => OPEN_TO_WORLD.includes(cidr)) && allPorts(rule))
      .map((rule) => fail(`${rule.label} allows ${show(rule.cidrs)} on all ports (protocol ${show(rule.protocol)}): members can send anything anywhere`));
  },
};

export const securityGroupDescriptions: Rule = {
  id: "security-group-descriptions",
  title: "Security groups and their rules carry a description",
  publicIds: ["CKV_AWS_23", "AVD-AWS-0099", "AVD-AWS-0124"],
  severity: "low",
  kind: "security",
  resourceTypes: SECURITY_GROUP_TYPES,
  fix: "Set description on the group and on every rule: what it admits and why.",
  check(resource, { input }) {
    const outcomes: CheckOutcome[] = [];
    if (resource.type === "aws_security_group") {
      const description = resource.values.description;
      if (!isUnknown(description) && (typeof description !== "string" || description.trim() === "" || description === DEFAULT_GROUP_DESCRIPTION)) {
        outcomes.push(fail(`description = ${show(description)}: say what the group is for`));
      }
    }
    const rules = rulesOf(input, resource);
    if (!isUnknown(rules)) {
      for (const rule of rules) {
        if (!isUnknown(rule.description) && (typeof rule.description !== "string" || rule.description.trim() === "")) {
          outcomes.push(fail(`${rule.label === resource.address ? "" : `${rule.label}.`}description = ${show(rule.description)}: say what the rule admits and why`));
        }
      }
    }
    return outcomes;
  },
};

export const SECURITY_GROUP_RULES: readonly Rule[] = [securityGroupIngressNotOpen, securityGroupEgressNotOpen, securityGroupDescriptions];
