import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { awsStack, onlyResourceOf, policyStatements, synthJson, type SynthesizedJson } from "../../../test-support/fixture";
import { HardenedBucket, type HardenedBucketProps } from "..";
import { HardenedBucketExample } from "./usage";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1";

/** GIVEN a stack with an AWS provider WHEN the bucket is built with `props` THEN the stack's JSON. */
function synthBucket(props: Partial<HardenedBucketProps> = {}): { json: SynthesizedJson; bucket: HardenedBucket } {
  const { stack } = awsStack("eu-west-1");
  const bucket = new HardenedBucket(stack, "bucket", { bucketName: "app-data", kmsKeyArn: KEY, ...props });
  return { json: synthJson(stack), bucket };
}

const lifecycleRules = (json: SynthesizedJson) => onlyResourceOf(json, "aws_s3_bucket_lifecycle_configuration").rule as Record<string, unknown>[];

describe("HardenedBucket", () => {
  test("with the required props: versioned, SSE-KMS with bucket keys, all public access blocked, no ACLs, prevent_destroy", () => {
    const { json } = synthBucket();
    expect(onlyResourceOf(json, "aws_s3_bucket")).toMatchObject({ bucket: "app-data", lifecycle: { prevent_destroy: true } });
    expect(onlyResourceOf(json, "aws_s3_bucket_versioning")).toMatchObject({ versioning_configuration: { status: "Enabled" } });
    expect(onlyResourceOf(json, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: KEY }, bucket_key_enabled: true },
    ]);
    expect(onlyResourceOf(json, "aws_s3_bucket_public_access_block")).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(onlyResourceOf(json, "aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
  });

  test("the policy denies every request without TLS, and has nothing else by default", () => {
    expect(policyStatements(synthBucket().json, "policy-document")).toEqual([
      expect.objectContaining({ sid: "DenyInsecureTransport", effect: "Deny", actions: ["s3:*"], condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] }),
    ]);
  });

  test("lifecycle: old versions expire after 90 days and unfinished uploads abort after 7 by default, after versioning exists", () => {
    const { json, bucket } = synthBucket();
    expect(lifecycleRules(json)).toEqual([
      expect.objectContaining({ id: "expire-noncurrent-versions", noncurrent_version_expiration: [{ noncurrent_days: 90 }] }),
      expect.objectContaining({ id: "abort-incomplete-uploads", abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }),
    ]);
    expect(onlyResourceOf(json, "aws_s3_bucket_lifecycle_configuration").depends_on).toEqual([`aws_s3_bucket_versioning.${bucket.versioning.friendlyUniqueId}`]);
  });

  test("noncurrentVersionRetentionDays and abortIncompleteUploadDays set the lifecycle rules", () => {
    expect(lifecycleRules(synthBucket({ noncurrentVersionRetentionDays: 30, abortIncompleteUploadDays: 2 }).json)).toEqual([
      expect.objectContaining({ noncurrent_version_expiration: [{ noncurrent_days: 30 }] }),
      expect.objectContaining({ abort_incomplete_multipart_upload: [{ days_after_initiation: 2 }] }),
    ]);
  });

  test("additionalPolicyStatements follow the TLS statement", () => {
    const delivery = { sid: "LogDelivery", effect: "Allow", principals: [{ type: "Service", identifiers: ["delivery.logs.amazonaws.com"] }], actions: ["s3:PutObject"], resources: ["*"] };
    expect(policyStatements(synthBucket({ additionalPolicyStatements: [delivery] }).json, "policy-document").map((s) => s.sid)).toEqual(["DenyInsecureTransport", "LogDelivery"]);
  });

  test("preventDestroy false lets Terraform destroy the bucket", () => {
    expect(onlyResourceOf(synthBucket({ preventDestroy: false }).json, "aws_s3_bucket").lifecycle).toEqual({ prevent_destroy: false });
  });

  test("provider places every resource of the bucket", () => {
    const { stack } = awsStack("eu-west-1");
    const other = new AwsProvider(stack, "other", { region: "us-east-1", alias: "other" });
    new HardenedBucket(stack, "bucket", { bucketName: "app-data", kmsKeyArn: KEY, provider: other });
    const json = synthJson(stack);
    const providers = Object.values(json.resource).flatMap((byId) => Object.values(byId).map((block) => block.provider));
    expect(new Set(providers)).toEqual(new Set(["aws.other"]));
  });

  test.each<[Partial<HardenedBucketProps>, string]>([
    [{ noncurrentVersionRetentionDays: 0 }, 'HardenedBucket "app-data": noncurrentVersionRetentionDays = 0 must be a positive integer (days)'],
    [{ abortIncompleteUploadDays: 1.5 }, 'HardenedBucket "app-data": abortIncompleteUploadDays = 1.5 must be a positive integer (days)'],
  ])("refuses %j", (props, message) => {
    expect(() => synthBucket(props)).toThrow(message);
  });

  test("the README's usage example synthesizes (snapshot)", () => {
    expect(synthJson(new HardenedBucketExample(Testing.app(), "example"))).toMatchSnapshot();
  });
});
