import type { TerraformResource } from "cdktf";
import { RULES, rulesNamedBy } from "./rules/catalogue";
import { isObject } from "./terraform-values";

/**
 * Where a suppression lives: inside the `//` comment object cdktf already writes into every
 * resource of `cdk.tf.json` (Terraform ignores `//` keys), next to the resource it excuses.
 */
export const SUPPRESSIONS_KEY = "policy_suppressions";

/** An accepted finding: the rule (its id or one of its public ids) and why it does not apply here. */
export interface PolicySuppression {
  readonly rule: string;
  readonly reason: string;
}

/** A reason must be a real explanation: a short tag like "n/a" or "accepted" says nothing. */
export const MIN_REASON_WORDS = 6;
export const MIN_REASON_CHARACTERS = 30;

const registered = new WeakMap<TerraformResource, PolicySuppression[]>();

/**
 * Accepts a policy rule's finding on one resource, with the reason written next to the resource
 * that needs it. Throws at synth time when the rule id is unknown (a typo would otherwise never
 * match), when the rule is already suppressed there, or when the reason is not at least a sentence.
 *
 * @param resource the resource the rule flags
 * @param ruleOrPublicId a rule id (`rds-instance-auto-minor-version-upgrade`) or a public id (`CKV_AWS_226`)
 * @param reason why the rule does not apply to this resource
 */
export function suppressPolicy(resource: TerraformResource, ruleOrPublicId: string, reason: string): void {
  const where = `suppressPolicy(${resource.node.path}, "${ruleOrPublicId}")`;
  const named = rulesNamedBy(ruleOrPublicId);
  if (named.length === 0) {
    throw new Error(`${where}: no policy rule has this id or public id (e.g. ${RULES[0]!.id}, ${RULES[0]!.publicIds[0]})`);
  }
  const bundled = named.filter((rule) => rule.id !== ruleOrPublicId && rule.publicIds.length > 1);
  if (bundled.length > 0) {
    throw new Error(`${where}: ${ruleOrPublicId} is one of several public checks of rule ${bundled[0]!.id} (${bundled[0]!.publicIds.join(", ")}); suppress by rule id so the scope is explicit`);
  }
  const problem = reasonProblem(reason);
  if (problem) {
    throw new Error(`${where}: ${problem}`);
  }
  const list = registered.get(resource) ?? [];
  if (list.some((s) => s.rule === ruleOrPublicId)) {
    throw new Error(`${where}: already suppressed on this resource`);
  }
  list.push({ rule: ruleOrPublicId, reason: reason.trim() });
  registered.set(resource, list);
  // The override replaces the whole list, so it always holds every suppression of the resource.
  resource.addOverride(`//.${SUPPRESSIONS_KEY}`, list.map((s) => ({ ...s })));
}

/** Why a suppression reason is not acceptable, or undefined when it is. */
export function reasonProblem(reason: unknown): string | undefined {
  const text = typeof reason === "string" ? reason.trim() : "";
  const words = text.split(/\s+/).filter((w) => /\w/.test(w)).length;
  if (text.length < MIN_REASON_CHARACTERS || words < MIN_REASON_WORDS) {
    return `the reason ${JSON.stringify(reason ?? "")} is too short: explain in at least a sentence (>= ${MIN_REASON_WORDS} words, >= ${MIN_REASON_CHARACTERS} characters) why the rule does not apply here`;
  }
  return undefined;
}

/** A suppression found in synthesized JSON whose reason is not acceptable; it suppresses nothing. */
export interface RejectedSuppression {
  readonly rule: string;
  readonly problem: string;
}

/** The suppressions recorded in a synthesized resource block. */
export function suppressionsOf(config: Readonly<Record<string, unknown>>): { accepted: PolicySuppression[]; rejected: RejectedSuppression[] } {
  const comment = config["//"];
  const raw = isObject(comment) ? comment[SUPPRESSIONS_KEY] : undefined;
  const accepted: PolicySuppression[] = [];
  const rejected: RejectedSuppression[] = [];
  for (const entry of Array.isArray(raw) ? raw : []) {
    const rule = isObject(entry) && typeof entry.rule === "string" ? entry.rule : "";
    const problem = rule === "" ? "names no rule" : reasonProblem(isObject(entry) ? entry.reason : undefined);
    if (problem) {
      rejected.push({ rule, problem });
    } else {
      accepted.push({ rule, reason: String((entry as Record<string, unknown>).reason).trim() });
    }
  }
  return { accepted, rejected };
}
