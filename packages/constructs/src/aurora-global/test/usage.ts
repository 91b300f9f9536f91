import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataTerraformRemoteStateS3, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AuroraGlobalDatabase, AuroraRegionalMember, MasterCredentials, type AuroraRegionalMemberProps, type IAuroraGlobalDatabase } from "@meridian/constructs";

const ACCOUNT = "123456789012";
const KEYS = { "us-east-1": `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-1`, "eu-west-1": `arn:aws:kms:eu-west-1:${ACCOUNT}:key/mrk-1` };

/** An Aurora PostgreSQL global database: the writer in us-east-1, a promotable reader in eu-west-1. */
export class AuroraGlobalExample extends TerraformStack {
  readonly database: AuroraGlobalDatabase;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const home = new AwsProvider(this, "aws", { region: "us-east-1" });
    const secondary = new AwsProvider(this, "secondary", { region: "eu-west-1", alias: "secondary" });
    this.database = new AuroraGlobalDatabase(this, "orders", { globalClusterIdentifier: "orders", engineVersion: "16.6", databaseName: "orders" });
    new MasterCredentials(this, "credentials", {
      provider: home,
      secretName: "orders/aurora/master",
      username: "orders_admin",
      passwordVersion: 1,
      kmsKeyArn: KEYS["us-east-1"],
      replica: { region: "eu-west-1", kmsKeyArn: KEYS["eu-west-1"] },
    });
    // Both members share every setting but their region, role and network.
    const shared: Omit<AuroraRegionalMemberProps, "clusterIdentifier" | "region" | "role" | "availabilityZones" | "vpcId" | "subnetIds" | "clientSecurityGroupIds" | "kmsKeyArn"> = {
      globalCluster: this.database,
      writerRegion: "us-east-1",
      engineVersion: "16.6",
      instanceClass: "db.r7g.large",
      instanceCount: 2,
      backupRetentionDays: 7,
      backupWindow: "03:00-04:00",
      maintenanceWindow: "sun:05:00-sun:06:00",
      parameters: { logMinDurationStatementMs: 1000 },
      monitoringIntervalSeconds: 60,
      partition: "aws",
      accountId: ACCOUNT,
    };
    new AuroraRegionalMember(this, "writer", {
      ...shared,
      clusterIdentifier: "orders-us-east-1",
      region: "us-east-1",
      role: "writer",
      writer: { databaseName: "orders", masterUsername: "orders_admin", masterSecretName: "orders/aurora/master", masterPasswordVersion: 1 },
      availabilityZones: ["us-east-1a", "us-east-1b"],
      vpcId: "vpc-0a1b2c3d4e5f60001",
      subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
      clientSecurityGroupIds: ["sg-0a1b2c3d4e5f60001"],
      kmsKeyArn: KEYS["us-east-1"],
      provider: home,
    });
    new AuroraRegionalMember(this, "reader", {
      ...shared,
      clusterIdentifier: "orders-eu-west-1",
      region: "eu-west-1",
      role: "reader",
      availabilityZones: ["eu-west-1a", "eu-west-1b"],
      vpcId: "vpc-0a1b2c3d4e5f60002",
      subnetIds: ["subnet-0a1b2c3d4e5f60003", "subnet-0a1b2c3d4e5f60004"],
      clientSecurityGroupIds: ["sg-0a1b2c3d4e5f60002"],
      kmsKeyArn: KEYS["eu-west-1"],
      provider: secondary,
    });
  }
}

/** A reader in a stack of its own, joining a global cluster whose identifier another team's stack outputs. */
export class AuroraJoiningMemberExample extends TerraformStack {
  readonly database: IAuroraGlobalDatabase;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    const global = new DataTerraformRemoteStateS3(this, "global-database", { bucket: "team-state", key: "orders/global-database.tfstate", region: "us-east-1" });
    this.database = AuroraGlobalDatabase.fromGlobalDatabaseAttributes(this, "orders", {
      globalClusterIdentifier: global.getString("global_cluster_id"),
      engineVersion: "16.6",
      // The writer lives in the other team's stack: declared, so the cross-region rules see it.
      members: [{ region: "us-east-1", role: "writer", engineVersion: "16.6", instanceClass: "db.r7g.large", instanceCount: 2, availabilityZones: ["us-east-1a", "us-east-1b"] }],
    });
    new AuroraRegionalMember(this, "reader", {
      clusterIdentifier: "orders-eu-west-1",
      region: "eu-west-1",
      role: "reader",
      writerRegion: "us-east-1",
      globalCluster: this.database,
      engineVersion: "16.6",
      instanceClass: "db.r7g.large",
      instanceCount: 2,
      availabilityZones: ["eu-west-1a", "eu-west-1b"],
      vpcId: "vpc-0a1b2c3d4e5f60002",
      subnetIds: ["subnet-0a1b2c3d4e5f60003", "subnet-0a1b2c3d4e5f60004"],
      clientSecurityGroupIds: ["sg-0a1b2c3d4e5f60002"],
      kmsKeyArn: KEYS["eu-west-1"],
      backupRetentionDays: 7,
      backupWindow: "03:00-04:00",
      maintenanceWindow: "sun:05:00-sun:06:00",
      parameters: { logMinDurationStatementMs: 1000 },
      monitoringIntervalSeconds: 60,
      partition: "aws",
      accountId: ACCOUNT,
    });
  }
}
