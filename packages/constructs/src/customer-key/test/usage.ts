import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { CustomerKey } from "@meridian/constructs";

/** A key for CloudWatch Logs in one account. */
export class CustomerKeyExample extends TerraformStack {
  readonly key: CustomerKey;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    this.key = new CustomerKey(this, "logs-key", {
      alias: "team-a/logs",
      description: "CloudWatch Logs of team A",
      accountId: "123456789012",
      partition: "aws",
      serviceStatements: [
        {
          sid: "CloudWatchLogsUsesKey",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["logs.eu-west-1.amazonaws.com"] }],
          actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          resources: ["*"],
        },
      ],
    });
  }
}
