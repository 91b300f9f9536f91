import { AURORA_POSTGRESQL_VERSION } from "../../src/config/catalogue";
import type { TerraformStack } from "cdktf";
import { GLOBAL_DATABASE_OUTPUTS } from "../../src/config/naming";
import { REGIONAL_OUTPUTS } from "../../stacks/regional-outputs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildPlatformApp } from "../../stacks/platform-app";
import { onlyResourceOf, resourcesOf, synthStacks, validCatalogue, type SynthesizedJson } from "../helpers";

// The construct's own behaviour is tested on fixtures in packages/constructs/src/aurora-global/test;
// these tests hold the app's global-database and regional stacks to the catalogue.

const stacks = synthStacks();
const globalDb = stacks.get("production-global-database")!;
const writerStack = stacks.get("production-regional-us-east-1")!;
const readerStack = stacks.get("production-regional-eu-west-1")!;
const only = onlyResourceOf;
const ephemeralOf = (json: SynthesizedJson) => json.ephemeral;
/** `${<type>.<id>.<attribute>}` of the only resource of `type` in the stack. */
const refToOnly = (json: SynthesizedJson, type: string, attribute: string) => {
  const ids = Object.keys(json.resource[type] ?? {});
  expect([type, ids.length]).toEqual([type, 1]);
  return `\${${type}.${ids[0]}.${attribute}}`;
};

describe("global-database stack", () => {
  test("the global cluster is encrypted, protected, and pins the engine version (rules 23, 24)", () => {
    expect(only(globalDb, "aws_rds_global_cluster")).toMatchObject({
      global_cluster_identifier: "meridian-production",
      engine: "aurora-postgresql",
      engine_version: AURORA_POSTGRESQL_VERSION,
      database_name: "meridian",
      storage_encrypted: true,
      deletion_protection: true,
    });
  });

  test("a multi-Region key in the home region with its replica in the other, both rotating and guarded (rules 21, 22)", () => {
    const key = only(globalDb, "aws_kms_key");
    expect(key).toMatchObject({ multi_region: true, enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    expect(globalDb.provider.aws!.find((p) => !p.alias)!.region).toBe("us-east-1");
    expect(key.provider).toBe("aws"); // the default provider: the home region, whichever region is primary
    const replica = only(globalDb, "aws_kms_replica_key");
    expect(replica.primary_key_arn).toMatch(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/);
    expect(replica).toMatchObject({ provider: "aws.secondary", deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    const secondary = globalDb.provider.aws!.find((p) => p.alias === "secondary")!;
    expect(secondary.region).toBe("eu-west-1");
  });

  test("the master secret is replicated and encrypted with the data key; its value is write-only from an ephemeral password (rule 31)", () => {
    const secret = only(globalDb, "aws_secretsmanager_secret");
    expect(secret).toMatchObject({ name: "meridian/production/aurora/master", recovery_window_in_days: 30 });
    expect(secret.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(secret.replica).toEqual([{ region: "eu-west-1", kms_key_id: expect.stringMatching(/^\$\{aws_kms_replica_key\./) }]);
    const version = only(globalDb, "aws_secretsmanager_secret_version");
    expect(version.secret_string).toBeUndefined();
    expect(version.secret_string_wo).toMatch(/ephemeral\.aws_secretsmanager_random_password\.[\w-]+\.random_password/);
    expect(version.secret_string_wo_version).toBe(1);
    const generator = Object.values(ephemeralOf(globalDb)!.aws_secretsmanager_random_password!)[0]!;
    expect(generator).toMatchObject({ password_length: 40, require_each_included_type: true });
    // RDS refuses / " @ and spaces in master passwords.
    for (const refused of ["/", '"', "@", " "]) {
      expect(generator.exclude_characters).toContain(refused);
    }
  });

  test("outputs the global cluster, the secret and the data keys per region", () => {
    const output = globalDb.output ?? {};
    expect(Object.keys(output)).toEqual(expect.arrayContaining(Object.values(GLOBAL_DATABASE_OUTPUTS)));
    expect(output[GLOBAL_DATABASE_OUTPUTS.globalClusterId]!.value).toBe(refToOnly(globalDb, "aws_rds_global_cluster", "id"));
    expect(output[GLOBAL_DATABASE_OUTPUTS.masterSecretArn]!.value).toBe(refToOnly(globalDb, "aws_secretsmanager_secret", "arn"));
    // The home region's key is the multi-Region primary, the other region's its replica.
    expect(output[GLOBAL_DATABASE_OUTPUTS.dataKeyArns]!.value).toEqual({
      "us-east-1": refToOnly(globalDb, "aws_kms_key", "arn"),
      "eu-west-1": refToOnly(globalDb, "aws_kms_replica_key", "arn"),
    });
  });
});

describe.each([
  ["writer", writerStack, "us-east-1"],
  ["reader", readerStack, "eu-west-1"],
] as const)("aurora-global member (%s)", (role, json, region) => {
  const cluster = only(json, "aws_rds_cluster");

  test("joins the global cluster, encrypted with its own region's key (rules 22, 25)", () => {
    expect(cluster).toMatchObject({
      cluster_identifier: `meridian-production-${region}`,
      engine: "aurora-postgresql",
      engine_version: AURORA_POSTGRESQL_VERSION,
      engine_mode: "provisioned",
      storage_encrypted: true,
    });
    expect(cluster.global_cluster_identifier).toMatch(/cross-stack-reference-input-production-global-database.*aws_rds_global_cluster/);
    const keyType = region === "us-east-1" ? "aws_kms_key" : "aws_kms_replica_key";
    expect(cluster.kms_key_id).toMatch(new RegExp(`cross-stack-output-${keyType}data-key`));
  });

  test("is protected, backed up, logged and IAM-authenticated (rules 26-30)", () => {
    expect(cluster).toMatchObject({
      deletion_protection: true,
      backup_retention_period: 14,
      iam_database_authentication_enabled: true,
      enabled_cloudwatch_logs_exports: ["postgresql"],
      copy_tags_to_snapshot: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: `meridian-production-${region}-final`,
      delete_automated_backups: false,
      port: 5432,
    });
  });

  test(`ignores the membership arguments AWS changes behind Terraform's back${role === "reader" ? ", and the writer's password version" : ""}`, () => {
    const ignored = (cluster.lifecycle as { ignore_changes: string[] }).ignore_changes;
    const membership = ["engine_version", "global_cluster_identifier", "replication_source_identifier", "source_region", "database_name", "master_username"];
    expect(ignored).toEqual(role === "reader" ? [...membership, "master_password_wo_version"] : membership);
  });

  test("outputs the member's endpoints, ARN and security group", () => {
    expect(json.output![REGIONAL_OUTPUTS.auroraClusterEndpoint]!.value).toBe(refToOnly(json, "aws_rds_cluster", "endpoint"));
    expect(json.output![REGIONAL_OUTPUTS.auroraReaderEndpoint]!.value).toBe(refToOnly(json, "aws_rds_cluster", "reader_endpoint"));
    expect(json.output![REGIONAL_OUTPUTS.auroraClusterArn]!.value).toBe(refToOnly(json, "aws_rds_cluster", "arn"));
    expect(json.output![REGIONAL_OUTPUTS.auroraSecurityGroupId]!.value).toMatch(/^\$\{aws_security_group\.aurora_security-group[\w-]*\.id\}$/);
  });

  test("has no password argument other than a write-only one (rule 31)", () => {
    expect(cluster.master_password).toBeUndefined();
    expect(cluster.manage_master_user_password).toBeUndefined();
  });

  test("two instances in different AZs, private, monitored, with Performance Insights on the region's key, no automatic minor upgrades (rules 32-35)", () => {
    const instances = resourcesOf(json, "aws_rds_cluster_instance");
    expect(instances).toHaveLength(2);
    expect(new Set(instances.map((i) => i.availability_zone))).toEqual(new Set([`${region}a`, `${region}b`]));
    for (const instance of instances) {
      expect(instance).toMatchObject({
        engine: "aurora-postgresql",
        instance_class: "db.r7g.xlarge",
        publicly_accessible: false,
        auto_minor_version_upgrade: false,
        monitoring_interval: 15,
        performance_insights_enabled: true,
        performance_insights_retention_period: 465,
        ca_cert_identifier: "rds-ca-rsa2048-g1",
      });
      expect(instance.performance_insights_kms_key_id).toBe(cluster.kms_key_id);
      expect(instance.monitoring_role_arn).toMatch(/^\$\{aws_iam_role\.[\w-]+monitoring-role[\w-]*\.arn\}$/);
    }
  });

  test("the enhanced monitoring role trusts only RDS monitoring of this account", () => {
    const trust = Object.entries(json.data!.aws_iam_policy_document!).find(([id]) => id.startsWith("aurora_monitoring-trust"))![1];
    expect(trust.statement).toEqual([
      expect.objectContaining({
        principals: [{ type: "Service", identifiers: ["monitoring.rds.amazonaws.com"] }],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["333333333333"] }],
      }),
    ]);
  });

  test("the security group admits PostgreSQL only from the EKS cluster security group, and nothing else", () => {
    const group = resourcesOf(json, "aws_security_group").find((g) => String(g.name).endsWith("-aurora"))!;
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
    const rules = resourcesOf(json, "aws_vpc_security_group_ingress_rule").filter((r) => String(r.security_group_id).includes("aurora_security-group"));
    expect(rules).toEqual([
      expect.objectContaining({ ip_protocol: "tcp", from_port: 5432, to_port: 5432, referenced_security_group_id: refToOnly(json, "aws_eks_cluster", "vpc_config[0].cluster_security_group_id") }),
    ]);
    expect(rules[0]!.cidr_ipv4).toBeUndefined();
  });

  test("the subnet group spans the database subnets of every AZ", () => {
    const group = only(json, "aws_db_subnet_group");
    expect(group.subnet_ids).toHaveLength(3);
    for (const id of group.subnet_ids as string[]) {
      expect(id).toMatch(/aws_subnet\.network_database/);
    }
  });

  test("a replication-lag alarm watches the member (quiet while it is the writer)", () => {
    const alarm = resourcesOf(json, "aws_cloudwatch_metric_alarm").find((a) => a.metric_name === "AuroraGlobalDBReplicationLag")!;
    expect(alarm).toMatchObject({
      namespace: "AWS/RDS",
      dimensions: { DBClusterIdentifier: `meridian-production-${region}` },
      threshold: 1000,
      comparison_operator: "GreaterThanThreshold",
      treat_missing_data: "notBreaching",
    });
  });

  test(`${role === "writer" ? "creates" : "does not create"} the database and master user`, () => {
    if (role === "writer") {
      expect(cluster).toMatchObject({ database_name: "meridian", master_username: "platform_admin", master_password_wo_version: 1 });
      expect(cluster.source_region).toBeUndefined();
      expect(Object.keys(ephemeralOf(json)!.aws_secretsmanager_secret_version!)).toHaveLength(1);
      expect(Object.values(ephemeralOf(json)!.aws_secretsmanager_secret_version!)[0]).toEqual({ secret_id: "meridian/production/aurora/master" });
    } else {
      expect(cluster.database_name).toBeUndefined();
      expect(cluster.master_username).toBeUndefined();
      expect(cluster.master_password_wo).toBeUndefined();
      expect(cluster.source_region).toBe("us-east-1");
      expect(ephemeralOf(json)).toBeUndefined();
    }
  });
});

describe("parameter groups", () => {
  const parameters = (json: SynthesizedJson, type: string) => only(json, type).parameter;

  test("are identical in both regions, cluster and instance level", () => {
    for (const type of ["aws_rds_cluster_parameter_group", "aws_db_parameter_group"]) {
      expect(parameters(readerStack, type)).toEqual(parameters(writerStack, type));
      expect(only(readerStack, type).family).toBe("aurora-postgresql16");
    }
  });

  test("a major upgrade can replace them while in use: the name carries the family and the new group is created first", () => {
    // GIVEN the family forces a new group WHEN the engine's major changes THEN the new name differs
    // and Terraform creates it before deleting the group the cluster still uses (InvalidDBParameterGroupState).
    for (const type of ["aws_rds_cluster_parameter_group", "aws_db_parameter_group"]) {
      const group = only(writerStack, type);
      expect(String(group.name)).toContain(String(group.family));
      expect(group.lifecycle).toEqual({ create_before_destroy: true });
    }
  });

  test("log slow statements and force TLS (rule 29)", () => {
    expect(parameters(writerStack, "aws_rds_cluster_parameter_group")).toEqual(
      expect.arrayContaining([
        { name: "log_min_duration_statement", value: "1000", apply_method: "immediate" },
        { name: "rds.force_ssl", value: "1", apply_method: "immediate" },
      ]),
    );
  });

  test.each([...stacks.keys()].filter((name) => name.includes("-regional-")))(
    "%s: leaves rds.global_db_rpo unset: with one secondary, managed RPO would stop the writer's commits during that region's outage",
    (name) => {
      const json = stacks.get(name)!;
      for (const group of resourcesOf(json, "aws_rds_cluster_parameter_group")) {
        expect((group.parameter as { name: string }[]).map((p) => p.name)).not.toContain("rds.global_db_rpo");
      }
    },
  );
});

describe("the member's PostgreSQL log group", () => {
  test.each([writerStack, readerStack])("is created with a bounded retention before the cluster", (json) => {
    const group = resourcesOf(json, "aws_cloudwatch_log_group").find((g) => String(g.name).startsWith("/aws/rds/cluster/"))!;
    expect(group.name).toMatch(/^\/aws\/rds\/cluster\/meridian-production-[a-z0-9-]+\/postgresql$/);
    expect(group.retention_in_days).toBe(365);
    const cluster = only(json, "aws_rds_cluster");
    expect(cluster.depends_on).toEqual([expect.stringMatching(/^aws_cloudwatch_log_group\.aurora_postgresql-logs/)]);
  });
});

describe("stack order", () => {
  test("the writer's regional stack deploys after the global-database stack, the reader's after both", () => {
    const outdir = mkdtempSync(join(tmpdir(), "order-"));
    const app = buildPlatformApp(validCatalogue(), { outdir });
    const stackNamed = (name: string) => app.node.findChild(name) as TerraformStack;
    const dependencies = (name: string) => stackNamed(name).dependencies.map((d) => d.node.id).sort();
    app.synth(); // cross-stack references add their dependencies while synthesizing
    expect(dependencies("production-regional-us-east-1")).toEqual(["production-global-database"]);
    expect(dependencies("production-regional-eu-west-1")).toEqual(["production-global-database", "production-regional-us-east-1"]);
    rmSync(outdir, { recursive: true, force: true });
  });
});
