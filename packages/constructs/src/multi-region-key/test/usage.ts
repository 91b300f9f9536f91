import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { MultiRegionKey } from "@meridian/constructs";

/** A key whose ciphertext decrypts in us-east-1 and eu-west-1 (replicated secrets, snapshots, global tables). */
export class MultiRegionKeyExample extends TerraformStack {
  readonly key: MultiRegionKey;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const primary = new AwsProvider(this, "aws", { region: "us-east-1" });
    const replica = new AwsProvider(this, "replica", { region: "eu-west-1", alias: "replica" });
    this.key = new MultiRegionKey(this, "data-key", {
      alias: "team-a/data",
      description: "Data of team A in both regions",
      accountId: "123456789012",
      partition: "aws",
      primaryProvider: primary,
      replicaProvider: replica,
    });
  }
}
