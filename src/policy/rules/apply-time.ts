import { parameterGroupFamilyOf } from "@meridian/constructs";
import { nodeGroupLabelProblem } from "@meridian/constructs";
import { NAME_CONSTRAINTS } from "./apply-time-names";
import { actionCovers, decide, policyDocument, type PolicyRequest, type PolicyStatement } from "../policy-document";
import type { PolicyInput, PolicyResource } from "../policy-input";
import { BACKEND_RESOURCE_TYPE } from "../read-stacks";
import { cannotTell, fail, type CheckOutcome, type Rule } from "../rule";
import { asNumber, asStrings, blocks, dig, isObject, isSet, isUnknown, show } from "../terraform-values";

/**
 * Apply-time rules beyond names: combinations and values an AWS API refuses (or accepts and then
 * misbehaves on) that `terraform plan` cannot see. Each rule's guidance is the AWS error text or
 * the documentation stating the constraint. Names: apply-time-names.ts.
 */

export const eksNodeGroupLabels: Rule = {
  id: "eks-node-group-labels",
  title: "Node group labels use no reserved prefix and are valid Kubernetes labels",
  publicIds: [],
  guidance:
    'EKS CreateNodegroup: "Label cannot contain reserved prefixes" (kubernetes.io/, k8s.io/, eks.amazonaws.com/): aws/containers-roadmap#1451, eksctl-io/eksctl#4007; label syntax: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set',
  severity: "high",
  kind: "reliability",
  resourceTypes: ["aws_eks_node_group"],
  fix: "Use the platform's own label domain (e.g. node.<platform domain>/class) for node group labels; kubelet and EKS set the kubernetes.io/ labels themselves.",
  check(group) {
    const labels = group.values.labels;
    if (isUnknown(labels)) {
      return [cannotTell("labels are known only after apply")];
    }
    if (!isObject(labels)) {
      return [];
    }
    // The rule is packages/constructs/src/core/eks-nodes.ts's, which the catalogue and the node-group construct apply too.
    return Object.entries(labels).flatMap(([key, value]) => {
      const problem = typeof value === "string" ? nodeGroupLabelProblem(key, value) : undefined;
      return problem ? [fail(`labels["${key}"] ${problem}`)] : [];
    });
  },
};

/** The launch template a node group uses, when it refers to one of the stack. */
function launchTemplateOf(input: PolicyInput, group: PolicyResource): PolicyResource | undefined {
  return input.referencedResources(group, dig(group.config, "launch_template", 0, "id"), ["aws_launch_template"])[0] ?? input.referencedResources(group, dig(group.config, "launch_template", 0, "name"), ["aws_launch_template"])[0];
}

export const eksNodeGroupVersion: Rule = {
  id: "eks-node-group-version",
  title: "Node groups name their Kubernetes version (and follow the cluster's)",
  publicIds: [],
  guidance:
    "EKS UpdateNodegroupVersion: a node group keeps its version and AMI until it is updated; without version in the configuration a cluster upgrade leaves it behind (https://docs.aws.amazon.com/eks/latest/userguide/update-managed-node-group.html); with a custom AMI in the launch template, version and release_version must not be set",
  severity: "high",
  kind: "reliability",
  resourceTypes: ["aws_eks_node_group"],
  fix: "Set version = the cluster's version (a reference to aws_eks_cluster.version) and pin release_version in the catalogue; leave both unset only when the launch template sets image_id.",
  check(group, { input }) {
    const template = launchTemplateOf(input, group);
    const customAmi = template !== undefined && isSet(template.config.image_id);
    const version = group.config.version;
    if (customAmi) {
      return isSet(version) || isSet(group.config.release_version)
        ? [fail(`version/release_version are set while ${template.address} sets image_id: EKS refuses a version for a custom AMI`)]
        : [];
    }
    if (!isSet(version)) {
      return [fail("version is not set: a Kubernetes upgrade of the cluster leaves these nodes on the old version and AMI")];
    }
    const cluster = input.resource(group.stack, input.references(group.stack, group.config.cluster_name)[0]?.address ?? "");
    const clusterVersion = cluster?.config.version;
    if (typeof version === "string" && !version.includes("${") && typeof clusterVersion === "string" && !clusterVersion.includes("${") && version !== clusterVersion) {
      return [fail(`version = ${JSON.stringify(version)} but the cluster runs ${JSON.stringify(clusterVersion)}: CreateNodegroup accepts only the cluster's version`)];
    }
    return [];
  },
};

/** Launch template settings a managed node group refuses (CreateNodegroup fails). */
const UNSUPPORTED_TEMPLATE_SETTINGS = ["iam_instance_profile", "instance_market_options", "hibernation_options"] as const;

export const eksNodeGroupLaunchTemplate: Rule = {
  id: "eks-node-group-launch-template",
  title: "Launch templates of managed node groups hold only settings EKS accepts",
  publicIds: [],
  guidance:
    "AWS::EKS::Nodegroup LaunchTemplateSpecification: the launch template can't include SubnetId, IamInstanceProfile, RequestSpotInstances, HibernationOptions or TerminateInstances (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-eks-nodegroup-launchtemplatespecification.html); instance types in the template or the node group, not both (https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html)",
  severity: "high",
  kind: "reliability",
  resourceTypes: ["aws_eks_node_group"],
  fix: "Remove iam_instance_profile (node_role_arn sets it), instance_market_options (capacity_type = SPOT), hibernation_options and network_interfaces.subnet_id (subnet_ids) from the template; set instance types in one place.",
  check(group, { input }) {
    const template = launchTemplateOf(input, group);
    if (!template) {
      return [];
    }
    const outcomes: CheckOutcome[] = [];
    for (const setting of UNSUPPORTED_TEMPLATE_SETTINGS) {
      if (isSet(template.config[setting])) {
        outcomes.push(fail(`${template.address} sets ${setting}, which a managed node group's launch template cannot include`, template.address));
      }
    }
    const interfaces = blocks(template.values.network_interfaces);
    if (!isUnknown(interfaces) && interfaces.some((i) => isSet(i.subnet_id))) {
      outcomes.push(fail(`${template.address} sets network_interfaces.subnet_id; the node group's subnet_ids place the nodes`, template.address));
    }
    if (isSet(template.config.instance_type) && isSet(group.config.instance_types)) {
      outcomes.push(fail(`instance_types is set here and ${template.address} sets instance_type: EKS accepts one of them`));
    }
    return outcomes;
  },
};

export const eksNodeGroupScaling: Rule = {
  id: "eks-node-group-scaling",
  title: "Node group sizes satisfy min <= desired <= max and max >= 1",
  publicIds: [],
  guidance: "EKS NodegroupScalingConfig: maxSize >= 1, minSize >= 0, desiredSize between them (https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupScalingConfig.html)",
  severity: "high",
  kind: "reliability",
  resourceTypes: ["aws_eks_node_group"],
  fix: "Set scaling_config so that 0 <= min_size <= desired_size <= max_size and max_size >= 1.",
  check(group) {
    const min = asNumber(dig(group.values, "scaling_config", 0, "min_size"));
    const desired = asNumber(dig(group.values, "scaling_config", 0, "desired_size"));
    const max = asNumber(dig(group.values, "scaling_config", 0, "max_size"));
    if ([min, desired, max].some(isUnknown)) {
      return [cannotTell("scaling_config is known only after apply")];
    }
    if (typeof min !== "number" || typeof desired !== "number" || typeof max !== "number") {
      return [];
    }
    return min <= desired && desired <= max && max >= 1 && min >= 0
      ? []
      : [fail(`scaling_config = { min_size = ${min}, desired_size = ${desired}, max_size = ${max} }: EKS requires 0 <= min <= desired <= max and max >= 1`)];
  },
};

export const eksAccessEntryPrincipal: Rule = {
  id: "eks-access-entry-principal",
  title: "Access entries name an IAM role or user (roles for node types), each once per cluster",
  publicIds: [],
  guidance:
    "EKS CreateAccessEntry: one access entry per principal ARN; node types (EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX, HYBRID_LINUX) accept only IAM roles; STS session ARNs are refused (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html)",
  severity: "high",
  kind: "reliability",
  resourceTypes: ["aws_eks_access_entry"],
  fix: "Name the IAM role ARN (arn:<partition>:iam::<account>:role/<path/name>), never an assumed-role session; give every principal one access entry and attach several policies to it.",
  check(entry, { input }) {
    const principal = entry.config.principal_arn;
    const outcomes: CheckOutcome[] = [];
    const type = typeof entry.values.type === "string" ? entry.values.type : "STANDARD";
    if (typeof principal === "string" && !principal.includes("${")) {
      const kind = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/.exec(principal)?.[1];
      if (!kind) {
        outcomes.push(fail(`principal_arn = ${JSON.stringify(principal)} is not an IAM role or user ARN${principal.includes(":sts:") ? " (an STS session is temporary and cannot have an access entry)" : ""}`));
      } else if (type !== "STANDARD" && kind !== "role") {
        outcomes.push(fail(`type = ${JSON.stringify(type)} accepts only IAM roles, not ${JSON.stringify(principal)}`));
      }
    }
    const cluster = JSON.stringify(entry.config.cluster_name);
    const sameClusterName = (other: PolicyResource) => clusterNameOf(input, other) === clusterNameOf(input, entry) || JSON.stringify(other.config.cluster_name) === cluster;
    const twins = input.resourcesOf(entry.stack, "aws_eks_access_entry").filter((other) => other !== entry && sameClusterName(other) && JSON.stringify(other.config.principal_arn) === JSON.stringify(principal));
    if (twins.length > 0 && twins[0]!.address > entry.address) {
      outcomes.push(fail(`${twins[0]!.address} names the same principal ${show(principal)}: "The specified access entry resource is already in use on this cluster"`));
    }
    return outcomes;
  },
};

/** The literal cluster name an EKS resource names directly or through `${aws_eks_cluster.x.name}`. */
function clusterNameOf(input: PolicyInput, resource: PolicyResource): string | undefined {
  const configured = resource.config.cluster_name;
  if (typeof configured === "string" && !configured.includes("${")) {
    return configured;
  }
  const cluster = input.referencedResources(resource, configured, ["aws_eks_cluster"])[0];
  return typeof cluster?.config.name === "string" ? cluster.config.name : undefined;
}

/** Listener ports on which a TCP listener passes TLS through to its targets. */
const TLS_PORTS = new Set([443, 8443]);

export const nlbHealthCheckMatchesTarget: Rule = {
  id: "nlb-health-check-matches-target",
  title: "TCP target groups behind TLS passthrough do not health-check with plain HTTP",
  publicIds: [],
  guidance:
    "ELB target group health checks (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html): an HTTP check against a port that serves TLS fails on every target, and an NLB with no healthy target fails open; Global Accelerator follows the NLB's target health",
  severity: "high",
  kind: "reliability",
  resourceTypes: ["aws_lb_target_group"],
  fix: "Check what the target serves: health_check.protocol = HTTPS (or TCP) on the TLS port, or HTTP on a separate plain health port (health_check.port).",
  check(group, { input }) {
    const protocol = group.values.protocol;
    const checkProtocol = dig(group.values, "health_check", 0, "protocol");
    const checkPort = dig(group.values, "health_check", 0, "port");
    if (isUnknown(protocol) || isUnknown(checkProtocol) || isUnknown(checkPort)) {
      return [cannotTell("protocol or health_check is known only after apply")];
    }
    if (protocol !== "TCP" || checkProtocol !== "HTTP") {
      return [];
    }
    const targetPort = asNumber(group.values.port);
    const sameTrafficPort = checkPort === undefined || checkPort === "traffic-port" || String(checkPort) === String(targetPort);
    if (!sameTrafficPort) {
      return [];
    }
    const tlsListener = input.resourcesOf(group.stack, "aws_lb_listener").find((listener) => {
      const forwards = input.referencedResources(listener, listener.config.default_action, ["aws_lb_target_group"]).includes(group);
      const port = asNumber(listener.values.port);
      return forwards && listener.values.protocol === "TCP" && typeof port === "number" && TLS_PORTS.has(port);
    });
    const tlsTarget = typeof targetPort === "number" && TLS_PORTS.has(targetPort);
    if (!tlsListener && !tlsTarget) {
      return [];
    }
    const evidence = tlsListener ? `${tlsListener.address} passes TCP ${show(tlsListener.values.port)} (TLS) through to port ${show(targetPort)}` : `the targets listen on ${show(targetPort)}, a TLS port`;
    return [fail(`health_check.protocol = "HTTP" on the traffic port while ${evidence}: every target fails the check and the NLB fails open`)];
  },
};

/**
 * The mount the EFS CSI driver makes: no IAM identity (anonymous NFS client), over TLS, through one
 * of the file system's mount targets. A policy that refuses it refuses every pod's volume.
 */
export const CSI_DRIVER_MOUNT: Omit<PolicyRequest, "resource"> = {
  principal: "*",
  action: "elasticfilesystem:ClientMount",
  context: { "aws:SecureTransport": "true", "elasticfilesystem:AccessedViaMountTarget": "true" },
};

/** Whether a file system policy admits the CSI driver's mount, by IAM's evaluation (an explicit Deny wins). */
function allowsMount(statements: readonly PolicyStatement[]): boolean {
  // A file system policy governs only its own file system: every statement's resource is it.
  const own = statements.map((statement) => ({ ...statement, resources: ["*"] }));
  return decide(own, { ...CSI_DRIVER_MOUNT, resource: "*" }) === "allow";
}

export const efsPolicyAllowsMounts: Rule = {
  id: "efs-policy-allows-mounts",
  title: "EFS file system policies allow mounts",
  publicIds: [],
  guidance:
    "EFS file system policies (https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html): a file system policy replaces the default that allows every client; a policy without an Allow of elasticfilesystem:ClientMount refuses every mount",
  severity: "high",
  kind: "reliability",
  resourceTypes: ["aws_efs_file_system_policy"],
  fix: "Add an Allow of elasticfilesystem:ClientMount/ClientWrite (conditioned on elasticfilesystem:AccessedViaMountTarget = true, or to the CSI driver's role) next to the Deny of insecure transport.",
  check(policy, { input }) {
    const document = policyDocument(input, policy, "policy");
    if (!document) {
      return [cannotTell("the policy document is known only after apply")];
    }
    return allowsMount(document.statements) ? [] : [fail(`the policy (${document.origin}) does not allow the CSI driver's TLS mount through a mount target (elasticfilesystem:ClientMount): it replaces EFS's default allow, so every mount is refused`)];
  },
};

export const metricAlarmActions: Rule = {
  id: "metric-alarm-actions",
  title: "Metric alarms notify someone",
  publicIds: [],
  guidance: "CloudWatch PutMetricAlarm AlarmActions (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html): without actions an alarm changes state and tells no one",
  severity: "medium",
  kind: "reliability",
  resourceTypes: ["aws_cloudwatch_metric_alarm"],
  fix: "Set alarm_actions (and ok_actions) to the region's alert topic; an alarm that only gates automation is suppressed with that reason.",
  check(alarm) {
    const actions = asStrings(alarm.config.alarm_actions);
    if (isUnknown(actions)) {
      return [cannotTell("alarm_actions are known only after apply")];
    }
    const enabled = alarm.values.actions_enabled;
    if (enabled === false || enabled === "false") {
      return [fail("actions_enabled = false: the alarm notifies no one")];
    }
    return actions.length > 0 ? [] : [fail(`alarm_actions = ${show(alarm.config.alarm_actions)}: the alarm changes state and notifies no one`)];
  },
};

export const alarmTopicKeyAdmitsCloudWatch: Rule = {
  id: "alarm-topic-key-admits-cloudwatch",
  title: "An encrypted SNS topic that alarms publish to has a key CloudWatch may use",
  publicIds: [],
  guidance:
    "SNS encryption with AWS services (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services): the topic's customer key policy must allow cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey*, or CloudWatch's publishes are dropped",
  severity: "high",
  kind: "reliability",
  resourceTypes: ["aws_cloudwatch_metric_alarm"],
  fix: "Add a key policy statement: Allow Service cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey* on *, conditioned on aws:SourceAccount (and aws:SourceArn of the alarms).",
  check(alarm, { input }) {
    const outcomes: CheckOutcome[] = [];
    const topics = input.referencedResources(alarm, [alarm.config.alarm_actions, alarm.config.ok_actions, alarm.config.insufficient_data_actions], ["aws_sns_topic"]);
    for (const topic of new Set(topics)) {
      const key = input.referencedResources(topic, topic.config.kms_master_key_id, ["aws_kms_key"])[0];
      if (!key) {
        continue;
      }
      const document = policyDocument(input, key, "policy");
      if (!document) {
        outcomes.push(cannotTell(`the policy of ${key.address} is known only after apply`));
        continue;
      }
      const admits = (action: string) =>
        document.statements.some(
          (s) => s.effect === "Allow" && s.principals.some((p) => p.type === "Service" && p.identifiers.includes("cloudwatch.amazonaws.com")) && s.actions.some((a) => actionCovers(a, action)),
        );
      const missing = ["kms:Decrypt", "kms:GenerateDataKey"].filter((action) => !admits(action));
      if (missing.length > 0) {
        outcomes.push(fail(`${topic.address} is encrypted with ${key.address}, whose policy does not allow cloudwatch.amazonaws.com ${missing.join(" and ")}: the alarm's notifications are dropped`, key.address));
      }
    }
    return outcomes;
  },
};

export const s3BackendCustomerKey: Rule = {
  id: "s3-backend-customer-key",
  title: "The S3 state backend encrypts with the customer key",
  publicIds: [],
  guidance:
    "Terraform S3 backend (https://developer.hashicorp.com/terraform/language/backend/s3#kms_key_id): encrypt = true without kms_key_id sends SSE-S3 (AES256) on every state object, overriding the bucket's SSE-KMS default",
  severity: "high",
  kind: "security",
  resourceTypes: [BACKEND_RESOURCE_TYPE],
  fix: "Set kms_key_id in the backend to the state key (an alias ARN resolves in the home and the replica region).",
  check(backend) {
    if (backend.name !== "s3") {
      return [];
    }
    const encrypt = backend.values.encrypt;
    if (encrypt !== true && encrypt !== "true") {
      return [fail(`encrypt = ${show(encrypt)}: state objects are written without server-side encryption headers`)];
    }
    return isSet(backend.config.kms_key_id) ? [] : [fail("encrypt = true without kms_key_id: every state object is written with SSE-S3 (AES256), not the customer key")];
  },
};

export const rdsParameterGroupFamily: Rule = {
  id: "rds-parameter-group-family",
  title: "Parameter groups are of the engine version's family",
  publicIds: [],
  guidance:
    'RDS CreateDBCluster/ModifyDBCluster: "The parameter group ... with DBParameterGroupFamily ... cannot be used for this instance. Please use a Parameter Group with DBParameterGroupFamily ..." (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_WorkingWithParamGroups.html)',
  severity: "high",
  kind: "reliability",
  resourceTypes: ["aws_rds_cluster", "aws_rds_cluster_instance"],
  fix: "Derive the parameter groups' family from the engine version (aurora-postgresql<major>); a major upgrade needs new groups of the new family (allow_major_version_upgrade and db_instance_parameter_group_name).",
  check(resource, { input }) {
    const cluster = resource.type === "aws_rds_cluster" ? resource : input.referencedResources(resource, resource.config.cluster_identifier, ["aws_rds_cluster"])[0];
    const engine = cluster?.values.engine ?? resource.values.engine;
    const version = cluster?.values.engine_version ?? resource.values.engine_version;
    if (typeof engine !== "string" || typeof version !== "string") {
      return [];
    }
    const expected = parameterGroupFamilyOf(engine, version);
    const attribute = resource.type === "aws_rds_cluster" ? "db_cluster_parameter_group_name" : "db_parameter_group_name";
    const groupTypes = resource.type === "aws_rds_cluster" ? ["aws_rds_cluster_parameter_group"] : ["aws_db_parameter_group"];
    const group = input.referencedResources(resource, resource.config[attribute], groupTypes)[0];
    const family = group?.values.family;
    if (!expected || typeof family !== "string") {
      return [];
    }
    return family === expected ? [] : [fail(`${attribute} is ${group!.address} of family ${JSON.stringify(family)}, but engine ${engine} ${version} needs ${JSON.stringify(expected)}`, group!.address)];
  },
};

export const auroraManagedRpoSecondaries: Rule = {
  id: "aurora-managed-rpo-secondaries",
  title: "Managed RPO (rds.global_db_rpo) only with at least two secondary regions",
  publicIds: [],
  guidance:
    "Aurora PostgreSQL managed RPO (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html#aurora-global-database-manage-recovery): when no secondary is within the RPO the writer pauses commits; with a single secondary a reader-region outage stops every write",
  severity: "high",
  kind: "reliability",
  resourceTypes: ["aws_rds_cluster"],
  fix: "Leave rds.global_db_rpo unset with one secondary (alarm on AuroraGlobalDBRPOLag instead), or add a second secondary region.",
  check(cluster, { input }) {
    const group = input.referencedResources(cluster, cluster.config.db_cluster_parameter_group_name, ["aws_rds_cluster_parameter_group"])[0];
    const parameters = group ? blocks(group.values.parameter) : [];
    if (isUnknown(parameters) || !parameters.some((p) => p.name === "rds.global_db_rpo")) {
      return [];
    }
    const global = input.referencedResources(cluster, cluster.config.global_cluster_identifier, ["aws_rds_global_cluster"])[0];
    if (!global) {
      return [];
    }
    const members = input.allResourcesOf("aws_rds_cluster").filter((member) => input.referencedResources(member, member.config.global_cluster_identifier, ["aws_rds_global_cluster"]).includes(global));
    const secondaries = members.length - 1;
    return secondaries >= 2
      ? []
      : [fail(`rds.global_db_rpo is set (used by ${cluster.address}) while ${global.address} has ${secondaries} secondary cluster(s): an outage of that region pauses the writer's commits`, group!.address)];
  },
};

/** The primary member of a global cluster: the one that creates the database (master user, no source region). */
function isSecondaryMember(cluster: PolicyResource): boolean {
  return isSet(cluster.config.source_region) || (!isSet(cluster.config.master_username) && !isSet(cluster.config.snapshot_identifier));
}

export const fisWriterFailoverTargetsPrimary: Rule = {
  id: "fis-writer-failover-targets-primary",
  title: "FIS Aurora writer failover targets the primary cluster of a global database",
  publicIds: [],
  guidance:
    "FIS aws:rds:failover-db-cluster calls RDS FailoverDBCluster (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#rds-actions-reference): a secondary cluster of a global database has no writer to fail over, so the experiment errors",
  severity: "medium",
  kind: "reliability",
  resourceTypes: ["aws_fis_experiment_template"],
  fix: "Create the writer-failover template only in the region of the primary cluster (or use the global database's switchover through FailoverGlobalCluster).",
  check(template, { input }) {
    const actions = blocks(template.values.action);
    const targets = blocks(template.config.target);
    if (isUnknown(actions) || isUnknown(targets)) {
      return [];
    }
    const outcomes: CheckOutcome[] = [];
    for (const action of actions.filter((a) => a.action_id === "aws:rds:failover-db-cluster")) {
      const targetName = dig(action, "target", 0, "value");
      const target = targets.find((t) => t.name === targetName);
      const arns = asStrings(target?.resource_arns);
      if (isUnknown(arns)) {
        continue;
      }
      for (const arn of arns) {
        const identifier = /:cluster:([\w-]+)$/.exec(arn)?.[1];
        const cluster = input.allResourcesOf("aws_rds_cluster").find((c) => c.config.cluster_identifier === identifier);
        if (cluster && isSet(cluster.config.global_cluster_identifier) && isSecondaryMember(cluster)) {
          outcomes.push(fail(`action ${show(action.name)} fails over ${identifier}, a secondary cluster of a global database: the experiment errors when started`));
        }
      }
    }
    return outcomes;
  },
};

export const vpcPeeringAutoAccept: Rule = {
  id: "vpc-peering-auto-accept",
  title: "Cross-region or cross-account VPC peering is accepted by an accepter, not auto_accept",
  publicIds: [],
  guidance:
    'Provider aws_vpc_peering_connection: "peer_region cannot be set whilst auto_accept is true" (hashicorp/terraform-provider-aws#6706, #22746); EC2 accepts a cross-region request only in the accepter region',
  severity: "high",
  kind: "reliability",
  resourceTypes: ["aws_vpc_peering_connection"],
  fix: "Leave auto_accept unset and accept with aws_vpc_peering_connection_accepter in the peer's region/account.",
  check(peering) {
    const auto = peering.values.auto_accept;
    if (auto !== true && auto !== "true") {
      return [];
    }
    return isSet(peering.config.peer_region) || isSet(peering.config.peer_owner_id)
      ? [fail(`auto_accept = true with ${isSet(peering.config.peer_region) ? "peer_region" : "peer_owner_id"} set: only a same-account, same-region request can accept itself`)]
      : [];
  },
};

export const flowLogDelivery: Rule = {
  id: "flow-log-delivery",
  title: "Flow logs to CloudWatch Logs have a delivery role and a valid aggregation interval",
  publicIds: [],
  guidance: "EC2 CreateFlowLogs (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html): DeliverLogsPermissionArn is required for cloud-watch-logs; MaxAggregationInterval is 60 or 600",
  severity: "high",
  kind: "reliability",
  resourceTypes: ["aws_flow_log"],
  fix: "Set iam_role_arn to a role vpc-flow-logs.amazonaws.com can assume (logs:CreateLogStream, logs:PutLogEvents) and max_aggregation_interval to 60 or 600.",
  check(flowLog) {
    const outcomes: CheckOutcome[] = [];
    const type = flowLog.values.log_destination_type ?? "cloud-watch-logs";
    if (type === "cloud-watch-logs" && !isSet(flowLog.config.iam_role_arn)) {
      outcomes.push(fail("log_destination_type = cloud-watch-logs without iam_role_arn: CreateFlowLogs needs the delivery role"));
    }
    const interval = asNumber(flowLog.values.max_aggregation_interval);
    if (typeof interval === "number" && interval !== 60 && interval !== 600) {
      outcomes.push(fail(`max_aggregation_interval = ${interval}: only 60 or 600 are accepted`));
    }
    return outcomes;
  },
};

/** Types whose name is unique in the account/region, with the attribute that fixes it. */
const UNIQUE_NAMES = new Map(NAME_CONSTRAINTS.filter((c) => c.id !== "route53-record-name" && c.id !== "metric-alarm-name").flatMap((c) => c.resourceTypes.map((type) => [type, c.attribute] as const)));

export const fixedNameCreateBeforeDestroy: Rule = {
  id: "fixed-name-create-before-destroy",
  title: "Resources replaced create-before-destroy do not have a fixed unique name",
  publicIds: [],
  guidance:
    "Terraform lifecycle create_before_destroy (https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#create_before_destroy): the replacement is created while the old object still holds the name, so a type with unique names fails with \"already exists\"; use the name_prefix form",
  severity: "high",
  kind: "reliability",
  resourceTypes: [...UNIQUE_NAMES.keys()],
  fix: "Use the *_prefix form of the name (the provider appends a unique suffix), or drop create_before_destroy.",
  check(resource) {
    const attribute = UNIQUE_NAMES.get(resource.type)!;
    const lifecycle = resource.config.lifecycle;
    const createFirst = isObject(lifecycle) && (lifecycle.create_before_destroy === true || lifecycle.create_before_destroy === "true");
    return createFirst && isSet(resource.config[attribute])
      ? [fail(`lifecycle.create_before_destroy with a fixed ${attribute} = ${show(resource.config[attribute])}: a replacement is created under the name the old one still holds`)]
      : [];
  },
};

export const s3ReplicationAfterVersioning: Rule = {
  id: "s3-replication-after-versioning",
  title: "Bucket replication is configured after versioning is enabled on both buckets",
  publicIds: [],
  guidance:
    'S3 PutBucketReplication: "InvalidRequest: Versioning must be \'Enabled\' on the bucket to apply a replication configuration" (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html); the provider docs require depends_on the aws_s3_bucket_versioning resources',
  severity: "high",
  kind: "reliability",
  resourceTypes: ["aws_s3_bucket_replication_configuration"],
  fix: "Add depends_on = [the source and destination buckets' aws_s3_bucket_versioning] to the replication configuration.",
  check(replication, { input }) {
    const dependsOn = asStrings(replication.config.depends_on);
    const after = isUnknown(dependsOn) ? [] : dependsOn;
    const buckets = input.referencedResources(replication, [replication.config.bucket, replication.config.rule], ["aws_s3_bucket"]);
    const outcomes: CheckOutcome[] = [];
    for (const bucket of new Set(buckets)) {
      const versioning = input.referrers(bucket, "aws_s3_bucket_versioning", "bucket");
      if (versioning.length === 0) {
        continue;
      }
      if (!versioning.some((v) => after.includes(v.address))) {
        outcomes.push(fail(`depends_on does not include ${versioning[0]!.address}: Terraform may put the replication configuration before versioning of ${bucket.address} is enabled`));
      }
    }
    return outcomes;
  },
};

export const kmsKeyPolicyLockout: Rule = {
  id: "kms-key-policy-lockout",
  title: "KMS key policies leave someone able to change the key policy",
  publicIds: [],
  guidance:
    'KMS CreateKey/PutKeyPolicy: "MalformedPolicyDocumentException: The new key policy will not allow you to update the key policy in the future" (https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html, BypassPolicyLockoutSafetyCheck)',
  severity: "high",
  kind: "reliability",
  resourceTypes: ["aws_kms_key", "aws_kms_replica_key"],
  fix: "Allow kms:PutKeyPolicy (or kms:* ) to the account root or the key administrators' role; never rely on bypass_policy_lockout_safety_check.",
  check(key, { input }) {
    if (!isSet(key.config.policy)) {
      return [];
    }
    const document = policyDocument(input, key, "policy");
    if (!document) {
      return [cannotTell("the key policy is known only after apply")];
    }
    const canAdminister = document.statements.some((s) => s.effect === "Allow" && s.principals.some((p) => p.type === "AWS") && s.actions.some((a) => actionCovers(a, "kms:PutKeyPolicy")));
    return canAdminister ? [] : [fail(`the key policy (${document.origin}) allows no AWS principal kms:PutKeyPolicy: KMS refuses it unless the lockout check is bypassed, and then no one can change it`)];
  },
};

export const APPLY_TIME_RULES: readonly Rule[] = [
  eksNodeGroupLabels,
  eksNodeGroupVersion,
  eksNodeGroupLaunchTemplate,
  eksNodeGroupScaling,
  eksAccessEntryPrincipal,
  nlbHealthCheckMatchesTarget,
  efsPolicyAllowsMounts,
  metricAlarmActions,
  alarmTopicKeyAdmitsCloudWatch,
  s3BackendCustomerKey,
  rdsParameterGroupFamily,
  auroraManagedRpoSecondaries,
  fisWriterFailoverTargetsPrimary,
  vpcPeeringAutoAccept,
  flowLogDelivery,
  fixedNameCreateBeforeDestroy,
  s3ReplicationAfterVersioning,
  kmsKeyPolicyLockout,
];
