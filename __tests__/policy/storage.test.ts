import { dynamodbCustomerKey, dynamodbPointInTimeRecovery } from "../../src/policy/rules/dynamodb";
import { efsAccessPointIdentity, efsBackupPolicy, efsEncrypted } from "../../src/policy/rules/efs";
import { s3BucketLifecycle, s3KmsEncryption, s3PublicAccessBlock, s3StateBucketReplication, s3TlsOnlyAndOwnerEnforced, s3Versioning } from "../../src/policy/rules/s3";
import { fixtureStack, messages, ref, single, tweak, type FixtureStack, type Resources } from "./fixtures";

const bucketRef = (name: string) => ref(`aws_s3_bucket.${name}`);

/** A bucket with everything HardenedBucket gives it. */
function hardenedBucket(name: string, bucket: string, provider?: string): Resources {
  const p = provider ? { provider } : {};
  return {
    aws_s3_bucket: { [name]: { bucket, ...p } },
    aws_s3_bucket_public_access_block: { [`${name}-pab`]: { bucket: bucketRef(name), block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true, ...p } },
    aws_s3_bucket_ownership_controls: { [`${name}-ownership`]: { bucket: bucketRef(name), rule: { object_ownership: "BucketOwnerEnforced" }, ...p } },
    aws_s3_bucket_versioning: { [`${name}-versioning`]: { bucket: bucketRef(name), versioning_configuration: { status: "Enabled" }, ...p } },
    aws_s3_bucket_server_side_encryption_configuration: {
      [`${name}-encryption`]: { bucket: bucketRef(name), rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: ref("aws_kms_key.key", "arn") } }], ...p },
    },
    aws_s3_bucket_lifecycle_configuration: {
      [`${name}-lifecycle`]: {
        bucket: bucketRef(name),
        rule: [
          { id: "expire", status: "Enabled", noncurrent_version_expiration: [{ noncurrent_days: 90 }] },
          { id: "abort", status: "Enabled", abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] },
        ],
        ...p,
      },
    },
    aws_s3_bucket_policy: { [`${name}-policy`]: { bucket: bucketRef(name), policy: `\${data.aws_iam_policy_document.${name}-tls.json}`, ...p } },
  };
}
const tlsOnly = (name: string) => ({
  [`${name}-tls`]: {
    statement: [
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        principals: [{ type: "*", identifiers: ["*"] }],
        actions: ["s3:*"],
        resources: [ref(`aws_s3_bucket.${name}`, "arn")],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
    ],
  },
});

function merge(...parts: Resources[]): Resources {
  const merged: Resources = {};
  for (const part of parts) {
    for (const [type, byName] of Object.entries(part)) {
      merged[type] = { ...(merged[type] ?? {}), ...byName };
    }
  }
  return merged;
}

/** The state bootstrap: state bucket and replica, two-way replication. */
function stateStack(change?: (r: Resources) => void): FixtureStack {
  const replicate = (from: string, to: string, provider?: string) => ({
    bucket: bucketRef(from),
    role: "arn:aws:iam::123456789012:role/replication",
    rule: [{ id: "state", status: "Enabled", destination: { bucket: ref(`aws_s3_bucket.${to}`, "arn") } }],
    ...(provider ? { provider } : {}),
  });
  const resources = merge(hardenedBucket("state", "tfstate"), hardenedBucket("replica", "tfstate-us-west-2", "aws.replica"), {
    aws_kms_key: { key: { enable_key_rotation: true } },
    aws_s3_bucket_replication_configuration: { forward: replicate("state", "replica"), back: replicate("replica", "state", "aws.replica") },
  });
  change?.(resources);
  return fixtureStack("state-bootstrap", resources, { aliases: { replica: "us-west-2" }, data: { aws_iam_policy_document: { ...tlsOnly("state"), ...tlsOnly("replica") } } });
}
/** A stack that keeps its state in the state bucket (so the bucket is recognized as a state bucket). */
const stateUser = fixtureStack("production-edge", {}, { stateBucket: "tfstate" });
const logBucket = (change?: (r: Resources) => void) => {
  const resources = merge(hardenedBucket("logs", "flow-logs"), { aws_kms_key: { key: { enable_key_rotation: true } } });
  change?.(resources);
  return fixtureStack("production-edge", resources, { data: { aws_iam_policy_document: tlsOnly("logs") } });
};

describe("s3-public-access-block", () => {
  test("flags a bucket without a public access block, and one with a setting off", () => {
    expect(messages(s3PublicAccessBlock, logBucket((r) => delete r.aws_s3_bucket_public_access_block))).toEqual([
      "aws_s3_bucket.logs: no aws_s3_bucket_public_access_block refers to this bucket: ACLs or a policy can make it public",
    ]);
    expect(messages(s3PublicAccessBlock, logBucket((r) => (r.aws_s3_bucket_public_access_block!["logs-pab"]!.restrict_public_buckets = false)))).toEqual([
      "aws_s3_bucket.logs: aws_s3_bucket_public_access_block.logs-pab.restrict_public_buckets = false: must be true",
    ]);
  });

  test("passes a bucket with all four settings on", () => {
    expect(messages(s3PublicAccessBlock, logBucket())).toEqual([]);
  });
});

describe("s3-versioning", () => {
  test("flags a suspended or missing versioning configuration", () => {
    expect(messages(s3Versioning, logBucket((r) => (r.aws_s3_bucket_versioning!["logs-versioning"]!.versioning_configuration = { status: "Suspended" })))).toEqual([
      'aws_s3_bucket.logs: versioning status = "Suspended": an overwritten or deleted object cannot be recovered',
    ]);
    expect(messages(s3Versioning, logBucket((r) => delete r.aws_s3_bucket_versioning))).toEqual([expect.stringContaining("versioning status = not set")]);
  });

  test("passes versioning Enabled", () => {
    expect(messages(s3Versioning, logBucket())).toEqual([]);
  });
});

describe("s3-kms-encryption", () => {
  test("flags SSE-S3 (AES256) and SSE-KMS with the AWS managed key", () => {
    const aes = logBucket((r) => (r.aws_s3_bucket_server_side_encryption_configuration!["logs-encryption"]!.rule = [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]));
    expect(messages(s3KmsEncryption, aes)).toEqual(['aws_s3_bucket.logs: default encryption sse_algorithm = "AES256": objects are not encrypted with a customer-managed KMS key']);
    const managed = logBucket((r) => (r.aws_s3_bucket_server_side_encryption_configuration!["logs-encryption"]!.rule = [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" } }]));
    expect(messages(s3KmsEncryption, managed)).toEqual([expect.stringContaining("the AWS managed aws/s3 key")]);
  });

  test("passes SSE-KMS with the customer key", () => {
    expect(messages(s3KmsEncryption, logBucket())).toEqual([]);
  });
});

describe("s3-tls-only-and-owner-enforced", () => {
  test("flags a bucket without a TLS-only policy and with ACLs enabled", () => {
    const stack = logBucket((r) => {
      delete r.aws_s3_bucket_policy;
      r.aws_s3_bucket_ownership_controls!["logs-ownership"]!.rule = { object_ownership: "ObjectWriter" };
    });
    expect(messages(s3TlsOnlyAndOwnerEnforced, stack)).toEqual([
      "aws_s3_bucket.logs: no aws_s3_bucket_policy refers to this bucket: requests over plain HTTP are accepted",
      'aws_s3_bucket.logs: object_ownership = "ObjectWriter": ACLs stay active, so objects can be owned by (and shared from) other accounts',
    ]);
  });

  test("passes a Deny s3:* without SecureTransport and BucketOwnerEnforced", () => {
    expect(messages(s3TlsOnlyAndOwnerEnforced, logBucket())).toEqual([]);
  });
});

describe("s3-state-bucket-replication", () => {
  test("flags a state bucket that replicates nowhere", () => {
    const stack = stateStack((r) => delete r.aws_s3_bucket_replication_configuration);
    expect(messages(s3StateBucketReplication, [stack, stateUser])).toEqual([
      'aws_s3_bucket.state: state bucket "tfstate" has no enabled replication rule to a bucket in another region: a regional S3 outage stops every deploy',
      'aws_s3_bucket.replica: state bucket "tfstate-us-west-2" has no enabled replication rule to a bucket in another region: a regional S3 outage stops every deploy',
    ]);
  });

  test("flags replication into a bucket of the same region", () => {
    const stack = stateStack((r) => {
      r.aws_s3_bucket!.replica!.provider = undefined;
      delete r.aws_s3_bucket_replication_configuration!.back;
    });
    expect(messages(s3StateBucketReplication, [stack, stateUser])).toHaveLength(2);
  });

  test("passes two-way cross-region replication, and ignores buckets that hold no state", () => {
    expect(messages(s3StateBucketReplication, [stateStack(), stateUser])).toEqual([]);
    expect(messages(s3StateBucketReplication, [logBucket(), stateUser])).toEqual([]);
  });
});

describe("s3-bucket-lifecycle", () => {
  test("flags a bucket whose lifecycle never aborts multipart uploads", () => {
    const stack = logBucket((r) => (r.aws_s3_bucket_lifecycle_configuration!["logs-lifecycle"]!.rule = [{ id: "expire", status: "Enabled", noncurrent_version_expiration: [{ noncurrent_days: 90 }] }]));
    expect(messages(s3BucketLifecycle, stack)).toEqual([
      "aws_s3_bucket.logs: no enabled lifecycle rule with abort_incomplete_multipart_upload: old versions and abandoned uploads are kept (and billed) forever",
    ]);
  });

  test("passes both lifecycle rules enabled", () => {
    expect(messages(s3BucketLifecycle, logBucket())).toEqual([]);
  });
});

const goodTable = {
  name: "sessions",
  point_in_time_recovery: { enabled: true },
  server_side_encryption: { enabled: true, kms_key_arn: ref("aws_kms_key.key", "arn") },
  replica: [{ region_name: "eu-west-1", kms_key_arn: ref("aws_kms_replica_key.replica", "arn"), point_in_time_recovery: true }],
};
const table = (change?: (t: typeof goodTable & Record<string, unknown>) => void) =>
  fixtureStack("production-global-database", { aws_dynamodb_table: { sessions: change ? tweak(goodTable, change) : goodTable }, aws_kms_key: { key: {} }, aws_kms_replica_key: { replica: {} } });

describe("dynamodb-point-in-time-recovery", () => {
  test("flags a table and a replica without point-in-time recovery", () => {
    const stack = table((t) => {
      t.point_in_time_recovery.enabled = false;
      t.replica[0]!.point_in_time_recovery = false;
    });
    expect(messages(dynamodbPointInTimeRecovery, stack)).toEqual([
      "aws_dynamodb_table.sessions: point_in_time_recovery.enabled = false: a bad write cannot be undone",
      'aws_dynamodb_table.sessions: replica[0] ("eu-west-1").point_in_time_recovery = false: the replica cannot be restored',
    ]);
  });

  test("passes PITR on the table and its replicas", () => {
    expect(messages(dynamodbPointInTimeRecovery, table())).toEqual([]);
  });
});

describe("dynamodb-customer-key", () => {
  test("flags the AWS owned key, and a replica without a customer key", () => {
    expect(messages(dynamodbCustomerKey, table((t) => delete (t as Record<string, unknown>).server_side_encryption))).toEqual([
      "aws_dynamodb_table.sessions: server_side_encryption.enabled = not set: the table uses an AWS owned key, outside the account's control",
    ]);
    expect(messages(dynamodbCustomerKey, table((t) => delete (t.replica[0] as Record<string, unknown>).kms_key_arn))).toEqual([
      'aws_dynamodb_table.sessions: replica[0] ("eu-west-1").kms_key_arn = not set: the replica is not encrypted with a customer-managed key',
    ]);
  });

  test("passes customer keys on the table and its replica", () => {
    expect(messages(dynamodbCustomerKey, table())).toEqual([]);
  });
});

const fileSystem = (fs: Record<string, unknown>, backup: string | null = "ENABLED") =>
  fixtureStack("production-regional-us-east-1", {
    aws_efs_file_system: { shared: fs },
    aws_kms_key: { storage: {} },
    ...(backup ? { aws_efs_backup_policy: { shared: { file_system_id: ref("aws_efs_file_system.shared"), backup_policy: { status: backup } } } } : {}),
  });
const encryptedFs = { encrypted: true, kms_key_id: ref("aws_kms_key.storage", "arn") };

describe("efs-encrypted", () => {
  test("flags an unencrypted file system, and one on the AWS managed key", () => {
    expect(messages(efsEncrypted, fileSystem({ encrypted: false }))).toEqual([expect.stringContaining("encrypted = false: files are stored unencrypted")]);
    expect(messages(efsEncrypted, fileSystem({ encrypted: true }))).toEqual([expect.stringContaining("kms_key_id = not set: encrypted with the AWS managed aws/elasticfilesystem key")]);
  });

  test("passes encryption with the customer key", () => {
    expect(messages(efsEncrypted, fileSystem(encryptedFs))).toEqual([]);
  });
});

describe("efs-backup-policy", () => {
  test("flags a file system without a backup policy, and a disabled one", () => {
    expect(messages(efsBackupPolicy, fileSystem(encryptedFs, null))).toEqual(["aws_efs_file_system.shared: backup_policy.status = not set: deleted or corrupted files cannot be restored"]);
    expect(messages(efsBackupPolicy, fileSystem(encryptedFs, "DISABLED"))).toHaveLength(1);
  });

  test("passes an enabled backup policy", () => {
    expect(messages(efsBackupPolicy, fileSystem(encryptedFs))).toEqual([]);
  });
});

describe("efs-access-point-identity", () => {
  test("flags an access point at the root without a POSIX user", () => {
    expect(messages(efsAccessPointIdentity, single("aws_efs_access_point", { file_system_id: "fs-1", root_directory: { path: "/" } }))).toEqual([
      'aws_efs_access_point.subject: root_directory.path = "/": clients see the whole file system',
      "aws_efs_access_point.subject: posix_user is not set: clients act as whatever user they claim",
    ]);
  });

  test("passes a confined root directory and a POSIX user", () => {
    expect(messages(efsAccessPointIdentity, single("aws_efs_access_point", { root_directory: { path: "/volumes/a" }, posix_user: { uid: 1000, gid: 1000 } }))).toEqual([]);
  });
});
