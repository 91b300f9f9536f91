import type { TerraformResource } from "cdktf";

/**
 * Where a suppression lives: inside the `//` comment object cdktf already writes into every
 * resource of `cdk.tf.json` (Terraform ignores `//` keys), next to the resource it excuses. A
 * policy engine reading the synthesized JSON finds it there.
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

/** A rule id (`rds-instance-auto-minor-version-upgrade`) or a public id (`CKV_AWS_226`). */
const RULE_ID = /^[A-Za-z0-9][\w.-]*$/;

const registered = new WeakMap<TerraformResource, PolicySuppression[]>();

/**
 * Accepts a policy rule's finding on one resource, with the reason written next to the resource
 * that needs it, as metadata in the synthesized JSON. Throws at synth time when the rule id is
 * malformed, when the rule is already suppressed there, or when the reason is not at least a
 * sentence. Whether the rule exists is the policy engine's to check: it owns the rules.
 *
 * @param resource the resource the rule flags
 * @param rule a rule id or a public id
 * @param reason why the rule does not apply to this resource
 */
export function suppressPolicy(resource: TerraformResource, rule: string, reason: string): void {
  const where = `suppressPolicy(${resource.node.path}, "${rule}")`;
  if (!RULE_ID.test(rule)) {
    throw new Error(`${where}: the rule must be a rule id or public id such as CKV_AWS_226 (letters, digits, '_', '.', '-')`);
  }
  const problem = reasonProblem(reason);
  if (problem) {
    throw new Error(`${where}: ${problem}`);
  }
  const list = registered.get(resource) ?? [];
  if (list.some((s) => s.rule === rule)) {
    throw new Error(`${where}: already suppressed on this resource`);
  }
  list.push({ rule, reason: reason.trim() });
  registered.set(resource, list);
  // The override replaces the whole list, so it always holds every suppression of the resource.
  resource.addOverride(`//.${SUPPRESSIONS_KEY}`, list.map((s) => ({ ...s })));
}

/** The suppressions `suppressPolicy` recorded on a resource, in the order they were made. */
export function policySuppressionsOf(resource: TerraformResource): readonly PolicySuppression[] {
  return [...(registered.get(resource) ?? [])];
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
