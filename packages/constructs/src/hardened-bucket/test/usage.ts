import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { HardenedBucket } from "@meridian/constructs";

/** A bucket for a team's exports, encrypted with the team's key, old versions kept 30 days. */
export class HardenedBucketExample extends TerraformStack {
  readonly exports: HardenedBucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    this.exports = new HardenedBucket(this, "exports", {
      bucketName: "team-a-exports-123456789012",
      kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
      noncurrentVersionRetentionDays: 30,
    });
  }
}
