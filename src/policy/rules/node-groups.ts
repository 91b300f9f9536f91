import { NODE_CLASS_LABEL } from "@meridian/constructs";
import type { PolicyInput, PolicyResource } from "../policy-input";
import { cannotTell, fail, type CheckOutcome, type Rule } from "../rule";
import { asBoolean, asNumber, asStrings, blocks, dig, isUnknown, show } from "../terraform-values";
import { keyReference } from "./key-references";
import { isPublicSubnet, subnetZones } from "./network-topology";

export const launchTemplateImdsv2: Rule = {
  id: "launch-template-imdsv2",
  title: "Launch templates require IMDSv2 session tokens",
  publicIds: ["CKV_AWS_79", "AVD-AWS-0130"],
  severity: "high",
  kind: "security",
  resourceTypes: ["aws_launch_template"],
  fix: 'Set metadata_options { http_endpoint = "enabled", http_tokens = "required" }.',
  check(template) {
    const tokens = dig(template.values, "metadata_options", 0, "http_tokens");
    if (isUnknown(tokens)) {
      return [cannotTell("metadata_options.http_tokens is known only after apply")];
    }
    if (dig(template.values, "metadata_options", 0, "http_endpoint") === "disabled") {
      return [];
    }
    return tokens === "required" ? [] : [fail(`metadata_options.http_tokens = ${show(tokens)}: IMDSv1 stays usable, so an SSRF in any pod can read node credentials`)];
  },
};

export const launchTemplateImdsHopLimit: Rule = {
  id: "launch-template-imds-hop-limit",
  title: "Launch templates keep IMDS out of reach of containers (hop limit 1)",
  publicIds: ["CKV_AWS_341"],
  severity: "medium",
  kind: "security",
  resourceTypes: ["aws_launch_template"],
  fix: "Set metadata_options.http_put_response_hop_limit = 1; use 2 only for node classes whose pods need IMDS, and suppress CKV_AWS_341 there with that reason.",
  check(template) {
    const limit = asNumber(dig(template.values, "metadata_options", 0, "http_put_response_hop_limit"));
    if (isUnknown(limit)) {
      return [cannotTell("metadata_options.http_put_response_hop_limit is known only after apply")];
    }
    if (limit === undefined) {
      return [fail("metadata_options.http_put_response_hop_limit is not set: the AMI's default applies (2 on Amazon Linux 2023), so pods reach IMDS")];
    }
    return limit <= 1 ? [] : [fail(`metadata_options.http_put_response_hop_limit = ${limit}: pods can reach the node's instance metadata and role credentials`)];
  },
};

export const nodesWithoutPublicIp: Rule = {
  id: "nodes-without-public-ip",
  title: "Nodes get no public IP address and live in private subnets",
  publicIds: ["CKV_AWS_88"],
  severity: "high",
  kind: "security",
  resourceTypes: ["aws_launch_template", "aws_eks_node_group"],
  fix: "Leave network_interfaces.associate_public_ip_address unset (or false) and place node groups in private subnets (default route through NAT, not an internet gateway).",
  check(resource, { input }) {
    if (resource.type === "aws_launch_template") {
      const interfaces = blocks(resource.values.network_interfaces);
      if (isUnknown(interfaces)) {
        return [cannotTell("network_interfaces is known only after apply")];
      }
      return interfaces
        .map((nic, index) => ({ index, value: asBoolean(nic.associate_public_ip_address) }))
        .filter((nic) => nic.value === true)
        .map((nic) => fail(`network_interfaces[${nic.index}].associate_public_ip_address = true: nodes get public addresses`));
    }
    const { subnets, undetermined } = subnetZones(input, resource, resource.config.subnet_ids);
    const publicSubnets = subnets.filter((subnet) => isPublicSubnet(input, subnet));
    if (publicSubnets.length > 0) {
      return [fail(`subnet_ids include public subnet(s) ${publicSubnets.map((s) => s.address).join(", ")}: nodes must live in private subnets`)];
    }
    return undetermined > 0 ? [cannotTell(`subnet_ids: ${undetermined} subnet(s) are not in the configuration`)] : [];
  },
};

export const launchTemplateEbsEncrypted: Rule = {
  id: "launch-template-ebs-encrypted",
  title: "Node volumes are encrypted with a customer-managed KMS key",
  publicIds: ["AwsSolutions-EC26"],
  severity: "high",
  kind: "security",
  resourceTypes: ["aws_launch_template"],
  fix: 'Give every block_device_mappings entry ebs { encrypted = "true", kms_key_id = <customer KMS key ARN> }.',
  check(template, { input }) {
    const mappings = blocks(template.values.block_device_mappings);
    if (isUnknown(mappings)) {
      return [cannotTell("block_device_mappings is known only after apply")];
    }
    if (mappings.length === 0) {
      return [fail("block_device_mappings is not set: the root volume's encryption depends on the AMI and the account's EBS default")];
    }
    const outcomes: CheckOutcome[] = [];
    mappings.forEach((mapping, index) => {
      const ebs = blocks(mapping.ebs);
      if (isUnknown(ebs) || ebs.length === 0) {
        return;
      }
      const device = typeof mapping.device_name === "string" ? ` (${mapping.device_name})` : "";
      const encrypted = asBoolean(ebs[0]!.encrypted);
      if (isUnknown(encrypted)) {
        outcomes.push(cannotTell(`block_device_mappings[${index}].ebs.encrypted is known only after apply`));
        return;
      }
      if (encrypted !== true) {
        outcomes.push(fail(`block_device_mappings[${index}]${device}.ebs.encrypted = ${show(ebs[0]!.encrypted)}: the volume is not encrypted`));
        return;
      }
      const key = keyReference(input, template, ebs[0]!.kms_key_id, dig(template.config.block_device_mappings, index, "ebs", 0, "kms_key_id"));
      if (key.kind === "missing" || key.kind === "aws-managed") {
        outcomes.push(fail(`block_device_mappings[${index}]${device}.ebs.kms_key_id = ${show(key.kind === "missing" ? undefined : key.value)}: encrypted with the AWS managed key, not a customer-managed one`));
      } else if (key.kind === "unknown") {
        outcomes.push(cannotTell(`block_device_mappings[${index}].ebs.kms_key_id is known only after apply`));
      }
    });
    return outcomes;
  },
};

/** Patterns of credentials written into user data. */
const CREDENTIAL_PATTERNS: readonly { name: string; pattern: RegExp }[] = [
  { name: "an AWS access key id", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: "an AWS secret access key", pattern: /aws_secret_access_key\s*[=:]\s*["']?[A-Za-z0-9/+]{40}/i },
  { name: "a password", pattern: /(?<![a-z])(password|passwd|pwd)\s*[=:]\s*["']?(?!\$)[^\s"'$]{6,}/i },
  { name: "a secret or token", pattern: /(?<![a-z])(secret|token|api[_-]?key)\s*[=:]\s*["']?(?!\$)[^\s"'$]{12,}/i },
  { name: "a private key", pattern: /-----BEGIN (RSA |EC |OPENSSH )?PRIVATE KEY-----/ },
];

export const launchTemplateUserDataSecrets: Rule = {
  id: "launch-template-user-data-secrets",
  title: "Launch template user data holds no hard-coded credentials",
  publicIds: ["CKV_AWS_46", "AVD-AWS-0129"],
  severity: "high",
  kind: "security",
  resourceTypes: ["aws_launch_template"],
  fix: "Remove the credential from user_data; let the node read it at boot from Secrets Manager or SSM Parameter Store through its instance role.",
  check(template) {
    const texts = [template.values.user_data, template.config.user_data].filter((v): v is string => typeof v === "string");
    for (const text of texts) {
      for (const candidate of [text, decodeBase64(text)]) {
        const hit = CREDENTIAL_PATTERNS.find(({ pattern }) => candidate !== undefined && pattern.test(candidate));
        if (hit) {
          return [fail(`user_data contains ${hit.name} (value withheld): it is readable by anyone who can describe the launch template or reach IMDS`)];
        }
      }
    }
    return [];
  },
};

export const nodeGroupRemoteAccess: Rule = {
  id: "node-group-remote-access",
  title: "Node groups allow no SSH from anywhere",
  publicIds: ["CKV_AWS_100"],
  severity: "high",
  kind: "security",
  resourceTypes: ["aws_eks_node_group"],
  fix: "Remove remote_access and reach nodes through SSM Session Manager; if SSH is unavoidable, restrict it with remote_access.source_security_group_ids.",
  check(group) {
    const access = blocks(group.values.remote_access);
    if (isUnknown(access)) {
      return [cannotTell("remote_access is known only after apply")];
    }
    if (access.length === 0) {
      return [];
    }
    const sources = asStrings(access[0]!.source_security_group_ids);
    if (isUnknown(sources) || sources.length > 0) {
      return [];
    }
    return [fail(`remote_access.ec2_ssh_key = ${show(access[0]!.ec2_ssh_key)} with source_security_group_ids not set: EKS opens SSH (22) to 0.0.0.0/0`)];
  },
};

/** Label keys that name a node group's class: the platform's own (EKS refuses `kubernetes.io/` keys on node groups). */
const CLASS_LABELS = [NODE_CLASS_LABEL];
/** The class whose on-demand capacity runs the cluster's own workloads (CoreDNS, controllers). */
const SYSTEM_CLASS = "system";

/** A node group's class: its class label, else its name without a per-AZ suffix. */
export function nodeGroupClass(group: PolicyResource): string {
  const labels = group.values.labels;
  for (const key of CLASS_LABELS) {
    const value = labels && typeof labels === "object" ? (labels as Record<string, unknown>)[key] : undefined;
    if (typeof value === "string") {
      return value;
    }
  }
  const name = [group.values.node_group_name, group.values.node_group_name_prefix, group.name].find((v): v is string => typeof v === "string" && v !== "")!;
  return name.replace(/-$/, "").replace(/-[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, "");
}

export const nodeGroupClassSpread: Rule = {
  id: "node-group-class-spread",
  title: "Every node class spans three AZs, and on-demand system capacity keeps at least two nodes",
  publicIds: [],
  guidance: "EKS Best Practices Guide (reliability): spread node groups over AZs; keep a minimum of system capacity",
  severity: "medium",
  kind: "reliability",
  resourceTypes: ["aws_eks_node_group"],
  fix: "Give the class subnets in three AZs (one group over all AZs, or one group per AZ) and set the system class's on-demand min_size so the class keeps >= 2 nodes.",
  check(group, { input }) {
    const cluster = clusterKey(input, group);
    const klass = nodeGroupClass(group);
    const members = input
      .resourcesOf(group.stack, "aws_eks_node_group")
      .filter((peer) => clusterKey(input, peer) === cluster && nodeGroupClass(peer) === klass)
      .sort((a, b) => a.address.localeCompare(b.address));
    // The class is judged once, on its first group.
    if (members[0] !== group) {
      return [];
    }
    const names = members.map((m) => m.address).join(", ");
    const outcomes: CheckOutcome[] = [];
    const zones = new Set<string>();
    let undetermined = 0;
    for (const member of members) {
      const found = subnetZones(input, member, member.config.subnet_ids);
      found.zones.forEach((zone) => zones.add(zone));
      undetermined += found.undetermined;
    }
    const required = Math.min(3, clusterZoneCount(input, group) ?? 3);
    if (zones.size < required) {
      outcomes.push(
        undetermined > 0
          ? cannotTell(`class "${klass}": the AZ of ${undetermined} subnet(s) is not in the configuration`)
          : fail(`class "${klass}" (${names}) spans ${zones.size} AZ(s) (${[...zones].sort().join(", ")}): needs ${required}`),
      );
    }
    if (klass === SYSTEM_CLASS) {
      const onDemand = members.filter((m) => (m.values.capacity_type ?? "ON_DEMAND") === "ON_DEMAND");
      const minimums = onDemand.map((m) => asNumber(dig(m.values, "scaling_config", 0, "min_size")));
      if (minimums.some(isUnknown)) {
        outcomes.push(cannotTell(`class "${klass}": scaling_config.min_size is known only after apply`));
      } else {
        const total = minimums.reduce<number>((sum, n) => sum + ((n as number | undefined) ?? 0), 0);
        if (total < 2) {
          outcomes.push(fail(`class "${klass}" (${names}): on-demand scaling_config.min_size adds up to ${total}; the system class needs >= 2 on-demand nodes`));
        }
      }
    }
    return outcomes;
  },
};

/** Which cluster a node group belongs to: the referenced cluster resource, else the literal name. */
function clusterKey(input: PolicyInput, group: PolicyResource): string {
  const cluster = input.referencedResources(group, group.config.cluster_name, ["aws_eks_cluster"])[0];
  return cluster ? cluster.address : String(group.values.cluster_name);
}

function clusterZoneCount(input: PolicyInput, group: PolicyResource): number | undefined {
  const cluster = input.referencedResources(group, group.config.cluster_name, ["aws_eks_cluster"])[0];
  if (!cluster) {
    return undefined;
  }
  const { zones, undetermined } = subnetZones(input, cluster, dig(cluster.config, "vpc_config", 0, "subnet_ids"));
  return undetermined === 0 && zones.size > 0 ? zones.size : undefined;
}

function decodeBase64(text: string): string | undefined {
  if (!/^[A-Za-z0-9+/=\s]+$/.test(text) || text.length % 4 !== 0) {
    return undefined;
  }
  return Buffer.from(text, "base64").toString("utf8");
}

export const NODE_RULES: readonly Rule[] = [
  launchTemplateImdsv2,
  launchTemplateImdsHopLimit,
  nodesWithoutPublicIp,
  launchTemplateEbsEncrypted,
  launchTemplateUserDataSecrets,
  nodeGroupRemoteAccess,
  nodeGroupClassSpread,
];
