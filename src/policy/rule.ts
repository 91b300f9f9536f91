import type { PolicyInput, PolicyResource } from "./policy-input";

export type Severity = "high" | "medium" | "low";

/** `security`: a control against attack or exposure; `reliability`: a control against outage or data loss. */
export type RuleKind = "security" | "reliability";

/** What a rule's check may look at besides the resource it checks. */
export interface RuleContext {
  /** Every stack under evaluation, for rules across resources and stacks. */
  readonly input: PolicyInput;
  /** Production environments get the stricter thresholds (backups, NAT per AZ, deletion protection). */
  isProduction(environment: string): boolean;
}

/**
 * The result of checking one resource against a rule. No outcome means it passes. A rule says
 * `cannot-tell` when the values it needs are known only after apply: that is never a failure.
 */
export type CheckOutcome =
  | { readonly verdict: "fail"; readonly message: string; readonly address?: string }
  | { readonly verdict: "cannot-tell"; readonly message: string };

/**
 * A policy rule: what it checks, which public rules it corresponds to (so a finding is
 * traceable to checkov, trivy, cdk-nag or the EKS Best Practices Guide) and how to fix it.
 */
export interface Rule {
  /** Stable, descriptive id, e.g. `eks-control-plane-logging`. Suppressions may name it. */
  readonly id: string;
  readonly title: string;
  /** Public rule ids (`CKV_AWS_37`, `AVD-AWS-0038`, `AwsSolutions-EKS2`); suppressions may name any of them. */
  readonly publicIds: readonly string[];
  /** Published guidance the rule follows when no scanner has an id for it. */
  readonly guidance?: string;
  readonly severity: Severity;
  readonly kind: RuleKind;
  /** Resource types the check runs on. */
  readonly resourceTypes: readonly string[];
  /** How to fix a finding. */
  readonly fix: string;
  /** Checks one resource of {@link resourceTypes}; a message names the attribute and the value found. */
  check(resource: PolicyResource, context: RuleContext): readonly CheckOutcome[];
}

/** A failure; `address` names another resource when the problem is there (a missing link, a peer). */
export function fail(message: string, address?: string): CheckOutcome {
  return { verdict: "fail", message, address };
}

/** The rule cannot decide before apply. */
export function cannotTell(message: string): CheckOutcome {
  return { verdict: "cannot-tell", message };
}

/** True when the resource's stack belongs to a production environment. */
export function inProduction(resource: PolicyResource, context: RuleContext): boolean {
  return context.isProduction(context.input.environmentOf(resource.stack));
}
