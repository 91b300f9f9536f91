import { cannotTell, fail, inProduction, type Rule } from "../rule";
import { asBoolean, dig, isSet, isUnknown, show } from "../terraform-values";

const LOAD_BALANCER_TYPES = ["aws_lb", "aws_alb"];
/** `load_balancer_type`, which defaults to an Application Load Balancer. */
const typeOf = (values: Readonly<Record<string, unknown>>) => (typeof values.load_balancer_type === "string" ? values.load_balancer_type : "application");

export const albDropInvalidHeaders: Rule = {
  id: "alb-drop-invalid-headers",
  title: "Application Load Balancers drop invalid HTTP headers",
  publicIds: ["CKV_AWS_131"],
  severity: "medium",
  kind: "security",
  resourceTypes: LOAD_BALANCER_TYPES,
  fix: "Set drop_invalid_header_fields = true.",
  check(lb) {
    if (typeOf(lb.values) !== "application") {
      return [];
    }
    const drop = asBoolean(lb.values.drop_invalid_header_fields);
    if (isUnknown(drop)) {
      return [cannotTell("drop_invalid_header_fields is known only after apply")];
    }
    return drop === true ? [] : [fail(`drop_invalid_header_fields = ${show(lb.values.drop_invalid_header_fields)}: malformed headers reach the targets (request smuggling)`)];
  },
};

export const lbDeletionProtection: Rule = {
  id: "lb-deletion-protection",
  title: "Production load balancers refuse deletion",
  publicIds: ["CKV_AWS_150"],
  severity: "medium",
  kind: "reliability",
  resourceTypes: LOAD_BALANCER_TYPES,
  fix: "Set enable_deletion_protection = true (production).",
  check(lb, context) {
    if (!inProduction(lb, context)) {
      return [];
    }
    const protect = asBoolean(lb.values.enable_deletion_protection);
    if (isUnknown(protect)) {
      return [cannotTell("enable_deletion_protection is known only after apply")];
    }
    return protect === true ? [] : [fail(`enable_deletion_protection = ${show(lb.values.enable_deletion_protection)}: an API call can delete a production entry point (and its addresses)`)];
  },
};

export const lbAccessLogs: Rule = {
  id: "lb-access-logs",
  title: "Load balancers write access logs to S3",
  publicIds: ["CKV_AWS_91"],
  severity: "low",
  kind: "security",
  resourceTypes: LOAD_BALANCER_TYPES,
  fix: "Set access_logs { enabled = true, bucket = <bucket> } (the bucket policy must admit the ELB log delivery).",
  check(lb) {
    const enabled = asBoolean(dig(lb.values, "access_logs", 0, "enabled"));
    if (isUnknown(enabled)) {
      return [cannotTell("access_logs.enabled is known only after apply")];
    }
    if (enabled !== true) {
      return [fail(`access_logs.enabled = ${show(enabled)}${enabled === undefined ? " (defaults to false)" : ""}: requests through the load balancer are not recorded`)];
    }
    return isSet(dig(lb.values, "access_logs", 0, "bucket")) || isSet(dig(lb.config, "access_logs", 0, "bucket")) ? [] : [fail("access_logs.bucket is not set")];
  },
};

export const LOAD_BALANCER_RULES: readonly Rule[] = [albDropInvalidHeaders, lbDeletionProtection, lbAccessLogs];
