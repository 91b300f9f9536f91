import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import type { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { KmsReplicaKey } from "@cdktf/provider-aws/lib/kms-replica-key";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { Construct } from "constructs";
import { GlobalTable } from "../global-table/global-table";
import { HardenedBucket } from "../hardened-bucket/hardened-bucket";
import { MultiRegionKey } from "../multi-region-key/multi-region-key";

/** The resources of both state sites (home first, then replica). */
interface StateSiteResources {
  readonly bucketNames: [string, string];
  readonly bucketArns: [string, string];
  readonly lockTableArns: [string, string];
  readonly keyArns: [string, string];
}

/** The state-access roles of one environment (a set of stacks with its own CI roles), and the state keys they may use. */
export interface StateAccessGrant {
  /** Key of the roles in `accessRoles`, and part of their construct ids; unique among the grants. */
  readonly environment: string;
  /** Name of the writer role in the state account (reads and writes the own states). */
  readonly writerRoleName: string;
  /** Name of the reader role in the state account (reads the own states and `otherKeysRead`). */
  readonly readerRoleName: string;
  /** CI role (its own account) that deploys: trusted by the writer and the reader. */
  readonly deployRoleArn: string;
  /** CI role (its own account) that plans: trusted by the reader only. */
  readonly planRoleArn: string;
  /** Every state key of the environment starts with this (`<project>/<environment>/`). */
  readonly ownKeyPrefix: string;
  /** State keys of other environments the environment's stacks read, sorted. */
  readonly otherKeysRead: readonly string[];
}

export interface StateBackendProps {
  /** Account that owns the bucket, table and key; the key policy's administrator. */
  readonly accountId: string;
  /** State bucket in the home region; also the key's alias (`alias/<bucketName>`). */
  readonly bucketName: string;
  /** Bucket in the replica region that receives every state version. */
  readonly replicaBucketName: string;
  /** The lock table (a DynamoDB global table in both regions, partition key `LockID`). */
  readonly lockTableName: string;
  /** Provider of the state's home region. */
  readonly primaryProvider: AwsProvider;
  /** Provider of the replica region. */
  readonly replicaProvider: AwsProvider;
  /** The replica provider's region, literal (e.g. `us-west-2`): the lock table's replica and the replica table's ARN. */
  readonly replicaRegion: string;
  /** Days old state versions are kept. @default 90 */
  readonly noncurrentVersionRetentionDays?: number;
  /** One writer and one reader role per entry (a set of stacks with its own CI roles). @default [] */
  readonly access?: readonly StateAccessGrant[];
}

/**
 * Where every stack's Terraform state lives, built to survive a region outage: a state bucket
 * and a lock table in the home region, replicated both ways to a bucket and table replica in the
 * replica region, all encrypted with one multi-Region customer key.
 *
 * Replication runs both ways so that state written to the replica during an outage flows back
 * once the home region returns; the lock table is a DynamoDB global table for the same reason.
 */
export class StateBackend extends Construct {
  /** The state bucket in the home region. */
  readonly bucket: HardenedBucket;
  /** The replica bucket in the replica region. */
  readonly replicaBucket: HardenedBucket;
  /** The lock table (global table; its replica is in the replica region). */
  readonly lockTable: DynamodbTable;
  /** The multi-Region primary key, in the home region. */
  readonly key: KmsKey;
  /** The key's replica, in the replica region. */
  readonly replicaKey: KmsReplicaKey;
  /** The state-access roles by environment. */
  readonly accessRoles: ReadonlyMap<string, { readonly writer: IamRole; readonly reader: IamRole }>;

  constructor(scope: Construct, id: string, props: StateBackendProps) {
    super(scope, id);
    validate(id, props);
    const primary = props.primaryProvider;
    const replica = props.replicaProvider;
    const partition = new DataAwsPartition(this, "partition", { provider: primary }).partition;

    const key = new MultiRegionKey(this, "key", {
      primaryProvider: primary,
      replicaProvider: replica,
      alias: props.bucketName,
      description: `Terraform state (${props.bucketName}) and its lock table`,
      accountId: props.accountId,
      partition,
    });
    this.key = key.primaryKey;
    this.replicaKey = key.replica;

    this.bucket = new HardenedBucket(this, "bucket", {
      provider: primary,
      bucketName: props.bucketName,
      kmsKeyArn: this.key.arn,
      noncurrentVersionRetentionDays: props.noncurrentVersionRetentionDays,
    });
    this.replicaBucket = new HardenedBucket(this, "replica-bucket", {
      provider: replica,
      bucketName: props.replicaBucketName,
      kmsKeyArn: this.replicaKey.arn,
      noncurrentVersionRetentionDays: props.noncurrentVersionRetentionDays,
    });

    const replicationRole = this.replicationRole(primary, [this.key.arn, this.replicaKey.arn]);
    this.replicate("replication", primary, replicationRole.arn, this.bucket, this.replicaBucket, this.replicaKey.arn);
    this.replicate("replication-back", replica, replicationRole.arn, this.replicaBucket, this.bucket, this.key.arn);

    this.lockTable = new GlobalTable(this, "lock-table", {
      provider: primary,
      tableName: props.lockTableName,
      partitionKey: { name: "LockID", type: "S" },
      kmsKeyArn: this.key.arn,
      replica: { region: props.replicaRegion, kmsKeyArn: this.replicaKey.arn },
    }).table;

    const site: StateSiteResources = {
      bucketNames: [props.bucketName, props.replicaBucketName],
      bucketArns: [this.bucket.bucket.arn, this.replicaBucket.bucket.arn],
      lockTableArns: [this.lockTable.arn, `arn:${partition}:dynamodb:${props.replicaRegion}:${props.accountId}:table/${props.lockTableName}`],
      keyArns: [this.key.arn, this.replicaKey.arn],
    };
    this.accessRoles = new Map((props.access ?? []).map((access) => [access.environment, this.accessRolesOf(primary, access, site)]));
  }

  /**
   * The environment's writer and reader role. The key policy's account statement lets IAM policies
   * of this account use the key, and the buckets and table belong to this account, so the roles'
   * own policies are all the access needs. Every grant covers both sites (home and replica), so
   * the stacks keep working on `STATE_SITE=replica` during an outage.
   *
   * What the S3 backend calls: HeadObject/GetObject/PutObject on the key, GetObject/PutObject/
   * DeleteObject on `<key>.tflock` (`use_lockfile`), ListObjectsV2 (workspaces; without
   * s3:ListBucket a missing state answers 403 instead of 404, which breaks a first deploy), and
   * GetItem/PutItem/DeleteItem of `<bucket>/<key>` (lock) and `<bucket>/<key>-md5` (digest).
   */
  private accessRolesOf(provider: AwsProvider, access: StateAccessGrant, site: StateSiteResources): { writer: IamRole; reader: IamRole } {
    const id = `access-${access.environment}`;
    const ownObjects = site.bucketArns.map((arn) => `${arn}/${access.ownKeyPrefix}*`);
    // LockID is `<bucket>/<key>` (lock) or `<bucket>/<key>-md5` (digest); dynamodb:LeadingKeys is the partition key.
    const ownLockItems = site.bucketNames.map((bucket) => `${bucket}/${access.ownKeyPrefix}*`);
    const lockItems = (actions: string[]) => ({
      sid: "OwnLockAndDigestItems",
      effect: "Allow",
      actions,
      resources: site.lockTableArns,
      condition: [{ test: "ForAllValues:StringLike", variable: "dynamodb:LeadingKeys", values: ownLockItems }],
    });
    const listBuckets = { sid: "ListStateBuckets", effect: "Allow", actions: ["s3:ListBucket"], resources: site.bucketArns };

    const writer = this.accessRole(provider, `${id}-writer`, access.writerRoleName, [access.deployRoleArn], `Reads and writes the Terraform state of ${access.environment} (deploys)`, [
      listBuckets,
      { sid: "ReadWriteOwnState", effect: "Allow", actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], resources: ownObjects },
      lockItems(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]),
      { sid: "EncryptWithStateKey", effect: "Allow", actions: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], resources: site.keyArns },
    ]);
    const otherObjects = access.otherKeysRead.flatMap((key) => site.bucketArns.map((arn) => `${arn}/${key}`));
    const reader = this.accessRole(
      provider,
      `${id}-reader`,
      access.readerRoleName,
      [access.deployRoleArn, access.planRoleArn],
      `Reads the Terraform state of ${access.environment} and the states its stacks read (plans, remote state)`,
      [
        listBuckets,
        { sid: "ReadOwnState", effect: "Allow", actions: ["s3:GetObject"], resources: ownObjects },
        ...(otherObjects.length > 0 ? [{ sid: "ReadStatesReadByItsStacks", effect: "Allow", actions: ["s3:GetObject"], resources: otherObjects }] : []),
        // A plan with -lock=false still checks the state's digest.
        lockItems(["dynamodb:GetItem"]),
        { sid: "DecryptWithStateKey", effect: "Allow", actions: ["kms:Decrypt"], resources: site.keyArns },
      ],
    );
    return { writer, reader };
  }

  private accessRole(
    provider: AwsProvider,
    id: string,
    name: string,
    trusted: string[],
    description: string,
    statement: NonNullable<ConstructorParameters<typeof DataAwsIamPolicyDocument>[2]>["statement"],
  ): IamRole {
    const trust = new DataAwsIamPolicyDocument(this, `${id}-trust`, {
      provider,
      statement: [{ sid: "CiRolesOfTheEnvironment", effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "AWS", identifiers: trusted }] }],
    });
    const permissions = new DataAwsIamPolicyDocument(this, `${id}-permissions`, { provider, statement });
    const role = new IamRole(this, id, { provider, name, description, assumeRolePolicy: trust.json, maxSessionDuration: 3600 });
    new IamRolePolicy(this, `${id}-policy`, { provider, role: role.id, name: "terraform-state", policy: permissions.json });
    return role;
  }

  /** One role serves both directions; it can only read from and write to the two state buckets. */
  private replicationRole(provider: AwsProvider, keyArns: string[]): IamRole {
    const buckets = [this.bucket.bucket.arn, this.replicaBucket.bucket.arn];
    const trust = new DataAwsIamPolicyDocument(this, "replication-trust", {
      provider,
      statement: [{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["s3.amazonaws.com"] }] }],
    });
    const permissions = new DataAwsIamPolicyDocument(this, "replication-permissions", {
      provider,
      statement: [
        { sid: "ReadReplicationConfiguration", effect: "Allow", actions: ["s3:GetReplicationConfiguration", "s3:ListBucket"], resources: buckets },
        {
          sid: "ReadSourceVersions",
          effect: "Allow",
          actions: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
          resources: buckets.map((arn) => `${arn}/*`),
        },
        {
          sid: "WriteReplicas",
          effect: "Allow",
          actions: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
          resources: buckets.map((arn) => `${arn}/*`),
        },
        { sid: "UseStateKeys", effect: "Allow", actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], resources: keyArns },
      ],
    });
    const role = new IamRole(this, "replication-role", {
      provider,
      namePrefix: "tfstate-replication-",
      assumeRolePolicy: trust.json,
    });
    new IamRolePolicy(this, "replication-policy", { provider, role: role.id, name: "replicate-state", policy: permissions.json });
    return role;
  }

  private replicate(
    id: string,
    provider: AwsProvider,
    roleArn: string,
    source: HardenedBucket,
    destination: HardenedBucket,
    destinationKeyArn: string,
  ): void {
    new S3BucketReplicationConfigurationA(this, id, {
      provider,
      bucket: source.bucket.id,
      role: roleArn,
      dependsOn: [source.versioning, destination.versioning],
      rule: [
        {
          id: "state",
          status: "Enabled",
          priority: 1,
          filter: {},
          deleteMarkerReplication: { status: "Enabled" },
          sourceSelectionCriteria: {
            sseKmsEncryptedObjects: { status: "Enabled" },
            // Lets the reverse rule carry changes made to replicas back to their source.
            replicaModifications: { status: "Enabled" },
          },
          destination: {
            bucket: destination.bucket.arn,
            storageClass: "STANDARD",
            encryptionConfiguration: { replicaKmsKeyId: destinationKeyArn },
          },
        },
      ],
    });
  }
}

function validate(id: string, props: StateBackendProps): void {
  const refuse = (prop: string, value: unknown, rule: string): never => {
    throw new Error(`StateBackend "${id}": ${prop} = ${JSON.stringify(value)} ${rule}`);
  };
  if (props.replicaBucketName === props.bucketName) {
    refuse("replicaBucketName", props.replicaBucketName, "must differ from bucketName: replication needs a second bucket, and S3 bucket names are global");
  }
  const access = props.access ?? [];
  access.forEach((grant, index) => {
    const first = access.findIndex((other) => other.environment === grant.environment);
    if (first !== index) {
      refuse(`access[${index}].environment`, grant.environment, `repeats access[${first}].environment: each grant's roles are keyed by it in accessRoles`);
    }
  });
}
