import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { SharedFileSystem } from "@meridian/constructs";

/** An EFS file system the pods of one cluster mount from every zone. */
export class SharedFileSystemExample extends TerraformStack {
  readonly fileSystem: SharedFileSystem;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    this.fileSystem = new SharedFileSystem(this, "shared", {
      name: "team-a",
      vpcId: "vpc-0abc1234def567890",
      subnets: [
        { id: "subnet-0aaa1111bbbb2222c", availabilityZone: "eu-west-1a" },
        { id: "subnet-0ddd3333eeee4444f", availabilityZone: "eu-west-1b" },
      ],
      clientSecurityGroupIds: ["sg-0123456789abcdef0"],
      kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    });
  }
}
