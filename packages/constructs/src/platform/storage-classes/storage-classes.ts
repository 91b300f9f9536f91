import { Annotations } from "@cdktf/provider-kubernetes/lib/annotations";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { Token, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { isDnsSubdomain } from "../../core/kubernetes-formats";

/** The annotation that makes a StorageClass the default for claims that name none. */
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

export interface EfsStorageClassOptions {
  /** StorageClass name. @default "efs" */
  readonly name?: string;
  /** Permissions of each volume's access point root directory (octal string). @default "700" */
  readonly directoryPerms?: string;
  /**
   * POSIX group ids handed to access points, one per volume (the driver's `gidRangeStart`/`gidRangeEnd`);
   * the volume's files belong to that uid/gid. @default { start: 50000, end: 7000000 } (the driver's defaults)
   */
  readonly gidRange?: { readonly start: number; readonly end: number };
  /** Directory under which access point roots are created. @default "/dynamic" */
  readonly basePath?: string;
}

export interface StorageClassesProps {
  /** The shared EFS file system's id (a cross-stack reference is fine). */
  readonly fileSystemId: string;
  /** Customer-managed KMS key for EBS volumes; the EBS CSI driver's role must be allowed to use it. @default - the AWS-managed aws/ebs key */
  readonly ebsKmsKeyArn?: string;
  /** Name of the default gp3 class. @default "gp3" */
  readonly gp3Name?: string;
  /** The EFS class: its name, and how each volume's access point is made (`EfsStorageClassOptions`). @default - "efs", permissions "700", gids 50000-7000000, base path "/dynamic" */
  readonly efs?: EfsStorageClassOptions;
  /**
   * Existing classes to un-default with a `kubernetes_annotations` (server-side apply, forced):
   * EKS clusters created before 1.30 mark `gp2` default, and two defaults make the newest win.
   * Each named class must exist (EKS creates `gp2`), or the apply fails. @default ["gp2"]
   */
  readonly demoteClasses?: readonly string[];
  /** The kubernetes provider (cluster) the classes are created with. @default - the stack's default kubernetes provider */
  readonly provider?: TerraformProvider;
}


/**
 * The cluster's storage classes as native Kubernetes objects: an encrypted, expandable gp3 EBS
 * class as the default (bound where the pod lands, so zonal volumes follow the scheduler's zone
 * choice), and an EFS class that provisions one access point per volume on the shared regional
 * file system (for data that must survive the loss of a zone).
 */
export class StorageClasses extends Construct {
  readonly gp3: StorageClassV1;
  readonly efs: StorageClassV1;
  readonly demoted: Annotations[];

  constructor(scope: Construct, id: string, props: StorageClassesProps) {
    super(scope, id);
    const fail = (setting: string, value: unknown, rule: string) => {
      throw new Error(`StorageClasses ${id}: ${setting} ${JSON.stringify(value)} ${rule}`);
    };
    const gp3Name = props.gp3Name ?? "gp3";
    const efsName = props.efs?.name ?? "efs";
    const demote = props.demoteClasses ?? ["gp2"];
    for (const [setting, name] of [["gp3Name", gp3Name], ["efs.name", efsName], ...demote.map((n, i) => [`demoteClasses[${i}]`, n])] as const) {
      if (!isDnsSubdomain(name)) {
        fail(setting, name, "must be a StorageClass name (lower-case DNS subdomain)");
      }
    }
    if (gp3Name === efsName) {
      fail("efs.name", efsName, `must differ from gp3Name "${gp3Name}"`);
    }
    if (demote.includes(gp3Name)) {
      fail("demoteClasses", demote, `must not contain the default class "${gp3Name}"`);
    }
    if (!Token.isUnresolved(props.fileSystemId) && !/^fs-[0-9a-f]{8,17}$/.test(props.fileSystemId)) {
      fail("fileSystemId", props.fileSystemId, "must be an EFS file system id such as fs-0123456789abcdef0 (or a Terraform reference to one)");
    }
    const directoryPerms = props.efs?.directoryPerms ?? "700";
    if (!/^[0-7]{3,4}$/.test(directoryPerms)) {
      fail("efs.directoryPerms", directoryPerms, "must be octal permissions such as 700");
    }
    const gidRange = props.efs?.gidRange ?? { start: 50000, end: 7000000 };
    if (!Number.isInteger(gidRange.start) || !Number.isInteger(gidRange.end) || gidRange.start < 1 || gidRange.end <= gidRange.start || gidRange.end > 2147483647) {
      fail("efs.gidRange", gidRange, "must be integers with 1 <= start < end <= 2147483647");
    }
    const basePath = props.efs?.basePath ?? "/dynamic";
    if (!/^\/[\w./-]*$/.test(basePath)) {
      fail("efs.basePath", basePath, "must be an absolute path such as /dynamic");
    }
    const provider = props.provider;

    this.gp3 = new StorageClassV1(this, "gp3", {
      provider,
      metadata: { name: gp3Name, annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } },
      storageProvisioner: "ebs.csi.aws.com",
      reclaimPolicy: "Delete",
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      parameters: {
        type: "gp3",
        encrypted: "true",
        "csi.storage.k8s.io/fstype": "ext4",
        ...(props.ebsKmsKeyArn ? { kmsKeyId: props.ebsKmsKeyArn } : {}),
      },
    });
    this.efs = new StorageClassV1(this, "efs", {
      provider,
      metadata: { name: efsName },
      storageProvisioner: "efs.csi.aws.com",
      reclaimPolicy: "Delete",
      // EFS is regional: a volume is reachable from every zone, so bind at once.
      volumeBindingMode: "Immediate",
      // EFS has no size to grow and the driver no resizer: a resize request would hang.
      allowVolumeExpansion: false,
      parameters: {
        provisioningMode: "efs-ap",
        fileSystemId: props.fileSystemId,
        directoryPerms,
        gidRangeStart: String(gidRange.start),
        gidRangeEnd: String(gidRange.end),
        basePath,
        ensureUniqueDirectory: "true",
      },
    });
    this.demoted = demote.map(
      (name) =>
        new Annotations(this, `undefault-${name}`, {
          provider,
          apiVersion: "storage.k8s.io/v1",
          kind: "StorageClass",
          metadata: { name },
          annotations: { [DEFAULT_CLASS_ANNOTATION]: "false" },
          // The annotation was set by EKS, not by this field manager: take it over.
          force: true,
          dependsOn: [this.gp3],
        }),
    );
  }
}
