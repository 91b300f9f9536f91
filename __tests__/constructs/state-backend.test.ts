import { Testing, type App } from "cdktf";
import { StateBootstrapStack } from "../../stacks/state-bootstrap-stack";
import { resourcesOf, synthJson, synthStacks, validCatalogue, type Block } from "../helpers";

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

  describe("state-access roles", () => {
    const documents = bootstrap.data!.aws_iam_policy_document! as Record<string, { statement: Block[] }>;
    const documentOf = (idPart: string) => Object.entries(documents).find(([id]) => id.startsWith(`state_${idPart}_`))![1];
    const role = (name: string) => only("aws_iam_role").find((r) => r.name === name)!;
    const PRIMARY_OBJECTS = "${aws_s3_bucket.state_bucket_99469A59.arn}";
    const REPLICA_OBJECTS = "${aws_s3_bucket.state_replica-bucket_FB7425CC.arn}";
    const bothBuckets = (suffix: string) => [`${PRIMARY_OBJECTS}/${suffix}`, `${REPLICA_OBJECTS}/${suffix}`];
    const trusted = (idPart: string) => documentOf(`${idPart}-trust`).statement.flatMap((s) => (s.principals as { identifiers: string[] }[]).flatMap((p) => p.identifiers));
    const bySid = (idPart: string) => Object.fromEntries(documentOf(`${idPart}-permissions`).statement.map((s) => [s.sid as string, s]));

    test("every environment gets a writer and a reader with deterministic names", () => {
      expect(only("aws_iam_role").map((r) => r.name).filter((n) => typeof n === "string").sort()).toEqual([
        "meridian-production-state-reader",
        "meridian-production-state-writer",
        "meridian-staging-state-reader",
        "meridian-staging-state-writer",
      ]);
      expect(role("meridian-staging-state-writer").assume_role_policy).toContain("access-staging-writer-trust");
    });

    test("the writer trusts exactly the environment's deploy role; the reader its deploy and plan role", () => {
      expect(trusted("access-staging-writer")).toEqual(["arn:aws:iam::222222222222:role/meridian-staging-deploy"]);
      expect(trusted("access-staging-reader")).toEqual(["arn:aws:iam::222222222222:role/meridian-staging-deploy", "arn:aws:iam::222222222222:role/meridian-staging-plan"]);
      expect(trusted("access-production-writer")).toEqual(["arn:aws:iam::333333333333:role/meridian-production-deploy"]);
    });

    test("configured CI roles replace the defaults in the trust", () => {
      // Only the bootstrap stack: a whole synth of every stack would cost seconds for one document.
      const custom = synthJson(
        new StateBootstrapStack(
          Testing.app() as App,
          validCatalogue((raw) => Object.assign(raw.environments[0]!, { deployRoleArn: "arn:aws:iam::222222222222:role/ci/deployer", planRoleArn: "arn:aws:iam::222222222222:role/ci/planner" })),
        ),
      );
      const customTrust = Object.entries(custom.data!.aws_iam_policy_document!).find(([id]) => id.startsWith("state_access-staging-reader-trust_"))![1];
      expect((customTrust.statement as { principals: { identifiers: string[] }[] }[])[0]!.principals[0]!.identifiers).toEqual([
        "arn:aws:iam::222222222222:role/ci/deployer",
        "arn:aws:iam::222222222222:role/ci/planner",
      ]);
    });

    test("the writer reads and writes only its environment's keys and lock items, on both sites, and encrypts with both state keys", () => {
      const writer = bySid("access-staging-writer");
      expect(Object.keys(writer).sort()).toEqual(["EncryptWithStateKey", "ListStateBuckets", "OwnLockAndDigestItems", "ReadWriteOwnState"]);
      expect(writer.ReadWriteOwnState).toMatchObject({ actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], resources: bothBuckets("meridian/staging/*") });
      expect(writer.OwnLockAndDigestItems).toMatchObject({
        actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
        resources: [expect.stringContaining("aws_dynamodb_table.state_lock-table"), expect.stringMatching(/:dynamodb:us-west-2:111111111111:table\/meridian-terraform-locks$/)],
        condition: [{ test: "ForAllValues:StringLike", variable: "dynamodb:LeadingKeys", values: ["meridian-tfstate-111111111111/meridian/staging/*", "meridian-tfstate-111111111111-us-west-2/meridian/staging/*"] }],
      });
      expect(writer.EncryptWithStateKey).toMatchObject({
        actions: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
        resources: [expect.stringContaining("aws_kms_key.state_key_primary"), expect.stringContaining("aws_kms_replica_key.state_key_replica")],
      });
    });

    test("the reader only reads: its own keys, the keys its stacks read remotely, its digests, and decrypts", () => {
      const reader = bySid("access-staging-reader");
      expect(Object.keys(reader).sort()).toEqual(["DecryptWithStateKey", "ListStateBuckets", "OwnLockAndDigestItems", "ReadOwnState", "ReadStatesReadByItsStacks"]);
      expect(reader.ReadOwnState).toMatchObject({ actions: ["s3:GetObject"], resources: bothBuckets("meridian/staging/*") });
      expect(reader.ReadStatesReadByItsStacks).toMatchObject({ actions: ["s3:GetObject"], resources: bothBuckets("meridian/production/production-hub-network.tfstate") });
      expect(reader.OwnLockAndDigestItems).toMatchObject({ actions: ["dynamodb:GetItem"] });
      expect(reader.DecryptWithStateKey).toMatchObject({ actions: ["kms:Decrypt"] });
      // The hub's reader reads every regional state of the other environments.
      expect(bySid("access-production-reader").ReadStatesReadByItsStacks!.resources).toEqual([
        ...bothBuckets("meridian/staging/staging-regional-us-east-1.tfstate"),
        ...bothBuckets("meridian/staging/staging-regional-us-west-2.tfstate"),
      ]);
    });

    test("the state key's policy admits the roles: its account statement delegates use to this account's IAM policies", () => {
      const keyPolicy = Object.entries(documents).find(([id]) => id.startsWith("state_key_primary_policy"))![1];
      expect(keyPolicy.statement).toContainEqual(
        expect.objectContaining({ effect: "Allow", actions: ["kms:*"], principals: [{ type: "AWS", identifiers: [expect.stringMatching(/:iam::111111111111:root$/)] }] }),
      );
      // The roles live in that account.
      only("aws_iam_role").forEach((r) => expect(r.provider).toBe("aws.primary"));
    });
  });
});
