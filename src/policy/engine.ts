import { PolicyInput, type PolicyResource, type PolicyStack, type ValueSource } from "./policy-input";
import type { Rule, RuleContext, RuleKind, Severity } from "./rule";
import { RULES } from "./rules/catalogue";
import type { PolicySuppression } from "@meridian/constructs";
import { suppressionsOf } from "./suppressions";

export interface PolicyOptions {
  /** @default RULES (every built-in rule) */
  readonly rules?: readonly Rule[];
  /**
   * Environments judged by production thresholds (backups >= 7 days, NAT per AZ, deletion
   * protection). @default - every environment (the strictest reading)
   */
  readonly productionEnvironments?: readonly string[];
}

/** A rule's failure on one resource. */
export interface Finding {
  readonly ruleId: string;
  readonly title: string;
  readonly publicIds: readonly string[];
  readonly guidance?: string;
  readonly severity: Severity;
  readonly kind: RuleKind;
  readonly stack: string;
  readonly address: string;
  readonly message: string;
  readonly fix: string;
  /** Present when a suppression next to the resource accepts the finding. */
  readonly suppressed?: { readonly reason: string; readonly by: string };
}

/** A check that could not decide because values are known only after apply. */
export interface UndecidedCheck {
  readonly ruleId: string;
  readonly address: string;
  readonly message: string;
}

/** A suppression that suppresses nothing: its reason was rejected, or no finding matched it. */
export interface SuppressionProblem {
  readonly address: string;
  readonly rule: string;
  readonly problem: string;
}

export interface StackEvaluation {
  readonly stack: string;
  readonly source: ValueSource;
  readonly sourceNote?: string;
  readonly resources: number;
  /** Rule × resource checks run. */
  readonly checks: number;
  /** Every finding, suppressed ones included. */
  readonly findings: readonly Finding[];
  readonly undecided: readonly UndecidedCheck[];
  readonly suppressionProblems: readonly SuppressionProblem[];
}

export interface PolicyEvaluation {
  readonly rules: readonly Rule[];
  readonly stacks: readonly StackEvaluation[];
}

/** Runs every rule over every resource of its types in every stack, then applies suppressions. */
export function evaluatePolicy(stacks: readonly PolicyStack[], options: PolicyOptions = {}): PolicyEvaluation {
  const rules = options.rules ?? RULES;
  const input = new PolicyInput(stacks);
  const production = options.productionEnvironments;
  const context: RuleContext = { input, isProduction: (environment) => (production ? production.includes(environment) : true) };
  const rulesByType = new Map<string, Rule[]>();
  for (const rule of rules) {
    for (const type of rule.resourceTypes) {
      rulesByType.set(type, [...(rulesByType.get(type) ?? []), rule]);
    }
  }

  const evaluations = stacks.map((stack): StackEvaluation => {
    const findings = new Map<string, Finding>();
    const undecided: UndecidedCheck[] = [];
    /** Suppressions that matched a finding or an undecided check, by `address rule`. */
    const used = new Set<string>();
    let checks = 0;
    for (const resource of stack.resources) {
      for (const rule of rulesByType.get(resource.type) ?? []) {
        checks++;
        let outcomes;
        try {
          outcomes = rule.check(resource, context);
        } catch (error) {
          throw new Error(`policy rule ${rule.id} failed on ${stack.name} ${resource.address}: ${(error as Error).message}`);
        }
        for (const outcome of outcomes) {
          const target = outcome.verdict === "fail" && outcome.address ? (input.resource(stack.name, outcome.address) ?? resource) : resource;
          const suppression = suppressionFor(target, rule);
          if (suppression) {
            used.add(`${target.address} ${suppression.rule}`);
          }
          if (outcome.verdict === "cannot-tell") {
            undecided.push({ ruleId: rule.id, address: resource.address, message: outcome.message });
            continue;
          }
          const address = outcome.address ?? resource.address;
          findings.set(`${rule.id} ${address} ${outcome.message}`, {
            ruleId: rule.id,
            title: rule.title,
            publicIds: rule.publicIds,
            guidance: rule.guidance,
            severity: rule.severity,
            kind: rule.kind,
            stack: stack.name,
            address,
            message: outcome.message,
            fix: rule.fix,
            suppressed: suppression ? { reason: suppression.reason, by: suppression.rule } : undefined,
          });
        }
      }
    }
    return {
      stack: stack.name,
      source: stack.source,
      sourceNote: stack.sourceNote,
      resources: stack.resources.length,
      checks,
      findings: [...findings.values()],
      undecided,
      suppressionProblems: suppressionProblems(stack, used),
    };
  });
  return { rules, stacks: evaluations };
}

/** Findings no suppression accepts: any of them fails the policy run. */
export function unsuppressedFindings(evaluation: PolicyEvaluation): Finding[] {
  return evaluation.stacks.flatMap((stack) => stack.findings.filter((finding) => !finding.suppressed));
}

/**
 * A suppression names the rule by id, or by its public id when the rule has exactly one: a rule
 * bundling several public checks (CKV_AWS_38 and CKV_AWS_39) must not be silenced by naming one.
 */
function suppressionFor(resource: PolicyResource, rule: Rule): PolicySuppression | undefined {
  return suppressionsOf(resource.config).accepted.find((s) => s.rule === rule.id || (rule.publicIds.length === 1 && rule.publicIds[0] === s.rule));
}

function suppressionProblems(stack: PolicyStack, used: ReadonlySet<string>): SuppressionProblem[] {
  const problems: SuppressionProblem[] = [];
  for (const resource of stack.resources) {
    const { accepted, rejected } = suppressionsOf(resource.config);
    for (const r of rejected) {
      problems.push({ address: resource.address, rule: r.rule, problem: `rejected: ${r.problem}` });
    }
    for (const s of accepted.filter((a) => !used.has(`${resource.address} ${a.rule}`))) {
      problems.push({ address: resource.address, rule: s.rule, problem: "suppresses nothing: the rule passes here or does not apply to this resource; remove it" });
    }
  }
  return problems;
}
