import { resourcesOf, synthStacks, type Block } from "../helpers";

const bootstrap = synthStacks().get("state-bootstrap")!;
const only = (type: string): Block[] => resourcesOf(bootstrap, type);

describe("StateBackend", () => {
  test("encrypts with a multi-Region customer key that rotates, replicated to the replica region", () => {
    expect(only("aws_kms_key")).toEqual([
      expect.objectContaining({ multi_region: true, enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } }),
    ]);
    expect(only("aws_kms_replica_key")).toEqual([expect.objectContaining({ provider: "aws.secondary" })]);
  });

  test("the key policy grants only the owning account, never '*'", () => {
    const policy = Object.entries(bootstrap.data!.aws_iam_policy_document!).find(([id]) => id.startsWith("state_key_primary_policy"))![1];
    const statements = policy.statement as { principals: { identifiers: string[] }[] }[];
    expect(statements.flatMap((s) => s.principals.flatMap((p) => p.identifiers))).toEqual([
      expect.stringMatching(/^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:iam::111111111111:root$/),
    ]);
  });

  test("both buckets are versioned, SSE-KMS encrypted, fully public-blocked and owner-enforced", () => {
    expect(only("aws_s3_bucket").map((b) => b.bucket)).toEqual(["meridian-tfstate-111111111111", "meridian-tfstate-111111111111-us-west-2"]);
    expect(only("aws_s3_bucket_versioning")).toHaveLength(2);
    only("aws_s3_bucket_versioning").forEach((v) => expect(v.versioning_configuration).toEqual({ status: "Enabled" }));
    only("aws_s3_bucket_server_side_encryption_configuration").forEach((e) =>
      expect(e.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_(replica_)?key\./) }, bucket_key_enabled: true }]),
    );
    expect(only("aws_s3_bucket_public_access_block")).toHaveLength(2);
    only("aws_s3_bucket_public_access_block").forEach((b) =>
      expect(b).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
    );
    only("aws_s3_bucket_ownership_controls").forEach((o) => expect(o.rule).toEqual({ object_ownership: "BucketOwnerEnforced" }));
  });

  test("bucket policies deny any request without TLS", () => {
    const documents = Object.entries(bootstrap.data!.aws_iam_policy_document!).filter(([id]) => id.includes("policy-document"));
    expect(documents).toHaveLength(2);
    documents.forEach(([, doc]) =>
      expect(doc.statement).toContainEqual(
        expect.objectContaining({ effect: "Deny", actions: ["s3:*"], condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] }),
      ),
    );
  });

  test("lifecycle expires old versions and aborts abandoned uploads", () => {
    only("aws_s3_bucket_lifecycle_configuration").forEach((l) =>
      expect(l.rule).toEqual([
        expect.objectContaining({ noncurrent_version_expiration: [{ noncurrent_days: 90 }] }),
        expect.objectContaining({ abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }),
      ]),
    );
  });

  test("replicates state both ways, re-encrypting with the destination region's key", () => {
    const rules = only("aws_s3_bucket_replication_configuration");
    expect(rules.map((r) => r.provider).sort()).toEqual(["aws.primary", "aws.secondary"]);
    rules.forEach((r) => {
      const [rule] = r.rule as Block[];
      expect(rule).toMatchObject({ status: "Enabled", delete_marker_replication: { status: "Enabled" } });
      expect(rule!.source_selection_criteria).toEqual({ sse_kms_encrypted_objects: { status: "Enabled" }, replica_modifications: { status: "Enabled" } });
    });
    const forward = rules.find((r) => r.provider === "aws.primary")!;
    expect((forward.rule as Block[])[0]!.destination).toMatchObject({ encryption_configuration: { replica_kms_key_id: expect.stringContaining("aws_kms_replica_key") } });
  });

  test("the lock table is a protected global table with PITR and KMS encryption in both regions", () => {
    expect(only("aws_dynamodb_table")).toEqual([
      expect.objectContaining({
        name: "meridian-terraform-locks",
        hash_key: "LockID",
        billing_mode: "PAY_PER_REQUEST",
        deletion_protection_enabled: true,
        point_in_time_recovery: { enabled: true },
        server_side_encryption: { enabled: true, kms_key_arn: expect.stringContaining("aws_kms_key") },
        replica: [expect.objectContaining({ region_name: "us-west-2", point_in_time_recovery: true, kms_key_arn: expect.stringContaining("aws_kms_replica_key") })],
      }),
    ]);
  });

  test("state resources refuse terraform destroy", () => {
    [...only("aws_s3_bucket"), ...only("aws_dynamodb_table"), ...only("aws_kms_key")].forEach((r) =>
      expect(r.lifecycle).toEqual({ prevent_destroy: true }),
    );
  });
});
