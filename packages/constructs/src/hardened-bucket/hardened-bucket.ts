import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";

export interface HardenedBucketProps {
  /** The bucket's name (globally unique; S3 refuses a taken name at apply time). */
  readonly bucketName: string;
  /** Customer-managed KMS key for default encryption (SSE-KMS with S3 bucket keys). */
  readonly kmsKeyArn: string;
  /** The AWS provider (region and account) of the bucket. @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Days a replaced or deleted object version is kept. @default 90 */
  readonly noncurrentVersionRetentionDays?: number;
  /** Days before an unfinished multipart upload is aborted. @default 7 */
  readonly abortIncompleteUploadDays?: number;
  /** Extra bucket policy statements (e.g. a log delivery service). @default [] */
  readonly additionalPolicyStatements?: DataAwsIamPolicyDocumentStatement[];
  /**
   * Refuse `terraform destroy` of the bucket. Turn off only for buckets whose loss costs nothing.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/**
 * An S3 bucket with the controls every bucket of the platform needs: versioning, SSE-KMS with a
 * customer key, all four public-access blocks, BucketOwnerEnforced (no ACLs), a TLS-only policy
 * and lifecycle rules for old versions and abandoned uploads.
 */
export class HardenedBucket extends Construct {
  /** The `aws_s3_bucket`. */
  readonly bucket: S3Bucket;
  /** Replication and lifecycle rules must wait for versioning; depend on this. */
  readonly versioning: S3BucketVersioningA;
  /** Services that check their access when configured (log delivery) must wait for the policy. */
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: HardenedBucketProps) {
    super(scope, id);
    const provider = props.provider;
    const retentionDays = props.noncurrentVersionRetentionDays ?? 90;
    const abortDays = props.abortIncompleteUploadDays ?? 7;
    for (const [prop, days] of [["noncurrentVersionRetentionDays", retentionDays], ["abortIncompleteUploadDays", abortDays]] as const) {
      if (!Number.isInteger(days) || days < 1) {
        throw new Error(`HardenedBucket "${props.bucketName}": ${prop} = ${days} must be a positive integer (days)`);
      }
    }

    this.bucket = new S3Bucket(this, "bucket", {
      provider,
      bucket: props.bucketName,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    const bucketId = this.bucket.id;

    new S3BucketPublicAccessBlock(this, "public-access-block", {
      provider,
      bucket: bucketId,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      provider,
      bucket: bucketId,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    this.versioning = new S3BucketVersioningA(this, "versioning", {
      provider,
      bucket: bucketId,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      provider,
      bucket: bucketId,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn },
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      provider,
      bucket: bucketId,
      dependsOn: [this.versioning],
      rule: [
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: retentionDays }],
        },
        {
          id: "abort-incomplete-uploads",
          status: "Enabled",
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: abortDays }],
        },
      ],
    });

    const policy = new DataAwsIamPolicyDocument(this, "policy-document", {
      provider,
      statement: [
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["s3:*"],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
        ...(props.additionalPolicyStatements ?? []),
      ],
    });
    this.policy = new S3BucketPolicy(this, "policy", { provider, bucket: bucketId, policy: policy.json });
  }
}
