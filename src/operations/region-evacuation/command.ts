import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Catalogue } from "../../config/schema";
import { systemClock, type Clock } from "../command-line/clock";
import { messageOf, processOutput, type Output } from "../command-line/output";
import { parseOrExitCode } from "../command-line/usage";
import { summarize } from "../smoke-check/analysis";
import { httpProbe, type ProbeFactory } from "../smoke-check/probe";
import { USAGE, commandLineOf, parseEvacuationArguments, type EvacuationRequest } from "./arguments";
import { capacityStep } from "./capacity";
import type { EvacuationClients } from "./clients";
import { DEFAULT_SMOKE, StepFailure, type RunFacts, type SmokeSettings, type StepContext, type StepId, type StepResult } from "./context";
import { dataStep } from "./data";
import { measureRpo, measureRto } from "./evidence";
import { planLines, planSteps } from "./plan";
import { preflightStep } from "./preflight";
import { catalogueChange, newReport, resumedReport, writeReport, type EvacuationReport } from "./report";
import { trafficStep } from "./traffic";
import { SmokeMonitor, smokeUrlOf, verificationStep } from "./verification";

/** 0: done, or a dry run whose checks passed. 1: refused, or a step failed. 2: bad usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface EvacuationDependencies {
  readonly catalogue: Catalogue;
  readonly clients: EvacuationClients;
  /** @default processOutput */
  readonly output?: Output;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default httpProbe */
  readonly probe?: ProbeFactory;
  /** @default DEFAULT_SMOKE */
  readonly smoke?: SmokeSettings;
  /** @default <tmpdir>/<project>-evacuate-<environment>.kubeconfig */
  readonly kubeconfig?: string;
}

/** The result of a run, for callers (tests) that read the report without parsing files. */
export interface EvacuationRun {
  readonly exitCode: number;
  readonly report?: EvacuationReport;
  readonly reportPath?: string;
}

/**
 * `npm run evacuate -- --environment <env> --from <region> [--execute] [--fail-back] …`: prints the
 * plan, runs the read-only preflight, then (with --execute) each step in order while the smoke
 * check probes the accelerator; stops at the first failing step with what was done, what was not
 * and the commands that resume or roll back; writes the evidence report (JSON and Markdown).
 */
export async function runEvacuationCommand(argv: readonly string[], deps: EvacuationDependencies): Promise<number> {
  return (await runEvacuation(argv, deps)).exitCode;
}

export async function runEvacuation(argv: readonly string[], deps: EvacuationDependencies): Promise<EvacuationRun> {
  const output = deps.output ?? processOutput;
  const clock = deps.clock ?? systemClock;
  const request = parseOrExitCode(() => parseEvacuationArguments(argv, deps.catalogue), USAGE, output, { ok: EXIT.ok, usage: EXIT.usage });
  if (typeof request === "number") {
    return { exitCode: request };
  }
  const startedAt = clock.now();
  const steps = planSteps(request);
  let report: EvacuationReport;
  let reportPath: string;
  try {
    report = request.resumeFrom ? resumedReport(request.resumeFrom, request, startedAt, steps) : newReport(request, runIdOf(startedAt), startedAt, steps);
    reportPath = request.resumeFrom
      ? resolve(request.resumeFrom)
      : resolve(request.reportDirectory, `${request.environment.name}-${request.direction}-${request.fromRegion}-${report.runId}.json`);
  } catch (error) {
    output.err(`error: ${messageOf(error)}`);
    return { exitCode: EXIT.usage };
  }
  for (const line of planLines(request, steps)) {
    output.out(line);
  }
  if (request.resumeFrom) {
    output.out(`resuming run ${report.runId}: every step checks live state first and skips what is already done`);
  }

  const facts: RunFacts = {};
  let current: StepId = "preflight";
  const stepOf = (id: StepId) => report.steps.find((s) => s.id === id)!;
  const ctx: StepContext = {
    request,
    clients: deps.clients,
    clock,
    output,
    probe: deps.probe ?? httpProbe,
    smoke: deps.smoke ?? DEFAULT_SMOKE,
    kubeconfig: deps.kubeconfig ?? join(tmpdir(), `${request.project}-evacuate-${request.environment.name}.kubeconfig`),
    facts,
    log: (message) => {
      report.timeline.push({ at: new Date(clock.now()).toISOString(), step: current, message });
      output.out(`    ${message}`);
    },
    changed: (message) => {
      stepOf(current).changes.push(message);
      report.timeline.push({ at: new Date(clock.now()).toISOString(), step: current, message: `changed: ${message}` });
    },
  };
  const save = () => writeReport(report, reportPath);

  let monitor: SmokeMonitor | undefined;
  let disruptionStartedAt: number | undefined;
  let failed = false;
  const run: Record<StepId, () => Promise<StepResult>> = {
    preflight: () => preflightStep(ctx),
    capacity: () => capacityStep(ctx),
    traffic: () => trafficStep(ctx),
    data: () => dataStep(ctx),
    verification: () => verificationStep(ctx, monitor),
  };
  for (const [index, planned] of steps.entries()) {
    current = planned.id;
    const step = stepOf(planned.id);
    output.out(`step ${index + 1}/${steps.length} ${planned.id}:`);
    if (planned.id !== "preflight" && request.execute && !monitor) {
      const url = smokeUrlOf(ctx);
      if (url) {
        monitor = new SmokeMonitor(ctx, url);
      }
    }
    // The outage a run may cause starts with whichever of traffic and data comes first (data, in a fail-back).
    if ((planned.id === "traffic" || planned.id === "data") && disruptionStartedAt === undefined) {
      disruptionStartedAt = clock.now();
    }
    step.startedAt = new Date(clock.now()).toISOString();
    ctx.log(`started: ${planned.title}`);
    try {
      const result = await run[planned.id]();
      step.status = result.status;
      step.summary = result.summary;
      ctx.log(`${result.status}: ${result.summary}`);
    } catch (error) {
      step.status = "failed";
      step.summary = messageOf(error);
      ctx.log(`FAILED: ${messageOf(error)}`);
      if (!(error instanceof StepFailure)) {
        // An unexpected error (an SDK call outside the steps' own handling) is reported the same way.
        step.summary = `unexpected error: ${messageOf(error)}`;
      }
      failed = true;
    } finally {
      step.endedAt = new Date(clock.now()).toISOString();
      save();
    }
    if (failed) {
      break;
    }
  }

  const probes = monitor ? await monitor.stop() : [];
  const endedAt = clock.now();
  report.endedAt = new Date(endedAt).toISOString();
  if (monitor) {
    const summary = summarize(probes, ctx.smoke.recoveredAfter, endedAt);
    report.smokeCheck = { url: monitor.url.href, probes: summary.probes, succeeded: summary.succeeded, outages: [...summary.outages] };
    report.rto = measureRto(probes, disruptionStartedAt, ctx.smoke.recoveredAfter, endedAt);
  }
  if (request.execute) {
    report.rpo = measureRpo(facts);
  }
  // Only a run that changed something leaves a change to commit; a dry run changed nothing.
  report.catalogueChange = request.execute && (!failed || hasChanges(report)) ? catalogueChange(request, facts) : [];

  if (failed) {
    const failedStep = report.steps.find((s) => s.status === "failed")!;
    const nothingChanged = failedStep.id === "preflight";
    report.outcome = nothingChanged ? "refused" : "failed";
    report.failure = {
      step: failedStep.id,
      message: failedStep.summary ?? "",
      done: report.steps.flatMap((s) => s.changes),
      notDone: [
        ...(failedStep.changes.length > 0 ? [`the rest of step ${failedStep.id}`] : [`step ${failedStep.id}`]),
        ...report.steps.filter((s) => s.status === "not-run").map((s) => `step ${s.id}: ${s.title}`),
      ],
      resume: commandLineOf(request, { resume: reportPath }),
      rollback: rollbackCommand(request),
    };
  } else {
    report.outcome = request.execute ? "succeeded" : "dry-run";
  }
  const markdownPath = save();
  printEnding(output, report, reportPath, markdownPath);
  return { exitCode: failed ? EXIT.failed : EXIT.ok, report, reportPath };
}

function hasChanges(report: EvacuationReport): boolean {
  return report.steps.some((s) => s.changes.length > 0);
}

/** Rolling back an evacuation is the fail-back; rolling back a fail-back is evacuating again. */
function rollbackCommand(request: EvacuationRequest): string {
  return commandLineOf(request, { direction: request.direction === "evacuation" ? "fail-back" : "evacuation" });
}

function printEnding(output: Output, report: EvacuationReport, jsonPath: string, markdownPath: string): void {
  output.out("");
  if (report.failure) {
    const f = report.failure;
    output.err(`${report.outcome === "refused" ? "refused" : "FAILED"} at step ${f.step}: ${f.message}`);
    output.err(`done: ${f.done.length > 0 ? f.done.join("; ") : "nothing was changed"}`);
    output.err(`not done: ${f.notDone.join("; ")}`);
    if (report.outcome === "failed") {
      output.err(`resume:    ${f.resume}`);
      output.err(`roll back: ${f.rollback}`);
    }
  } else {
    output.out(`${report.outcome === "dry-run" ? "dry run passed: nothing was changed; add --execute to act" : `${report.direction} done`}`);
  }
  if (report.rto) {
    output.out(`RTO: ${report.rto.ms === undefined ? "unknown" : `${report.rto.ms} ms`} (${report.rto.basis})`);
  }
  if (report.rpo) {
    output.out(`RPO: ${report.rpo.ms === undefined ? "unknown" : `${report.rpo.ms} ms`} (${report.rpo.basis})`);
  }
  if (report.catalogueChange.length > 0) {
    output.out("");
    report.catalogueChange.forEach((line) => output.out(line));
  }
  output.out("");
  output.out(`report: ${jsonPath}`);
  output.out(`        ${markdownPath}`);
}

/** `20250601T120000Z`: sortable, and safe in a file name. */
function runIdOf(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}
