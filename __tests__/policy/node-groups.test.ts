import {
  launchTemplateEbsEncrypted,
  launchTemplateImdsHopLimit,
  launchTemplateImdsv2,
  launchTemplateUserDataSecrets,
  nodeGroupClassSpread,
  nodeGroupRemoteAccess,
  nodesWithoutPublicIp,
} from "../../src/policy/rules/node-groups";
import { fixtureStack, messages, ref, regionalNetwork, single, tweak, withResources } from "./fixtures";

const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];

const goodTemplate = {
  name_prefix: "system-",
  metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 },
  block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: "true", kms_key_id: ref("aws_kms_key.storage", "arn"), volume_type: "gp3" } }],
};
type Template = Record<string, unknown> & typeof goodTemplate;
const template = (change?: (t: Template) => void) =>
  fixtureStack("production-regional-us-east-1", { aws_launch_template: { system: change ? tweak(goodTemplate as Template, change) : goodTemplate }, aws_kms_key: { storage: {} } });

const group = (name: string, subnets: string[], extra: Record<string, unknown> = {}) => ({
  cluster_name: ref("aws_eks_cluster.cluster", "name"),
  node_group_name_prefix: `${name}-`,
  capacity_type: "ON_DEMAND",
  subnet_ids: subnets.map((s) => ref(`aws_subnet.${s}`)),
  scaling_config: { min_size: 2, desired_size: 2, max_size: 6 },
  ...extra,
});
const privateSubnets = ZONES.map((z) => `private-${z}`);
const cluster = { name: "c", version: "1.33", vpc_config: { subnet_ids: privateSubnets.map((s) => ref(`aws_subnet.${s}`)) } };
const nodeStack = (groups: Record<string, Record<string, unknown>>) =>
  fixtureStack("production-regional-us-east-1", withResources(regionalNetwork(), { aws_eks_cluster: { cluster }, aws_eks_node_group: groups }));

describe("launch-template-imdsv2", () => {
  test("flags a template that leaves IMDSv1 usable", () => {
    expect(messages(launchTemplateImdsv2, template((t) => (t.metadata_options.http_tokens = "optional")))).toEqual([
      'aws_launch_template.system: metadata_options.http_tokens = "optional": IMDSv1 stays usable, so an SSRF in any pod can read node credentials',
    ]);
  });

  test("flags a template without metadata_options", () => {
    expect(messages(launchTemplateImdsv2, template((t) => delete (t as Record<string, unknown>).metadata_options))).toEqual([expect.stringContaining("http_tokens = not set")]);
  });

  test("passes a template that requires session tokens", () => {
    expect(messages(launchTemplateImdsv2, template())).toEqual([]);
  });
});

describe("launch-template-imds-hop-limit", () => {
  test("flags hop limit 2 (pods reach IMDS)", () => {
    expect(messages(launchTemplateImdsHopLimit, template((t) => (t.metadata_options.http_put_response_hop_limit = 2)))).toEqual([
      "aws_launch_template.system: metadata_options.http_put_response_hop_limit = 2: pods can reach the node's instance metadata and role credentials",
    ]);
  });

  test("flags an unset hop limit (the AMI default applies)", () => {
    expect(messages(launchTemplateImdsHopLimit, template((t) => delete (t.metadata_options as Record<string, unknown>).http_put_response_hop_limit))).toEqual([
      expect.stringContaining("is not set: the AMI's default applies"),
    ]);
  });

  test("passes hop limit 1", () => {
    expect(messages(launchTemplateImdsHopLimit, template())).toEqual([]);
  });
});

describe("nodes-without-public-ip", () => {
  test("flags a launch template that gives nodes public addresses", () => {
    const stack = template((t) => ((t as Record<string, unknown>).network_interfaces = [{ associate_public_ip_address: "true" }]));
    expect(messages(nodesWithoutPublicIp, stack)).toEqual(["aws_launch_template.system: network_interfaces[0].associate_public_ip_address = true: nodes get public addresses"]);
  });

  test("flags a node group placed in a public subnet (default route to the internet gateway)", () => {
    const stack = nodeStack({ system: group("system", ["private-us-east-1a", "public-us-east-1b"]) });
    expect(messages(nodesWithoutPublicIp, stack)).toEqual([
      "aws_eks_node_group.system: subnet_ids include public subnet(s) aws_subnet.public-us-east-1b: nodes must live in private subnets",
    ]);
  });

  test("passes node groups in private subnets and templates without public addresses", () => {
    expect(messages(nodesWithoutPublicIp, [nodeStack({ system: group("system", privateSubnets) }), template()])).toEqual([]);
  });
});

describe("launch-template-ebs-encrypted", () => {
  test("flags an unencrypted root volume", () => {
    expect(messages(launchTemplateEbsEncrypted, template((t) => (t.block_device_mappings[0]!.ebs.encrypted = "false")))).toEqual([
      'aws_launch_template.system: block_device_mappings[0] (/dev/xvda).ebs.encrypted = "false": the volume is not encrypted',
    ]);
  });

  test("flags an encrypted volume without a customer key", () => {
    const stack = template((t) => delete (t.block_device_mappings[0]!.ebs as Record<string, unknown>).kms_key_id);
    expect(messages(launchTemplateEbsEncrypted, stack)).toEqual([expect.stringContaining("ebs.kms_key_id = not set: encrypted with the AWS managed key")]);
  });

  test("flags a template without block_device_mappings", () => {
    expect(messages(launchTemplateEbsEncrypted, template((t) => delete (t as Record<string, unknown>).block_device_mappings))).toEqual([
      expect.stringContaining("block_device_mappings is not set"),
    ]);
  });

  test("passes a volume encrypted with the customer storage key", () => {
    expect(messages(launchTemplateEbsEncrypted, template())).toEqual([]);
  });
});

describe("launch-template-user-data-secrets", () => {
  const script = (text: string) => Buffer.from(text).toString("base64");

  test("flags an AWS access key in base64 user data, without printing it", () => {
    const stack = template((t) => ((t as Record<string, unknown>).user_data = script("#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP\n")));
    const found = messages(launchTemplateUserDataSecrets, stack);
    expect(found).toEqual(["aws_launch_template.system: user_data contains an AWS access key id (value withheld): it is readable by anyone who can describe the launch template or reach IMDS"]);
    expect(found[0]).not.toContain("AKIAABCDEFGHIJKLMNOP");
  });

  test("flags a password written into an interpolated user data script", () => {
    const stack = template((t) => ((t as Record<string, unknown>).user_data = '${base64encode("DB_PASSWORD=hunter2hunter2\\n")}'));
    expect(messages(launchTemplateUserDataSecrets, stack)).toEqual([expect.stringContaining("user_data contains a password")]);
  });

  test("passes user data that reads secrets at boot", () => {
    const stack = template((t) => ((t as Record<string, unknown>).user_data = script("#!/bin/bash\nPASSWORD=$(aws secretsmanager get-secret-value --secret-id db)\n/etc/eks/bootstrap.sh c\n")));
    expect(messages(launchTemplateUserDataSecrets, stack)).toEqual([]);
  });
});

describe("node-group-remote-access", () => {
  test("flags SSH access without source security groups (open to 0.0.0.0/0)", () => {
    const stack = single("aws_eks_node_group", { remote_access: { ec2_ssh_key: "ops" } });
    expect(messages(nodeGroupRemoteAccess, stack)).toEqual([
      'aws_eks_node_group.subject: remote_access.ec2_ssh_key = "ops" with source_security_group_ids not set: EKS opens SSH (22) to 0.0.0.0/0',
    ]);
  });

  test("passes no remote access, or SSH limited to a bastion's security group", () => {
    expect(messages(nodeGroupRemoteAccess, single("aws_eks_node_group", {}))).toEqual([]);
    expect(messages(nodeGroupRemoteAccess, single("aws_eks_node_group", { remote_access: { ec2_ssh_key: "ops", source_security_group_ids: ["sg-0bastion"] } }))).toEqual([]);
  });
});

describe("node-group-class-spread", () => {
  test("flags a class whose groups cover only two of the cluster's three AZs", () => {
    const stack = nodeStack({ spot: group("spot", ["private-us-east-1a", "private-us-east-1b"], { capacity_type: "SPOT", scaling_config: { min_size: 0, max_size: 9 } }) });
    expect(messages(nodeGroupClassSpread, stack)).toEqual(['aws_eks_node_group.spot: class "spot" (aws_eks_node_group.spot) spans 2 AZ(s) (us-east-1a, us-east-1b): needs 3']);
  });

  test("flags on-demand system capacity below two nodes across the per-AZ groups", () => {
    // GIVEN the system class as one group per AZ, only one of which keeps a node
    const stack = nodeStack(
      Object.fromEntries(ZONES.map((z, i) => [`system-${z}`, group(`system-${z}`, [`private-${z}`], { labels: { "node.meridian.io/class": "system" }, scaling_config: { min_size: i === 0 ? 1 : 0, max_size: 3 } })])),
    );
    // THEN the class is judged once, on its first group
    expect(messages(nodeGroupClassSpread, stack)).toEqual([
      'aws_eks_node_group.system-us-east-1a: class "system" (aws_eks_node_group.system-us-east-1a, aws_eks_node_group.system-us-east-1b, aws_eks_node_group.system-us-east-1c): on-demand scaling_config.min_size adds up to 1; the system class needs >= 2 on-demand nodes',
    ]);
  });

  test("passes a class over all AZs, and per-AZ system groups that keep three nodes together", () => {
    const perAz = Object.fromEntries(ZONES.map((z) => [`system-${z}`, group(`system-${z}`, [`private-${z}`], { scaling_config: { min_size: 1, max_size: 3 } })]));
    const stack = nodeStack({ ...perAz, gpu: group("gpu", privateSubnets, { scaling_config: { min_size: 0, max_size: 2 } }) });
    expect(messages(nodeGroupClassSpread, stack)).toEqual([]);
  });
});
