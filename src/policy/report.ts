import type { Finding, PolicyEvaluation, StackEvaluation } from "./engine";
import type { Severity } from "./rule";

/** One finding as other tools (the pull-request plan review) render it. */
export interface PolicyFindingRecord {
  readonly ruleId: string;
  readonly publicIds: readonly string[];
  readonly severity: Severity;
  readonly address: string;
  readonly message: string;
  readonly fix: string;
  readonly suppressed?: { readonly reason: string };
}

/** The findings of one stack, in a JSON-friendly shape. */
export interface StackFindings {
  readonly stack: string;
  readonly findings: readonly PolicyFindingRecord[];
}

const SEVERITY_ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2 };
const byImportance = (a: Finding, b: Finding) =>
  SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.ruleId.localeCompare(b.ruleId) || a.address.localeCompare(b.address);

/**
 * Every finding by stack (suppressed ones included, with their reasons), highest severity first:
 * the structure `--json` writes and the Markdown plan review renders.
 */
export function policyFindings(evaluation: PolicyEvaluation): StackFindings[] {
  return evaluation.stacks.map((stack) => ({
    stack: stack.stack,
    findings: [...stack.findings].sort(byImportance).map((finding) => ({
      ruleId: finding.ruleId,
      publicIds: finding.publicIds,
      severity: finding.severity,
      address: finding.address,
      message: finding.message,
      fix: finding.fix,
      ...(finding.suppressed ? { suppressed: { reason: finding.suppressed.reason } } : {}),
    })),
  }));
}

/** Totals over an evaluation. */
export interface PolicySummary {
  readonly stacks: number;
  readonly fromPlans: number;
  readonly rules: number;
  readonly checks: number;
  readonly unsuppressed: number;
  readonly suppressed: number;
  readonly undecided: number;
  readonly suppressionProblems: number;
}

export function policySummary(evaluation: PolicyEvaluation): PolicySummary {
  const sum = (count: (stack: StackEvaluation) => number) => evaluation.stacks.reduce((total, stack) => total + count(stack), 0);
  return {
    stacks: evaluation.stacks.length,
    fromPlans: evaluation.stacks.filter((s) => s.source === "plan").length,
    rules: evaluation.rules.length,
    checks: sum((s) => s.checks),
    unsuppressed: sum((s) => s.findings.filter((f) => !f.suppressed).length),
    suppressed: sum((s) => s.findings.filter((f) => f.suppressed).length),
    undecided: sum((s) => s.undecided.length),
    suppressionProblems: sum((s) => s.suppressionProblems.length),
  };
}

const ids = (finding: Finding) => (finding.publicIds.length > 0 ? finding.publicIds.join(", ") : (finding.guidance ?? "-"));

/**
 * The text report: per stack its value source, failures (rule, public ids, severity, address,
 * message, fix), then suppressed findings with their reasons; a summary line last.
 */
export function formatPolicyReport(evaluation: PolicyEvaluation, options: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  for (const stack of evaluation.stacks) {
    const failures = stack.findings.filter((f) => !f.suppressed).sort(byImportance);
    const suppressed = stack.findings.filter((f) => f.suppressed).sort(byImportance);
    const source = stack.source === "plan" ? "plan" : `synthesized JSON${stack.sourceNote ? `: ${stack.sourceNote}` : ""}`;
    const verdict = failures.length === 0 ? "ok" : `${failures.length} finding${failures.length === 1 ? "" : "s"}`;
    lines.push(`${stack.stack} (${source}): ${verdict}, ${stack.resources} resources, ${stack.checks} checks`);
    for (const finding of failures) {
      lines.push(`  FAIL ${finding.severity.toUpperCase()} ${finding.ruleId} [${ids(finding)}]`, `    ${finding.address}: ${finding.message}`, `    fix: ${finding.fix}`);
    }
    if (suppressed.length > 0) {
      lines.push(`  suppressed (${suppressed.length}):`);
      for (const finding of suppressed) {
        lines.push(`    ${finding.severity} ${finding.ruleId} [${ids(finding)}] ${finding.address}: ${finding.message}`, `      reason: ${finding.suppressed!.reason}`);
      }
    }
    for (const problem of stack.suppressionProblems) {
      lines.push(`  suppression ${problem.rule || "(no rule)"} on ${problem.address}: ${problem.problem}`);
    }
    if (stack.undecided.length > 0) {
      lines.push(`  ${stack.undecided.length} check${stack.undecided.length === 1 ? "" : "s"} undecided until apply (never failures)${options.verbose ? ":" : ""}`);
      if (options.verbose) {
        stack.undecided.forEach((u) => lines.push(`    ${u.ruleId} ${u.address}: ${u.message}`));
      }
    }
  }
  const s = policySummary(evaluation);
  lines.push(
    "",
    `policy: ${s.unsuppressed} unsuppressed finding${s.unsuppressed === 1 ? "" : "s"}, ${s.suppressed} suppressed, ${s.undecided} undecided; ` +
      `${s.rules} rules, ${s.checks} checks over ${s.stacks} stacks (${s.fromPlans} from plans, ${s.stacks - s.fromPlans} from synthesized JSON)` +
      (s.suppressionProblems > 0 ? `; ${s.suppressionProblems} suppression problem${s.suppressionProblems === 1 ? "" : "s"}` : ""),
  );
  return lines.join("\n");
}
