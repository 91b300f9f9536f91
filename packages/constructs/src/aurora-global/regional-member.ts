import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { RdsClusterParameterGroup } from "@cdktf/provider-aws/lib/rds-cluster-parameter-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { LOG_RETENTION_DAYS, RDS_MONITORING_INTERVALS } from "../core/aws-limits";
import { suppressPolicy } from "../core/policy-suppressions";
import { EphemeralResource } from "../core/ephemeral-resource";
import { AURORA_ENGINE, POSTGRESQL_PORT, parameterGroupFamily } from "./engine";
import {
  AURORA_BACKUP_RETENTION_DAYS,
  AURORA_GLOBAL_INSTANCE_CLASS,
  AURORA_GLOBAL_INSTANCE_CLASS_RULE,
  AURORA_MAX_INSTANCES_PER_CLUSTER,
  BACKUP_WINDOW,
  BACKUP_WINDOW_RULE,
  GLOBAL_DB_RPO_SECONDS,
  MAINTENANCE_WINDOW,
  MAINTENANCE_WINDOW_RULE,
  PERFORMANCE_INSIGHTS_RETENTION_DAYS,
  PERFORMANCE_INSIGHTS_RETENTION_RULE,
  POSTGRESQL_IDENTIFIER,
  POSTGRESQL_IDENTIFIER_RULE,
  auroraClusterIdentifierProblem,
  backupAndMaintenanceWindowsOverlap,
  masterUsernameProblem,
} from "./checks";
import type { IAuroraGlobalDatabase } from "./global-database";
import { clusterParameters, instanceParameters, type AuroraParameterSettings } from "./parameters";

/** The writer creates the database and its master user; readers get both from the writer. */
export interface WriterSettings {
  /** The database the writer creates (a PostgreSQL identifier; the global cluster's `databaseName`). */
  readonly databaseName: string;
  /** The master user (a PostgreSQL identifier, not `postgres`, `rds*` or `pg_*`). */
  readonly masterUsername: string;
  /** Secrets Manager name of the master credentials, readable in this region (a replica is fine). */
  readonly masterSecretName: string;
  /** Version of the password in that secret; a new version sets the new password on the writer. */
  readonly masterPasswordVersion: number;
}

export interface AuroraRegionalMemberProps {
  /** Cluster identifier; named by region, never by role, so a switchover renames nothing. */
  readonly clusterIdentifier: string;
  /** The region this member lives in (the stack's provider region). */
  readonly region: string;
  /** `writer` in the primary region, `reader` in the secondary. Flipping it replaces nothing. */
  readonly role: "writer" | "reader";
  /** Region of the writer; a reader replicates from it (`source_region`). */
  readonly writerRegion: string;
  /** The global database this member joins (created here, or adopted with `AuroraGlobalDatabase.fromGlobalDatabaseAttributes`). */
  readonly globalCluster: IAuroraGlobalDatabase;
  /** Must equal the global cluster's version. */
  readonly engineVersion: string;
  /** A memory-optimized class such as `db.r7g.large`; a reader's is at least the writer's size. */
  readonly instanceClass: string;
  /** Instances in this region, spread round-robin over `availabilityZones`. */
  readonly instanceCount: number;
  /** Availability zones of the instances, one per database subnet. */
  readonly availabilityZones: readonly string[];
  /** The VPC of the database subnets (for the security group). */
  readonly vpcId: string;
  /** Database subnets, one per AZ. */
  readonly subnetIds: readonly string[];
  /** Security groups whose members may connect on 5432 (the EKS nodes' and pods'). */
  readonly clientSecurityGroupIds: readonly string[];
  /** This region's customer key (storage, Performance Insights). */
  readonly kmsKeyArn: string;
  /** Required for the writer; ignored for a reader. @default - none */
  readonly writer?: WriterSettings;
  /** Days of automated backups, 2-35. */
  readonly backupRetentionDays: number;
  /** UTC `hh:mm-hh:mm`. */
  readonly backupWindow: string;
  /** UTC `ddd:hh:mm-ddd:hh:mm`; must not overlap the backup window. */
  readonly maintenanceWindow: string;
  /** Settings of the cluster parameter group (identical in every region). */
  readonly parameters: AuroraParameterSettings;
  /** Enhanced monitoring interval: 1, 5, 10, 15, 30 or 60 seconds. */
  readonly monitoringIntervalSeconds: number;
  /** Performance Insights retention in days: 7, a multiple of 31 up to 713, or 731. @default 7 */
  readonly performanceInsightsRetentionDays?: number;
  /** PostgreSQL log retention in days. @default 90 */
  readonly logRetentionDays?: number;
  /** Readers forward writes to the writer. @default false */
  readonly writeForwarding?: boolean;
  /** Lag above which the replication-lag alarm fires (ms). @default 1000 */
  readonly replicationLagAlarmMs?: number;
  /** SNS topics the lag alarm notifies. @default [] */
  readonly alarmActions?: readonly string[];
  /** Refuse deletion of the cluster. @default true */
  readonly deletionProtection?: boolean;
  /** AWS partition (a token from aws_partition is fine), for the monitoring policy's ARN. */
  readonly partition: string;
  /** Account of the cluster; the monitoring role trusts RDS only on its behalf. */
  readonly accountId: string;
  /** The AWS provider of the member's region. @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * Attributes AWS changes behind Terraform's back in a global database, or that differ between
 * the writer's and a reader's configuration but cannot change on a live cluster. Terraform must
 * not act on them: a switchover moves the writer and the operator flips the role in config, and
 * the next plan must not replace the cluster. Engine upgrades go through the global cluster.
 */
export const MEMBER_IGNORED_CHANGES = [
  "engine_version",
  "global_cluster_identifier",
  "replication_source_identifier",
  "source_region",
  "database_name",
  "master_username",
] as const;

/**
 * One regional member of an Aurora PostgreSQL global database: its subnet group, a security
 * group that admits PostgreSQL only from the cluster's clients, identical parameter groups in
 * every region, the cluster (writer or reader), instances spread over AZs with enhanced
 * monitoring and Performance Insights, a bounded PostgreSQL log group, and a replication-lag
 * alarm (quiet on the writer, which emits no lag).
 *
 * Everything that forces replacement is the same whichever role the member has, or is listed
 * in {@link MEMBER_IGNORED_CHANGES}; the tests hold that line.
 */
export class AuroraRegionalMember extends Construct {
  /** The member's `aws_rds_cluster` (endpoint, reader endpoint, ARN). */
  readonly cluster: RdsCluster;
  /** Its instances, `<clusterIdentifier>-1` … in AZ order. */
  readonly instances: RdsClusterInstance[];
  /** The security group that admits PostgreSQL from the client security groups only. */
  readonly securityGroup: SecurityGroup;
  /** The DB subnet group over the database subnets. */
  readonly subnetGroup: DbSubnetGroup;
  /** The cluster parameter group (its name carries the family). */
  readonly clusterParameterGroup: RdsClusterParameterGroup;
  /** The instance parameter group (its name carries the family). */
  readonly instanceParameterGroup: DbParameterGroup;
  /** `/aws/rds/cluster/<clusterIdentifier>/postgresql`, created before the cluster. */
  readonly logGroup: CloudwatchLogGroup;
  /** The `AuroraGlobalDBReplicationLag` alarm. */
  readonly replicationLagAlarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: AuroraRegionalMemberProps) {
    super(scope, id);
    validate(props);
    const provider = props.provider;
    const name = props.clusterIdentifier;
    const family = parameterGroupFamily(props.engineVersion);
    props.globalCluster.registerMember({
      region: props.region,
      role: props.role,
      engineVersion: props.engineVersion,
      instanceClass: props.instanceClass,
      instanceCount: props.instanceCount,
      availabilityZones: props.availabilityZones,
    });

    this.subnetGroup = new DbSubnetGroup(this, "subnet-group", {
      provider,
      name,
      description: `Database subnets of ${name}`,
      subnetIds: [...props.subnetIds],
    });
    this.securityGroup = new SecurityGroup(this, "security-group", {
      provider,
      name: `${name}-aurora`,
      description: `Aurora PostgreSQL ${name}: PostgreSQL from the cluster clients only`,
      vpcId: props.vpcId,
      tags: { Name: `${name}-aurora` },
    });
    props.clientSecurityGroupIds.forEach(
      (client, index) =>
        new VpcSecurityGroupIngressRule(this, `postgresql-from-client-${index}`, {
          provider,
          securityGroupId: this.securityGroup.id,
          description: "PostgreSQL from cluster workloads",
          ipProtocol: "tcp",
          fromPort: POSTGRESQL_PORT,
          toPort: POSTGRESQL_PORT,
          referencedSecurityGroupId: client,
        }),
    );

    this.clusterParameterGroup = new RdsClusterParameterGroup(this, "cluster-parameters", {
      provider,
      name: `${name}-${family}`,
      family,
      description: `Cluster parameters of ${name} (identical in every region)`,
      parameter: clusterParameters(props.parameters),
      // A major upgrade changes the family, which forces a new group: create it (its name carries
      // the family) before the old one, which the cluster still uses, is deleted.
      lifecycle: { createBeforeDestroy: true },
    });
    this.instanceParameterGroup = new DbParameterGroup(this, "instance-parameters", {
      provider,
      name: `${name}-${family}-instance`,
      family,
      description: `Instance parameters of ${name} (identical in every region)`,
      parameter: instanceParameters(),
      // A major upgrade changes the family, which forces a new group: create it (its name carries
      // the family) before the old one, which the cluster still uses, is deleted.
      lifecycle: { createBeforeDestroy: true },
    });

    for (const group of [this.clusterParameterGroup, this.instanceParameterGroup]) {
      suppressPolicy(
        group,
        "fixed-name-create-before-destroy",
        "The name carries the parameter group family, the argument that a major upgrade changes and that forces a replacement (the description follows the name), so the new group is created under a new name before the old one, still used by the cluster, is deleted.",
      );
    }

    // Aurora writes to exactly this name; creating it first bounds its retention.
    this.logGroup = new CloudwatchLogGroup(this, "postgresql-logs", {
      provider,
      name: `/aws/rds/cluster/${name}/postgresql`,
      retentionInDays: props.logRetentionDays ?? 90,
    });

    const writer = props.role === "writer" ? props.writer : undefined;
    const masterSecret = writer
      ? new EphemeralResource(this, "master-secret", {
          type: "aws_secretsmanager_secret_version",
          provider,
          config: { secret_id: writer.masterSecretName },
        })
      : undefined;

    this.cluster = new RdsCluster(this, "cluster", {
      provider,
      clusterIdentifier: name,
      engine: AURORA_ENGINE,
      engineVersion: props.engineVersion,
      engineMode: "provisioned",
      globalClusterIdentifier: props.globalCluster.identifier,
      // A reader is created as a replica of the writer's region; an encrypted one needs the source region.
      sourceRegion: props.role === "reader" ? props.writerRegion : undefined,
      databaseName: writer?.databaseName,
      masterUsername: writer?.masterUsername,
      masterPasswordWo: masterSecret?.jsonField("secret_string", "password"),
      masterPasswordWoVersion: writer?.masterPasswordVersion,
      dbSubnetGroupName: this.subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      dbClusterParameterGroupName: this.clusterParameterGroup.name,
      port: POSTGRESQL_PORT,
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      iamDatabaseAuthenticationEnabled: true,
      enabledCloudwatchLogsExports: ["postgresql"],
      backupRetentionPeriod: props.backupRetentionDays,
      preferredBackupWindow: props.backupWindow,
      preferredMaintenanceWindow: props.maintenanceWindow,
      copyTagsToSnapshot: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${name}-final`,
      deleteAutomatedBackups: false,
      deletionProtection: props.deletionProtection ?? true,
      enableGlobalWriteForwarding: props.writeForwarding ?? false,
      applyImmediately: false,
      dependsOn: [this.logGroup],
      lifecycle: {
        // A reader's config carries no password version; the writer's must stay effective.
        ignoreChanges: [...MEMBER_IGNORED_CHANGES, ...(props.role === "reader" ? ["master_password_wo_version"] : [])],
      },
    });

    const monitoringRole = this.monitoringRole(props);
    this.instances = Array.from({ length: props.instanceCount }, (_, index) => {
      const identifier = `${name}-${index + 1}`;
      const instance = new RdsClusterInstance(this, `instance-${index + 1}`, {
        provider,
        identifier,
        clusterIdentifier: this.cluster.id,
        engine: AURORA_ENGINE,
        instanceClass: props.instanceClass,
        availabilityZone: props.availabilityZones[index % props.availabilityZones.length],
        dbSubnetGroupName: this.subnetGroup.name,
        dbParameterGroupName: this.instanceParameterGroup.name,
        publiclyAccessible: false,
        // Failover needs the same engine version in every region; upgrades go through the global cluster.
        autoMinorVersionUpgrade: false,
        monitoringInterval: props.monitoringIntervalSeconds,
        monitoringRoleArn: monitoringRole.arn,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: props.kmsKeyArn,
        performanceInsightsRetentionPeriod: props.performanceInsightsRetentionDays ?? 7,
        caCertIdentifier: "rds-ca-rsa2048-g1",
        copyTagsToSnapshot: true,
        preferredMaintenanceWindow: props.maintenanceWindow,
        // The first two instances are the preferred failover targets within the region.
        promotionTier: Math.min(index, 15),
        applyImmediately: false,
      });
      suppressPolicy(
        instance,
        "CKV_AWS_226",
        "A global database fails over only while every region runs the identical engine version, so minor upgrades go through the global cluster, never per instance.",
      );
      return instance;
    });

    this.replicationLagAlarm = new CloudwatchMetricAlarm(this, "replication-lag", {
      provider,
      alarmName: `${name}-global-replication-lag`,
      alarmDescription: `Replication from the writer region to ${name} lags more than ${props.replicationLagAlarmMs ?? 1000} ms; a failover now would lose that much`,
      namespace: "AWS/RDS",
      metricName: "AuroraGlobalDBReplicationLag",
      dimensions: { DBClusterIdentifier: name },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 3,
      threshold: props.replicationLagAlarmMs ?? 1000,
      comparisonOperator: "GreaterThanThreshold",
      // The writer reports no lag.
      treatMissingData: "notBreaching",
      alarmActions: [...(props.alarmActions ?? [])],
      okActions: [...(props.alarmActions ?? [])],
    });
  }

  private monitoringRole(props: AuroraRegionalMemberProps): IamRole {
    const provider = props.provider;
    const trust = new DataAwsIamPolicyDocument(this, "monitoring-trust", {
      provider,
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["monitoring.rds.amazonaws.com"] }],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }],
        },
      ],
    });
    const role = new IamRole(this, "monitoring-role", {
      provider,
      name: `${props.clusterIdentifier}-monitoring`.slice(0, 64),
      description: `Enhanced monitoring of ${props.clusterIdentifier}`,
      assumeRolePolicy: trust.json,
    });
    new IamRolePolicyAttachment(this, "monitoring-policy", {
      provider,
      role: role.name,
      policyArn: `arn:${props.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
    });
    return role;
  }
}


function validate(props: AuroraRegionalMemberProps): void {
  const fail = (prop: string, value: unknown, rule: string): never => {
    throw new Error(`AuroraRegionalMember "${props.clusterIdentifier}": ${prop} = ${JSON.stringify(value)} ${rule}`);
  };
  const identifierProblem = auroraClusterIdentifierProblem(props.clusterIdentifier);
  if (identifierProblem) {
    fail("clusterIdentifier", props.clusterIdentifier, identifierProblem);
  }
  if (props.role === "writer" && !props.writer) {
    fail("writer", props.writer, "is required for the writer member: it creates the database and master user");
  }
  if (props.role === "writer" && props.writer) {
    if (!POSTGRESQL_IDENTIFIER.test(props.writer.databaseName)) {
      fail("writer.databaseName", props.writer.databaseName, POSTGRESQL_IDENTIFIER_RULE);
    }
    const userProblem = masterUsernameProblem(props.writer.masterUsername);
    if (userProblem) {
      fail("writer.masterUsername", props.writer.masterUsername, userProblem);
    }
    if (!Number.isInteger(props.writer.masterPasswordVersion) || props.writer.masterPasswordVersion < 1) {
      fail("writer.masterPasswordVersion", props.writer.masterPasswordVersion, "must be an integer >= 1");
    }
  }
  if (props.role === "reader" && props.writerRegion === props.region) {
    fail("writerRegion", props.writerRegion, "must be another region than the reader's own");
  }
  if (props.engineVersion !== props.globalCluster.engineVersion) {
    fail("engineVersion", props.engineVersion, `must equal the global cluster's version ${props.globalCluster.engineVersion}; failover needs identical versions`);
  }
  if (!AURORA_GLOBAL_INSTANCE_CLASS.test(props.instanceClass)) {
    fail("instanceClass", props.instanceClass, AURORA_GLOBAL_INSTANCE_CLASS_RULE);
  }
  if (props.subnetIds.length < 2 || props.subnetIds.length !== props.availabilityZones.length) {
    fail("subnetIds.length", props.subnetIds.length, `must be one subnet per availability zone (${props.availabilityZones.length}), at least 2`);
  }
  const minInstances = props.role === "writer" ? 2 : 1;
  if (!Number.isInteger(props.instanceCount) || props.instanceCount < minInstances || props.instanceCount > AURORA_MAX_INSTANCES_PER_CLUSTER) {
    fail(
      "instanceCount",
      props.instanceCount,
      props.role === "writer"
        ? `must be 2-${AURORA_MAX_INSTANCES_PER_CLUSTER}: the writer needs a reader in another AZ to fail over to`
        : `must be 1-${AURORA_MAX_INSTANCES_PER_CLUSTER}`,
    );
  }
  if (props.clientSecurityGroupIds.length === 0) {
    fail("clientSecurityGroupIds", props.clientSecurityGroupIds, "must name at least one client security group; otherwise nothing can connect");
  }
  const backups = AURORA_BACKUP_RETENTION_DAYS;
  if (!Number.isInteger(props.backupRetentionDays) || props.backupRetentionDays < backups.min || props.backupRetentionDays > backups.max) {
    fail("backupRetentionDays", props.backupRetentionDays, `must be ${backups.min}-${backups.max}`);
  }
  if (!BACKUP_WINDOW.test(props.backupWindow)) {
    fail("backupWindow", props.backupWindow, BACKUP_WINDOW_RULE);
  }
  if (!MAINTENANCE_WINDOW.test(props.maintenanceWindow)) {
    fail("maintenanceWindow", props.maintenanceWindow, MAINTENANCE_WINDOW_RULE);
  }
  if (backupAndMaintenanceWindowsOverlap(props.backupWindow, props.maintenanceWindow)) {
    fail("maintenanceWindow", props.maintenanceWindow, `overlaps the daily backup window ${props.backupWindow}; Aurora refuses overlapping windows`);
  }
  const logMin = props.parameters.logMinDurationStatementMs;
  if (!Number.isInteger(logMin) || logMin < -1) {
    fail("parameters.logMinDurationStatementMs", logMin, "must be an integer >= -1 (-1 disables)");
  }
  const rpo = props.parameters.globalDbRpoSeconds;
  if (rpo !== undefined && (!Number.isInteger(rpo) || rpo < GLOBAL_DB_RPO_SECONDS.min || rpo > GLOBAL_DB_RPO_SECONDS.max)) {
    fail("parameters.globalDbRpoSeconds", rpo, `must be ${GLOBAL_DB_RPO_SECONDS.min}..${GLOBAL_DB_RPO_SECONDS.max} seconds`);
  }
  if (!(RDS_MONITORING_INTERVALS as readonly number[]).includes(props.monitoringIntervalSeconds)) {
    fail("monitoringIntervalSeconds", props.monitoringIntervalSeconds, `must be one of ${RDS_MONITORING_INTERVALS.join(", ")}`);
  }
  const insights = props.performanceInsightsRetentionDays ?? 7;
  if (!PERFORMANCE_INSIGHTS_RETENTION_DAYS.includes(insights)) {
    fail("performanceInsightsRetentionDays", insights, PERFORMANCE_INSIGHTS_RETENTION_RULE);
  }
  const retention = props.logRetentionDays ?? 90;
  if (!LOG_RETENTION_DAYS.includes(retention)) {
    fail("logRetentionDays", retention, `is not a CloudWatch retention period (${LOG_RETENTION_DAYS.join(", ")})`);
  }
}
