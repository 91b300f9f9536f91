import { RDS_MONITORING_INTERVALS } from "@meridian/constructs";
import type { PolicyInput, PolicyResource } from "../policy-input";
import { cannotTell, fail, inProduction, type CheckOutcome, type Rule } from "../rule";
import { asBoolean, asNumber, asStrings, blocks, isSet, isUnknown, show } from "../terraform-values";
import { keyReference, type KeyReference } from "./key-references";

const isPostgres = (cluster: PolicyResource) => typeof cluster.values.engine === "string" && cluster.values.engine.includes("postgres");

/** A boolean attribute that must be `expected`; `fallback` is the provider's default when unset. */
function expectBoolean(resource: PolicyResource, attribute: string, expected: boolean, fallback: boolean, why: string): CheckOutcome[] {
  const value = asBoolean(resource.values[attribute]);
  if (isUnknown(value)) {
    return [cannotTell(`${attribute} is known only after apply`)];
  }
  return (value ?? fallback) === expected ? [] : [fail(`${attribute} = ${show(resource.values[attribute])}${value === undefined ? ` (defaults to ${fallback})` : ""}: ${why}`)];
}

/** The key an attribute names, judged as "customer-managed" or not. */
function customerKeyOutcome(key: KeyReference, attribute: string): CheckOutcome[] {
  switch (key.kind) {
    case "missing":
      return [fail(`${attribute} is not set: the AWS managed key is used, outside the account's key policy and rotation control`)];
    case "aws-managed":
      return [fail(`${attribute} = "${key.value}": an AWS managed key, not a customer-managed one`)];
    case "unknown":
      return [cannotTell(`${attribute} is known only after apply`)];
    default:
      return [];
  }
}

export const auroraKeyInRegion: Rule = {
  id: "aurora-key-in-region",
  title: "Each regional Aurora cluster uses a KMS key of its own region",
  publicIds: [],
  guidance: "RDS API: a cluster's storage and Performance Insights keys must be in the cluster's region (multi-Region key + replica, or one key per region)",
  severity: "high",
  kind: "reliability",
  resourceTypes: ["aws_rds_cluster", "aws_rds_cluster_instance"],
  fix: "Give each regional member the key of its own region: the multi-Region key's replica in the secondary region (or a key created there).",
  check(resource, { input }) {
    const attribute = resource.type === "aws_rds_cluster" ? "kms_key_id" : "performance_insights_kms_key_id";
    const region = input.regionOf(resource);
    const key = keyReference(input, resource, resource.values[attribute], resource.config[attribute]);
    if (key.kind !== "customer" || !region) {
      return [];
    }
    if (!key.region) {
      return [cannotTell(`${attribute}: the region of ${key.description} is not in the configuration`)];
    }
    if (key.region === region) {
      return [];
    }
    const multiRegion = key.key?.type === "aws_kms_key" && asBoolean(key.key.values.multi_region) === true;
    return [
      fail(`${attribute} = ${key.description}, a key in ${key.region}, but the ${resource.type === "aws_rds_cluster" ? "cluster" : "instance"} is in ${region}${multiRegion ? ": use the key's replica in that region" : ": RDS accepts only keys of the cluster's own region"}`),
    ];
  },
};

export const auroraGlobalClusterEncrypted: Rule = {
  id: "aurora-global-cluster-encrypted",
  title: "Aurora global clusters are created encrypted",
  publicIds: ["CKV_AWS_140"],
  severity: "high",
  kind: "security",
  resourceTypes: ["aws_rds_global_cluster"],
  fix: "Set storage_encrypted = true when creating the global cluster (changing it later replaces the cluster).",
  check(global) {
    // A global cluster created from an existing cluster inherits that cluster's encryption.
    if (isSet(global.values.source_db_cluster_identifier)) {
      return [];
    }
    return expectBoolean(global, "storage_encrypted", true, false, "the global database's storage is not encrypted, and this cannot be changed without replacing it");
  },
};

export const auroraGlobalClusterDeletionProtection: Rule = {
  id: "aurora-global-cluster-deletion-protection",
  title: "Aurora global clusters refuse deletion",
  publicIds: [],
  guidance: "No scanner checks aws_rds_global_cluster.deletion_protection; the platform requires it",
  severity: "medium",
  kind: "reliability",
  resourceTypes: ["aws_rds_global_cluster"],
  fix: "Set deletion_protection = true.",
  check(global) {
    return expectBoolean(global, "deletion_protection", true, false, "an API call can delete the global database");
  },
};

export const rdsClusterEncrypted: Rule = {
  id: "rds-cluster-encrypted",
  title: "Aurora clusters encrypt storage with a customer-managed KMS key",
  publicIds: ["CKV_AWS_96", "CKV_AWS_327", "AVD-AWS-0079", "AwsSolutions-RDS2"],
  severity: "high",
  kind: "security",
  resourceTypes: ["aws_rds_cluster"],
  fix: "Set storage_encrypted = true and kms_key_id = the region's customer-managed key.",
  check(cluster, { input }) {
    const encrypted = expectBoolean(cluster, "storage_encrypted", true, false, "the cluster's storage is not encrypted");
    if (encrypted.length > 0) {
      return encrypted;
    }
    return customerKeyOutcome(keyReference(input, cluster, cluster.values.kms_key_id, cluster.config.kms_key_id), "kms_key_id");
  },
};

export const rdsClusterDeletionProtection: Rule = {
  id: "rds-cluster-deletion-protection",
  title: "Aurora clusters refuse deletion",
  publicIds: ["CKV_AWS_139", "AVD-AWS-0343", "AwsSolutions-RDS10"],
  severity: "medium",
  kind: "reliability",
  resourceTypes: ["aws_rds_cluster"],
  fix: "Set deletion_protection = true.",
  check(cluster) {
    return expectBoolean(cluster, "deletion_protection", true, false, "an API call can delete the cluster");
  },
};

export const rdsClusterBackupRetention: Rule = {
  id: "rds-cluster-backup-retention",
  title: "Aurora clusters keep backups >= 7 days in production, >= 2 elsewhere",
  publicIds: ["CKV_AWS_133", "AVD-AWS-0077"],
  severity: "medium",
  kind: "reliability",
  resourceTypes: ["aws_rds_cluster"],
  fix: "Set backup_retention_period to at least 7 (production) or 2 (other environments).",
  check(cluster, context) {
    const days = asNumber(cluster.values.backup_retention_period);
    if (isUnknown(days)) {
      return [cannotTell("backup_retention_period is known only after apply")];
    }
    const production = inProduction(cluster, context);
    const minimum = production ? 7 : 2;
    const effective = days ?? 1;
    return effective >= minimum
      ? []
      : [fail(`backup_retention_period = ${show(days)}${days === undefined ? " (defaults to 1)" : ""}: ${production ? "production" : "every environment"} needs >= ${minimum} days`)];
  },
};

export const rdsClusterIamAuthentication: Rule = {
  id: "rds-cluster-iam-authentication",
  title: "Aurora clusters accept IAM database authentication",
  publicIds: ["CKV_AWS_162", "AVD-AWS-0176", "AwsSolutions-RDS6"],
  severity: "medium",
  kind: "security",
  resourceTypes: ["aws_rds_cluster"],
  fix: "Set iam_database_authentication_enabled = true so workloads use short-lived IAM tokens instead of stored passwords.",
  check(cluster) {
    return expectBoolean(cluster, "iam_database_authentication_enabled", true, false, "clients can only use long-lived passwords");
  },
};

export const rdsClusterLogExports: Rule = {
  id: "rds-cluster-log-exports",
  title: "Aurora clusters export their database log to CloudWatch",
  publicIds: ["CKV_AWS_324"],
  severity: "low",
  kind: "security",
  resourceTypes: ["aws_rds_cluster"],
  fix: 'Set enabled_cloudwatch_logs_exports = ["postgresql"] (Aurora PostgreSQL) or the engine\'s audit/error logs.',
  check(cluster) {
    const exports = asStrings(cluster.values.enabled_cloudwatch_logs_exports);
    if (isUnknown(exports)) {
      return [cannotTell("enabled_cloudwatch_logs_exports is known only after apply")];
    }
    const needed = isPostgres(cluster) ? "postgresql" : undefined;
    const ok = needed ? exports.includes(needed) : exports.length > 0;
    return ok ? [] : [fail(`enabled_cloudwatch_logs_exports = ${show(exports.length ? exports : undefined)}: the database log stays on the instances${needed ? ` (needs "${needed}")` : ""}`)];
  },
};

export const rdsClusterQueryLogging: Rule = {
  id: "rds-cluster-query-logging",
  title: "Aurora PostgreSQL cluster parameter groups log slow statements",
  publicIds: ["CKV2_AWS_27"],
  severity: "low",
  kind: "security",
  resourceTypes: ["aws_rds_cluster"],
  fix: "Use a cluster parameter group (aws_rds_cluster_parameter_group) that sets log_min_duration_statement to a threshold in ms (not -1).",
  check(cluster, { input }) {
    if (!isPostgres(cluster)) {
      return [];
    }
    const configured = cluster.config.db_cluster_parameter_group_name;
    if (!isSet(configured) && !isSet(cluster.values.db_cluster_parameter_group_name)) {
      return [fail("db_cluster_parameter_group_name is not set: the default group does not set log_min_duration_statement")];
    }
    const group =
      input.referencedResources(cluster, configured, ["aws_rds_cluster_parameter_group"])[0] ??
      input.resourcesOf(cluster.stack, "aws_rds_cluster_parameter_group").find((g) => typeof g.values.name === "string" && g.values.name === cluster.values.db_cluster_parameter_group_name);
    if (!group) {
      return [cannotTell(`db_cluster_parameter_group_name = ${show(cluster.values.db_cluster_parameter_group_name)}: the group is not in the configuration`)];
    }
    const parameters = blocks(group.values.parameter);
    if (isUnknown(parameters)) {
      return [cannotTell(`${group.address}.parameter is known only after apply`)];
    }
    const setting = parameters.find((p) => p.name === "log_min_duration_statement");
    if (!setting) {
      return [fail(`${group.address} does not set log_min_duration_statement: slow statements are never logged`)];
    }
    return String(setting.value) === "-1" ? [fail(`${group.address} sets log_min_duration_statement = "-1": slow-statement logging is off`)] : [];
  },
};

export const rdsClusterSnapshots: Rule = {
  id: "rds-cluster-snapshots",
  title: "Aurora clusters copy tags to snapshots and take a final snapshot",
  publicIds: ["CKV_AWS_313"],
  severity: "low",
  kind: "reliability",
  resourceTypes: ["aws_rds_cluster"],
  fix: "Set copy_tags_to_snapshot = true and skip_final_snapshot = false with a final_snapshot_identifier.",
  check(cluster) {
    return [
      ...expectBoolean(cluster, "copy_tags_to_snapshot", true, false, "snapshots lose the cluster's ownership and cost tags"),
      ...expectBoolean(cluster, "skip_final_snapshot", false, false, "deleting the cluster leaves no snapshot"),
    ];
  },
};

export const rdsClusterMasterPasswordNotStored: Rule = {
  id: "rds-cluster-master-password-not-stored",
  title: "The master password is never in the configuration or the state",
  publicIds: [],
  guidance: "CKV_AWS_46 family (hard-coded secrets): use manage_master_user_password or the write-only master_password_wo",
  severity: "high",
  kind: "security",
  resourceTypes: ["aws_rds_cluster"],
  fix: "Use manage_master_user_password = true (RDS keeps it in Secrets Manager) or master_password_wo from an ephemeral secret; remove master_password.",
  check(cluster) {
    if (!isSet(cluster.values.master_password) && !isSet(cluster.config.master_password)) {
      return [];
    }
    const literal = typeof cluster.config.master_password === "string" && !cluster.config.master_password.includes("${");
    return [fail(`master_password is set${literal ? " to a literal" : ""} (value withheld): it is stored in the Terraform state${literal ? " and in the configuration" : ""}`)];
  },
};

export const rdsInstanceNotPublic: Rule = {
  id: "rds-instance-not-public",
  title: "Aurora instances are not publicly accessible",
  publicIds: ["CKV_AWS_17", "AVD-AWS-0180"],
  severity: "high",
  kind: "security",
  resourceTypes: ["aws_rds_cluster_instance"],
  fix: "Set publicly_accessible = false.",
  check(instance) {
    return expectBoolean(instance, "publicly_accessible", false, false, "the instance gets a public address");
  },
};

export const rdsInstanceEnhancedMonitoring: Rule = {
  id: "rds-instance-enhanced-monitoring",
  title: "Aurora instances have enhanced monitoring",
  publicIds: ["CKV_AWS_118"],
  severity: "low",
  kind: "reliability",
  resourceTypes: ["aws_rds_cluster_instance"],
  fix: `Set monitoring_interval to one of ${RDS_MONITORING_INTERVALS.join(", ")} seconds and monitoring_role_arn to a role RDS can assume.`,
  check(instance) {
    const interval = asNumber(instance.values.monitoring_interval);
    if (isUnknown(interval)) {
      return [cannotTell("monitoring_interval is known only after apply")];
    }
    if (interval === undefined || !(RDS_MONITORING_INTERVALS as readonly number[]).includes(interval)) {
      return [fail(`monitoring_interval = ${show(instance.values.monitoring_interval)}: enhanced monitoring is off (needs ${RDS_MONITORING_INTERVALS.join(", ")})`)];
    }
    return isSet(instance.values.monitoring_role_arn) || isSet(instance.config.monitoring_role_arn) ? [] : [fail("monitoring_role_arn is not set: RDS cannot publish enhanced monitoring")];
  },
};

export const rdsInstancePerformanceInsights: Rule = {
  id: "rds-instance-performance-insights",
  title: "Aurora instances have Performance Insights, encrypted with a customer-managed key",
  publicIds: ["CKV_AWS_353", "CKV_AWS_354", "AVD-AWS-0133", "AVD-AWS-0078"],
  severity: "low",
  kind: "security",
  resourceTypes: ["aws_rds_cluster_instance"],
  fix: "Set performance_insights_enabled = true and performance_insights_kms_key_id = the region's customer-managed key.",
  check(instance, { input }) {
    const enabled = expectBoolean(instance, "performance_insights_enabled", true, false, "query performance history is not collected");
    if (enabled.length > 0) {
      return enabled;
    }
    const key = keyReference(input, instance, instance.values.performance_insights_kms_key_id, instance.config.performance_insights_kms_key_id);
    return customerKeyOutcome(key, "performance_insights_kms_key_id");
  },
};

export const rdsInstanceAutoMinorVersionUpgrade: Rule = {
  id: "rds-instance-auto-minor-version-upgrade",
  title: "Aurora instances take minor version upgrades automatically",
  publicIds: ["CKV_AWS_226"],
  severity: "low",
  kind: "reliability",
  resourceTypes: ["aws_rds_cluster_instance"],
  fix: "Set auto_minor_version_upgrade = true; members of a global database keep it false (suppress CKV_AWS_226 there: failover needs identical engine versions).",
  check(instance) {
    return expectBoolean(instance, "auto_minor_version_upgrade", true, true, "minor versions (security fixes) are applied only by hand");
  },
};

export const auroraInstancesSpread: Rule = {
  id: "aurora-instances-spread",
  title: "The primary Aurora cluster has >= 2 instances in different AZs; each secondary has >= 1",
  publicIds: [],
  guidance: "Aurora high-availability guidance: a reader in another AZ to fail over to; a promotable instance in every secondary region",
  severity: "high",
  kind: "reliability",
  resourceTypes: ["aws_rds_cluster"],
  fix: "Create at least two aws_rds_cluster_instance in different availability_zone values for the primary cluster, and at least one in each secondary.",
  check(cluster, { input }) {
    const instances = instancesOf(input, cluster);
    const secondary = isSet(cluster.values.replication_source_identifier) || isSet(cluster.config.source_region) || isSet(cluster.values.source_region);
    if (secondary) {
      return instances.length >= 1 ? [] : [fail("no aws_rds_cluster_instance refers to this secondary cluster: it cannot be promoted")];
    }
    if (instances.length < 2) {
      return [fail(`${instances.length} aws_rds_cluster_instance refer(s) to this primary cluster: it needs >= 2 in different AZs to fail over within the region`)];
    }
    const zones = instances.map((i) => i.values.availability_zone);
    if (zones.some((zone) => typeof zone !== "string")) {
      return [cannotTell("availability_zone of some instances is not configured: RDS chooses it")];
    }
    const distinct = new Set(zones as string[]);
    return distinct.size >= 2 ? [] : [fail(`instances ${instances.map((i) => i.address).join(", ")} are all in ${[...distinct].join(", ")}: one AZ outage takes the whole cluster down`)];
  },
};

function instancesOf(input: PolicyInput, cluster: PolicyResource): PolicyResource[] {
  return input.resourcesOf(cluster.stack, "aws_rds_cluster_instance").filter((instance) => {
    if (input.referencedResources(instance, instance.config.cluster_identifier, ["aws_rds_cluster"]).includes(cluster)) {
      return true;
    }
    const id = instance.values.cluster_identifier;
    return typeof id === "string" && id === cluster.values.cluster_identifier;
  });
}

export const AURORA_RULES: readonly Rule[] = [
  auroraKeyInRegion,
  auroraGlobalClusterEncrypted,
  auroraGlobalClusterDeletionProtection,
  rdsClusterEncrypted,
  rdsClusterDeletionProtection,
  rdsClusterBackupRetention,
  rdsClusterIamAuthentication,
  rdsClusterLogExports,
  rdsClusterQueryLogging,
  rdsClusterSnapshots,
  rdsClusterMasterPasswordNotStored,
  rdsInstanceNotPublic,
  rdsInstanceEnhancedMonitoring,
  rdsInstancePerformanceInsights,
  rdsInstanceAutoMinorVersionUpgrade,
  auroraInstancesSpread,
];
