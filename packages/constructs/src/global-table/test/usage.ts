import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { GlobalTable } from "@meridian/constructs";

/** A sessions table written in us-east-1 and eu-west-1, items expiring on `expires_at`. */
export class GlobalTableExample extends TerraformStack {
  readonly sessions: GlobalTable;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const home = new AwsProvider(this, "aws", { region: "us-east-1" });
    this.sessions = new GlobalTable(this, "sessions", {
      provider: home,
      tableName: "team-a-sessions",
      partitionKey: { name: "session_id", type: "S" },
      ttlAttribute: "expires_at",
      // A multi-Region key's primary at home and its replica in the other region.
      kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/mrk-0a1b2c3d4e5f",
      replica: { region: "eu-west-1", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/mrk-0a1b2c3d4e5f" },
    });
  }
}
