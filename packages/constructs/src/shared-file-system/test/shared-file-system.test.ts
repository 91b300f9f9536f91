import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { awsStack, onlyResourceOf, policyStatements, resourcesOf, synthJson } from "../../../test-support/fixture";
import { SharedFileSystem, type SharedFileSystemProps } from "..";
import { SharedFileSystemExample } from "./usage";

const KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const subnets = [
  { id: "subnet-a", availabilityZone: "us-east-1a" },
  { id: "subnet-b", availabilityZone: "us-east-1b" },
];
const REQUIRED: SharedFileSystemProps = { name: "fs", vpcId: "vpc-1", subnets, clientSecurityGroupIds: ["sg-cluster"], kmsKeyArn: KEY };

/** GIVEN a stack with an AWS provider WHEN the file system is built with the required props and `props` THEN the stack's JSON. */
function synthFs(props: Partial<SharedFileSystemProps> = {}) {
  const { stack } = awsStack("us-east-1");
  new SharedFileSystem(stack, "efs", { ...REQUIRED, ...props });
  return synthJson(stack);
}

describe("SharedFileSystem", () => {
  test("encrypted with kmsKeyArn, elastic throughput, backed up, kept from deletion; files move to IA after 30 days by default", () => {
    const json = synthFs();
    expect(onlyResourceOf(json, "aws_efs_file_system")).toMatchObject({
      creation_token: "fs",
      encrypted: true,
      kms_key_id: KEY,
      throughput_mode: "elastic",
      lifecycle: { prevent_destroy: true },
      lifecycle_policy: [{ transition_to_ia: "AFTER_30_DAYS" }, { transition_to_primary_storage_class: "AFTER_1_ACCESS" }],
    });
    expect(onlyResourceOf(json, "aws_efs_backup_policy")).toMatchObject({ backup_policy: { status: "ENABLED" } });
  });

  test("transitionToIaDays sets the IA transition", () => {
    expect(onlyResourceOf(synthFs({ transitionToIaDays: 7 }), "aws_efs_file_system").lifecycle_policy).toEqual([{ transition_to_ia: "AFTER_7_DAYS" }, { transition_to_primary_storage_class: "AFTER_1_ACCESS" }]);
  });

  test("a mount target per subnet, NFS only from each client security group", () => {
    const json = synthFs({ clientSecurityGroupIds: ["sg-1", "sg-2"] });
    expect(resourcesOf(json, "aws_efs_mount_target").map((m) => m.subnet_id)).toEqual(["subnet-a", "subnet-b"]);
    expect(onlyResourceOf(json, "aws_security_group")).toMatchObject({ name: "fs-efs", vpc_id: "vpc-1" });
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule").map((r) => [r.referenced_security_group_id, r.from_port, r.to_port])).toEqual([["sg-1", 2049, 2049], ["sg-2", 2049, 2049]]);
  });

  test("the file-system policy allows mount and write through mount targets, and denies anything without TLS", () => {
    const statements = policyStatements(synthFs(), "policy-document");
    expect(statements.map((s) => s.sid)).toEqual(["MountAndWriteThroughMountTargets", "DenyUnencryptedMounts"]);
    expect(statements[0]).toMatchObject({ actions: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], condition: [{ test: "Bool", variable: "elasticfilesystem:AccessedViaMountTarget", values: ["true"] }] });
    expect(statements[1]).toMatchObject({ effect: "Deny", condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] });
  });

  test("provider places every resource with that provider", () => {
    const { stack } = awsStack("us-east-1");
    const other = new AwsProvider(stack, "other", { region: "eu-west-1", alias: "other" });
    new SharedFileSystem(stack, "efs", { ...REQUIRED, provider: other });
    Object.values(synthJson(stack).resource).forEach((blocks) => Object.values(blocks).forEach((b) => expect(b.provider).toBe("aws.other")));
  });

  test("refuses two mount targets in one AZ and no client security group", () => {
    expect(() => synthFs({ subnets: [subnets[0]!, subnets[0]!] })).toThrow('SharedFileSystem "fs": subnets = ["us-east-1a","us-east-1a"] repeat an AZ; EFS allows one mount target per AZ');
    expect(() => synthFs({ clientSecurityGroupIds: [] })).toThrow('SharedFileSystem "fs": clientSecurityGroupIds = [] must name at least one security group');
  });
});

test("the README's usage example synthesizes (snapshot)", () => {
  expect(synthJson(new SharedFileSystemExample(Testing.app(), "example"))).toMatchSnapshot();
});
