import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack, Testing, type App } from "cdktf";
import { emptyStack, onlyDataOf, onlyResourceOf, resourcesOf, synthJson, type Block, type SynthesizedJson } from "../../../test-support/fixture";
import {
  AuroraGlobalDatabase,
  AuroraRegionalMember,
  MEMBER_IGNORED_CHANGES,
  MasterCredentials,
  auroraClusterIdentifierProblem,
  auroraPostgresqlVersionProblem,
  backupAndMaintenanceWindowsOverlap,
  globalDatabaseTopologyProblems,
  masterUsernameProblem,
  parameterGroupFamily,
  parameterGroupFamilyOf,
  readerCanCarryWriter,
  type AuroraGlobalDatabaseProps,
  type AuroraRegionalMemberProps,
  type GlobalDatabaseMember,
  type IAuroraGlobalDatabase,
  type MasterCredentialsProps,
} from "..";
import { AuroraGlobalExample, AuroraJoiningMemberExample } from "./usage";

const stack = () => emptyStack();
const only = onlyResourceOf;

// ---------- AuroraGlobalDatabase ----------

const GLOBAL: AuroraGlobalDatabaseProps = { globalClusterIdentifier: "test-global", engineVersion: "16.6", databaseName: "app" };

/** GIVEN a stack WHEN the global database is built with `props` THEN the stack's JSON and the construct. */
function synthGlobal(props: Partial<AuroraGlobalDatabaseProps> = {}, scope: TerraformStack = stack()) {
  const database = new AuroraGlobalDatabase(scope, "global", { ...GLOBAL, ...props });
  new TerraformOutput(scope, "identifier", { value: database.identifier });
  return { json: synthJson(scope), database };
}

describe("AuroraGlobalDatabase", () => {
  test("with the required props: an encrypted, deletion-protected Aurora PostgreSQL global cluster at that version", () => {
    const { json, database } = synthGlobal();
    expect(only(json, "aws_rds_global_cluster")).toMatchObject({
      global_cluster_identifier: "test-global",
      engine: "aurora-postgresql",
      engine_version: "16.6",
      database_name: "app",
      storage_encrypted: true,
      deletion_protection: true,
    });
    expect(database.engineVersion).toBe("16.6");
    expect(database.members).toEqual([]);
  });

  test("identifier is the global cluster's id", () => {
    const { json, database } = synthGlobal();
    expect(json.output!.identifier!.value).toBe(`\${aws_rds_global_cluster.${database.globalCluster.friendlyUniqueId}.id}`);
  });

  test("deletionProtection false lets the global cluster be deleted", () => {
    expect(only(synthGlobal({ deletionProtection: false }).json, "aws_rds_global_cluster").deletion_protection).toBe(false);
  });

  test("provider places the global cluster with that provider", () => {
    const scope = stack();
    const home = new AwsProvider(scope, "home", { region: "eu-west-1", alias: "home" });
    expect(only(synthGlobal({ provider: home }, scope).json, "aws_rds_global_cluster").provider).toBe("aws.home");
  });

  test.each<[string, Partial<AuroraGlobalDatabaseProps>, string]>([
    ["an identifier with an underscore", { globalClusterIdentifier: "bad_id" }, 'AuroraGlobalDatabase "bad_id": globalClusterIdentifier = "bad_id" must be 1-63 letters, digits or hyphens'],
    ["an identifier ending with a hyphen", { globalClusterIdentifier: "bad-" }, 'globalClusterIdentifier = "bad-" must be 1-63 letters'],
    ["an engine version without minor", { engineVersion: "16" }, 'AuroraGlobalDatabase "test-global": engineVersion = "16" must be an Aurora PostgreSQL version such as 16.6'],
    ["an unsupported major version", { engineVersion: "13.9" }, 'engineVersion = "13.9" unsupported major version; supported: 15, 16, 17'],
    ["a database name PostgreSQL would fold", { databaseName: "App" }, 'databaseName = "App" must be a PostgreSQL identifier'],
  ])("refuses %s", (_when, props, message) => {
    expect(() => synthGlobal(props)).toThrow(message);
  });
});

// ---------- AuroraRegionalMember ----------

function memberProps(overrides: Partial<AuroraRegionalMemberProps> = {}, scope = stack()): [TerraformStack, AuroraRegionalMemberProps] {
  const globalCluster = new AuroraGlobalDatabase(scope, "global", GLOBAL);
  return [
    scope,
    {
      clusterIdentifier: "test-us-east-1",
      region: "us-east-1",
      role: "writer",
      writerRegion: "us-east-1",
      globalCluster,
      engineVersion: "16.6",
      instanceClass: "db.r7g.large",
      instanceCount: 2,
      availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
      vpcId: "vpc-1",
      subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
      clientSecurityGroupIds: ["sg-eks"],
      kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/mrk-1",
      writer: { databaseName: "app", masterUsername: "admin_user", masterSecretName: "test/master", masterPasswordVersion: 1 },
      backupRetentionDays: 7,
      backupWindow: "03:00-04:00",
      maintenanceWindow: "sun:05:00-sun:06:00",
      parameters: { logMinDurationStatementMs: 500 },
      monitoringIntervalSeconds: 60,
      partition: "aws",
      accountId: "123456789012",
      ...overrides,
    },
  ];
}

const READER: Partial<AuroraRegionalMemberProps> = {
  role: "reader",
  region: "eu-west-1",
  writerRegion: "us-east-1",
  writer: undefined,
  clusterIdentifier: "test-eu-west-1",
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
};

const member = (overrides: Partial<AuroraRegionalMemberProps>) => () => {
  const [scope, props] = memberProps(overrides);
  return new AuroraRegionalMember(scope, "member", props);
};

/** GIVEN a stack with a global database WHEN a member is built with `overrides` THEN the stack's JSON. */
function synthMember(overrides: Partial<AuroraRegionalMemberProps> = {}): { json: SynthesizedJson; member: AuroraRegionalMember } {
  const [scope, props] = memberProps(overrides);
  const built = new AuroraRegionalMember(scope, "member", props);
  return { json: synthJson(scope), member: built };
}

const clusterOf = (json: SynthesizedJson) => only(json, "aws_rds_cluster");
const parameterNames = (json: SynthesizedJson) => (only(json, "aws_rds_cluster_parameter_group").parameter as { name: string }[]).map((p) => p.name);

describe("AuroraRegionalMember", () => {
  test.each<[string, Partial<AuroraRegionalMemberProps>, RegExp]>([
    ["the writer has no writer settings", { writer: undefined }, /AuroraRegionalMember "test-us-east-1": writer = undefined is required for the writer member/],
    ["the writer has a single instance", { instanceCount: 1 }, /instanceCount = 1 must be 2-16/],
    ["a member has more instances than a cluster holds", { instanceCount: 17 }, /instanceCount = 17 must be 2-16/],
    ["a reader has no instance", { ...READER, instanceCount: 0 }, /instanceCount = 0 must be 1-16/],
    ["a reader replicates from its own region", { role: "reader", writerRegion: "us-east-1" }, /writerRegion = "us-east-1" must be another region/],
    ["the engine version differs from the global cluster's", { engineVersion: "16.8" }, /engineVersion = "16.8" must equal the global cluster's version 16.6/],
    ["the instance class is burstable", { instanceClass: "db.t4g.medium" }, /instanceClass = "db.t4g.medium" must be a memory-optimized Aurora class/],
    ["the instance class is serverless", { instanceClass: "db.serverless" }, /instanceClass = "db.serverless" must be a memory-optimized Aurora class .*serverless/],
    ["there is one subnet", { subnetIds: ["subnet-a"], availabilityZones: ["us-east-1a"] }, /subnetIds.length = 1 must be one subnet per availability zone/],
    ["no client may connect", { clientSecurityGroupIds: [] }, /clientSecurityGroupIds = \[\] must name at least one client security group/],
    ["backups are kept one day", { backupRetentionDays: 1 }, /backupRetentionDays = 1 must be 2-35/],
    ["the backup window is malformed", { backupWindow: "7:00-8:00" }, /backupWindow = "7:00-8:00" must be a UTC window such as 03:00-04:00/],
    ["the maintenance window is malformed", { maintenanceWindow: "tuesday:09:00-tuesday:10:00" }, /maintenanceWindow = "tuesday:09:00-tuesday:10:00" must be a UTC window such as sun:05:00-sun:06:00/],
    ["the maintenance window overlaps the backup window", { backupWindow: "07:00-08:00", maintenanceWindow: "tue:07:30-tue:08:30" }, /maintenanceWindow = "tue:07:30-tue:08:30" overlaps the daily backup window 07:00-08:00/],
    ["the monitoring interval is not one RDS offers", { monitoringIntervalSeconds: 7 }, /monitoringIntervalSeconds = 7 must be one of 1, 5, 10, 15, 30, 60/],
    ["the Performance Insights retention is not a period RDS offers", { performanceInsightsRetentionDays: 30 }, /performanceInsightsRetentionDays = 30 must be 7, a multiple of 31 up to 713, or 731/],
    ["the log retention is not a CloudWatch period", { logRetentionDays: 10 }, /logRetentionDays = 10 is not a CloudWatch retention period/],
    ["the identifier has upper case", { clusterIdentifier: "Test-1" }, /AuroraRegionalMember "Test-1": clusterIdentifier = "Test-1" must be 1-63 lower-case letters/],
    ["the identifier has two hyphens in a row", { clusterIdentifier: "test--1" }, /clusterIdentifier = "test--1" must be 1-63 lower-case letters, digits or single hyphens/],
    ["slow statements are logged below -1 ms", { parameters: { logMinDurationStatementMs: -2 } }, /parameters.logMinDurationStatementMs = -2 must be an integer >= -1/],
    ["the managed RPO is below 20 s", { parameters: { logMinDurationStatementMs: 500, globalDbRpoSeconds: 10 } }, /parameters.globalDbRpoSeconds = 10 must be 20..2147483647 seconds/],
    [
      "the master user is reserved",
      { writer: { databaseName: "app", masterUsername: "rdsadmin", masterSecretName: "test/master", masterPasswordVersion: 1 } },
      /writer.masterUsername = "rdsadmin" is reserved by RDS or PostgreSQL/,
    ],
    [
      "the writer's database name is not an identifier",
      { writer: { databaseName: "1app", masterUsername: "admin_user", masterSecretName: "test/master", masterPasswordVersion: 1 } },
      /writer.databaseName = "1app" must be a PostgreSQL identifier/,
    ],
    [
      "the password version is 0",
      { writer: { databaseName: "app", masterUsername: "admin_user", masterSecretName: "test/master", masterPasswordVersion: 0 } },
      /writer.masterPasswordVersion = 0 must be an integer >= 1/,
    ],
  ])("refuses a member when %s", (_when, overrides, message) => {
    expect(member(overrides)).toThrow(message);
  });

  test("with the required props, a writer: an encrypted, protected, IAM-authenticated cluster that creates the database", () => {
    const { json } = synthMember();
    expect(clusterOf(json)).toMatchObject({
      cluster_identifier: "test-us-east-1",
      engine: "aurora-postgresql",
      engine_version: "16.6",
      engine_mode: "provisioned",
      storage_encrypted: true,
      kms_key_id: "arn:aws:kms:us-east-1:123456789012:key/mrk-1",
      iam_database_authentication_enabled: true,
      enabled_cloudwatch_logs_exports: ["postgresql"],
      backup_retention_period: 7,
      preferred_backup_window: "03:00-04:00",
      preferred_maintenance_window: "sun:05:00-sun:06:00",
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "test-us-east-1-final",
      enable_global_write_forwarding: false,
      database_name: "app",
      master_username: "admin_user",
      master_password_wo_version: 1,
      port: 5432,
    });
    expect(clusterOf(json).global_cluster_identifier).toMatch(/^\$\{aws_rds_global_cluster\.[\w-]+\.id\}$/);
    expect(clusterOf(json).source_region).toBeUndefined();
    expect(clusterOf(json).master_password).toBeUndefined();
    expect(clusterOf(json).master_password_wo).toMatch(/ephemeral\.aws_secretsmanager_secret_version\.[\w-]+\.secret_string/);
    expect(Object.values(json.ephemeral!.aws_secretsmanager_secret_version!)).toEqual([{ secret_id: "test/master" }]);
    expect((clusterOf(json).lifecycle as { ignore_changes: string[] }).ignore_changes).toEqual([...MEMBER_IGNORED_CHANGES]);
  });

  test("a reader needs no writer settings and sets source_region", () => {
    // GIVEN a reader member in eu-west-1 WHEN it is synthesized
    const cluster = clusterOf(synthMember(READER).json);
    // THEN it replicates from the writer's region and asks for no credentials
    expect(cluster.source_region).toBe("us-east-1");
    expect(cluster.master_username).toBeUndefined();
    expect(cluster.database_name).toBeUndefined();
    expect(cluster.master_password_wo).toBeUndefined();
    expect((cluster.lifecycle as { ignore_changes: string[] }).ignore_changes).toContain("master_password_wo_version");
  });

  test("a reader's writer settings are ignored", () => {
    const { json } = synthMember({ ...READER, writer: { databaseName: "app", masterUsername: "admin_user", masterSecretName: "test/master", masterPasswordVersion: 1 } });
    expect(clusterOf(json).master_username).toBeUndefined();
    expect(json.ephemeral).toBeUndefined();
  });

  test("instances spread round-robin over the AZs, private, monitored, with Performance Insights on the region's key and no automatic minor upgrades", () => {
    const { json } = synthMember({ instanceCount: 4 });
    const instances = resourcesOf(json, "aws_rds_cluster_instance");
    expect(instances.map((i) => [i.identifier, i.availability_zone, i.promotion_tier])).toEqual([
      ["test-us-east-1-1", "us-east-1a", 0],
      ["test-us-east-1-2", "us-east-1b", 1],
      ["test-us-east-1-3", "us-east-1c", 2],
      ["test-us-east-1-4", "us-east-1a", 3],
    ]);
    for (const instance of instances) {
      expect(instance).toMatchObject({
        engine: "aurora-postgresql",
        instance_class: "db.r7g.large",
        publicly_accessible: false,
        auto_minor_version_upgrade: false,
        monitoring_interval: 60,
        performance_insights_enabled: true,
        performance_insights_kms_key_id: "arn:aws:kms:us-east-1:123456789012:key/mrk-1",
        performance_insights_retention_period: 7,
        ca_cert_identifier: "rds-ca-rsa2048-g1",
      });
      expect(instance.monitoring_role_arn).toMatch(/^\$\{aws_iam_role\.[\w-]+monitoring-role[\w-]*\.arn\}$/);
    }
  });

  test("the enhanced monitoring role trusts only RDS monitoring of this account; partition shapes the policy ARN", () => {
    const { json } = synthMember({ partition: "aws-us-gov" });
    expect(onlyDataOf(json, "aws_iam_policy_document").statement).toEqual([
      expect.objectContaining({
        principals: [{ type: "Service", identifiers: ["monitoring.rds.amazonaws.com"] }],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] }],
      }),
    ]);
    expect(only(json, "aws_iam_role_policy_attachment").policy_arn).toBe("arn:aws-us-gov:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole");
  });

  test("the security group admits PostgreSQL from each client security group, and nothing else", () => {
    const { json } = synthMember({ clientSecurityGroupIds: ["sg-nodes", "sg-pods"] });
    const group = only(json, "aws_security_group");
    expect(group).toMatchObject({ name: "test-us-east-1-aurora", vpc_id: "vpc-1" });
    expect(group.ingress).toBeUndefined();
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule").map((r) => [r.referenced_security_group_id, r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4])).toEqual([
      ["sg-nodes", "tcp", 5432, 5432, undefined],
      ["sg-pods", "tcp", 5432, 5432, undefined],
    ]);
  });

  test("the subnet group spans the subnets", () => {
    expect(only(synthMember().json, "aws_db_subnet_group").subnet_ids).toEqual(["subnet-a", "subnet-b", "subnet-c"]);
  });

  test("parameter groups carry the family in their name and are created before the old ones are deleted", () => {
    const { json } = synthMember();
    for (const [type, name] of [["aws_rds_cluster_parameter_group", "test-us-east-1-aurora-postgresql16"], ["aws_db_parameter_group", "test-us-east-1-aurora-postgresql16-instance"]] as const) {
      expect(only(json, type)).toMatchObject({ name, family: "aurora-postgresql16", lifecycle: { create_before_destroy: true } });
    }
    expect(only(json, "aws_rds_cluster_parameter_group").parameter).toEqual(
      expect.arrayContaining([
        { name: "rds.force_ssl", value: "1", apply_method: "immediate" },
        { name: "log_min_duration_statement", value: "500", apply_method: "immediate" },
      ]),
    );
    expect(parameterNames(json)).not.toContain("rds.global_db_rpo");
  });

  test("parameters.globalDbRpoSeconds sets rds.global_db_rpo", () => {
    const { json } = synthMember({ parameters: { logMinDurationStatementMs: 500, globalDbRpoSeconds: 60 } });
    expect(only(json, "aws_rds_cluster_parameter_group").parameter).toContainEqual({ name: "rds.global_db_rpo", value: "60", apply_method: "immediate" });
  });

  test("the PostgreSQL log group exists before the cluster, kept 90 days by default; logRetentionDays changes that", () => {
    const { json } = synthMember();
    expect(only(json, "aws_cloudwatch_log_group")).toMatchObject({ name: "/aws/rds/cluster/test-us-east-1/postgresql", retention_in_days: 90 });
    expect(clusterOf(json).depends_on).toEqual([expect.stringMatching(/^aws_cloudwatch_log_group\./)]);
    expect(only(synthMember({ logRetentionDays: 365 }).json, "aws_cloudwatch_log_group").retention_in_days).toBe(365);
  });

  test("performanceInsightsRetentionDays sets every instance's retention", () => {
    for (const instance of resourcesOf(synthMember({ performanceInsightsRetentionDays: 465 }).json, "aws_rds_cluster_instance")) {
      expect(instance.performance_insights_retention_period).toBe(465);
    }
  });

  test("writeForwarding turns on global write forwarding", () => {
    expect(clusterOf(synthMember({ ...READER, writeForwarding: true }).json).enable_global_write_forwarding).toBe(true);
  });

  test("deletionProtection false lets the cluster be deleted", () => {
    expect(clusterOf(synthMember({ deletionProtection: false }).json).deletion_protection).toBe(false);
  });

  test("the replication-lag alarm fires above 1000 ms by default, quiet on missing data; replicationLagAlarmMs and alarmActions change it", () => {
    const alarm = (json: SynthesizedJson) => only(json, "aws_cloudwatch_metric_alarm");
    expect(alarm(synthMember().json)).toMatchObject({
      namespace: "AWS/RDS",
      metric_name: "AuroraGlobalDBReplicationLag",
      dimensions: { DBClusterIdentifier: "test-us-east-1" },
      threshold: 1000,
      comparison_operator: "GreaterThanThreshold",
      treat_missing_data: "notBreaching",
      alarm_actions: [],
    });
    const topic = "arn:aws:sns:us-east-1:123456789012:pages";
    expect(alarm(synthMember({ replicationLagAlarmMs: 250, alarmActions: [topic] }).json)).toMatchObject({ threshold: 250, alarm_actions: [topic], ok_actions: [topic] });
  });

  test("provider places every resource of the member with that provider", () => {
    const scope = stack();
    const regional = new AwsProvider(scope, "regional", { region: "eu-west-1", alias: "regional" });
    const [, props] = memberProps({ ...READER, provider: regional }, scope);
    new AuroraRegionalMember(scope, "member", props);
    const json = synthJson(scope);
    const blocks: [string, Block][] = Object.entries(json.resource)
      .filter(([type]) => type !== "aws_rds_global_cluster")
      .flatMap(([type, byId]) => Object.values(byId).map((block) => [type, block] as [string, Block]));
    expect(blocks.filter(([, block]) => block.provider !== "aws.regional").map(([type]) => type)).toEqual([]);
  });

  test("registers itself with the global database", () => {
    const [scope, props] = memberProps();
    new AuroraRegionalMember(scope, "member", props);
    expect(props.globalCluster.members).toEqual([
      { region: "us-east-1", role: "writer", engineVersion: "16.6", instanceClass: "db.r7g.large", instanceCount: 2, availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] },
    ]);
  });
});

// ---------- cross-region rules ----------

describe("AuroraGlobalDatabase cross-region checks at synth time", () => {
  function topology(readerOverrides: Partial<AuroraRegionalMemberProps>, writerOverrides: Partial<AuroraRegionalMemberProps> = {}): string[] {
    const [scope, writer] = memberProps(writerOverrides);
    new AuroraRegionalMember(scope, "writer", writer);
    const reader: AuroraRegionalMemberProps = { ...writer, ...READER, ...readerOverrides };
    new AuroraRegionalMember(scope, "reader", reader);
    return (writer.globalCluster as AuroraGlobalDatabase).checkMembers();
  }

  test("a matching writer and reader pass", () => {
    expect(topology({})).toEqual([]);
  });

  test("reports a reader too small to take the writer's load", () => {
    expect(topology({ instanceClass: "db.r7g.large" }, { instanceClass: "db.r7g.2xlarge" })).toEqual([
      "reader eu-west-1 uses db.r7g.large, smaller than the writer's db.r7g.2xlarge; after a switchover it could not carry the writer's load",
    ]);
  });

  test("reports two writers", () => {
    expect(topology({ role: "writer", writer: { databaseName: "app", masterUsername: "admin_user", masterSecretName: "test/master", masterPasswordVersion: 1 } })).toEqual([
      expect.stringMatching(/exactly one writer member, found 2 \(us-east-1, eu-west-1\)/),
    ]);
  });

  test("reports two members in one region", () => {
    expect(topology({ region: "us-east-1", writerRegion: "eu-west-1" })).toEqual([expect.stringMatching(/member region us-east-1 appears twice/)]);
  });

  test("app synthesis fails with the cross-region errors", () => {
    // GIVEN an app whose reader is smaller than its writer
    const app = Testing.app() as App;
    const scope = new TerraformStack(app, "data");
    const [, writer] = memberProps({ instanceClass: "db.r7g.2xlarge" }, scope);
    new AuroraRegionalMember(scope, "writer", writer);
    new AuroraRegionalMember(scope, "reader", { ...writer, ...READER, instanceClass: "db.r7g.large" });
    // WHEN it synthesizes THEN validation stops it, naming the rule
    expect(() => app.synth()).toThrow(/smaller than the writer's db\.r7g\.2xlarge/);
  });

  const WRITER: GlobalDatabaseMember = { region: "us-east-1", role: "writer", engineVersion: "16.6", instanceClass: "db.r7g.xlarge", instanceCount: 2, availabilityZones: ["us-east-1a", "us-east-1b"] };

  test.each<[string, GlobalDatabaseMember[], string[]]>([
    ["no member", [], []],
    ["a writer alone", [WRITER], []],
    ["no writer", [{ ...WRITER, role: "reader" }], ["global database needs exactly one writer member, found 0 (none)"]],
    ["a member on another version", [WRITER, { ...WRITER, role: "reader", region: "eu-west-1", engineVersion: "16.8" }], [
      "member eu-west-1 runs engine version 16.8 but the global cluster runs 16.6; failover is impossible while versions differ",
    ]],
    ["a writer in one AZ", [{ ...WRITER, availabilityZones: ["us-east-1a", "us-east-1a"] }], ["writer us-east-1 has 2 instance(s) in 1 AZ(s); it needs >= 2 instances in different AZs"]],
    ["a reader without instance", [WRITER, { ...WRITER, role: "reader", region: "eu-west-1", instanceCount: 0 }], ["reader eu-west-1 has no instance; a secondary needs >= 1 to be promotable"]],
  ])("globalDatabaseTopologyProblems: %s", (_when, members, problems) => {
    expect(globalDatabaseTopologyProblems("16.6", members)).toEqual(problems);
  });
});

// ---------- fromGlobalDatabaseAttributes ----------

describe("AuroraGlobalDatabase.fromGlobalDatabaseAttributes", () => {
  const WRITER_ELSEWHERE: GlobalDatabaseMember = { region: "us-east-1", role: "writer", engineVersion: "16.6", instanceClass: "db.r7g.2xlarge", instanceCount: 2, availabilityZones: ["us-east-1a", "us-east-1b"] };

  function adopted(scope: TerraformStack, members?: GlobalDatabaseMember[]): IAuroraGlobalDatabase {
    return AuroraGlobalDatabase.fromGlobalDatabaseAttributes(scope, "global", { globalClusterIdentifier: "team-orders", engineVersion: "16.6", members });
  }

  test("a member joins a global cluster created elsewhere by its identifier, and the handle creates nothing", () => {
    // GIVEN a stack that adopts another stack's global cluster WHEN a reader joins it
    const scope = stack();
    const handle = adopted(scope, [WRITER_ELSEWHERE]);
    const [, props] = memberProps({ ...READER, instanceClass: "db.r7g.2xlarge" }, stack());
    new AuroraRegionalMember(scope, "reader", { ...props, globalCluster: handle });
    const json = synthJson(scope);
    // THEN the cluster names the global cluster; no global cluster is created here
    expect(clusterOf(json).global_cluster_identifier).toBe("team-orders");
    expect(json.resource.aws_rds_global_cluster).toBeUndefined();
    expect(handle.identifier).toBe("team-orders");
    expect(handle.engineVersion).toBe("16.6");
    expect(handle.members.map((m) => `${m.role} ${m.region}`)).toEqual(["writer us-east-1", "reader eu-west-1"]);
  });

  test("the cross-region rules see the declared members: a reader smaller than the writer elsewhere fails synthesis", () => {
    const app = Testing.app() as App;
    const scope = new TerraformStack(app, "reader");
    const handle = adopted(scope, [WRITER_ELSEWHERE]);
    const [, props] = memberProps({ ...READER, instanceClass: "db.r7g.large" }, stack());
    new AuroraRegionalMember(scope, "reader", { ...props, globalCluster: handle });
    expect(() => app.synth()).toThrow(/reader eu-west-1 uses db\.r7g\.large, smaller than the writer's db\.r7g\.2xlarge/);
  });

  test("members default to none: a reader alone reports the missing writer", () => {
    const app = Testing.app() as App;
    const scope = new TerraformStack(app, "reader");
    const handle = adopted(scope);
    const [, props] = memberProps(READER, stack());
    new AuroraRegionalMember(scope, "reader", { ...props, globalCluster: handle });
    expect(() => app.synth()).toThrow(/exactly one writer member, found 0/);
  });

  test("a member on another version than the adopted cluster is refused", () => {
    const scope = stack();
    const handle = adopted(scope, [WRITER_ELSEWHERE]);
    const [, props] = memberProps({ ...READER, engineVersion: "16.8" }, stack());
    expect(() => new AuroraRegionalMember(scope, "reader", { ...props, globalCluster: handle })).toThrow(/engineVersion = "16.8" must equal the global cluster's version 16.6/);
  });

  test("refuses an engine version that is not a supported major.minor", () => {
    expect(() => AuroraGlobalDatabase.fromGlobalDatabaseAttributes(stack(), "g", { globalClusterIdentifier: "x", engineVersion: "latest" })).toThrow(
      'AuroraGlobalDatabase "x": engineVersion = "latest" must be an Aurora PostgreSQL version such as 16.6',
    );
  });
});

// ---------- MasterCredentials ----------

describe("MasterCredentials", () => {
  function synthCredentials(props: Partial<MasterCredentialsProps> = {}) {
    const scope = stack();
    const home = new AwsProvider(scope, "home", { region: "us-east-1" });
    new MasterCredentials(scope, "credentials", {
      provider: home,
      secretName: "app/master",
      username: "app_admin",
      passwordVersion: 1,
      kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/mrk-1",
      replica: { region: "eu-west-1", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/mrk-1" },
      ...props,
    });
    return synthJson(scope);
  }

  test("a replicated secret on the customer keys, whose value is write-only from an ephemeral password", () => {
    const json = synthCredentials({ passwordVersion: 3 });
    expect(only(json, "aws_secretsmanager_secret")).toMatchObject({
      name: "app/master",
      kms_key_id: "arn:aws:kms:us-east-1:123456789012:key/mrk-1",
      recovery_window_in_days: 30,
      replica: [{ region: "eu-west-1", kms_key_id: "arn:aws:kms:eu-west-1:123456789012:key/mrk-1" }],
    });
    const version = only(json, "aws_secretsmanager_secret_version");
    expect(version.secret_string).toBeUndefined();
    expect(version.secret_string_wo).toMatch(/username = "app_admin", password = ephemeral\.aws_secretsmanager_random_password\.[\w-]+\.random_password/);
    expect(version.secret_string_wo_version).toBe(3);
    const generator = Object.values(json.ephemeral!.aws_secretsmanager_random_password!)[0]!;
    expect(generator).toMatchObject({ password_length: 40, require_each_included_type: true });
    // RDS refuses / " @ and spaces in master passwords.
    for (const refused of ["/", '"', "@", " "]) {
      expect(generator.exclude_characters).toContain(refused);
    }
  });

  test.each<[string, Partial<MasterCredentialsProps>, string]>([
    ["password version 0", { passwordVersion: 0 }, 'MasterCredentials "app/master": passwordVersion = 0 must be an integer >= 1'],
    ["the user postgres", { username: "postgres" }, 'MasterCredentials "app/master": username = "postgres" is reserved by RDS or PostgreSQL'],
  ])("refuses %s", (_when, props, message) => {
    expect(() => synthCredentials(props)).toThrow(message);
  });
});

// ---------- predicates ----------

describe("the module's predicates", () => {
  test("parameterGroupFamily maps a version to its family; parameterGroupFamilyOf knows the other Aurora engines", () => {
    expect(parameterGroupFamily("16.6")).toBe("aurora-postgresql16");
    expect(parameterGroupFamilyOf("aurora-mysql", "8.0.mysql_aurora.3.05.2")).toBe("aurora-mysql8.0");
    expect(parameterGroupFamilyOf("aurora-mysql", "5.6")).toBeUndefined();
    expect(() => parameterGroupFamily("latest")).toThrow(/does not start with a PostgreSQL major version/);
  });

  test.each([
    ["16.6", undefined],
    ["17.2", undefined],
    ["16", "must be an Aurora PostgreSQL version such as 16.6"],
    ["14.9", "unsupported major version; supported: 15, 16, 17"],
  ])("auroraPostgresqlVersionProblem(%s)", (version, problem) => {
    expect(auroraPostgresqlVersionProblem(version)).toBe(problem);
  });

  test("masterUsernameProblem, auroraClusterIdentifierProblem, readerCanCarryWriter", () => {
    expect(masterUsernameProblem("app_admin")).toBeUndefined();
    expect(masterUsernameProblem("pg_admin")).toMatch(/reserved/);
    expect(masterUsernameProblem("Admin")).toMatch(/PostgreSQL identifier/);
    expect(auroraClusterIdentifierProblem("orders-us-east-1")).toBeUndefined();
    expect(auroraClusterIdentifierProblem("orders-")).toMatch(/not ending with a hyphen/);
    expect(readerCanCarryWriter("db.r8g.xlarge", "db.r7g.xlarge")).toBe(true);
    expect(readerCanCarryWriter("db.r7g.large", "db.r7g.xlarge")).toBe(false);
  });

  test.each([
    ["07:00-08:00", "tue:07:30-tue:08:30", true],
    ["23:45-00:15", "mon:00:00-mon:00:30", true],
    ["00:00-00:30", "sun:23:30-mon:00:30", true],
    ["03:00-04:00", "sun:05:00-sun:06:00", false],
  ])("backupAndMaintenanceWindowsOverlap(%s, %s) is %s", (backup, maintenance, overlap) => {
    expect(backupAndMaintenanceWindowsOverlap(backup, maintenance)).toBe(overlap);
  });
});

test("the README's usage example synthesizes (snapshot)", () => {
  const example = new AuroraGlobalExample(Testing.app(), "example");
  expect(example.database.members.map((m) => `${m.role} ${m.region}`)).toEqual(["writer us-east-1", "reader eu-west-1"]);
  expect(synthJson(example)).toMatchSnapshot();
});

test("the README's joining-member example synthesizes (snapshot)", () => {
  const example = new AuroraJoiningMemberExample(Testing.app(), "joining");
  const json = synthJson(example);
  expect(only(json, "aws_rds_cluster").global_cluster_identifier).toMatch(/data\.terraform_remote_state\.global-database\.outputs\.global_cluster_id/);
  expect(json).toMatchSnapshot();
});
