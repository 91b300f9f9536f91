/**
 * An Aurora PostgreSQL Global Database across two regions, in VPCs that already exist.
 *
 * Two stacks, deployed in this order:
 * - `aurora-global`: the multi-Region customer key (primary in us-east-1, replica in us-west-2),
 *   the global cluster and the master credentials (a secret replicated to the second region);
 * - `aurora-members`: one regional cluster per region, each through its own provider alias: the
 *   writer in us-east-1, the reader (a replica of the writer) in us-west-2.
 * The writer reads the master password from the secret when it is planned, so the secret must
 * exist first: that is why the members are a stack of their own.
 */
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformOutput, TerraformStack, dependable } from "cdktf";
import type { Construct } from "constructs";
import {
  AuroraGlobalDatabase,
  AuroraRegionalMember,
  MasterCredentials,
  MultiRegionKey,
  type AuroraRegionalMemberProps,
} from "@meridian/constructs";

const ACCOUNT_ID = "123456789012";
const PRIMARY = "us-east-1";
const SECONDARY = "us-west-2";
const ENGINE_VERSION = "16.13";
const SECRET_NAME = "orders-db-master";

/** The existing VPCs: their database subnets (one per AZ) and the security group of the clients. */
const VPCS = {
  [PRIMARY]: {
    vpcId: "vpc-0a1b2c3d4e5f60001",
    subnetIds: ["subnet-0a1b2c3d4e5f61001", "subnet-0a1b2c3d4e5f61002", "subnet-0a1b2c3d4e5f61003"],
    availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
    clientSecurityGroupIds: ["sg-0a1b2c3d4e5f61000"],
  },
  [SECONDARY]: {
    vpcId: "vpc-0a1b2c3d4e5f60002",
    subnetIds: ["subnet-0a1b2c3d4e5f62001", "subnet-0a1b2c3d4e5f62002", "subnet-0a1b2c3d4e5f62003"],
    availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c"],
    clientSecurityGroupIds: ["sg-0a1b2c3d4e5f62000"],
  },
};

/** Two providers, one per region; `alias` lets one stack hold resources of both. */
function regionalProviders(stack: TerraformStack): Record<string, AwsProvider> {
  return {
    [PRIMARY]: new AwsProvider(stack, "aws-primary", { region: PRIMARY, alias: "primary", allowedAccountIds: [ACCOUNT_ID] }),
    [SECONDARY]: new AwsProvider(stack, "aws-secondary", { region: SECONDARY, alias: "secondary", allowedAccountIds: [ACCOUNT_ID] }),
  };
}

class AuroraGlobalStack extends TerraformStack {
  readonly key: MultiRegionKey;
  readonly database: AuroraGlobalDatabase;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const providers = regionalProviders(this);
    const partition = new DataAwsPartition(this, "partition", { provider: providers[PRIMARY] }).partition;

    this.key = new MultiRegionKey(this, "data-key", {
      primaryProvider: providers[PRIMARY]!,
      replicaProvider: providers[SECONDARY]!,
      alias: "orders-data",
      description: "Aurora global database and master secret of the orders service",
      accountId: ACCOUNT_ID,
      partition,
    });
    this.database = new AuroraGlobalDatabase(this, "orders", {
      provider: providers[PRIMARY],
      globalClusterIdentifier: "orders",
      engineVersion: ENGINE_VERSION,
      databaseName: "orders",
    });
    const credentials = new MasterCredentials(this, "master-credentials", {
      provider: providers[PRIMARY]!,
      secretName: SECRET_NAME,
      username: "orders_admin",
      passwordVersion: 1,
      kmsKeyArn: this.key.primaryKey.arn,
      replica: { region: SECONDARY, kmsKeyArn: this.key.replica.arn },
    });
    new TerraformOutput(this, "global_cluster_id", { value: this.database.globalCluster.id });
    new TerraformOutput(this, "master_secret_arn", { value: credentials.secret.arn });
  }
}

class AuroraMembersStack extends TerraformStack {
  constructor(scope: Construct, id: string, global: AuroraGlobalStack) {
    super(scope, id);
    const providers = regionalProviders(this);
    const partition = new DataAwsPartition(this, "partition", { provider: providers[PRIMARY] }).partition;
    const member = (region: typeof PRIMARY | typeof SECONDARY, role: "writer" | "reader"): AuroraRegionalMemberProps => ({
      provider: providers[region],
      // Named by region, never by role: a switchover renames nothing.
      clusterIdentifier: `orders-${region}`,
      region,
      role,
      writerRegion: PRIMARY,
      globalCluster: global.database,
      engineVersion: ENGINE_VERSION,
      instanceClass: "db.r6g.large",
      instanceCount: 2,
      ...VPCS[region],
      kmsKeyArn: region === PRIMARY ? global.key.primaryKey.arn : global.key.replica.arn,
      // Both members carry the writer settings (a reader ignores them), so a flip needs no edit.
      writer: { databaseName: "orders", masterUsername: "orders_admin", masterSecretName: SECRET_NAME, masterPasswordVersion: 1 },
      backupRetentionDays: 7,
      backupWindow: "07:00-08:00",
      maintenanceWindow: "tue:09:00-tue:10:00",
      parameters: { logMinDurationStatementMs: 500 },
      monitoringIntervalSeconds: 60,
      partition,
      accountId: ACCOUNT_ID,
    });
    const writer = new AuroraRegionalMember(this, "writer", member(PRIMARY, "writer"));
    const reader = new AuroraRegionalMember(this, "reader", member(SECONDARY, "reader"));
    // A secondary cluster can only join a global database that already has its primary.
    reader.cluster.dependsOn = [...(reader.cluster.dependsOn ?? []), dependable(writer.cluster)];

    new TerraformOutput(this, "writer_endpoint", { value: writer.cluster.endpoint });
    new TerraformOutput(this, "reader_endpoint", { value: reader.cluster.readerEndpoint });
  }
}

const app = new App();
const global = new AuroraGlobalStack(app, "aurora-global");
new AuroraMembersStack(app, "aurora-members", global);
app.synth();
