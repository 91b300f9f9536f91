import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EfsBackupPolicy } from "@cdktf/provider-aws/lib/efs-backup-policy";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EfsFileSystemPolicy } from "@cdktf/provider-aws/lib/efs-file-system-policy";
import { EfsMountTarget } from "@cdktf/provider-aws/lib/efs-mount-target";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import type { ZonalSubnet } from "../network/network";

export interface SharedFileSystemProps {
  /** Name tag and security group name. */
  readonly name: string;
  /** The VPC of the subnets and the clients. */
  readonly vpcId: string;
  /** One mount target per subnet, with their zones; give one subnet per AZ. */
  readonly subnets: readonly ZonalSubnet[];
  /** Security groups (the cluster's) whose members may mount over NFS. */
  readonly clientSecurityGroupIds: readonly string[];
  /** Customer key the file system is encrypted with. */
  readonly kmsKeyArn: string;
  /** Days without access before files move to Infrequent Access. @default 30 */
  readonly transitionToIaDays?: 7 | 14 | 30 | 60 | 90 | 180 | 270 | 365;
  /** The AWS provider (region and account) the resources are created with. @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * An encrypted, backed-up EFS file system with a mount target in every AZ, so a pod rescheduled
 * into another zone finds its volume (what zonal EBS cannot do). Only NFS from the cluster's
 * security groups reaches it, and the file-system policy admits read-write mounts only through
 * its mount targets and only over TLS.
 * Access points are made per volume by the EFS CSI driver's dynamic provisioning.
 */
export class SharedFileSystem extends Construct {
  /** The `aws_efs_file_system`; the EFS CSI driver's storage class names its `id`. */
  readonly fileSystem: EfsFileSystem;
  /** The mount targets' security group (NFS from the client groups only). */
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: SharedFileSystemProps) {
    super(scope, id);
    const zones = props.subnets.map((s) => s.availabilityZone);
    if (new Set(zones).size !== zones.length) {
      throw new Error(`SharedFileSystem "${props.name}": subnets = ${JSON.stringify(zones)} repeat an AZ; EFS allows one mount target per AZ`);
    }
    if (props.clientSecurityGroupIds.length === 0) {
      throw new Error(`SharedFileSystem "${props.name}": clientSecurityGroupIds = [] must name at least one security group; nothing could mount the file system`);
    }
    const provider = props.provider;
    this.fileSystem = new EfsFileSystem(this, "file-system", {
      provider,
      creationToken: props.name,
      encrypted: true,
      kmsKeyId: props.kmsKeyArn,
      performanceMode: "generalPurpose",
      throughputMode: "elastic",
      lifecyclePolicy: [{ transitionToIa: `AFTER_${props.transitionToIaDays ?? 30}_DAYS` }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
      lifecycle: { preventDestroy: true },
      tags: { Name: props.name },
    });
    new EfsBackupPolicy(this, "backup-policy", { provider, fileSystemId: this.fileSystem.id, backupPolicy: { status: "ENABLED" } });
    // A file-system policy replaces EFS's default (every client with network access may mount),
    // so it must allow the mounts it wants: ClientMount and ClientWrite through the file system's
    // own mount targets. NFS clients without the `iam` mount option (the EFS CSI driver's
    // default) are anonymous, hence principal "*", narrowed by the mount-target condition and by
    // the security group. No ClientRootAccess: the driver's access points set each volume's POSIX
    // user. (EFS user guide, "Using IAM to control file system data access" and "Resource-based
    // policies"; condition key elasticfilesystem:AccessedViaMountTarget.)
    const policy = new DataAwsIamPolicyDocument(this, "policy-document", {
      provider,
      statement: [
        {
          sid: "MountAndWriteThroughMountTargets",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: ["*"] }],
          actions: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
          resources: [this.fileSystem.arn],
          condition: [{ test: "Bool", variable: "elasticfilesystem:AccessedViaMountTarget", values: ["true"] }],
        },
        {
          sid: "DenyUnencryptedMounts",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["*"],
          resources: [this.fileSystem.arn],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    new EfsFileSystemPolicy(this, "policy", { provider, fileSystemId: this.fileSystem.id, policy: policy.json });

    this.securityGroup = new SecurityGroup(this, "security-group", {
      provider,
      name: `${props.name}-efs`,
      description: `NFS to ${props.name} from the cluster`,
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-efs` },
    });
    props.clientSecurityGroupIds.forEach((groupId, index) =>
      new VpcSecurityGroupIngressRule(this, `nfs-from-${index}`, {
        provider,
        securityGroupId: this.securityGroup.id,
        description: "NFS from cluster nodes",
        ipProtocol: "tcp",
        fromPort: 2049,
        toPort: 2049,
        referencedSecurityGroupId: groupId,
      }),
    );
    props.subnets.forEach((subnet) =>
      new EfsMountTarget(this, `mount-${subnet.availabilityZone}`, {
        provider,
        fileSystemId: this.fileSystem.id,
        subnetId: subnet.id,
        securityGroups: [this.securityGroup.id],
      }),
    );
  }
}
