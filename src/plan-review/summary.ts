import type { GateResult, StackReview } from "./replacement-gate";

/** Policy findings of one stack, as `npm run policy -- --json` writes them. */
export interface PolicyStackFindings {
  readonly stack: string;
  readonly findings: readonly {
    readonly ruleId: string;
    readonly publicIds: readonly string[];
    readonly severity: string;
    readonly address: string;
    readonly message: string;
    readonly fix?: string;
    readonly suppressed?: { readonly reason: string };
  }[];
}

export interface SummaryInput {
  readonly gate: GateResult;
  /** @default - no policy section */
  readonly policy?: readonly PolicyStackFindings[];
  /** What was compared, e.g. `origin/main → HEAD`. */
  readonly title?: string;
  /** The label or flag that approves guarded changes, for the instructions. */
  readonly approval?: string;
}

/** Escapes a table cell. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/**
 * One Markdown report for every stack, for a pull-request comment: the verdict, the guarded
 * resources that would be replaced or deleted first, counts per stack, policy findings, and the
 * stacks that could not be planned offline with the reason.
 */
export function planSummaryMarkdown(input: SummaryInput): string {
  const { gate } = input;
  const lines: string[] = [`## Plan review${input.title ? `: ${input.title}` : ""}`, ""];
  const unsuppressed = (input.policy ?? []).flatMap((s) => s.findings.filter((f) => !f.suppressed).map((f) => ({ stack: s.stack, ...f })));
  const failedStacks = gate.stacks.filter((s): s is Extract<StackReview, { status: "failed" }> => s.status === "failed");

  if (failedStacks.length > 0) {
    lines.push(`**❌ ${failedStacks.length} stack(s) could not be reviewed** — see below; the gate fails until they can.`);
  } else if (gate.blocking.length > 0 && !gate.approved) {
    lines.push(`**❌ ${gate.blocking.length} stateful resource(s) would be replaced or deleted.** ${input.approval ? `If that is intended, approve it with ${input.approval}.` : "Approve the change explicitly if that is intended."}`);
  } else if (gate.blocking.length > 0) {
    lines.push(`**⚠️ ${gate.blocking.length} stateful resource(s) will be replaced or deleted — approved.**`);
  } else {
    lines.push("**✅ No stateful resource is replaced or deleted.**");
  }
  if (input.policy) {
    lines.push("", unsuppressed.length === 0 ? "**✅ Policy: no unsuppressed finding.**" : `**❌ Policy: ${unsuppressed.length} unsuppressed finding(s).**`);
  }

  if (gate.blocking.length > 0) {
    lines.push("", "### Replaced or deleted stateful resources", "", "| Stack | Resource | Action | Forced by | What is lost |", "|---|---|---|---|---|");
    for (const change of gate.blocking) {
      lines.push(`| ${change.stack} | \`${change.address}\` | ${change.kind} | ${change.forcedBy.map((p) => `\`${p}\``).join(", ") || "–"} | ${cell(change.loses ?? "")} |`);
    }
  }

  const replacedOrDeleted = gate.stacks.flatMap((s) =>
    s.status === "reviewed" || s.status === "removed" ? s.changes.filter((c) => (c.kind === "replace" || c.kind === "delete") && !c.loses).map((c) => ({ stack: s.stack, ...c })) : [],
  );
  if (replacedOrDeleted.length > 0) {
    lines.push("", "### Other replacements and deletions", "", "| Stack | Resource | Action | Forced by |", "|---|---|---|---|");
    for (const change of replacedOrDeleted) {
      lines.push(`| ${change.stack} | \`${change.address}\` | ${change.kind} | ${change.forcedBy.map((p) => `\`${p}\``).join(", ") || "–"} |`);
    }
  }

  lines.push("", "### Changes per stack", "", "| Stack | Create | Update | Replace | Delete | Note |", "|---|---:|---:|---:|---:|---|");
  for (const stack of gate.stacks) {
    lines.push(stackRow(stack));
  }

  if (unsuppressed.length > 0) {
    lines.push("", "### Policy findings", "", "| Stack | Rule | Severity | Resource | Finding | Fix |", "|---|---|---|---|---|---|");
    for (const f of unsuppressed) {
      lines.push(`| ${f.stack} | ${f.ruleId} (${f.publicIds.join(", ")}) | ${f.severity} | \`${f.address}\` | ${cell(f.message)} | ${cell(f.fix ?? "")} |`);
    }
  }
  // Suppressions repeat per resource and stack (every Aurora instance): one line per rule and reason.
  const suppressed = new Map<string, { ruleId: string; reason: string; resources: number; stacks: Set<string> }>();
  for (const stack of input.policy ?? []) {
    for (const f of stack.findings.filter((finding) => finding.suppressed)) {
      const key = `${f.ruleId}\n${f.suppressed!.reason}`;
      const entry = suppressed.get(key) ?? { ruleId: f.ruleId, reason: f.suppressed!.reason, resources: 0, stacks: new Set<string>() };
      entry.resources++;
      entry.stacks.add(stack.stack);
      suppressed.set(key, entry);
    }
  }
  if (suppressed.size > 0) {
    const total = [...suppressed.values()].reduce((sum, e) => sum + e.resources, 0);
    lines.push("", `<details><summary>${total} suppressed policy finding(s), each with its reason in code</summary>`, "");
    for (const entry of suppressed.values()) {
      lines.push(`- ${entry.ruleId} on ${entry.resources} resource(s) in ${[...entry.stacks].sort().join(", ")}: ${cell(entry.reason)}`);
    }
    lines.push("", "</details>");
  }

  const notPlannable = gate.stacks.filter((s): s is Extract<StackReview, { status: "not-plannable" }> => s.status === "not-plannable");
  if (notPlannable.length > 0) {
    lines.push("", "### Not planned offline", "");
    for (const stack of notPlannable) {
      lines.push(`- ${stack.stack}: ${stack.reason}`);
    }
  }
  for (const stack of failedStacks) {
    lines.push("", `### ${stack.stack}: ${stack.step} failed`, "", "```", stack.message.slice(0, 3000), "```");
  }
  return `${lines.join("\n")}\n`;
}

function stackRow(stack: StackReview): string {
  switch (stack.status) {
    case "reviewed": {
      const { create, update, replace, delete: del } = stack.counts;
      return `| ${stack.stack} | ${create} | ${update} | ${replace} | ${del} | planned against the base's simulated state |`;
    }
    case "added":
      return `| ${stack.stack} | ${stack.counts.create} | 0 | 0 | 0 | new stack |`;
    case "removed":
      return `| ${stack.stack} | 0 | 0 | 0 | ${stack.counts.delete} | stack removed: everything in it is destroyed |`;
    case "unchanged":
      return `| ${stack.stack} | 0 | 0 | 0 | 0 | configuration unchanged |`;
    case "not-plannable":
      return `| ${stack.stack} | – | – | – | – | not planned offline (below) |`;
    case "failed":
      return `| ${stack.stack} | – | – | – | – | **${stack.step} failed** (below) |`;
  }
}
