import { CSI_DRIVER_MOUNT } from "../../src/policy/rules/apply-time";
import { SharedFileSystem } from "@meridian/constructs";
import { dataDocumentStatements, decide, type PolicyRequest } from "../../src/policy/policy-document";
import { awsStack, onlyResourceOf, synthJson, type SynthesizedJson } from "../helpers";

// GIVEN the shared file system as the regional stack builds it
const { stack } = awsStack();
new SharedFileSystem(stack, "efs", {
  name: "meridian-production-us-east-1",
  vpcId: "vpc-1",
  subnets: [
    { id: "subnet-a", availabilityZone: "us-east-1a" },
    { id: "subnet-b", availabilityZone: "us-east-1b" },
  ],
  clientSecurityGroupIds: ["sg-cluster"],
  kmsKeyArn: "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
});
const json: SynthesizedJson = synthJson(stack);
const [fileSystemId] = Object.keys(json.resource.aws_efs_file_system!);
const FILE_SYSTEM = `\${aws_efs_file_system.${fileSystemId}.arn}`;

/** The statements of the policy the file system gets, as Terraform will send them. */
function fileSystemPolicy() {
  const policy = onlyResourceOf(json, "aws_efs_file_system_policy");
  const address = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(String(policy.policy))![1]!;
  return dataDocumentStatements(json.data!.aws_iam_policy_document![address]!)!;
}

/**
 * What the EFS CSI driver sends when a node mounts a volume (an access point, read-write): an NFS
 * client without the `iam` mount option is anonymous; the driver mounts with TLS (efs-utils
 * `tls`, the driver's default) through the mount target in the node's AZ.
 */
// The mount the policy rule checks for (efs-policy-allows-mounts), varied by action and context.
const csiMount = (action: string, context: Partial<Record<string, string>> = {}): PolicyRequest => ({
  ...CSI_DRIVER_MOUNT,
  action,
  resource: FILE_SYSTEM,
  context: { ...CSI_DRIVER_MOUNT.context, ...context } as Record<string, string>,
});

describe("SharedFileSystem policy", () => {
  const statements = fileSystemPolicy();

  test("admits a read-write TLS mount by the EFS CSI driver through a mount target", () => {
    // WHEN a node mounts and writes  THEN the policy allows both
    expect(decide(statements, csiMount("elasticfilesystem:ClientMount"))).toBe("allow");
    expect(decide(statements, csiMount("elasticfilesystem:ClientWrite"))).toBe("allow");
  });

  test("denies a mount without TLS, even through a mount target", () => {
    expect(decide(statements, csiMount("elasticfilesystem:ClientMount", { "aws:SecureTransport": "false" }))).toBe("deny");
    expect(decide(statements, csiMount("elasticfilesystem:ClientWrite", { "aws:SecureTransport": "false" }))).toBe("deny");
  });

  test("denies a mount that does not come through one of the file system's mount targets", () => {
    expect(decide(statements, csiMount("elasticfilesystem:ClientMount", { "elasticfilesystem:AccessedViaMountTarget": "false" }))).toBe("deny");
  });

  test("grants no root access: the driver's access points map every client to their own POSIX user", () => {
    expect(decide(statements, csiMount("elasticfilesystem:ClientRootAccess"))).toBe("deny");
  });

  test("the allow names the client actions and the mount-target condition only", () => {
    const allows = statements.filter((s) => s.effect === "Allow");
    expect(allows).toEqual([
      expect.objectContaining({
        actions: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
        resources: [FILE_SYSTEM],
        conditions: [{ test: "Bool", variable: "elasticfilesystem:AccessedViaMountTarget", values: ["true"] }],
      }),
    ]);
  });
});
