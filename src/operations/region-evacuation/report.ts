import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { edgeStackName, globalDatabaseStackName, regionalStackName } from "../../config/naming";
import type { Outage } from "../smoke-check/analysis";
import { configChangeLines } from "../aurora-failover/config-change";
import type { Direction, EvacuationRequest } from "./arguments";
import { failoverRequestFor, receivingRegion, type RunFacts, type StepId, type StepStatus } from "./context";
import type { RecoveryPoint, RecoveryTime } from "./evidence";
import type { PlannedStep } from "./plan";
import { targetDialFor } from "./dials";

export type ReportStepStatus = StepStatus | "failed" | "not-run";

export interface ReportStep {
  readonly id: StepId;
  readonly title: string;
  readonly controlPlanes: readonly string[];
  status: ReportStepStatus;
  startedAt?: string;
  endedAt?: string;
  summary?: string;
  /** Live changes the step made, in order (kept when it fails). */
  changes: string[];
}

export interface TimelineEntry {
  readonly at: string;
  readonly step: StepId | "run";
  readonly message: string;
}

/** The evidence of one run (continued across resumes), written as JSON and Markdown. */
export interface EvacuationReport {
  readonly version: 1;
  readonly runId: string;
  readonly direction: Direction;
  readonly environment: string;
  readonly tier: string;
  readonly fromRegion: string;
  readonly survivingRegion: string;
  readonly execute: boolean;
  readonly rehearsal: boolean;
  readonly allowDataLoss: boolean;
  outcome: "succeeded" | "dry-run" | "refused" | "failed" | "running";
  startedAt: string;
  endedAt?: string;
  /** When each earlier attempt of this run ended (in a failure, or cut off); a resume adds one. */
  attempts: string[];
  steps: ReportStep[];
  timeline: TimelineEntry[];
  smokeCheck?: { url: string; probes: number; succeeded: number; outages: Outage[] };
  rto?: RecoveryTime;
  rpo?: RecoveryPoint;
  /** What to commit to the catalogue so Terraform converges on the new live state. */
  catalogueChange: string[];
  failure?: { step: StepId; message: string; done: string[]; notDone: string[]; resume: string; rollback: string };
}

export function newReport(request: EvacuationRequest, runId: string, startedAt: number, steps: readonly PlannedStep[]): EvacuationReport {
  return {
    version: 1,
    runId,
    direction: request.direction,
    environment: request.environment.name,
    tier: request.environment.tier,
    fromRegion: request.fromRegion,
    survivingRegion: request.survivingRegion,
    execute: request.execute,
    rehearsal: request.rehearsal,
    allowDataLoss: request.allowDataLoss,
    outcome: "running",
    startedAt: new Date(startedAt).toISOString(),
    attempts: [],
    steps: steps.map((step) => ({
      id: step.id,
      title: step.title,
      controlPlanes: step.controlPlanes.map((p) => `${p.service} in ${p.region}${p.bestEffort ? " (best effort)" : ""}`),
      status: "not-run",
      changes: [],
    })),
    timeline: [],
    catalogueChange: [],
  };
}

/**
 * A report to continue: it must be a run of the same direction, environment and region. Its
 * timeline and earlier changes stay; the steps run again and find live state already changed.
 */
export function resumedReport(path: string, request: EvacuationRequest, startedAt: number, steps: readonly PlannedStep[]): EvacuationReport {
  let previous: EvacuationReport;
  try {
    previous = JSON.parse(readFileSync(path, "utf8")) as EvacuationReport;
  } catch (error) {
    throw new Error(`--resume "${path}": cannot read a report there: ${(error as Error).message}`);
  }
  const mismatch = (["direction", "environment", "fromRegion"] as const).find((key) => previous[key] !== ({ direction: request.direction, environment: request.environment.name, fromRegion: request.fromRegion })[key]);
  if (mismatch) {
    throw new Error(`--resume "${path}": that report is a ${previous.direction} of ${previous.environment} from ${previous.fromRegion}; this run's ${mismatch} differs`);
  }
  const fresh = newReport(request, previous.runId, startedAt, steps);
  return {
    ...fresh,
    startedAt: previous.startedAt,
    attempts: [...previous.attempts, previous.endedAt ?? previous.startedAt],
    timeline: [...previous.timeline],
    steps: fresh.steps.map((step) => ({ ...step, changes: [...(previous.steps.find((s) => s.id === step.id)?.changes ?? [])] })),
  };
}

/**
 * The catalogue edit after the run: the evacuated region's dial, and (when the writer moved) the
 * primary and secondary regions in the failover command's words. Applied, Terraform converges on
 * live state with in-place updates only, which the replacement gate must show.
 */
export function catalogueChange(request: EvacuationRequest, facts: RunFacts): string[] {
  const lines: string[] = [];
  const edge = request.environment.edge;
  const env = request.environment.name;
  if (edge) {
    const dial = targetDialFor(request);
    const current = edge.trafficDials[request.fromRegion] ?? 100;
    lines.push(
      current === dial
        ? `edge.trafficDials["${request.fromRegion}"] is already ${dial} in the catalogue.`
        : `In src/config/catalogue.ts, environment "${env}": edge.trafficDials["${request.fromRegion}"]: ${current} → ${dial}`,
    );
    if (edge.dns?.latencyRecordName) {
      lines.push(
        `The edge stack inverts the Route 53 health check of a region whose dial is 0, so the latency record of ${request.fromRegion} stays ${request.direction === "evacuation" ? "withdrawn" : "restored"} after the next apply.`,
      );
    }
  }
  if (request.environment.database && facts.writerRegionAfter) {
    lines.push(...configChangeLines(failoverRequestFor(request, receivingRegion(request), "switchover")));
  }
  const stacks = [
    ...(edge ? [edgeStackName(env)] : []),
    ...(request.environment.database ? [globalDatabaseStackName(env)] : []),
    ...request.environment.regions.map((r) => regionalStackName(env, r.region)),
  ];
  lines.push(`Then run the replacement gate on ${stacks.join(", ")}: it must show in-place updates only, no replacement.`);
  if (request.direction === "evacuation" && request.environment.nodeGroups.some((g) => g.evacuation)) {
    lines.push(
      `The raised node-group sizes in ${request.survivingRegion} are live only: applying ${regionalStackName(env, request.survivingRegion)} before the fail-back sets them back to minSize/maxSize.`,
    );
  }
  return lines;
}

export function writeReport(report: EvacuationReport, jsonPath: string): string {
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  const markdownPath = jsonPath.replace(/\.json$/, ".md");
  writeFileSync(markdownPath, reportMarkdown(report));
  return markdownPath;
}

const ms = (value: number | undefined) => (value === undefined ? "unknown" : value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${value} ms`);

export function reportMarkdown(report: EvacuationReport): string {
  const title = `${report.rehearsal ? "Rehearsal: " : ""}${report.direction === "evacuation" ? "Evacuation" : "Fail-back"} of ${report.environment} ${report.direction === "evacuation" ? `from ${report.fromRegion} to ${report.survivingRegion}` : `to ${report.fromRegion}`}`;
  const lines = [`# ${title}`, ""];
  lines.push(`- run: ${report.runId}${report.execute ? "" : " (dry run: nothing was changed)"}`);
  lines.push(`- outcome: **${report.outcome}**`);
  lines.push(`- environment: ${report.environment} (tier ${report.tier})${report.rehearsal ? "; a rehearsal on a non-production environment of the plan production runs" : ""}`);
  lines.push(`- started ${report.startedAt}${report.endedAt ? `, ended ${report.endedAt}` : ""}${report.attempts.length > 0 ? `; resumed after ${report.attempts.length} earlier attempt(s)` : ""}`);
  if (report.rto) {
    lines.push(`- **RTO: ${ms(report.rto.ms)}** (${report.rto.basis})`);
  }
  if (report.rpo) {
    lines.push(`- **RPO: ${ms(report.rpo.ms)}** (${report.rpo.basis})`);
  }
  lines.push("", "## Steps", "", "| # | step | status | control planes | summary |", "|---|---|---|---|---|");
  report.steps.forEach((step, i) => lines.push(`| ${i + 1} | ${step.id} | ${step.status} | ${step.controlPlanes.join("; ") || "none"} | ${(step.summary ?? "").replace(/\|/g, "\\|")} |`));
  if (report.failure) {
    const f = report.failure;
    lines.push("", "## Failure", "", `Step **${f.step}** failed: ${f.message}`, "", "Done:", ...(f.done.length > 0 ? f.done.map((d) => `- ${d}`) : ["- nothing"]));
    lines.push("", "Not done:", ...f.notDone.map((d) => `- ${d}`), "", `Resume: \`${f.resume}\``, "", `Roll back: \`${f.rollback}\``);
  }
  if (report.smokeCheck) {
    const s = report.smokeCheck;
    lines.push("", "## Outages the smoke check saw", "", `${s.url}: ${s.probes} probes, ${s.succeeded} succeeded.`, "");
    if (s.outages.length === 0) {
      lines.push("No outage.");
    } else {
      lines.push("| from | to | duration | failed probes | errors |", "|---|---|---|---|---|");
      for (const o of s.outages) {
        lines.push(`| ${new Date(o.start).toISOString()} | ${o.end === undefined ? "not recovered" : new Date(o.end).toISOString()} | ${ms(o.durationMs)} | ${o.failedProbes} | ${Object.entries(o.errors).map(([k, v]) => `${k} ×${v}`).join(", ")} |`);
      }
    }
  }
  if (report.catalogueChange.length > 0) {
    lines.push("", "## Catalogue change to commit", "", "```", ...report.catalogueChange, "```");
  }
  lines.push("", "## Timeline", "", "| at | step | event |", "|---|---|---|");
  for (const entry of report.timeline) {
    lines.push(`| ${entry.at} | ${entry.step} | ${entry.message.replace(/\|/g, "\\|")} |`);
  }
  return `${lines.join("\n")}\n`;
}
