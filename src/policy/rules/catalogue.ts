import type { Rule } from "../rule";
import { APPLY_TIME_RULES } from "./apply-time";
import { NAME_RULES } from "./apply-time-names";
import { AURORA_RULES } from "./aurora";
import { DYNAMODB_RULES } from "./dynamodb";
import { EDGE_RULES } from "./edge";
import { EFS_RULES } from "./efs";
import { EKS_RULES } from "./eks";
import { IAM_RULES } from "./iam";
import { KMS_RULES } from "./kms";
import { LOAD_BALANCER_RULES } from "./load-balancers";
import { NETWORK_RULES } from "./network";
import { NODE_RULES } from "./node-groups";
import { S3_RULES } from "./s3";
import { SECURITY_GROUP_RULES } from "./security-groups";

/** Every built-in rule, grouped by area in the order reports list them. */
export const RULES: readonly Rule[] = [
  ...EKS_RULES,
  ...NODE_RULES,
  ...NETWORK_RULES,
  ...SECURITY_GROUP_RULES,
  ...IAM_RULES,
  ...KMS_RULES,
  ...AURORA_RULES,
  ...S3_RULES,
  ...DYNAMODB_RULES,
  ...EFS_RULES,
  ...EDGE_RULES,
  ...LOAD_BALANCER_RULES,
  // Apply-time: what AWS APIs refuse when the resource is created, which a plan cannot see.
  ...APPLY_TIME_RULES,
  ...NAME_RULES,
];

/** The rules a suppression id (a rule id or a public id) names. */
export function rulesNamedBy(id: string, rules: readonly Rule[] = RULES): Rule[] {
  return rules.filter((rule) => rule.id === id || rule.publicIds.includes(id));
}
