import type { ScenarioResult } from "./scenarios";
import type { RehearsalStep } from "./rehearsal";

/**
 * The rehearsal's Markdown report, one section per scenario: its verdict, each change's deploy
 * order with what each stack's plan creates/updates/replaces/deletes, the reads it resolved and
 * from whom, which steps were not planned and why, and every failure with its reason.
 */

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function counts(step: RehearsalStep): string {
  return step.counts ? `${step.counts.create} / ${step.counts.update} / ${step.counts.replace} / ${step.counts.delete}` : "—";
}

function reads(step: RehearsalStep): string {
  if (step.reads.length === 0) {
    return "—";
  }
  const byProducer = new Map<string, Set<string>>();
  for (const read of step.reads) {
    const producer = read.producer ?? "(no stack)";
    byProducer.set(producer, new Set([...(byProducer.get(producer) ?? []), ...read.outputs]));
  }
  // cdktf names cross-stack outputs `cross-stack-output-<resource><attribute>`; the prefix says nothing.
  const shown = (outputs: Set<string>) => {
    const names = [...outputs].map((o) => o.replace(/^cross-stack-output-/, "")).sort();
    return names.length === 0 ? "(no outputs)" : names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ");
  };
  return [...byProducer].map(([producer, outputs]) => `${producer}: ${shown(outputs)}`).join("; ");
}

const STATUS: Record<RehearsalStep["status"], string> = {
  planned: "planned, applied",
  checked: "checked, not planned",
  unchanged: "unchanged",
  failed: "**failed**",
  removed: "removed",
};

export function rehearsalReport(results: readonly ScenarioResult[], options: { readonly title?: string } = {}): string {
  const lines: string[] = [`## ${options.title ?? "Deploy rehearsal"}`, ""];
  lines.push("| scenario | result | time |", "|---|---|---|");
  for (const r of results) {
    lines.push(`| ${r.scenario} | ${r.passed ? "passed" : `**failed** (${r.failures.length})`} | ${r.seconds} s |`);
  }
  for (const r of results) {
    lines.push("", `### ${r.scenario}: ${r.passed ? "passed" : "failed"}`, "", r.description + ".", "");
    for (const change of r.changes) {
      lines.push(`#### ${change.label}`, "");
      if (change.preflight.length > 0) {
        lines.push("Before the deploy (the pull request's plans of stacks already deployed):", "", ...change.preflight.map((f) => `- ${f}`), "");
      }
      lines.push("| # | stack | phase | status | create / update / replace / delete | reads (from whom: outputs) |", "|---|---|---|---|---|---|");
      change.steps.forEach((step, i) => {
        lines.push(`| ${i + 1} | ${step.stack} | ${cell(step.phase)} | ${STATUS[step.status]} | ${counts(step)} | ${cell(reads(step))} |`);
      });
      const notPlanned = change.steps.filter((s) => s.notPlannable !== undefined);
      if (change.steps.some((s) => s.notes.some((n) => n.includes("--no-plan")))) {
        lines.push("", "Structural rehearsal (--no-plan): nothing was planned; order, reads, outputs and reachability were checked.");
      }
      if (notPlanned.length > 0) {
        lines.push("", `Not planned (helm/kubernetes providers have no offline binary; their order and reads were checked against the simulated outputs): ${notPlanned.map((s) => s.stack).join(", ")}.`);
      }
      const failed = change.steps.filter((s) => s.failures.length > 0);
      if (failed.length > 0) {
        lines.push("", "Failures:", "", ...failed.flatMap((s) => s.failures.map((f) => `- **${s.stack}**: ${cell(f)}`)));
      }
      const noted = change.steps.filter((s) => s.notes.some((n) => !n.startsWith("not planned") && !n.startsWith("configuration as deployed")));
      if (noted.length > 0) {
        lines.push("", "Notes:", "", ...noted.flatMap((s) => s.notes.filter((n) => !n.startsWith("not planned") && !n.startsWith("configuration as deployed")).map((n) => `- ${s.stack}: ${cell(n)}`)));
      }
      lines.push("");
    }
    if (r.teardown) {
      lines.push("| # | environment | stack destroyed | resources | guarded resources destroyed |", "|---|---|---|---|---|");
      r.teardown.forEach((t, i) => lines.push(`| ${i + 1} | ${t.environment} | ${t.stack} | ${t.resources} | ${t.guarded.length === 0 ? "—" : cell(t.guarded.join(", "))} |`));
      const failed = r.teardown.filter((t) => t.failures.length > 0);
      if (failed.length > 0) {
        lines.push("", "Failures:", "", ...failed.flatMap((t) => t.failures.map((f) => `- **${t.stack}**: ${cell(f)}`)));
      }
      const noted = r.teardown.filter((t) => t.notes.length > 0);
      if (noted.length > 0) {
        lines.push("", "Notes:", "", ...noted.flatMap((t) => t.notes.map((n) => `- ${t.stack}: ${cell(n)}`)));
      }
      lines.push("");
    }
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
