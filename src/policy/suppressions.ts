import { Aspects, TerraformResource, TerraformStack, type App, type IAspect } from "cdktf";
import { SUPPRESSIONS_KEY, policySuppressionsOf, reasonProblem, type PolicySuppression } from "@meridian/constructs";
import type { IConstruct } from "constructs";
import { RULES, rulesNamedBy } from "./rules/catalogue";
import { isObject } from "./terraform-values";

/**
 * Checks every suppression the constructs recorded (`suppressPolicy`, as resource metadata) against
 * this engine's rules, at synth time: a typo in a rule id would otherwise never match, and a public
 * id shared by several checks of one rule would hide its scope. cdktf runs aspects per stack,
 * from the stack down, so {@link checkSuppressedRules} adds it to every stack of an app.
 */
export class SuppressedRulesCheck implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) {
      return;
    }
    for (const { rule } of policySuppressionsOf(node)) {
      const problem = suppressedRuleProblem(rule);
      if (problem) {
        throw new Error(`suppressPolicy(${node.node.path}, "${rule}"): ${problem}`);
      }
    }
  }
}

/** Adds {@link SuppressedRulesCheck} to every stack of `app`: call it once the app has all its stacks. */
export function checkSuppressedRules(app: App): void {
  for (const child of app.node.children) {
    if (child instanceof TerraformStack) {
      Aspects.of(child).add(new SuppressedRulesCheck());
    }
  }
}

/** Why a suppression may not name this rule, or undefined when it may. */
export function suppressedRuleProblem(ruleOrPublicId: string): string | undefined {
  const named = rulesNamedBy(ruleOrPublicId);
  if (named.length === 0) {
    return `no policy rule has this id or public id (e.g. ${RULES[0]!.id}, ${RULES[0]!.publicIds[0]})`;
  }
  const bundled = named.filter((rule) => rule.id !== ruleOrPublicId && rule.publicIds.length > 1);
  if (bundled.length > 0) {
    return `${ruleOrPublicId} is one of several public checks of rule ${bundled[0]!.id} (${bundled[0]!.publicIds.join(", ")}); suppress by rule id so the scope is explicit`;
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
