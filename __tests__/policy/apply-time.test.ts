import { parameterGroupFamilyOf } from "@meridian/constructs";
import {
  alarmTopicKeyAdmitsCloudWatch,
  auroraManagedRpoSecondaries,
  efsPolicyAllowsMounts,
  eksAccessEntryPrincipal,
  eksNodeGroupLabels,
  eksNodeGroupLaunchTemplate,
  eksNodeGroupScaling,
  eksNodeGroupVersion,
  fisWriterFailoverTargetsPrimary,
  fixedNameCreateBeforeDestroy,
  kmsKeyPolicyLockout,
  s3ReplicationAfterVersioning,
  flowLogDelivery,
  metricAlarmActions,
  nlbHealthCheckMatchesTarget,
  rdsParameterGroupFamily,
  s3BackendCustomerKey,
  vpcPeeringAutoAccept,
} from "../../src/policy/rules/apply-time";
import { fixtureStack, messages, ref, remoteRef, remoteState, single, tweak, type FixtureStack, type Resources } from "./fixtures";

/** A cluster and one node group (with its launch template) as the NodeGroups construct builds them. */
function nodeGroupStack(change?: (r: Resources) => void): FixtureStack {
  const resources: Resources = {
    aws_eks_cluster: { cluster: { name: "meridian-production-us-east-1", version: "1.33" } },
    aws_launch_template: { system: { name_prefix: "system-", metadata_options: { http_tokens: "required" } } },
    aws_eks_node_group: {
      system: {
        cluster_name: ref("aws_eks_cluster.cluster", "name"),
        version: ref("aws_eks_cluster.cluster", "version"),
        node_group_name_prefix: "system-",
        instance_types: ["m7i.large"],
        labels: { "node.meridian.io/class": "system" },
        launch_template: { id: ref("aws_launch_template.system"), version: ref("aws_launch_template.system", "latest_version") },
        scaling_config: { min_size: 1, desired_size: 2, max_size: 4 },
      },
    },
  };
  change?.(resources);
  return fixtureStack("production-regional-us-east-1", resources);
}
const group = (r: Resources) => r.aws_eks_node_group!.system!;
const template = (r: Resources) => r.aws_launch_template!.system!;

describe("eks-node-group-labels", () => {
  test("flags a label key with a reserved prefix, as the EKS API words it", () => {
    const stack = nodeGroupStack((r) => (group(r).labels = { "node.kubernetes.io/class": "system" }));
    expect(messages(eksNodeGroupLabels, stack)).toEqual([
      'aws_eks_node_group.system: labels["node.kubernetes.io/class"] contains the reserved prefix "kubernetes.io/", which the EKS node group API refuses (reserved: kubernetes.io/, k8s.io/, eks.amazonaws.com/); use the platform\'s domain, e.g. node.meridian.io/...',
    ]);
  });

  test.each(["k8s.io/role", "eks.amazonaws.com/team", "karpenter.k8s.io/x"])("flags reserved key %s", (key) => {
    expect(messages(eksNodeGroupLabels, nodeGroupStack((r) => (group(r).labels = { [key]: "a" })))).toHaveLength(1);
  });

  test.each([
    [{ "Node_Meridian/class": "a" }, /label key has a prefix that is not a lower-case DNS subdomain/],
    [{ "node.meridian.io/class": "a b" }, /label value "a b" must be at most 63 letters/],
    [{ "node.meridian.io/class": "" }, /label value is empty; the EKS node group API needs 1-63 characters/],
  ])("flags a label EKS refuses: %j", (labels, message) => {
    const found = messages(eksNodeGroupLabels, nodeGroupStack((r) => (group(r).labels = labels)));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  test("passes labels of the platform's own domain", () => {
    expect(messages(eksNodeGroupLabels, nodeGroupStack())).toEqual([]);
  });
});

describe("eks-node-group-version", () => {
  test("flags a node group without version", () => {
    expect(messages(eksNodeGroupVersion, nodeGroupStack((r) => delete group(r).version))).toEqual([
      "aws_eks_node_group.system: version is not set: a Kubernetes upgrade of the cluster leaves these nodes on the old version and AMI",
    ]);
  });

  test("flags a literal version other than the cluster's", () => {
    expect(messages(eksNodeGroupVersion, nodeGroupStack((r) => (group(r).version = "1.32")))).toEqual([
      'aws_eks_node_group.system: version = "1.32" but the cluster runs "1.33": CreateNodegroup accepts only the cluster\'s version',
    ]);
  });

  test("flags a version with a custom AMI in the launch template", () => {
    expect(messages(eksNodeGroupVersion, nodeGroupStack((r) => (template(r).image_id = "ami-0123456789abcdef0")))).toEqual([
      "aws_eks_node_group.system: version/release_version are set while aws_launch_template.system sets image_id: EKS refuses a version for a custom AMI",
    ]);
  });

  test("passes a version that follows the cluster, and a custom AMI without version", () => {
    expect(messages(eksNodeGroupVersion, nodeGroupStack())).toEqual([]);
    expect(messages(eksNodeGroupVersion, nodeGroupStack((r) => { template(r).image_id = "ami-0123456789abcdef0"; delete group(r).version; }))).toEqual([]);
  });
});

describe("eks-node-group-launch-template", () => {
  test("flags settings a managed node group's launch template cannot include", () => {
    const stack = nodeGroupStack((r) => {
      template(r).iam_instance_profile = { name: "nodes" };
      template(r).instance_market_options = { market_type: "spot" };
      template(r).network_interfaces = [{ subnet_id: "subnet-1" }];
      template(r).instance_type = "m7i.large";
    });
    expect(messages(eksNodeGroupLaunchTemplate, stack)).toEqual([
      "aws_launch_template.system: aws_launch_template.system sets iam_instance_profile, which a managed node group's launch template cannot include",
      "aws_launch_template.system: aws_launch_template.system sets instance_market_options, which a managed node group's launch template cannot include",
      "aws_launch_template.system: aws_launch_template.system sets network_interfaces.subnet_id; the node group's subnet_ids place the nodes",
      "aws_eks_node_group.system: instance_types is set here and aws_launch_template.system sets instance_type: EKS accepts one of them",
    ]);
  });

  test("passes the platform's launch template", () => {
    expect(messages(eksNodeGroupLaunchTemplate, nodeGroupStack())).toEqual([]);
  });
});

describe("eks-node-group-scaling", () => {
  test.each([
    [{ min_size: 3, desired_size: 2, max_size: 4 }],
    [{ min_size: 0, desired_size: 0, max_size: 0 }],
    [{ min_size: 1, desired_size: 5, max_size: 4 }],
  ])("flags scaling_config %j", (scaling) => {
    expect(messages(eksNodeGroupScaling, nodeGroupStack((r) => (group(r).scaling_config = scaling)))).toHaveLength(1);
  });

  test("passes min <= desired <= max with max >= 1 (a GPU group may sit at zero)", () => {
    expect(messages(eksNodeGroupScaling, nodeGroupStack())).toEqual([]);
    expect(messages(eksNodeGroupScaling, nodeGroupStack((r) => (group(r).scaling_config = { min_size: 0, desired_size: 0, max_size: 6 })))).toEqual([]);
  });
});

describe("eks-access-entry-principal", () => {
  const entries = (extra: Record<string, Record<string, unknown>>) =>
    fixtureStack("production-regional-us-east-1", { aws_eks_cluster: { cluster: { name: "c" } }, aws_eks_access_entry: extra });
  const entry = (principal: string, type = "STANDARD") => ({ cluster_name: ref("aws_eks_cluster.cluster", "name"), principal_arn: principal, type });

  test("flags an STS session, a user for a node type, and the same principal twice", () => {
    expect(messages(eksAccessEntryPrincipal, entries({ a: entry("arn:aws:sts::123456789012:assumed-role/admin/me") }))).toEqual([
      'aws_eks_access_entry.a: principal_arn = "arn:aws:sts::123456789012:assumed-role/admin/me" is not an IAM role or user ARN (an STS session is temporary and cannot have an access entry)',
    ]);
    expect(messages(eksAccessEntryPrincipal, entries({ a: entry("arn:aws:iam::123456789012:user/nodes", "EC2_LINUX") }))).toEqual([
      'aws_eks_access_entry.a: type = "EC2_LINUX" accepts only IAM roles, not "arn:aws:iam::123456789012:user/nodes"',
    ]);
    const twice = entries({ a: entry("arn:aws:iam::123456789012:role/admin"), b: { ...entry("arn:aws:iam::123456789012:role/admin"), cluster_name: "c" } });
    expect(messages(eksAccessEntryPrincipal, twice)).toEqual([
      'aws_eks_access_entry.a: aws_eks_access_entry.b names the same principal "arn:aws:iam::123456789012:role/admin": "The specified access entry resource is already in use on this cluster"',
    ]);
  });

  test("passes role ARNs (with a path) once each", () => {
    expect(messages(eksAccessEntryPrincipal, entries({ a: entry("arn:aws:iam::123456789012:role/teams/admin"), b: entry(ref("aws_iam_role.nodes", "arn"), "EC2_LINUX") }))).toEqual([]);
  });
});

/** The ingress NLB: a TCP listener on `listenerPort` forwarding to pods on 8443. */
function ingress(healthCheck: Record<string, unknown>, listenerPort = 443, targetPort = 8443): FixtureStack {
  return fixtureStack("production-regional-us-east-1", {
    aws_lb: { nlb: { load_balancer_type: "network" } },
    aws_lb_target_group: { pods: { protocol: "TCP", port: targetPort, target_type: "ip", health_check: healthCheck } },
    aws_lb_listener: { tcp: { load_balancer_arn: ref("aws_lb.nlb", "arn"), port: listenerPort, protocol: "TCP", default_action: [{ type: "forward", target_group_arn: ref("aws_lb_target_group.pods", "arn") }] } },
  });
}

describe("nlb-health-check-matches-target", () => {
  test("flags an HTTP check on the traffic port behind TLS passthrough", () => {
    expect(messages(nlbHealthCheckMatchesTarget, ingress({ protocol: "HTTP", port: "traffic-port", path: "/healthz" }))).toEqual([
      'aws_lb_target_group.pods: health_check.protocol = "HTTP" on the traffic port while aws_lb_listener.tcp passes TCP 443 (TLS) through to port 8443: every target fails the check and the NLB fails open',
    ]);
  });

  test("passes HTTPS or TCP checks, an HTTP check on a separate port, and plain TCP traffic", () => {
    expect(messages(nlbHealthCheckMatchesTarget, ingress({ protocol: "HTTPS", port: "traffic-port", path: "/healthz" }))).toEqual([]);
    expect(messages(nlbHealthCheckMatchesTarget, ingress({ protocol: "TCP" }))).toEqual([]);
    expect(messages(nlbHealthCheckMatchesTarget, ingress({ protocol: "HTTP", port: "10254", path: "/healthz" }))).toEqual([]);
    expect(messages(nlbHealthCheckMatchesTarget, ingress({ protocol: "HTTP", port: "traffic-port" }, 80, 8080))).toEqual([]);
  });
});

/** An EFS file system policy made of the given statements (as aws_iam_policy_document blocks). */
function efsPolicy(statements: Record<string, unknown>[]): FixtureStack {
  return fixtureStack(
    "production-regional-us-east-1",
    { aws_efs_file_system_policy: { policy: { file_system_id: ref("aws_efs_file_system.fs"), policy: "${data.aws_iam_policy_document.efs.json}" } } },
    { data: { aws_iam_policy_document: { efs: { statement: statements } } } },
  );
}
const denyInsecure = { effect: "Deny", principals: [{ type: "*", identifiers: ["*"] }], actions: ["*"], condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] };

describe("efs-policy-allows-mounts", () => {
  test("flags a policy that holds only a Deny", () => {
    expect(messages(efsPolicyAllowsMounts, efsPolicy([denyInsecure]))).toEqual([
      "aws_efs_file_system_policy.policy: the policy (data.aws_iam_policy_document.efs) does not allow the CSI driver's TLS mount through a mount target (elasticfilesystem:ClientMount): it replaces EFS's default allow, so every mount is refused",
    ]);
  });

  test.each([
    ["an Allow beside an unconditional Deny of everything", [{ effect: "Deny", principals: [{ type: "AWS", identifiers: ["*"] }], actions: ["*"] }]],
    ["an Allow whose condition a mount through a mount target never meets", []],
  ])("flags %s: the driver's mount is still refused", (_what, extra) => {
    const unreachable = { effect: "Allow", principals: [{ type: "AWS", identifiers: ["*"] }], actions: ["elasticfilesystem:ClientMount"], condition: [{ test: "Bool", variable: "elasticfilesystem:AccessedViaMountTarget", values: [extra.length === 0 ? "false" : "true"] }] };
    expect(messages(efsPolicyAllowsMounts, efsPolicy([denyInsecure, unreachable, ...extra]))).toHaveLength(1);
  });

  test("passes a policy that allows mounts through mount targets", () => {
    const allow = { effect: "Allow", principals: [{ type: "AWS", identifiers: ["*"] }], actions: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], condition: [{ test: "Bool", variable: "elasticfilesystem:AccessedViaMountTarget", values: ["true"] }] };
    expect(messages(efsPolicyAllowsMounts, efsPolicy([denyInsecure, allow]))).toEqual([]);
  });
});

/** An alarm publishing to an encrypted topic whose key policy has the given statements. */
function alarmStack(alarm: Record<string, unknown>, keyStatements: Record<string, unknown>[] = []): FixtureStack {
  return fixtureStack(
    "production-regional-us-east-1",
    {
      aws_kms_key: { key: { policy: "${data.aws_iam_policy_document.key.json}" } },
      aws_sns_topic: { alerts: { name: "alerts", kms_master_key_id: ref("aws_kms_key.key", "arn") } },
      aws_cloudwatch_metric_alarm: { lag: { alarm_name: "lag", ...alarm } },
    },
    { data: { aws_iam_policy_document: { key: { statement: [{ effect: "Allow", principals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:root"] }], actions: ["kms:*"], resources: ["*"] }, ...keyStatements] } } } },
  );
}
const cloudWatchUse = { effect: "Allow", principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }], actions: ["kms:Decrypt", "kms:GenerateDataKey*"], resources: ["*"] };

describe("metric-alarm-actions", () => {
  test("flags an alarm without actions, and one with actions disabled", () => {
    expect(messages(metricAlarmActions, alarmStack({ alarm_actions: [] }))).toEqual(["aws_cloudwatch_metric_alarm.lag: alarm_actions = []: the alarm changes state and notifies no one"]);
    expect(messages(metricAlarmActions, alarmStack({ alarm_actions: [ref("aws_sns_topic.alerts", "arn")], actions_enabled: false }))).toEqual(["aws_cloudwatch_metric_alarm.lag: actions_enabled = false: the alarm notifies no one"]);
  });

  test("passes an alarm that publishes to a topic", () => {
    expect(messages(metricAlarmActions, alarmStack({ alarm_actions: [ref("aws_sns_topic.alerts", "arn")] }))).toEqual([]);
  });
});

describe("alarm-topic-key-admits-cloudwatch", () => {
  test("flags an alarm topic whose key policy does not admit CloudWatch", () => {
    expect(messages(alarmTopicKeyAdmitsCloudWatch, alarmStack({ alarm_actions: [ref("aws_sns_topic.alerts", "arn")] }))).toEqual([
      "aws_kms_key.key: aws_sns_topic.alerts is encrypted with aws_kms_key.key, whose policy does not allow cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey: the alarm's notifications are dropped",
    ]);
  });

  test("passes a key policy that admits CloudWatch, and alarms without an encrypted topic", () => {
    expect(messages(alarmTopicKeyAdmitsCloudWatch, alarmStack({ alarm_actions: [ref("aws_sns_topic.alerts", "arn")] }, [cloudWatchUse]))).toEqual([]);
    expect(messages(alarmTopicKeyAdmitsCloudWatch, alarmStack({ alarm_actions: [] }))).toEqual([]);
  });
});

describe("s3-backend-customer-key", () => {
  const withBackend = (s3: Record<string, unknown>) =>
    tweak(fixtureStack("production-edge", {}), (stack) => {
      (stack.config.terraform as { backend?: unknown }).backend = { s3: { bucket: "tfstate", key: "a.tfstate", ...s3 } };
    });

  test("flags encrypt without kms_key_id, and no encryption", () => {
    expect(messages(s3BackendCustomerKey, withBackend({ encrypt: true }))).toEqual(["terraform.backend.s3: encrypt = true without kms_key_id: every state object is written with SSE-S3 (AES256), not the customer key"]);
    expect(messages(s3BackendCustomerKey, withBackend({}))).toEqual(["terraform.backend.s3: encrypt = not set: state objects are written without server-side encryption headers"]);
  });

  test("passes encrypt with the state key, and a local backend", () => {
    expect(messages(s3BackendCustomerKey, withBackend({ encrypt: true, kms_key_id: "arn:aws:kms:us-east-1:111111111111:alias/meridian-tfstate" }))).toEqual([]);
    expect(messages(s3BackendCustomerKey, fixtureStack("production-edge", {}))).toEqual([]);
  });
});

/** A regional Aurora member with cluster and instance parameter groups of the given families. */
function auroraStack(clusterFamily: string, instanceFamily: string, engineVersion = "16.6"): FixtureStack {
  return fixtureStack("production-regional-us-east-1", {
    aws_rds_cluster_parameter_group: { cluster: { name: "c", family: clusterFamily } },
    aws_db_parameter_group: { instance: { name: "i", family: instanceFamily } },
    aws_rds_cluster: { aurora: { cluster_identifier: "meridian", engine: "aurora-postgresql", engine_version: engineVersion, db_cluster_parameter_group_name: ref("aws_rds_cluster_parameter_group.cluster", "name") } },
    aws_rds_cluster_instance: { one: { identifier: "meridian-1", cluster_identifier: ref("aws_rds_cluster.aurora"), db_parameter_group_name: ref("aws_db_parameter_group.instance", "name") } },
  });
}

describe("rds-parameter-group-family", () => {
  test("flags parameter groups of another major version (a major upgrade without new groups)", () => {
    expect(messages(rdsParameterGroupFamily, auroraStack("aurora-postgresql16", "aurora-postgresql16", "17.4"))).toEqual([
      'aws_rds_cluster_parameter_group.cluster: db_cluster_parameter_group_name is aws_rds_cluster_parameter_group.cluster of family "aurora-postgresql16", but engine aurora-postgresql 17.4 needs "aurora-postgresql17"',
      'aws_db_parameter_group.instance: db_parameter_group_name is aws_db_parameter_group.instance of family "aurora-postgresql16", but engine aurora-postgresql 17.4 needs "aurora-postgresql17"',
    ]);
  });

  test("passes groups of the engine version's family", () => {
    expect(messages(rdsParameterGroupFamily, auroraStack("aurora-postgresql16", "aurora-postgresql16"))).toEqual([]);
    expect(parameterGroupFamilyOf("aurora-mysql", "8.0.mysql_aurora.3.08.0")).toBe("aurora-mysql8.0");
  });
});

/** A global database with `secondaries` secondary regions whose members use a parameter group setting `parameters`. */
function globalDatabase(secondaries: number, parameters: Record<string, unknown>[]): FixtureStack[] {
  const regions = ["us-east-1", "eu-west-1", "ap-southeast-1", "us-west-2"].slice(0, secondaries + 1);
  const global = fixtureStack("production-global-database", { aws_rds_global_cluster: { global: { global_cluster_identifier: "meridian" } } }, { output: { global: { value: ref("aws_rds_global_cluster.global") } } });
  const members = regions.map((region, i) =>
    fixtureStack(
      `production-regional-${region}`,
      {
        aws_rds_cluster_parameter_group: { params: { name: "p", family: "aurora-postgresql16", parameter: parameters } },
        aws_rds_cluster: {
          aurora: {
            cluster_identifier: `meridian-${region}`,
            global_cluster_identifier: remoteRef("production-global-database", "global"),
            db_cluster_parameter_group_name: ref("aws_rds_cluster_parameter_group.params", "name"),
            ...(i === 0 ? { master_username: "admin" } : { source_region: regions[0] }),
          },
        },
      },
      { region, data: { terraform_remote_state: remoteState("production-global-database") } },
    ),
  );
  return [global, ...members];
}
const rpo = { name: "rds.global_db_rpo", value: "60", apply_method: "immediate" };

describe("aurora-managed-rpo-secondaries", () => {
  test("flags managed RPO with a single secondary", () => {
    expect(messages(auroraManagedRpoSecondaries, globalDatabase(1, [rpo]))).toEqual([
      "aws_rds_cluster_parameter_group.params: rds.global_db_rpo is set (used by aws_rds_cluster.aurora) while aws_rds_global_cluster.global has 1 secondary cluster(s): an outage of that region pauses the writer's commits",
      "aws_rds_cluster_parameter_group.params: rds.global_db_rpo is set (used by aws_rds_cluster.aurora) while aws_rds_global_cluster.global has 1 secondary cluster(s): an outage of that region pauses the writer's commits",
    ]);
  });

  test("passes managed RPO with two secondaries, and no managed RPO", () => {
    expect(messages(auroraManagedRpoSecondaries, globalDatabase(2, [rpo]))).toEqual([]);
    expect(messages(auroraManagedRpoSecondaries, globalDatabase(1, [{ name: "rds.force_ssl", value: "1" }]))).toEqual([]);
  });
});

describe("fis-writer-failover-targets-primary", () => {
  const drill = (region: string) => ({
    action: [{ action_id: "aws:rds:failover-db-cluster", name: "fail-over-writer", target: { key: "Clusters", value: "aurora-member" } }],
    target: [{ name: "aurora-member", resource_type: "aws:rds:cluster", selection_mode: "ALL", resource_arns: [`arn:aws:rds:${region}:123456789012:cluster:meridian-${region}`] }],
  });
  const withDrill = (region: string) =>
    tweak(globalDatabase(1, []), (stacks) => {
      const member = stacks.find((s) => s.name === `production-regional-${region}`)!;
      (member.config.resource as Resources).aws_fis_experiment_template = { drill: drill(region) };
    });

  test("flags a writer failover of the secondary cluster", () => {
    expect(messages(fisWriterFailoverTargetsPrimary, withDrill("eu-west-1"))).toEqual([
      'aws_fis_experiment_template.drill: action "fail-over-writer" fails over meridian-eu-west-1, a secondary cluster of a global database: the experiment errors when started',
    ]);
  });

  test("passes a writer failover of the primary cluster", () => {
    expect(messages(fisWriterFailoverTargetsPrimary, withDrill("us-east-1"))).toEqual([]);
  });
});

describe("vpc-peering-auto-accept", () => {
  test("flags auto_accept on a cross-region request", () => {
    expect(messages(vpcPeeringAutoAccept, single("aws_vpc_peering_connection", { vpc_id: "vpc-1", peer_vpc_id: "vpc-2", peer_region: "eu-west-1", auto_accept: true }))).toEqual([
      "aws_vpc_peering_connection.subject: auto_accept = true with peer_region set: only a same-account, same-region request can accept itself",
    ]);
  });

  test("passes a cross-region request accepted by an accepter", () => {
    expect(messages(vpcPeeringAutoAccept, single("aws_vpc_peering_connection", { vpc_id: "vpc-1", peer_vpc_id: "vpc-2", peer_region: "eu-west-1" }))).toEqual([]);
  });
});

describe("flow-log-delivery", () => {
  test("flags CloudWatch delivery without a role, and an invalid interval", () => {
    expect(messages(flowLogDelivery, single("aws_flow_log", { vpc_id: "vpc-1", traffic_type: "ALL", log_destination: "arn:aws:logs:us-east-1:1:log-group:x", max_aggregation_interval: 300 }))).toEqual([
      "aws_flow_log.subject: log_destination_type = cloud-watch-logs without iam_role_arn: CreateFlowLogs needs the delivery role",
      "aws_flow_log.subject: max_aggregation_interval = 300: only 60 or 600 are accepted",
    ]);
  });

  test("passes CloudWatch delivery with a role, and S3 delivery without one", () => {
    expect(messages(flowLogDelivery, single("aws_flow_log", { vpc_id: "vpc-1", iam_role_arn: "arn:aws:iam::1:role/r", max_aggregation_interval: 60 }))).toEqual([]);
    expect(messages(flowLogDelivery, single("aws_flow_log", { vpc_id: "vpc-1", log_destination_type: "s3", log_destination: "arn:aws:s3:::b" }))).toEqual([]);
  });
});

describe("fixed-name-create-before-destroy", () => {
  test("flags a fixed unique name replaced create-before-destroy", () => {
    expect(messages(fixedNameCreateBeforeDestroy, single("aws_launch_template", { name: "meridian-system", lifecycle: { create_before_destroy: true } }))).toEqual([
      'aws_launch_template.subject: lifecycle.create_before_destroy with a fixed name = "meridian-system": a replacement is created under the name the old one still holds',
    ]);
  });

  test("passes a name_prefix replaced create-before-destroy, and a fixed name replaced destroy-first", () => {
    expect(messages(fixedNameCreateBeforeDestroy, single("aws_eks_node_group", { node_group_name_prefix: "system-", lifecycle: { create_before_destroy: true } }))).toEqual([]);
    expect(messages(fixedNameCreateBeforeDestroy, single("aws_launch_template", { name: "meridian-system" }))).toEqual([]);
  });
});

describe("s3-replication-after-versioning", () => {
  const replicated = (dependsOn?: string[]) =>
    fixtureStack("state-bootstrap", {
      aws_s3_bucket: { state: { bucket: "tfstate" } },
      aws_s3_bucket_versioning: { state: { bucket: ref("aws_s3_bucket.state"), versioning_configuration: { status: "Enabled" } } },
      aws_s3_bucket_replication_configuration: { forward: { bucket: ref("aws_s3_bucket.state"), role: "arn:aws:iam::1:role/r", rule: [{ status: "Enabled" }], ...(dependsOn ? { depends_on: dependsOn } : {}) } },
    });

  test("flags replication that may be put before versioning", () => {
    expect(messages(s3ReplicationAfterVersioning, replicated())).toEqual([
      "aws_s3_bucket_replication_configuration.forward: depends_on does not include aws_s3_bucket_versioning.state: Terraform may put the replication configuration before versioning of aws_s3_bucket.state is enabled",
    ]);
  });

  test("passes replication that depends on versioning", () => {
    expect(messages(s3ReplicationAfterVersioning, replicated(["aws_s3_bucket_versioning.state"]))).toEqual([]);
  });
});

describe("kms-key-policy-lockout", () => {
  const key = (statements: Record<string, unknown>[]) =>
    fixtureStack("production-edge", { aws_kms_key: { key: { policy: "${data.aws_iam_policy_document.key.json}" } } }, { data: { aws_iam_policy_document: { key: { statement: statements } } } });

  test("flags a key policy that lets no one change it", () => {
    expect(messages(kmsKeyPolicyLockout, key([cloudWatchUse]))).toEqual([
      "aws_kms_key.key: the key policy (data.aws_iam_policy_document.key) allows no AWS principal kms:PutKeyPolicy: KMS refuses it unless the lockout check is bypassed, and then no one can change it",
    ]);
  });

  test("passes a key policy that leaves the account in charge", () => {
    expect(messages(kmsKeyPolicyLockout, key([{ effect: "Allow", principals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:root"] }], actions: ["kms:*"], resources: ["*"] }]))).toEqual([]);
  });
});
