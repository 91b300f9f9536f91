import { cannotTell, fail, type CheckOutcome, type Rule } from "../rule";
import { asBoolean, blocks, dig, isUnknown, show } from "../terraform-values";
import { keyReference } from "./key-references";

export const efsEncrypted: Rule = {
  id: "efs-encrypted",
  title: "EFS file systems are encrypted with a customer-managed KMS key",
  publicIds: ["CKV_AWS_42", "CKV_AWS_184", "AVD-AWS-0037"],
  severity: "high",
  kind: "security",
  resourceTypes: ["aws_efs_file_system"],
  fix: "Set encrypted = true and kms_key_id = a customer-managed key (encryption is chosen at creation).",
  check(fileSystem, { input }) {
    const encrypted = asBoolean(fileSystem.values.encrypted);
    if (isUnknown(encrypted)) {
      return [cannotTell("encrypted is known only after apply")];
    }
    if (encrypted !== true) {
      return [fail(`encrypted = ${show(fileSystem.values.encrypted)}: files are stored unencrypted, and this cannot change without a new file system`)];
    }
    const key = keyReference(input, fileSystem, fileSystem.values.kms_key_id, fileSystem.config.kms_key_id);
    if (key.kind === "missing" || key.kind === "aws-managed") {
      return [fail(`kms_key_id = ${show(key.kind === "missing" ? undefined : key.value)}: encrypted with the AWS managed aws/elasticfilesystem key, not a customer-managed one`)];
    }
    return key.kind === "unknown" ? [cannotTell("kms_key_id is known only after apply")] : [];
  },
};

export const efsBackupPolicy: Rule = {
  id: "efs-backup-policy",
  title: "EFS file systems are backed up by AWS Backup",
  publicIds: ["CKV2_AWS_18"],
  severity: "medium",
  kind: "reliability",
  resourceTypes: ["aws_efs_file_system"],
  fix: 'Add an aws_efs_backup_policy for the file system with backup_policy { status = "ENABLED" }.',
  check(fileSystem, { input }) {
    const statuses = input.referrers(fileSystem, "aws_efs_backup_policy", "file_system_id").map((p) => dig(p.values, "backup_policy", 0, "status"));
    if (statuses.includes("ENABLED")) {
      return [];
    }
    if (statuses.some(isUnknown)) {
      return [cannotTell("backup_policy.status is known only after apply")];
    }
    return [fail(`backup_policy.status = ${show(statuses[0])}: deleted or corrupted files cannot be restored`)];
  },
};

export const efsAccessPointIdentity: Rule = {
  id: "efs-access-point-identity",
  title: "EFS access points enforce a root directory and a POSIX user",
  publicIds: ["CKV_AWS_329", "CKV_AWS_330"],
  severity: "medium",
  kind: "security",
  resourceTypes: ["aws_efs_access_point"],
  fix: "Set root_directory { path = \"/<volume>\" } (not \"/\") and posix_user { uid, gid } on the access point.",
  check(accessPoint) {
    const outcomes: CheckOutcome[] = [];
    const root = blocks(accessPoint.values.root_directory);
    const path = isUnknown(root) ? root : root[0]?.path;
    if (!isUnknown(path) && (typeof path !== "string" || path === "/")) {
      outcomes.push(fail(`root_directory.path = ${show(path)}: clients see the whole file system`));
    }
    const user = blocks(accessPoint.values.posix_user);
    if (!isUnknown(user) && user.length === 0) {
      outcomes.push(fail("posix_user is not set: clients act as whatever user they claim"));
    }
    return outcomes;
  },
};

export const EFS_RULES: readonly Rule[] = [efsEncrypted, efsBackupPolicy, efsAccessPointIdentity];
