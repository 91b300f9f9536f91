import type { PolicyInput, PolicyResource } from "../policy-input";
import { actionCovers, admitsAnyone, policyDocument } from "../policy-document";
import { cannotTell, fail, type CheckOutcome, type Rule } from "../rule";
import { asBoolean, blocks, dig, isUnknown, show } from "../terraform-values";
import { keyReference } from "./key-references";

/**
 * The configuration resources of a bucket (`aws_s3_bucket_versioning`, …): those whose `bucket`
 * refers to it, or names it literally.
 */
export function bucketCompanions(input: PolicyInput, bucket: PolicyResource, type: string): PolicyResource[] {
  const name = bucket.values.bucket;
  return input.allResourcesOf(type).filter(
    (candidate) =>
      input.references(candidate.stack, candidate.config.bucket).some((ref) => ref.resource === bucket) ||
      (typeof name === "string" && candidate.values.bucket === name),
  );
}

/** The name of a bucket, when known. */
const bucketName = (bucket: PolicyResource) => (typeof bucket.values.bucket === "string" ? bucket.values.bucket : undefined);

const PUBLIC_ACCESS_SETTINGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] as const;

export const s3PublicAccessBlock: Rule = {
  id: "s3-public-access-block",
  title: "S3 buckets block every kind of public access",
  publicIds: ["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV2_AWS_6", "AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0091", "AVD-AWS-0093", "AVD-AWS-0094"],
  severity: "high",
  kind: "security",
  resourceTypes: ["aws_s3_bucket"],
  fix: `Add an aws_s3_bucket_public_access_block for the bucket with ${PUBLIC_ACCESS_SETTINGS.join(", ")} = true.`,
  check(bucket, { input }) {
    const blocksFound = bucketCompanions(input, bucket, "aws_s3_bucket_public_access_block");
    if (blocksFound.length === 0) {
      return [fail("no aws_s3_bucket_public_access_block refers to this bucket: ACLs or a policy can make it public")];
    }
    const outcomes: CheckOutcome[] = [];
    for (const block of blocksFound) {
      for (const setting of PUBLIC_ACCESS_SETTINGS) {
        const value = asBoolean(block.values[setting]);
        if (isUnknown(value)) {
          outcomes.push(cannotTell(`${block.address}.${setting} is known only after apply`));
        } else if (value !== true) {
          outcomes.push(fail(`${block.address}.${setting} = ${show(block.values[setting])}: must be true`));
        }
      }
    }
    return outcomes;
  },
};

export const s3Versioning: Rule = {
  id: "s3-versioning",
  title: "S3 buckets keep object versions",
  publicIds: ["CKV_AWS_21", "AVD-AWS-0090"],
  severity: "medium",
  kind: "reliability",
  resourceTypes: ["aws_s3_bucket"],
  fix: 'Add an aws_s3_bucket_versioning for the bucket with versioning_configuration { status = "Enabled" }.',
  check(bucket, { input }) {
    const inline = asBoolean(dig(bucket.values, "versioning", 0, "enabled"));
    if (inline === true) {
      return [];
    }
    const statuses = bucketCompanions(input, bucket, "aws_s3_bucket_versioning").map((v) => dig(v.values, "versioning_configuration", 0, "status"));
    if (statuses.includes("Enabled")) {
      return [];
    }
    if (statuses.some(isUnknown)) {
      return [cannotTell("versioning status is known only after apply")];
    }
    return [fail(`versioning status = ${show(statuses[0])}: an overwritten or deleted object cannot be recovered`)];
  },
};

export const s3KmsEncryption: Rule = {
  id: "s3-kms-encryption",
  title: "S3 buckets encrypt by default with a customer-managed KMS key",
  publicIds: ["CKV_AWS_145", "AVD-AWS-0132"],
  severity: "high",
  kind: "security",
  resourceTypes: ["aws_s3_bucket"],
  fix: 'Add an aws_s3_bucket_server_side_encryption_configuration with apply_server_side_encryption_by_default { sse_algorithm = "aws:kms", kms_master_key_id = <customer key ARN> }.',
  check(bucket, { input }) {
    const configurations = bucketCompanions(input, bucket, "aws_s3_bucket_server_side_encryption_configuration");
    const candidates: { holder: PolicyResource; rules: unknown; configuredRules: unknown }[] = [
      ...configurations.map((c) => ({ holder: c, rules: c.values.rule, configuredRules: c.config.rule })),
      { holder: bucket, rules: dig(bucket.values, "server_side_encryption_configuration", 0, "rule"), configuredRules: dig(bucket.config, "server_side_encryption_configuration", 0, "rule") },
    ];
    let found: string | undefined;
    for (const { holder, rules, configuredRules } of candidates) {
      const list = blocks(rules);
      if (isUnknown(list)) {
        return [cannotTell("the encryption rule is known only after apply")];
      }
      for (const [index, rule] of list.entries()) {
        const algorithm = dig(rule, "apply_server_side_encryption_by_default", 0, "sse_algorithm");
        found = show(algorithm);
        if (algorithm !== "aws:kms" && algorithm !== "aws:kms:dsse") {
          continue;
        }
        const key = keyReference(input, holder, dig(rule, "apply_server_side_encryption_by_default", 0, "kms_master_key_id"), dig(configuredRules, index, "apply_server_side_encryption_by_default", 0, "kms_master_key_id"));
        if (key.kind === "customer") {
          return [];
        }
        if (key.kind === "unknown") {
          return [cannotTell("kms_master_key_id is known only after apply")];
        }
        return [fail(`sse_algorithm = ${found} with kms_master_key_id = ${show(key.kind === "aws-managed" ? key.value : undefined)}: the AWS managed aws/s3 key, not a customer-managed one`)];
      }
    }
    return [fail(`default encryption sse_algorithm = ${found ?? "not set"}: objects are not encrypted with a customer-managed KMS key`)];
  },
};

export const s3TlsOnlyAndOwnerEnforced: Rule = {
  id: "s3-tls-only-and-owner-enforced",
  title: "S3 buckets refuse requests without TLS and disable ACLs (BucketOwnerEnforced)",
  publicIds: ["AVD-AWS-0089", "AwsSolutions-S10"],
  severity: "medium",
  kind: "security",
  resourceTypes: ["aws_s3_bucket"],
  fix: 'Add a bucket policy statement Deny s3:* to Principal "*" when Bool aws:SecureTransport = "false", and aws_s3_bucket_ownership_controls with object_ownership = "BucketOwnerEnforced".',
  check(bucket, { input }) {
    const outcomes: CheckOutcome[] = [];
    const policies = bucketCompanions(input, bucket, "aws_s3_bucket_policy");
    const documents = policies.map((p) => policyDocument(input, p, "policy"));
    if (documents.some((d) => d === undefined)) {
      outcomes.push(cannotTell("the bucket policy is known only after apply"));
    } else {
      const denies = documents.flatMap((d) => d!.statements).some(
        (s) =>
          s.effect === "Deny" &&
          admitsAnyone(s.principals) &&
          s.actions.some((a) => actionCovers(a, "s3:GetObject") && actionCovers(a, "s3:PutObject")) &&
          s.conditions.some((c) => c.test === "Bool" && c.variable === "aws:SecureTransport" && c.values.includes("false")),
      );
      if (!denies) {
        outcomes.push(fail(`${policies.length === 0 ? "no aws_s3_bucket_policy refers to this bucket" : "the bucket policy has no Deny s3:* when aws:SecureTransport = false"}: requests over plain HTTP are accepted`));
      }
    }
    const ownership = bucketCompanions(input, bucket, "aws_s3_bucket_ownership_controls").map((o) => dig(o.values, "rule", 0, "object_ownership"));
    if (ownership.some(isUnknown)) {
      outcomes.push(cannotTell("object_ownership is known only after apply"));
    } else if (!ownership.includes("BucketOwnerEnforced")) {
      outcomes.push(fail(`object_ownership = ${show(ownership[0])}: ACLs stay active, so objects can be owned by (and shared from) other accounts`));
    }
    return outcomes;
  },
};

/** Whether a bucket holds Terraform state: a stack's S3 backend bucket, or its replica (`<bucket>-<region>`). */
export function isStateBucket(input: PolicyInput, bucket: PolicyResource): boolean {
  const name = bucketName(bucket);
  return name !== undefined && [...input.stateBucketNames()].some((state) => name === state || name.startsWith(`${state}-`));
}

export const s3StateBucketReplication: Rule = {
  id: "s3-state-bucket-replication",
  title: "Terraform state buckets replicate to another region",
  publicIds: ["CKV_AWS_144"],
  severity: "medium",
  kind: "reliability",
  resourceTypes: ["aws_s3_bucket"],
  fix: "Add an aws_s3_bucket_replication_configuration with an enabled rule to a versioned bucket in another region (both ways for the state buckets).",
  check(bucket, { input }) {
    if (!isStateBucket(input, bucket)) {
      return [];
    }
    const region = input.regionOf(bucket);
    for (const replication of bucketCompanions(input, bucket, "aws_s3_bucket_replication_configuration")) {
      const rules = blocks(replication.values.rule);
      if (isUnknown(rules)) {
        return [cannotTell(`${replication.address}.rule is known only after apply`)];
      }
      for (const [index, rule] of rules.entries()) {
        if (rule.status !== "Enabled") {
          continue;
        }
        const destination = input.referencedResources(replication, dig(replication.config.rule, index, "destination", 0, "bucket"), ["aws_s3_bucket"])[0];
        const destinationRegion = destination ? input.regionOf(destination) : undefined;
        if (!destination || !region || !destinationRegion) {
          return [cannotTell(`${replication.address}: the region of the destination bucket is not in the configuration`)];
        }
        if (destinationRegion !== region) {
          return [];
        }
      }
    }
    return [fail(`state bucket ${show(bucketName(bucket))} has no enabled replication rule to a bucket in another region: a regional S3 outage stops every deploy`)];
  },
};

export const s3BucketLifecycle: Rule = {
  id: "s3-bucket-lifecycle",
  title: "S3 buckets expire noncurrent versions and abort incomplete multipart uploads",
  publicIds: ["CKV2_AWS_61", "CKV_AWS_300"],
  severity: "low",
  kind: "reliability",
  resourceTypes: ["aws_s3_bucket"],
  fix: "Add an aws_s3_bucket_lifecycle_configuration with enabled rules for noncurrent_version_expiration and abort_incomplete_multipart_upload.",
  check(bucket, { input }) {
    const rules: Record<string, unknown>[] = [];
    for (const lifecycle of bucketCompanions(input, bucket, "aws_s3_bucket_lifecycle_configuration")) {
      const list = blocks(lifecycle.values.rule);
      if (isUnknown(list)) {
        return [cannotTell(`${lifecycle.address}.rule is known only after apply`)];
      }
      rules.push(...list.filter((rule) => rule.status === "Enabled"));
    }
    const has = (block: string) =>
      rules.some((rule) => {
        const found = blocks(rule[block]);
        return !isUnknown(found) && found.length > 0;
      });
    const missing = ["noncurrent_version_expiration", "abort_incomplete_multipart_upload"].filter((block) => !has(block));
    return missing.length === 0 ? [] : [fail(`no enabled lifecycle rule with ${missing.join(" or ")}: old versions and abandoned uploads are kept (and billed) forever`)];
  },
};

export const S3_RULES: readonly Rule[] = [s3PublicAccessBlock, s3Versioning, s3KmsEncryption, s3TlsOnlyAndOwnerEnforced, s3StateBucketReplication, s3BucketLifecycle];
