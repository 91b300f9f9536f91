import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { CustomerKey } from "../customer-key/customer-key";
import { HardenedBucket } from "../hardened-bucket/hardened-bucket";

export interface FlowLogBucketProps {
  /** Globally unique bucket name; also the key's alias. */
  readonly bucketName: string;
  /** Key prefix the log service writes under. */
  readonly prefix: string;
  /** The account whose accelerator delivers the logs (the only source the policies admit). */
  readonly accountId: string;
  /** AWS partition (a token from aws_partition is fine). */
  readonly partition: string;
  /** Days flow-log objects are kept after they are replaced; logs are append-only, so this bounds deletes. @default 90 */
  readonly noncurrentVersionRetentionDays?: number;
  /** The AWS provider (account and region) of the bucket and its key. @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * The bucket Global Accelerator delivers flow logs to: a hardened bucket (versioning, SSE-KMS
 * with its own customer key, public access blocked, TLS only) whose policy and key policy admit
 * the log delivery service for this account only, and only under the log prefix.
 */
export class FlowLogBucket extends Construct {
  readonly bucket: HardenedBucket;
  readonly key: CustomerKey;

  constructor(scope: Construct, id: string, props: FlowLogBucketProps) {
    super(scope, id);
    if (!/^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(props.prefix) && props.prefix !== "") {
      throw new Error(`FlowLogBucket ${props.bucketName}: prefix "${props.prefix}" must be lower-case letters, digits and '-'`);
    }
    const fromThisAccount = [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }];
    const logDelivery = [{ type: "Service", identifiers: ["delivery.logs.amazonaws.com"] }];
    this.key = new CustomerKey(this, "key", {
      provider: props.provider,
      alias: props.bucketName,
      description: `Global Accelerator flow logs in ${props.bucketName}`,
      accountId: props.accountId,
      partition: props.partition,
      serviceStatements: [
        {
          sid: "LogDeliveryEncryptsFlowLogs",
          effect: "Allow",
          principals: logDelivery,
          actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
          resources: ["*"],
          condition: fromThisAccount,
        },
      ],
    });
    const bucketArn = `arn:${props.partition}:s3:::${props.bucketName}`;
    this.bucket = new HardenedBucket(this, "bucket", {
      provider: props.provider,
      bucketName: props.bucketName,
      kmsKeyArn: this.key.arn,
      noncurrentVersionRetentionDays: props.noncurrentVersionRetentionDays,
      additionalPolicyStatements: [
        {
          sid: "LogDeliveryChecksBucketAcl",
          effect: "Allow",
          principals: logDelivery,
          actions: ["s3:GetBucketAcl", "s3:ListBucket"],
          resources: [bucketArn],
          condition: fromThisAccount,
        },
        {
          sid: "LogDeliveryWritesFlowLogs",
          effect: "Allow",
          principals: logDelivery,
          actions: ["s3:PutObject"],
          resources: [`${bucketArn}/${props.prefix}/AWSLogs/${props.accountId}/*`],
          condition: [...fromThisAccount, { test: "StringEquals", variable: "s3:x-amz-acl", values: ["bucket-owner-full-control"] }],
        },
      ],
    });
  }
}
