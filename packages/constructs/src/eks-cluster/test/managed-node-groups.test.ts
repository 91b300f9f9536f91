import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformVariable } from "cdktf";
import { awsStack, emptyStack, onlyResourceOf, resourcesOf, synthJson, type Block } from "../../../test-support/fixture";
import { ManagedNodeGroups, NODE_CLASS_LABEL, perZoneSizes, type ManagedNodeGroupSpec, type ManagedNodeGroupsProps } from "..";

const subnets = ["a", "b", "c"].map((z) => ({ id: `subnet-${z}`, availabilityZone: `us-east-1${z}` }));

const system: ManagedNodeGroupSpec = {
  name: "system",
  class: "system",
  instanceTypes: ["m6i.large"],
  minSize: 2,
  desiredSize: 3,
  maxSize: 6,
  diskSizeGiB: 50,
  perAvailabilityZone: false,
  maxUnavailablePercentage: 33,
  labels: {},
  taints: [],
  metadataHopLimit: 1,
};
const gpuTaint = [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" as const }];

const AMI_RELEASES = { AL2023_x86_64_STANDARD: "1.33.13-20260714", AL2023_ARM_64_STANDARD: "1.33.13-20260714", AL2023_x86_64_NVIDIA: "1.33.13-20260714" };
const REQUIRED: ManagedNodeGroupsProps = {
  clusterName: "test",
  partition: "aws",
  subnets,
  kubernetesVersion: "1.33",
  amiReleaseVersions: AMI_RELEASES,
  volumeKeyArn: "arn:aws:kms:us-east-1:123456789012:key/test",
  groups: [system],
};

function nodeGroups(...groups: Partial<ManagedNodeGroupSpec>[]) {
  return () => new ManagedNodeGroups(emptyStack(), "groups", { ...REQUIRED, groups: groups.map((g) => ({ ...system, ...g })) });
}

/** GIVEN a stack with an AWS provider WHEN the node groups are built with the required props and `props` THEN the stack's JSON. */
function synthGroups(props: Partial<ManagedNodeGroupsProps> = {}) {
  const { stack } = awsStack("us-east-1");
  const groups = new ManagedNodeGroups(stack, "groups", { ...REQUIRED, ...props });
  return { json: synthJson(stack), groups, stack };
}
const spot: ManagedNodeGroupSpec = { ...system, name: "spot", class: "spot", instanceTypes: ["m6i.large", "m7i.large"], minSize: 0, desiredSize: 0 };
const gpu: ManagedNodeGroupSpec = { ...system, name: "gpu", class: "gpu", instanceTypes: ["g5.xlarge"], minSize: 0, desiredSize: 0, taints: gpuTaint, labels: { "nvidia.com/gpu.present": "true" } };

describe("ManagedNodeGroups", () => {
  test("a spanning class: one group over every subnet at the cluster's version and pinned AMI release, a node role with the node policies", () => {
    const { json } = synthGroups();
    expect(onlyResourceOf(json, "aws_eks_node_group")).toMatchObject({
      cluster_name: "test",
      node_group_name_prefix: "system-",
      subnet_ids: ["subnet-a", "subnet-b", "subnet-c"],
      ami_type: "AL2023_x86_64_STANDARD",
      version: "1.33",
      release_version: "1.33.13-20260714",
      capacity_type: "ON_DEMAND",
      scaling_config: { min_size: 2, desired_size: 3, max_size: 6 },
      update_config: { max_unavailable_percentage: 33 },
      node_repair_config: { enabled: true },
      labels: { [NODE_CLASS_LABEL]: "system" },
      lifecycle: { ignore_changes: ["scaling_config[0].desired_size"], create_before_destroy: true },
    });
    expect(onlyResourceOf(json, "aws_iam_role")).toMatchObject({ name: "test-node" });
    expect(resourcesOf(json, "aws_iam_role_policy_attachment").map((a) => a.policy_arn).sort()).toEqual([
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ]);
    expect(onlyResourceOf(json, "aws_eks_node_group").remote_access).toBeUndefined();
  });

  test("GIVEN a group without metadataHopLimit WHEN synthesized THEN its launch template takes the default hop limit 1", () => {
    const withoutHopLimit: ManagedNodeGroupSpec = { ...system };
    delete withoutHopLimit.metadataHopLimit;
    const template = onlyResourceOf(synthGroups({ groups: [withoutHopLimit] }).json, "aws_launch_template");
    expect(template.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
  });

  test("launch templates require IMDSv2 (hop limit from metadataHopLimit), encrypt gp3 roots with volumeKeyArn, and name no AMI or SSH key", () => {
    const template = onlyResourceOf(synthGroups({ groups: [{ ...system, metadataHopLimit: 2, diskSizeGiB: 80 }] }).json, "aws_launch_template");
    expect(template.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 2, http_endpoint: "enabled" });
    expect(template.block_device_mappings).toEqual([
      { device_name: "/dev/xvda", ebs: expect.objectContaining({ encrypted: "true", volume_type: "gp3", volume_size: 80, kms_key_id: REQUIRED.volumeKeyArn }) },
    ]);
    expect(template.image_id).toBeUndefined();
    expect(template.key_name).toBeUndefined();
    expect(template.network_interfaces).toBeUndefined();
  });

  test("perAvailabilityZone fans a class out to one group per zone, sizes split across zones", () => {
    const groups = resourcesOf(synthGroups({ groups: [{ ...system, perAvailabilityZone: true, minSize: 3, desiredSize: 3, maxSize: 9 }] }).json, "aws_eks_node_group");
    expect(groups.map((g) => g.node_group_name_prefix)).toEqual(["system-us-east-1a-", "system-us-east-1b-", "system-us-east-1c-"]);
    groups.forEach((g, i) => expect(g).toMatchObject({ subnet_ids: [subnets[i]!.id], scaling_config: { min_size: 1, desired_size: 1, max_size: 3 } }));
  });

  test("spot classes run SPOT capacity; gpu classes the NVIDIA AMI with their taint; Graviton types the ARM AMI", () => {
    const groups = resourcesOf(synthGroups({ groups: [system, spot, gpu, { ...system, name: "arm", instanceTypes: ["m7g.large"] }] }).json, "aws_eks_node_group");
    const byPrefix = (name: string) => groups.find((g) => g.node_group_name_prefix === `${name}-`)!;
    expect(byPrefix("spot")).toMatchObject({ capacity_type: "SPOT", instance_types: ["m6i.large", "m7i.large"] });
    expect(byPrefix("gpu")).toMatchObject({ ami_type: "AL2023_x86_64_NVIDIA", taint: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }] });
    expect(byPrefix("arm")).toMatchObject({ ami_type: "AL2023_ARM_64_STANDARD" });
  });

  test("Cluster Autoscaler learns each group's labels and taints from ASG tags, so it can scale from zero", () => {
    const tags = resourcesOf(synthGroups({ groups: [system, gpu] }).json, "aws_autoscaling_group_tag").map((t) => t.tag as Block);
    expect(tags).toContainEqual({ key: "k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu", value: "true:NoSchedule", propagate_at_launch: false });
    expect(tags).toContainEqual({ key: `k8s.io/cluster-autoscaler/node-template/label/${NODE_CLASS_LABEL}`, value: "gpu", propagate_at_launch: false });
    expect(tags).toContainEqual({ key: "k8s.io/cluster-autoscaler/node-template/label/nvidia.com/gpu.present", value: "true", propagate_at_launch: false });
  });

  test("dependsOn: every group waits for it (and the node role's policies)", () => {
    const { stack } = awsStack("us-east-1");
    const addons = new TerraformVariable(stack, "addons", {});
    new ManagedNodeGroups(stack, "groups", { ...REQUIRED, dependsOn: [addons] });
    expect(onlyResourceOf(synthJson(stack), "aws_eks_node_group").depends_on).toEqual(expect.arrayContaining(["var.addons", expect.stringMatching(/^aws_iam_role_policy_attachment\./)]));
  });

  test("partition shapes the managed policy ARNs; provider places every resource", () => {
    const { stack } = awsStack("us-east-1");
    const other = new AwsProvider(stack, "other", { region: "us-gov-west-1", alias: "other" });
    new ManagedNodeGroups(stack, "groups", { ...REQUIRED, partition: "aws-us-gov", provider: other });
    const json = synthJson(stack);
    resourcesOf(json, "aws_iam_role_policy_attachment").forEach((a) => expect(a.policy_arn).toMatch(/^arn:aws-us-gov:iam::aws:policy\//));
    Object.values(json.resource).forEach((blocks) => Object.values(blocks).forEach((b) => expect(b.provider).toBe("aws.other")));
  });

  test("errors name the construct by its path", () => {
    expect(nodeGroups({ minSize: 7, desiredSize: 7 })).toThrow('ManagedNodeGroups "test/groups":');
  });
});

describe("node groups reject bad settings", () => {
  test("throws when minSize exceeds maxSize", () => {
    expect(nodeGroups({ minSize: 7, desiredSize: 7 })).toThrow("groups[0] (system).minSize: must be <= maxSize (6)");
  });
  test("throws when desiredSize is outside min..max", () => {
    expect(nodeGroups({ desiredSize: 9 })).toThrow("groups[0] (system).desiredSize: must lie between minSize (2) and maxSize (6)");
  });
  test("throws when a spot group has a single instance type", () => {
    expect(nodeGroups({ name: "spot", class: "spot", minSize: 0, desiredSize: 0 }, {})).toThrow("groups[0] (spot).instanceTypes: a spot node group needs at least 2 instance types");
  });
  test("throws when a gpu group has a non-GPU instance type", () => {
    expect(nodeGroups({}, { name: "gpu", class: "gpu", instanceTypes: ["m6i.large"], minSize: 0, desiredSize: 0, taints: gpuTaint })).toThrow(
      'groups[1] (gpu).instanceTypes[0]: is not an NVIDIA GPU instance type',
    );
  });
  test("throws when a gpu group lacks the nvidia.com/gpu taint", () => {
    expect(nodeGroups({}, { name: "gpu", class: "gpu", instanceTypes: ["g5.xlarge"], minSize: 0, desiredSize: 0 })).toThrow("groups[1] (gpu).taints: a gpu node group needs the taint nvidia.com/gpu");
  });
  test("throws when system capacity can drop below 2 nodes", () => {
    expect(nodeGroups({ minSize: 1 })).toThrow("groups[0] (system).minSize: system capacity must keep at least 2 nodes");
  });
  test("throws when a group mixes Graviton and x86 instance types", () => {
    expect(nodeGroups({ instanceTypes: ["m7g.large", "m7i.large"] })).toThrow("mixes Graviton (arm64) and x86_64 instance types");
  });
  test("throws when two groups share a name", () => {
    expect(nodeGroups({}, {})).toThrow('groups[1].name "system": another group has this name');
  });
  test("throws when the IMDS hop limit is neither 1 nor 2", () => {
    expect(nodeGroups({ metadataHopLimit: 3 as 1 })).toThrow("groups[0] (system).metadataHopLimit: must be 1, or 2 where pods need IMDS");
  });
  test("throws when the root disk is smaller than 20 GiB", () => {
    expect(nodeGroups({ diskSizeGiB: 10 })).toThrow("groups[0] (system).diskSizeGiB: must be >= 20 GiB");
  });
  test("throws when the subnets cover a single AZ", () => {
    expect(
      () => new ManagedNodeGroups(emptyStack(), "g", { clusterName: "t", partition: "aws", subnets: subnets.slice(0, 1), kubernetesVersion: "1.33", amiReleaseVersions: AMI_RELEASES, volumeKeyArn: "k", groups: [system] }),
    ).toThrow("subnets: span 1 AZ; node groups need at least 2");
  });
  // EKS refuses these at CreateNodegroup ("Label cannot contain reserved prefixes …"), after the plan passed.
  test.each([
    ["node.kubernetes.io/class", "system", 'contains the reserved prefix "kubernetes.io/"'],
    ["node-role.kubernetes.io/worker", "true", 'contains the reserved prefix "kubernetes.io/"'],
    ["k8s.io/cluster-autoscaler/enabled", "true", 'contains the reserved prefix "k8s.io/"'],
    ["eks.amazonaws.com/capacityType", "SPOT", 'contains the reserved prefix "eks.amazonaws.com/"'],
    ["Team_Name!", "a", "label key must be [prefix/]name"],
    ["Example.com/team", "a", "label key has a prefix that is not a lower-case DNS subdomain"],
    [`node.meridian.io/${"x".repeat(50)}`, "a", "label key is 67 characters; the EKS node group API takes at most 63"],
    ["node.meridian.io/team", "", "label value is empty"],
    ["node.meridian.io/team", "payments team", 'label value "payments team" must be at most 63'],
  ])("throws when a label is %s=%s", (key, value, rule) => {
    expect(nodeGroups({ labels: { [key]: value } })).toThrow(`groups[0] (system).labels.${key}: ${rule}`);
  });
  test("throws when the class label disagrees with the class", () => {
    expect(nodeGroups({ labels: { "node.meridian.io/class": "gpu" } })).toThrow('groups[0] (system).labels.node.meridian.io/class: is set from class ("system")');
  });
  test("throws when a taint key is longer than EKS's 63 characters or malformed", () => {
    expect(nodeGroups({ taints: [{ key: `example.com/${"t".repeat(60)}`, value: "x", effect: "NO_SCHEDULE" }] })).toThrow("groups[0] (system).taints[0]: taint key is 72 characters");
    expect(nodeGroups({ taints: [{ key: "dedicated", value: "a b", effect: "NO_SCHEDULE" }] })).toThrow('groups[0] (system).taints[0]: taint value "a b" must be at most 63');
  });
  test("accepts the platform's label domain and third-party domains", () => {
    expect(nodeGroups({ labels: { "node.meridian.io/class": "system", "node.meridian.io/team": "payments", "nvidia.com/gpu.present": "true", workload: "general" } })).not.toThrow();
  });
  test("throws when an AMI type in use has no pinned release, or the release is of another Kubernetes version", () => {
    const withReleases = (amiReleaseVersions: Record<string, string>, kubernetesVersion = "1.33") => () =>
      new ManagedNodeGroups(emptyStack(), "g", { clusterName: "t", partition: "aws", subnets, kubernetesVersion, amiReleaseVersions, volumeKeyArn: "k", groups: [system] });
    expect(withReleases({})).toThrow('amiReleaseVersions.AL2023_x86_64_STANDARD null (used by groups[0] system): no release pinned for AL2023_x86_64_STANDARD');
    expect(withReleases({ AL2023_x86_64_STANDARD: "1.32.13-20260714" })).toThrow("is a release for Kubernetes 1.32, but the cluster runs 1.33");
    expect(withReleases({ AL2023_x86_64_STANDARD: "v20260714" })).toThrow("must be an EKS AMI release version such as 1.33.13-20260714");
    expect(withReleases(AMI_RELEASES, "1.33.2")).toThrow('kubernetesVersion "1.33.2": must be major.minor');
  });
  test("reports every problem of every group at once", () => {
    expect(nodeGroups({ minSize: 1 }, { name: "spot", class: "spot", minSize: 0, desiredSize: 0 })).toThrow(/groups\[0\] \(system\)\.minSize[\s\S]*groups\[1\] \(spot\)\.instanceTypes/);
  });
});

describe("per-AZ fan-out", () => {
  test("spreads sizes over the zones, rounding up, never below the share of minSize", () => {
    expect(perZoneSizes({ ...system, minSize: 3, desiredSize: 4, maxSize: 9 }, 3)).toEqual({ minSize: 1, desiredSize: 2, maxSize: 3 });
    expect(perZoneSizes({ ...system, minSize: 0, desiredSize: 0, maxSize: 1 }, 3)).toEqual({ minSize: 0, desiredSize: 0, maxSize: 1 });
  });
});

