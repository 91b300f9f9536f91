import { cannotTell, fail, type CheckOutcome, type Rule } from "../rule";
import { asBoolean, blocks, dig, isUnknown, show } from "../terraform-values";
import { keyReference } from "./key-references";

export const dynamodbPointInTimeRecovery: Rule = {
  id: "dynamodb-point-in-time-recovery",
  title: "DynamoDB tables and their replicas have point-in-time recovery",
  publicIds: ["CKV_AWS_28", "AVD-AWS-0024"],
  severity: "medium",
  kind: "reliability",
  resourceTypes: ["aws_dynamodb_table"],
  fix: "Set point_in_time_recovery { enabled = true } and point_in_time_recovery = true on every replica.",
  check(table) {
    const outcomes: CheckOutcome[] = [];
    const enabled = asBoolean(dig(table.values, "point_in_time_recovery", 0, "enabled"));
    if (isUnknown(enabled)) {
      outcomes.push(cannotTell("point_in_time_recovery.enabled is known only after apply"));
    } else if (enabled !== true) {
      outcomes.push(fail(`point_in_time_recovery.enabled = ${show(enabled)}: a bad write cannot be undone`));
    }
    const replicas = blocks(table.values.replica);
    if (!isUnknown(replicas)) {
      replicas.forEach((replica, index) => {
        const replicaPitr = asBoolean(replica.point_in_time_recovery);
        if (!isUnknown(replicaPitr) && replicaPitr !== true) {
          outcomes.push(fail(`replica[${index}] (${show(replica.region_name)}).point_in_time_recovery = ${show(replica.point_in_time_recovery)}: the replica cannot be restored`));
        }
      });
    }
    return outcomes;
  },
};

export const dynamodbCustomerKey: Rule = {
  id: "dynamodb-customer-key",
  title: "DynamoDB tables and replicas are encrypted with customer-managed KMS keys",
  publicIds: ["CKV_AWS_119", "AVD-AWS-0025"],
  severity: "medium",
  kind: "security",
  resourceTypes: ["aws_dynamodb_table"],
  fix: "Set server_side_encryption { enabled = true, kms_key_arn = <customer key> } and kms_key_arn on every replica (a multi-Region replica key in its region).",
  check(table, { input }) {
    const outcomes: CheckOutcome[] = [];
    const enabled = asBoolean(dig(table.values, "server_side_encryption", 0, "enabled"));
    if (isUnknown(enabled)) {
      return [cannotTell("server_side_encryption.enabled is known only after apply")];
    }
    if (enabled !== true) {
      return [fail(`server_side_encryption.enabled = ${show(enabled)}: the table uses an AWS owned key, outside the account's control`)];
    }
    const key = keyReference(input, table, dig(table.values, "server_side_encryption", 0, "kms_key_arn"), dig(table.config, "server_side_encryption", 0, "kms_key_arn"));
    if (key.kind === "missing" || key.kind === "aws-managed") {
      outcomes.push(fail(`server_side_encryption.kms_key_arn = ${show(key.kind === "missing" ? undefined : key.value)}: the AWS managed aws/dynamodb key, not a customer-managed one`));
    }
    const replicas = blocks(table.values.replica);
    if (!isUnknown(replicas)) {
      replicas.forEach((replica, index) => {
        const replicaKey = keyReference(input, table, replica.kms_key_arn, dig(table.config.replica, index, "kms_key_arn"));
        if (replicaKey.kind === "missing" || replicaKey.kind === "aws-managed") {
          outcomes.push(fail(`replica[${index}] (${show(replica.region_name)}).kms_key_arn = ${show(replicaKey.kind === "missing" ? undefined : replicaKey.value)}: the replica is not encrypted with a customer-managed key`));
        }
      });
    }
    return outcomes;
  },
};

export const DYNAMODB_RULES: readonly Rule[] = [dynamodbPointInTimeRecovery, dynamodbCustomerKey];
