import { admitsAnyone, policyDocument } from "../policy-document";
import { cannotTell, fail, type CheckOutcome, type Rule } from "../rule";
import { asBoolean, isSet, isUnknown, show } from "../terraform-values";

export const kmsKeyRotation: Rule = {
  id: "kms-key-rotation",
  title: "Customer-managed symmetric KMS keys rotate their key material",
  publicIds: ["CKV_AWS_7", "AVD-AWS-0065"],
  severity: "medium",
  kind: "security",
  resourceTypes: ["aws_kms_key"],
  fix: "Set enable_key_rotation = true (replica keys follow their primary's rotation).",
  check(key) {
    const spec = key.values.customer_master_key_spec ?? key.values.key_spec;
    // Only symmetric encryption keys can rotate automatically.
    if (typeof spec === "string" && spec !== "SYMMETRIC_DEFAULT") {
      return [];
    }
    const rotation = asBoolean(key.values.enable_key_rotation);
    if (isUnknown(rotation)) {
      return [cannotTell("enable_key_rotation is known only after apply")];
    }
    return rotation === true ? [] : [fail(`enable_key_rotation = ${show(key.values.enable_key_rotation)}: the key material never changes`)];
  },
};

export const kmsKeyPolicy: Rule = {
  id: "kms-key-policy",
  title: "KMS keys have an explicit key policy that allows no one-and-everyone without a condition",
  publicIds: ["CKV2_AWS_64", "CKV_AWS_33"],
  severity: "high",
  kind: "security",
  resourceTypes: ["aws_kms_key", "aws_kms_replica_key"],
  fix: 'Set policy explicitly: the account administers the key through IAM, and each service gets only the actions it needs; a Principal "*" statement needs conditions (kms:CallerAccount, kms:ViaService, aws:SourceAccount).',
  check(key, { input }) {
    if (!isSet(key.values.policy) && !isSet(key.config.policy)) {
      return [fail("policy is not set: the key gets AWS's default policy instead of one reviewed here")];
    }
    const document = policyDocument(input, key, "policy");
    if (!document) {
      return [cannotTell("policy is known only after apply")];
    }
    const outcomes: CheckOutcome[] = [];
    document.statements.forEach((statement, index) => {
      if (statement.effect === "Allow" && admitsAnyone(statement.principals) && statement.conditions.length === 0) {
        outcomes.push(fail(`policy Statement[${index}]${statement.sid ? ` (${statement.sid})` : ""} allows ${JSON.stringify(statement.actions)} to Principal "*" without a Condition: anyone can use the key`));
      }
    });
    return outcomes;
  },
};

export const KMS_RULES: readonly Rule[] = [kmsKeyRotation, kmsKeyPolicy];
