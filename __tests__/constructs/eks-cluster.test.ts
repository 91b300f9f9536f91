import { NODE_CLASS_LABEL, nodeGroupLabelProblem } from "@meridian/constructs";
import { ADDON_VERSIONS, KUBERNETES_VERSION, NODE_AMI_RELEASE } from "../../src/config/catalogue";
import { resourcesOf, synthStacks, type Block, type SynthesizedJson } from "../helpers";

const stacks = synthStacks();
const regional = [...stacks.entries()].filter(([name]) => name.includes("-regional-"));
const production = stacks.get("production-regional-us-east-1")!;
const staging = stacks.get("staging-regional-us-west-2")!;

/** `${aws_x.id_ABC.attr}` → the resource id inside it. */
const refId = (expression: unknown) => /\$\{aws_[a-z0-9_]+\.([^.]+)\./.exec(String(expression))?.[1];
const withIds = (json: SynthesizedJson, type: string) => json.resource[type] ?? {};
const policyOf = (json: SynthesizedJson, expression: unknown) => {
  const id = /data\.aws_iam_policy_document\.([^.]+)\.json/.exec(String(expression))![1]!;
  return json.data!.aws_iam_policy_document![id]!;
};

describe("managed node groups", () => {
  test.each(regional)("%s: every node-group class covers 3 distinct AZs", (name, json) => {
    const subnets = withIds(json, "aws_subnet");
    const zonesByClass = new Map<string, Set<string>>();
    for (const group of resourcesOf(json, "aws_eks_node_group")) {
      const cls = (group.labels as Record<string, string>)[NODE_CLASS_LABEL]!;
      const zones = zonesByClass.get(cls) ?? new Set<string>();
      (group.subnet_ids as string[]).forEach((id) => zones.add(String(subnets[refId(id)!]!.availability_zone)));
      zonesByClass.set(cls, zones);
    }
    // Production provisions spot and GPU nodes with Karpenter: only its system class is managed.
    expect([...zonesByClass.keys()].sort()).toEqual(name.startsWith("production-") ? ["system"] : ["gpu", "spot", "system"]);
    zonesByClass.forEach((zones) => expect(zones.size).toBe(3));
  });

  test.each(regional)("%s: every node label is one EKS accepts (no kubernetes.io/, k8s.io/ or eks.amazonaws.com/ keys), with the class in the platform's domain", (_name, json) => {
    // GIVEN the synthesized node groups WHEN their labels are checked against the node group API's rules
    for (const group of resourcesOf(json, "aws_eks_node_group")) {
      const labels = group.labels as Record<string, string>;
      // THEN each label is accepted, and the class label is node.meridian.io/class
      expect(Object.entries(labels).map(([key, value]) => [key, nodeGroupLabelProblem(key, value)])).toEqual(Object.keys(labels).map((key) => [key, undefined]));
      expect(labels["node.meridian.io/class"]).toMatch(/^(system|spot|gpu)$/);
    }
  });

  test.each(regional)("%s: node groups run the cluster's Kubernetes version and the pinned AMI release", (_name, json) => {
    const groups = resourcesOf(json, "aws_eks_node_group");
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      expect(group).toMatchObject({ version: KUBERNETES_VERSION, release_version: NODE_AMI_RELEASE });
      // The launch template names no AMI, so release_version (not an image id) picks it.
      expect(resourcesOf(json, "aws_launch_template").every((t) => t.image_id === undefined)).toBe(true);
    }
  });

  test("Karpenter (production) keeps only the system class as managed node groups; Cluster Autoscaler (staging) manages every class", () => {
    const classes = (json: SynthesizedJson) => [...new Set(resourcesOf(json, "aws_eks_node_group").map((g) => (g.labels as Record<string, string>)[NODE_CLASS_LABEL]))].sort();
    expect(classes(production)).toEqual(["system"]);
    expect(classes(staging)).toEqual(["gpu", "spot", "system"]);
    expect(resourcesOf(production, "aws_launch_template")).toHaveLength(1);
  });

  test("production's system class fans out to one group per AZ, sizes split across zones", () => {
    const system = resourcesOf(production, "aws_eks_node_group").filter((g) => String(g.node_group_name_prefix).startsWith("system-"));
    expect(system.map((g) => g.node_group_name_prefix)).toEqual(["system-us-east-1a-", "system-us-east-1b-", "system-us-east-1c-"]);
    system.forEach((g) => {
      expect(g.subnet_ids).toHaveLength(1);
      expect(g.scaling_config).toEqual({ min_size: 1, desired_size: 1, max_size: 3 });
    });
  });

  test.each(regional)("%s: autoscalers own desired_size, and replacements come up before the old group goes", (_name, json) => {
    resourcesOf(json, "aws_eks_node_group").forEach((g) =>
      expect(g.lifecycle).toEqual({ ignore_changes: ["scaling_config[0].desired_size"], create_before_destroy: true }),
    );
  });

  test.each(regional)("%s: launch templates require IMDSv2 with hop limit 1, encrypt gp3 roots with the customer key, and set no SSH key", (_name, json) => {
    const templates = resourcesOf(json, "aws_launch_template");
    expect(templates).toHaveLength(resourcesOf(json, "aws_eks_node_group").some((g) => g.capacity_type === "SPOT") ? 3 : 1);
    for (const template of templates) {
      expect(template.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1, http_endpoint: "enabled" });
      expect(template.block_device_mappings).toEqual([
        { device_name: "/dev/xvda", ebs: expect.objectContaining({ encrypted: "true", volume_type: "gp3", kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\..*storage-key.*\.arn\}$/) }) },
      ]);
      expect(template.key_name).toBeUndefined();
      expect(template.network_interfaces).toBeUndefined();
    }
  });

  test("no node group allows SSH (remote_access)", () => {
    regional.forEach(([, json]) => resourcesOf(json, "aws_eks_node_group").forEach((g) => expect(g.remote_access).toBeUndefined()));
  });

  test("spot groups run SPOT capacity over several instance types; GPU groups use the NVIDIA AMI and keep other pods off", () => {
    const groups = resourcesOf(staging, "aws_eks_node_group");
    const spot = groups.find((g) => g.capacity_type === "SPOT")!;
    expect((spot.instance_types as string[]).length).toBeGreaterThanOrEqual(2);
    const gpu = groups.find((g) => String(g.ami_type).endsWith("NVIDIA"))!;
    expect(gpu).toMatchObject({ ami_type: "AL2023_x86_64_NVIDIA", capacity_type: "ON_DEMAND" });
    expect(gpu.taint).toEqual([{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }]);
    expect(gpu.labels).toMatchObject({ "nvidia.com/gpu.present": "true" });
  });

  test("Cluster Autoscaler learns each group's labels and taints from ASG tags, so it can scale from zero", () => {
    const tags = resourcesOf(staging, "aws_autoscaling_group_tag").map((t) => t.tag as Block);
    expect(tags).toContainEqual({ key: "k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu", value: "true:NoSchedule", propagate_at_launch: false });
    expect(tags).toContainEqual({ key: "k8s.io/cluster-autoscaler/node-template/label/node.meridian.io/class", value: "gpu", propagate_at_launch: false });
  });

  test("node groups wait for the networking add-ons; CoreDNS and the CSI drivers wait for the node groups", () => {
    const addons = withIds(production, "aws_eks_addon");
    const byName = (name: string) => Object.entries(addons).find(([, a]) => a.addon_name === name)!;
    const nodeGroup = resourcesOf(production, "aws_eks_node_group")[0]!;
    for (const name of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]) {
      expect(nodeGroup.depends_on).toContain(`aws_eks_addon.${byName(name)[0]}`);
      expect(byName(name)[1].depends_on).toBeUndefined();
    }
    for (const name of ["coredns", "aws-ebs-csi-driver", "aws-efs-csi-driver"]) {
      // Production's managed groups: the system class, one per AZ.
      expect((byName(name)[1].depends_on as string[]).filter((d) => d.startsWith("aws_eks_node_group."))).toHaveLength(3);
    }
  });
});

describe("EKS cluster", () => {
  test.each(regional)("%s: all five control-plane logs, secrets encrypted with a rotating customer key, API access entries", (_name, json) => {
    const [cluster] = resourcesOf(json, "aws_eks_cluster");
    expect(cluster!.enabled_cluster_log_types).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(cluster!.encryption_config).toEqual({ resources: ["secrets"], provider: { key_arn: expect.stringContaining("aws_kms_key.") } });
    expect(cluster!.access_config).toEqual({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false });
    expect(cluster!.version).toBe(KUBERNETES_VERSION);
    resourcesOf(json, "aws_kms_key").forEach((key) => expect(key.enable_key_rotation).toBe(true));
  });

  test.each(regional)("%s: the endpoint is private and never open to 0.0.0.0/0", (_name, json) => {
    const vpcConfig = resourcesOf(json, "aws_eks_cluster")[0]!.vpc_config as Block;
    expect(vpcConfig.endpoint_private_access).toBe(true);
    expect(vpcConfig.public_access_cidrs ?? []).not.toContain("0.0.0.0/0");
  });

  test("no built-in cluster has a public endpoint: GitOps spokes are reached over VPC peering", () => {
    for (const json of [production, staging]) {
      expect(resourcesOf(json, "aws_eks_cluster")[0]!.vpc_config).toMatchObject({ endpoint_public_access: false, endpoint_private_access: true });
    }
  });

  test("the control-plane log group exists first, with bounded retention", () => {
    const group = resourcesOf(production, "aws_cloudwatch_log_group").find((g) => g.name === "/aws/eks/meridian-production-us-east-1/cluster");
    expect(group).toMatchObject({ retention_in_days: 365 });
    expect(resourcesOf(production, "aws_eks_cluster")[0]!.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_cloudwatch_log_group\./)]));
  });

  test("each admin role gets an access entry with the cluster admin policy", () => {
    // The Argo CD spoke role's entry is asserted by the gitops-access tests.
    const adminEntries = resourcesOf(production, "aws_eks_access_entry").filter((e) => e.type === "STANDARD" && !String(e.principal_arn).includes("gitops-spoke-access"));
    expect(adminEntries.map((e) => e.principal_arn)).toEqual([
      "arn:aws:iam::333333333333:role/platform-admin",
      "arn:aws:iam::333333333333:role/break-glass",
    ]);
    resourcesOf(production, "aws_eks_access_policy_association").forEach((a) =>
      expect(a).toMatchObject({ policy_arn: expect.stringMatching(/:eks::aws:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/), access_scope: { type: "cluster" } }),
    );
  });

  test("managed add-ons are pinned to the catalogue's versions", () => {
    const versions = Object.fromEntries(resourcesOf(production, "aws_eks_addon").map((a) => [a.addon_name, a.addon_version]));
    expect(versions).toEqual({
      "vpc-cni": ADDON_VERSIONS.vpcCni,
      "kube-proxy": ADDON_VERSIONS.kubeProxy,
      "eks-pod-identity-agent": ADDON_VERSIONS.podIdentityAgent,
      coredns: ADDON_VERSIONS.coreDns,
      "aws-ebs-csi-driver": ADDON_VERSIONS.ebsCsiDriver,
      "aws-efs-csi-driver": ADDON_VERSIONS.efsCsiDriver,
    });
  });

  test.each(regional)("%s: every IRSA trust policy names its service account and the STS audience", (_name, json) => {
    const irsaRoles = resourcesOf(json, "aws_iam_role")
      .map((role) => ({ role, policy: policyOf(json, role.assume_role_policy) }))
      .filter(({ policy }) => JSON.stringify(policy).includes("Federated"));
    expect(irsaRoles.length).toBeGreaterThanOrEqual(5);
    for (const { policy } of irsaRoles) {
      const [statement] = policy.statement as Block[];
      expect(statement).toMatchObject({ actions: ["sts:AssumeRoleWithWebIdentity"], principals: [{ type: "Federated", identifiers: [expect.stringContaining("aws_iam_openid_connect_provider")] }] });
      expect(statement!.condition).toEqual([
        { test: "StringEquals", variable: expect.stringMatching(/:sub$/), values: [expect.stringMatching(/^system:serviceaccount:[a-z0-9-]+:[a-z0-9-]+$/)] },
        { test: "StringEquals", variable: expect.stringMatching(/:aud$/), values: ["sts.amazonaws.com"] },
      ]);
    }
  });
});

describe("autoscaling and interruption (AWS side)", () => {
  test.each(regional)("%s: an interruption queue fed by the events its reader handles (Karpenter: all four; NTH beside managed groups: scheduled changes only)", (name, json) => {
    const patterns = resourcesOf(json, "aws_cloudwatch_event_rule").map((r) => JSON.parse(String(r.event_pattern))["detail-type"][0]);
    expect(patterns.sort()).toEqual(
      name.startsWith("production-")
        ? ["AWS Health Event", "EC2 Instance Rebalance Recommendation", "EC2 Instance State-change Notification", "EC2 Spot Instance Interruption Warning"]
        // EKS managed node groups already drain on spot interruption and rebalance notices and on their own terminations.
        : ["AWS Health Event"],
    );
    resourcesOf(json, "aws_cloudwatch_event_target").forEach((t) => expect(t.arn).toMatch(/^\$\{aws_sqs_queue\./));
    expect(resourcesOf(json, "aws_sqs_queue")).toEqual([expect.objectContaining({ sqs_managed_sse_enabled: true })]);
  });

  test("karpenter (production): node role, EC2_LINUX access entry and a controller role; no instance profile (Karpenter makes its own from the role); no Cluster Autoscaler role", () => {
    expect(resourcesOf(production, "aws_iam_instance_profile")).toHaveLength(0);
    expect(resourcesOf(production, "aws_eks_access_entry").filter((e) => e.type === "EC2_LINUX")).toHaveLength(1);
    const roleNames = resourcesOf(production, "aws_iam_role").map((r) => r.name);
    expect(roleNames).toContain("meridian-production-us-east-1-karpenter");
    expect(roleNames).not.toContain("meridian-production-us-east-1-cluster-autoscaler");
  });

  test("cluster-autoscaler (staging): Cluster Autoscaler and Node Termination Handler roles; no Karpenter", () => {
    const roleNames = resourcesOf(staging, "aws_iam_role").map((r) => r.name);
    expect(roleNames).toEqual(expect.arrayContaining(["meridian-staging-us-west-2-cluster-autoscaler", "meridian-staging-us-west-2-node-termination-handler"]));
    expect(roleNames).not.toContain("meridian-staging-us-west-2-karpenter");
    expect(resourcesOf(staging, "aws_iam_instance_profile")).toHaveLength(0);
  });
});

describe("storage and ingress", () => {
  test.each(regional)("%s: EFS is encrypted with the customer key, backed up, and mounted in every AZ", (_name, json) => {
    expect(resourcesOf(json, "aws_efs_file_system")).toEqual([expect.objectContaining({ encrypted: true, kms_key_id: expect.stringContaining("aws_kms_key.") })]);
    expect(resourcesOf(json, "aws_efs_backup_policy")).toEqual([expect.objectContaining({ backup_policy: { status: "ENABLED" } })]);
    expect(resourcesOf(json, "aws_efs_mount_target")).toHaveLength(3);
    const nfs = resourcesOf(json, "aws_vpc_security_group_ingress_rule").filter((r) => r.from_port === 2049);
    expect(nfs).toEqual([expect.objectContaining({ referenced_security_group_id: expect.stringContaining("cluster_security_group_id") })]);
  });

  test.each(regional)("%s: an internet-facing NLB over the public subnets, an IP target group, and 0.0.0.0/0 only on the listener port", (_name, json) => {
    const [nlb] = resourcesOf(json, "aws_lb");
    expect(nlb).toMatchObject({ load_balancer_type: "network", internal: false, enable_cross_zone_load_balancing: true });
    const subnets = withIds(json, "aws_subnet");
    (nlb!.subnets as string[]).forEach((id) => expect((subnets[refId(id)!]!.tags as Record<string, string>).tier).toBe("public"));
    expect(resourcesOf(json, "aws_lb_target_group")).toEqual([expect.objectContaining({ target_type: "ip", protocol: "TCP", port: 8443 })]);
    const open = resourcesOf(json, "aws_vpc_security_group_ingress_rule").filter((r) => r.cidr_ipv4 === "0.0.0.0/0");
    expect(open).toEqual([expect.objectContaining({ from_port: 443, to_port: 443, description: expect.any(String) })]);
  });

  test("deletion protection is on for production's NLB only", () => {
    expect(resourcesOf(production, "aws_lb")[0]!.enable_deletion_protection).toBe(true);
    expect(resourcesOf(staging, "aws_lb")[0]!.enable_deletion_protection).toBe(false);
  });

  test.each(regional)("%s: an AZ-loss experiment stops when the region has no healthy ingress target", (_name, json) => {
    const [template] = resourcesOf(json, "aws_fis_experiment_template");
    const alarmId = refId((template!.stop_condition as Block[])[0]!.value);
    expect(withIds(json, "aws_cloudwatch_metric_alarm")[alarmId!]).toMatchObject({ metric_name: "HealthyHostCount", namespace: "AWS/NetworkELB" });
  });

  test.each(regional)("%s exports what later stacks need", (_name, json) => {
    expect(Object.keys(json.output!)).toEqual(
      expect.arrayContaining([
        "cluster_name",
        "cluster_endpoint",
        "cluster_certificate_authority",
        "oidc_provider_arn",
        "nlb_arn",
        "nlb_target_group_arn",
        "private_subnet_ids",
        "cluster_security_group_id",
        "interruption_queue_name",
      ]),
    );
  });
});
