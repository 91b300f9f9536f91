import { systemClock, type Clock } from "../command-line/clock";
import { processOutput, type Output } from "../command-line/output";
import { parseOrExitCode } from "../command-line/usage";
import { OutageTracker, summarize } from "./analysis";
import { USAGE, parseSmokeCheckArguments } from "./arguments";
import { httpProbe, type ProbeFactory } from "./probe";
import { runProbeLoop } from "./probe-loop";
import { neverSucceededHint, progressLine, startLine, summaryJson, summaryLines } from "./report";

/**
 * 0: the run finished (with or without outages: measuring them is the job), or was interrupted.
 * 1: no probe succeeded, so there was nothing to measure (likely the wrong URL). 2: bad usage.
 */
export const EXIT = { ok: 0, neverSucceeded: 1, usage: 2 } as const;

export interface SmokeCheckDependencies {
  /** @default processOutput */
  readonly output?: Output;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default httpProbe */
  readonly probe?: ProbeFactory;
  /** Aborted on Ctrl-C: the command stops probing and prints the summary so far. */
  readonly signal?: AbortSignal;
}

/**
 * `npm run smoke-check -- --url <url> [options]`: probes the URL at a fixed interval during a
 * region-failure drill, prints one line per change of state (up, FAILING, RECOVERED), then a
 * summary of the outages (time to recovery), availability, latency and which region served.
 * Returns the process exit code ({@link EXIT}).
 */
export async function runSmokeCheckCommand(argv: readonly string[], deps: SmokeCheckDependencies = {}): Promise<number> {
  const output = deps.output ?? processOutput;
  const clock = deps.clock ?? systemClock;
  const makeProbe = deps.probe ?? httpProbe;

  const request = parseOrExitCode(() => parseSmokeCheckArguments(argv), USAGE, output, EXIT);
  if (typeof request === "number") {
    return request;
  }
  // With --json, stdout carries only the JSON document; progress goes to stderr.
  const progress = request.json ? (line: string) => output.err(line) : (line: string) => output.out(line);

  progress(startLine(request));
  const tracker = new OutageTracker(request.recoveredAfter);
  const probe = makeProbe({ url: request.url, timeoutMs: request.timeoutMs, insecure: request.insecure, regionHeader: request.regionHeader });
  const result = await runProbeLoop(request, probe, clock, deps.signal ?? new AbortController().signal, (recorded, startedAt) => {
    const event = tracker.observe(recorded);
    if (event) {
      progress(progressLine(event, startedAt));
    }
    return event?.kind === "recovered" && request.stopAfterRecovery ? "stop" : "continue";
  });

  const summary = summarize(result.probes, request.recoveredAfter, result.endedAt);
  if (request.json) {
    output.out(summaryJson(summary, request, result.startedAt, result.endedAt, result.stoppedBy));
  } else {
    output.out("");
    for (const line of summaryLines(summary, request, result.startedAt, result.endedAt, result.stoppedBy)) {
      output.out(line);
    }
  }
  if (result.stoppedBy === "interrupted") {
    return EXIT.ok;
  }
  if (summary.succeeded === 0) {
    output.err(neverSucceededHint(summary, request));
    return EXIT.neverSucceeded;
  }
  return EXIT.ok;
}
