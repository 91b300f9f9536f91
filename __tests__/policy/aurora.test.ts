import {
  auroraGlobalClusterDeletionProtection,
  auroraGlobalClusterEncrypted,
  auroraInstancesSpread,
  auroraKeyInRegion,
  rdsClusterBackupRetention,
  rdsClusterDeletionProtection,
  rdsClusterEncrypted,
  rdsClusterIamAuthentication,
  rdsClusterLogExports,
  rdsClusterMasterPasswordNotStored,
  rdsClusterQueryLogging,
  rdsClusterSnapshots,
  rdsInstanceAutoMinorVersionUpgrade,
  rdsInstanceEnhancedMonitoring,
  rdsInstanceNotPublic,
  rdsInstancePerformanceInsights,
} from "../../src/policy/rules/aurora";
import { fixtureStack, messages, ref, remoteRef, remoteState, single, tweak, type FixtureStack, type Resources } from "./fixtures";

const GLOBAL = "production-global-database";
const PRIMARY_KEY_OUTPUT = "cross-stack-output-aws_kms_keydata-key_primary_keyarn";
const REPLICA_KEY_OUTPUT = "cross-stack-output-aws_kms_replica_keydata-key_replicaarn";

/** The global-database stack: the global cluster and a multi-Region key with its replica in eu-west-1. */
const globalStack = (cluster: Record<string, unknown> = {}) =>
  fixtureStack(
    GLOBAL,
    {
      aws_rds_global_cluster: { global: { global_cluster_identifier: "meridian-production", engine: "aurora-postgresql", storage_encrypted: true, deletion_protection: true, ...cluster } },
      aws_kms_key: { "data-key_primary_key": { multi_region: true, enable_key_rotation: true } },
      aws_kms_replica_key: { "data-key_replica": { provider: "aws.secondary", primary_key_arn: ref("aws_kms_key.data-key_primary_key", "arn") } },
    },
    {
      aliases: { secondary: "eu-west-1" },
      output: {
        [PRIMARY_KEY_OUTPUT]: { value: ref("aws_kms_key.data-key_primary_key", "arn") },
        [REPLICA_KEY_OUTPUT]: { value: ref("aws_kms_replica_key.data-key_replica", "arn") },
      },
    },
  );

const goodCluster = {
  cluster_identifier: "meridian-production-us-east-1",
  engine: "aurora-postgresql",
  engine_version: "16.6",
  storage_encrypted: true,
  kms_key_id: remoteRef(GLOBAL, PRIMARY_KEY_OUTPUT),
  deletion_protection: true,
  backup_retention_period: 14,
  iam_database_authentication_enabled: true,
  enabled_cloudwatch_logs_exports: ["postgresql"],
  db_cluster_parameter_group_name: ref("aws_rds_cluster_parameter_group.parameters", "name"),
  copy_tags_to_snapshot: true,
  skip_final_snapshot: false,
  final_snapshot_identifier: "final",
  master_username: "platform_admin",
  master_password_wo: "${ephemeral.aws_secretsmanager_secret_version.master.secret_string}",
};
const goodInstance = (zone: string) => ({
  cluster_identifier: ref("aws_rds_cluster.cluster"),
  engine: "aurora-postgresql",
  instance_class: "db.r7g.xlarge",
  availability_zone: zone,
  publicly_accessible: false,
  auto_minor_version_upgrade: true,
  monitoring_interval: 15,
  monitoring_role_arn: ref("aws_iam_role.monitoring", "arn"),
  performance_insights_enabled: true,
  performance_insights_kms_key_id: remoteRef(GLOBAL, PRIMARY_KEY_OUTPUT),
});
type Cluster = Record<string, unknown> & typeof goodCluster;
type Instance = Record<string, unknown> & ReturnType<typeof goodInstance>;

/** A regional member stack: cluster, instances and parameter group, reading the keys from the global-database stack. */
function member(options: { cluster?: (c: Cluster) => void; instances?: Instance[]; name?: string; region?: string; parameters?: unknown } = {}): FixtureStack {
  const resources: Resources = {
    aws_rds_cluster: { cluster: options.cluster ? tweak(goodCluster as Cluster, options.cluster) : goodCluster },
    aws_rds_cluster_instance: Object.fromEntries((options.instances ?? [goodInstance("us-east-1a"), goodInstance("us-east-1b")]).map((instance, i) => [`instance-${i + 1}`, instance])),
    aws_rds_cluster_parameter_group: {
      parameters: { name: "p", family: "aurora-postgresql16", parameter: options.parameters ?? [{ name: "log_min_duration_statement", value: "1000" }] },
    },
  };
  return fixtureStack(options.name ?? "production-regional-us-east-1", resources, { region: options.region ?? "us-east-1", data: { terraform_remote_state: remoteState(GLOBAL) } });
}
const instanceChanged = (change: (i: Instance) => void) => member({ instances: [tweak(goodInstance("us-east-1a") as Instance, change), goodInstance("us-east-1b")] });

describe("aurora-key-in-region", () => {
  test("flags a secondary cluster given the primary region's key (multi-Region key: use its replica)", () => {
    // GIVEN the eu-west-1 member reading the us-east-1 primary key across stacks
    const reader = member({ name: "production-regional-eu-west-1", region: "eu-west-1", cluster: (c) => Object.assign(c, { source_region: "us-east-1" }), instances: [tweak(goodInstance("eu-west-1a"), (i) => (i.performance_insights_kms_key_id = remoteRef(GLOBAL, REPLICA_KEY_OUTPUT)))] });
    // THEN the cluster's key is flagged, the instance (given the replica) is not
    expect(messages(auroraKeyInRegion, [globalStack(), reader])).toEqual([
      "aws_rds_cluster.cluster: kms_key_id = aws_kms_key.data-key_primary_key in production-global-database, a key in us-east-1, but the cluster is in eu-west-1: use the key's replica in that region",
    ]);
  });

  test("flags a literal key ARN of another region", () => {
    const stack = member({ cluster: (c) => (c.kms_key_id = "arn:aws:kms:us-west-2:123456789012:key/abc") });
    expect(messages(auroraKeyInRegion, [globalStack(), stack])).toEqual([expect.stringContaining("a key in us-west-2, but the cluster is in us-east-1: RDS accepts only keys of the cluster's own region")]);
  });

  test("passes each member with its own region's key (primary key in us-east-1, replica in eu-west-1)", () => {
    const reader = member({
      name: "production-regional-eu-west-1",
      region: "eu-west-1",
      cluster: (c) => Object.assign(c, { source_region: "us-east-1", kms_key_id: remoteRef(GLOBAL, REPLICA_KEY_OUTPUT) }),
      instances: [tweak(goodInstance("eu-west-1a"), (i) => (i.performance_insights_kms_key_id = remoteRef(GLOBAL, REPLICA_KEY_OUTPUT)))],
    });
    expect(messages(auroraKeyInRegion, [globalStack(), member(), reader])).toEqual([]);
  });
});

describe("aurora-global-cluster-encrypted", () => {
  test("flags a global cluster created without storage encryption", () => {
    expect(messages(auroraGlobalClusterEncrypted, globalStack({ storage_encrypted: undefined }))).toEqual([
      "aws_rds_global_cluster.global: storage_encrypted = not set (defaults to false): the global database's storage is not encrypted, and this cannot be changed without replacing it",
    ]);
  });

  test("passes an encrypted global cluster", () => {
    expect(messages(auroraGlobalClusterEncrypted, globalStack())).toEqual([]);
  });
});

describe("aurora-global-cluster-deletion-protection", () => {
  test("flags a global cluster without deletion protection", () => {
    expect(messages(auroraGlobalClusterDeletionProtection, globalStack({ deletion_protection: false }))).toEqual([
      "aws_rds_global_cluster.global: deletion_protection = false: an API call can delete the global database",
    ]);
  });

  test("passes a protected global cluster", () => {
    expect(messages(auroraGlobalClusterDeletionProtection, globalStack())).toEqual([]);
  });
});

describe("rds-cluster-encrypted", () => {
  test("flags an unencrypted cluster, and one encrypted with the AWS managed key", () => {
    expect(messages(rdsClusterEncrypted, [globalStack(), member({ cluster: (c) => (c.storage_encrypted = false) })])).toEqual([
      "aws_rds_cluster.cluster: storage_encrypted = false: the cluster's storage is not encrypted",
    ]);
    expect(messages(rdsClusterEncrypted, [globalStack(), member({ cluster: (c) => delete (c as Record<string, unknown>).kms_key_id })])).toEqual([
      "aws_rds_cluster.cluster: kms_key_id is not set: the AWS managed key is used, outside the account's key policy and rotation control",
    ]);
  });

  test("passes a cluster encrypted with the customer key", () => {
    expect(messages(rdsClusterEncrypted, [globalStack(), member()])).toEqual([]);
  });
});

describe("rds-cluster-deletion-protection", () => {
  test("flags a cluster without deletion protection", () => {
    expect(messages(rdsClusterDeletionProtection, member({ cluster: (c) => delete (c as Record<string, unknown>).deletion_protection }))).toEqual([
      "aws_rds_cluster.cluster: deletion_protection = not set (defaults to false): an API call can delete the cluster",
    ]);
  });

  test("passes a protected cluster", () => {
    expect(messages(rdsClusterDeletionProtection, member())).toEqual([]);
  });
});

describe("rds-cluster-backup-retention", () => {
  test("flags 3 days in production and the 1-day default anywhere", () => {
    expect(messages(rdsClusterBackupRetention, member({ cluster: (c) => (c.backup_retention_period = 3) }), ["production"])).toEqual([
      "aws_rds_cluster.cluster: backup_retention_period = 3: production needs >= 7 days",
    ]);
    const staging = member({ name: "staging-regional-us-east-1", cluster: (c) => delete (c as Record<string, unknown>).backup_retention_period });
    expect(messages(rdsClusterBackupRetention, staging, ["production"])).toEqual([
      "aws_rds_cluster.cluster: backup_retention_period = not set (defaults to 1): every environment needs >= 2 days",
    ]);
  });

  test("passes 14 days in production and 3 days outside production", () => {
    expect(messages(rdsClusterBackupRetention, member(), ["production"])).toEqual([]);
    const staging = member({ name: "staging-regional-us-east-1", cluster: (c) => (c.backup_retention_period = 3) });
    expect(messages(rdsClusterBackupRetention, staging, ["production"])).toEqual([]);
  });
});

describe("rds-cluster-iam-authentication", () => {
  test("flags a cluster without IAM authentication", () => {
    expect(messages(rdsClusterIamAuthentication, member({ cluster: (c) => (c.iam_database_authentication_enabled = false) }))).toHaveLength(1);
  });

  test("passes a cluster with IAM authentication", () => {
    expect(messages(rdsClusterIamAuthentication, member())).toEqual([]);
  });
});

describe("rds-cluster-log-exports", () => {
  test("flags a PostgreSQL cluster that does not export the postgresql log", () => {
    expect(messages(rdsClusterLogExports, member({ cluster: (c) => (c.enabled_cloudwatch_logs_exports = []) }))).toEqual([
      'aws_rds_cluster.cluster: enabled_cloudwatch_logs_exports = not set: the database log stays on the instances (needs "postgresql")',
    ]);
  });

  test("passes a cluster exporting the postgresql log", () => {
    expect(messages(rdsClusterLogExports, member())).toEqual([]);
  });
});

describe("rds-cluster-query-logging", () => {
  test("flags a cluster on the default parameter group, and a group with slow-statement logging off", () => {
    expect(messages(rdsClusterQueryLogging, member({ cluster: (c) => delete (c as Record<string, unknown>).db_cluster_parameter_group_name }))).toEqual([
      "aws_rds_cluster.cluster: db_cluster_parameter_group_name is not set: the default group does not set log_min_duration_statement",
    ]);
    expect(messages(rdsClusterQueryLogging, member({ parameters: [{ name: "log_min_duration_statement", value: "-1" }] }))).toEqual([
      'aws_rds_cluster.cluster: aws_rds_cluster_parameter_group.parameters sets log_min_duration_statement = "-1": slow-statement logging is off',
    ]);
    expect(messages(rdsClusterQueryLogging, member({ parameters: [{ name: "rds.force_ssl", value: "1" }] }))).toEqual([expect.stringContaining("does not set log_min_duration_statement")]);
  });

  test("passes a parameter group that logs statements slower than 1 s", () => {
    expect(messages(rdsClusterQueryLogging, member())).toEqual([]);
  });
});

describe("rds-cluster-snapshots", () => {
  test("flags a cluster that skips the final snapshot and does not copy tags", () => {
    expect(messages(rdsClusterSnapshots, member({ cluster: (c) => Object.assign(c, { skip_final_snapshot: true, copy_tags_to_snapshot: false }) }))).toEqual([
      "aws_rds_cluster.cluster: copy_tags_to_snapshot = false: snapshots lose the cluster's ownership and cost tags",
      "aws_rds_cluster.cluster: skip_final_snapshot = true: deleting the cluster leaves no snapshot",
    ]);
  });

  test("passes final snapshots with tags", () => {
    expect(messages(rdsClusterSnapshots, member())).toEqual([]);
  });
});

describe("rds-cluster-master-password-not-stored", () => {
  test("flags a literal master_password without printing it", () => {
    const found = messages(rdsClusterMasterPasswordNotStored, member({ cluster: (c) => Object.assign(c, { master_password: "s3cr3t-passw0rd", master_password_wo: undefined }) }));
    expect(found).toEqual(["aws_rds_cluster.cluster: master_password is set to a literal (value withheld): it is stored in the Terraform state and in the configuration"]);
    expect(found[0]).not.toContain("s3cr3t");
  });

  test("flags a master_password taken from another resource (it still lands in the state)", () => {
    expect(messages(rdsClusterMasterPasswordNotStored, member({ cluster: (c) => ((c as Record<string, unknown>).master_password = ref("random_password.db", "result")) }))).toEqual([
      "aws_rds_cluster.cluster: master_password is set (value withheld): it is stored in the Terraform state",
    ]);
  });

  test("passes the write-only password and a managed master password", () => {
    expect(messages(rdsClusterMasterPasswordNotStored, member())).toEqual([]);
    expect(messages(rdsClusterMasterPasswordNotStored, single("aws_rds_cluster", { manage_master_user_password: true }))).toEqual([]);
  });
});

describe("rds-instance-not-public", () => {
  test("flags a publicly accessible instance", () => {
    expect(messages(rdsInstanceNotPublic, instanceChanged((i) => (i.publicly_accessible = true)))).toEqual([
      "aws_rds_cluster_instance.instance-1: publicly_accessible = true: the instance gets a public address",
    ]);
  });

  test("passes private instances", () => {
    expect(messages(rdsInstanceNotPublic, member())).toEqual([]);
  });
});

describe("rds-instance-enhanced-monitoring", () => {
  test("flags monitoring off (0) and an interval RDS does not offer", () => {
    expect(messages(rdsInstanceEnhancedMonitoring, instanceChanged((i) => (i.monitoring_interval = 0)))).toEqual([
      "aws_rds_cluster_instance.instance-1: monitoring_interval = 0: enhanced monitoring is off (needs 1, 5, 10, 15, 30, 60)",
    ]);
    expect(messages(rdsInstanceEnhancedMonitoring, instanceChanged((i) => (i.monitoring_interval = 20)))).toHaveLength(1);
  });

  test("flags an interval without a monitoring role", () => {
    expect(messages(rdsInstanceEnhancedMonitoring, instanceChanged((i) => delete (i as Record<string, unknown>).monitoring_role_arn))).toEqual([
      "aws_rds_cluster_instance.instance-1: monitoring_role_arn is not set: RDS cannot publish enhanced monitoring",
    ]);
  });

  test("passes a 15 s interval with a role", () => {
    expect(messages(rdsInstanceEnhancedMonitoring, member())).toEqual([]);
  });
});

describe("rds-instance-performance-insights", () => {
  test("flags Performance Insights off, and on without a customer key", () => {
    expect(messages(rdsInstancePerformanceInsights, instanceChanged((i) => (i.performance_insights_enabled = false)))).toEqual([
      "aws_rds_cluster_instance.instance-1: performance_insights_enabled = false: query performance history is not collected",
    ]);
    expect(messages(rdsInstancePerformanceInsights, instanceChanged((i) => delete (i as Record<string, unknown>).performance_insights_kms_key_id))).toEqual([
      expect.stringContaining("performance_insights_kms_key_id is not set"),
    ]);
  });

  test("passes Performance Insights with the customer key", () => {
    expect(messages(rdsInstancePerformanceInsights, [globalStack(), member()])).toEqual([]);
  });
});

describe("rds-instance-auto-minor-version-upgrade", () => {
  test("flags auto_minor_version_upgrade = false", () => {
    expect(messages(rdsInstanceAutoMinorVersionUpgrade, instanceChanged((i) => (i.auto_minor_version_upgrade = false)))).toEqual([
      "aws_rds_cluster_instance.instance-1: auto_minor_version_upgrade = false: minor versions (security fixes) are applied only by hand",
    ]);
  });

  test("passes automatic minor upgrades (also the provider default)", () => {
    expect(messages(rdsInstanceAutoMinorVersionUpgrade, instanceChanged((i) => delete (i as Record<string, unknown>).auto_minor_version_upgrade))).toEqual([]);
  });
});

describe("aurora-instances-spread", () => {
  test("flags a primary cluster with one instance, and one with both instances in one AZ", () => {
    expect(messages(auroraInstancesSpread, member({ instances: [goodInstance("us-east-1a")] }))).toEqual([
      "aws_rds_cluster.cluster: 1 aws_rds_cluster_instance refer(s) to this primary cluster: it needs >= 2 in different AZs to fail over within the region",
    ]);
    expect(messages(auroraInstancesSpread, member({ instances: [goodInstance("us-east-1a"), goodInstance("us-east-1a")] }))).toEqual([
      "aws_rds_cluster.cluster: instances aws_rds_cluster_instance.instance-1, aws_rds_cluster_instance.instance-2 are all in us-east-1a: one AZ outage takes the whole cluster down",
    ]);
  });

  test("flags a secondary cluster without any instance", () => {
    const reader = member({ name: "production-regional-eu-west-1", region: "eu-west-1", cluster: (c) => Object.assign(c, { source_region: "us-east-1" }), instances: [] });
    expect(messages(auroraInstancesSpread, reader)).toEqual(["aws_rds_cluster.cluster: no aws_rds_cluster_instance refers to this secondary cluster: it cannot be promoted"]);
  });

  test("passes a primary with instances in two AZs and a secondary with one", () => {
    const reader = member({ name: "production-regional-eu-west-1", region: "eu-west-1", cluster: (c) => Object.assign(c, { source_region: "us-east-1" }), instances: [goodInstance("eu-west-1a")] });
    expect(messages(auroraInstancesSpread, [member(), reader])).toEqual([]);
  });
});
