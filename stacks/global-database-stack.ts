import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { GLOBAL_DATABASE_OUTPUTS, globalClusterIdentifier, globalDatabaseStackName, masterSecretName, resourcePrefix } from "../src/config/naming";
import { environmentBackendAndProviders, type EnvironmentStackProps } from "./environment-stack";
import { AuroraGlobalDatabase } from "@meridian/constructs";
import { MasterCredentials } from "@meridian/constructs";
import { GlobalTable } from "@meridian/constructs";
import { MultiRegionKey } from "@meridian/constructs";

export type GlobalDatabaseStackProps = EnvironmentStackProps;

/**
 * An environment's global data resources: the Aurora global cluster, the multi-Region key that
 * encrypts the database, secret and tables in both regions, the replicated master secret, and
 * the DynamoDB global tables. It deploys before the regional stacks, whose Aurora members join
 * the global cluster.
 *
 * Providers: the default provider sits in `homeRegion`, where every resource here was created;
 * `primary` and `secondary` follow the writer. A resource in the other region takes the alias of
 * that region's current role, so after a switchover it names the other alias but still resolves
 * to the same region: nothing moves, nothing is replaced.
 */
export class GlobalDatabaseStack extends TerraformStack {
  readonly key: MultiRegionKey;
  readonly homeRegion: string;
  readonly globalDatabase?: AuroraGlobalDatabase;
  readonly masterCredentials?: MasterCredentials;
  readonly tables: GlobalTable[];

  constructor(scope: Construct, props: GlobalDatabaseStackProps) {
    const { catalogue, environment } = props;
    const id = globalDatabaseStackName(environment.name);
    super(scope, id);
    const providers = environmentBackendAndProviders(this, props, { homeRegion: environment.homeRegion, spans: { primary: environment.primaryRegion, secondary: environment.secondaryRegion } });
    this.homeRegion = environment.homeRegion;
    const otherRegion = environment.regions.map((r) => r.region).find((r) => r !== environment.homeRegion)!;
    const otherProvider: AwsProvider = otherRegion === environment.primaryRegion ? providers.primary! : providers.secondary!;
    const prefix = resourcePrefix(catalogue.project, environment.name);
    const partition = new DataAwsPartition(this, "partition").partition;

    this.key = new MultiRegionKey(this, "data-key", {
      primaryProvider: providers.home,
      replicaProvider: otherProvider,
      alias: `${prefix}-data`,
      description: `Aurora global database, master secret and global tables of ${prefix}`,
      accountId: environment.accountId,
      partition,
    });
    const replica = { region: otherRegion, kmsKeyArn: this.key.replica.arn };

    const db = environment.database;
    if (db) {
      this.globalDatabase = new AuroraGlobalDatabase(this, "aurora", {
        provider: providers.home,
        globalClusterIdentifier: globalClusterIdentifier(catalogue.project, environment.name),
        engineVersion: db.engineVersion,
        databaseName: db.databaseName,
      });
      this.masterCredentials = new MasterCredentials(this, "master-credentials", {
        provider: providers.home,
        secretName: masterSecretName(catalogue.project, environment.name),
        username: db.masterUsername,
        passwordVersion: db.masterPasswordVersion,
        kmsKeyArn: this.key.primaryKey.arn,
        replica,
      });
      new TerraformOutput(this, GLOBAL_DATABASE_OUTPUTS.globalClusterId, { value: this.globalDatabase.globalCluster.id, description: "Aurora global cluster identifier" });
      new TerraformOutput(this, GLOBAL_DATABASE_OUTPUTS.masterSecretArn, { value: this.masterCredentials.secret.arn, description: "Secrets Manager secret with the master credentials (replicated)" });
    }

    this.tables = environment.keyValueTables.map(
      (table) =>
        new GlobalTable(this, `table-${table.name}`, {
          provider: providers.home,
          tableName: `${prefix}-${table.name}`,
          partitionKey: table.partitionKey,
          sortKey: table.sortKey,
          ttlAttribute: table.ttlAttribute,
          kmsKeyArn: this.key.primaryKey.arn,
          replica,
        }),
    );
    new TerraformOutput(this, GLOBAL_DATABASE_OUTPUTS.dataKeyArns, {
      value: { [environment.homeRegion]: this.key.primaryKey.arn, [otherRegion]: this.key.replica.arn },
      description: "Customer key of the data layer per region",
    });
    new TerraformOutput(this, GLOBAL_DATABASE_OUTPUTS.keyValueTables, { value: this.tables.map((t) => t.table.name), description: "DynamoDB global tables" });
  }

  /** The data key valid in `region` (the primary key at home, the replica elsewhere). */
  keyArnFor(region: string): string {
    return region === this.homeRegion ? this.key.primaryKey.arn : this.key.replica.arn;
  }
}
