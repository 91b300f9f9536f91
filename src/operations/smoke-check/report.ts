import { type Counts, type Outage, type OutageEvent, type Summary } from "./analysis";
import type { SmokeCheckRequest } from "./arguments";
import type { StopReason } from "./probe-loop";

const STOPPED: Record<StopReason, string> = {
  duration: "the duration was reached",
  recovered: "the outage recovered (--stop-after-recovery)",
  interrupted: "interrupted (Ctrl-C); in-flight probes were not counted",
};

/** The first line: what is probed, how often and by which rules. */
export function startLine(request: SmokeCheckRequest): string {
  return (
    `probing ${displayUrl(request.url)} every ${request.intervalMs} ms for ${formatDuration(request.durationMs)} ` +
    `(timeout ${request.timeoutMs} ms, expecting HTTP ${request.expectStatus}; an outage ends after ${request.recoveredAfter} consecutive successes` +
    `${request.stopAfterRecovery ? ", then the run stops" : ""}). Ctrl-C prints the summary so far.` +
    (request.insecure ? "\nTLS certificates are NOT verified (--insecure): use this for measuring only." : "")
  );
}

/** One progress line per change of state, stamped with the time of the probe that marks it. */
export function progressLine(event: OutageEvent, startedAt: number): string {
  switch (event.kind) {
    case "up":
      return `${stamp(event.probe.at, startedAt)} up: HTTP ${event.probe.status} in ${Math.round(event.probe.latencyMs)} ms${servedBy(event.probe.servedBy)}`;
    case "failing": {
      const detail = event.probe.detail ? ` (${event.probe.detail})` : "";
      const before = event.beganAtFirstProbe ? "; failing from the first probe" : event.servedByBefore ? `; last served by ${event.servedByBefore}` : "";
      return `${stamp(event.probe.at, startedAt)} FAILING: ${event.probe.error ?? "error"}${detail}${before}`;
    }
    case "recovered": {
      const outage = event.outage;
      return (
        `${stamp(outage.end!, startedAt)} RECOVERED after ${formatDuration(outage.durationMs)}: ` +
        `${outage.failedProbes} of ${outage.probes} probes failed (${formatCounts(outage.errors)})${servedBy(outage.servedByAfter)}`
      );
    }
  }
}

/** The human-readable summary, one line per fact, outages listed one per line. */
export function summaryLines(summary: Summary, request: SmokeCheckRequest, startedAt: number, endedAt: number, stoppedBy: StopReason): string[] {
  const lines = [
    `summary: ${summary.probes} probes of ${displayUrl(request.url)} from ${clockTime(startedAt)} to ${clockTime(endedAt)} ` +
      `(${formatDuration(endedAt - startedAt)}); stopped because ${STOPPED[stoppedBy]}`,
    `  availability    ${formatPercent(summary.availabilityPercent)} (${summary.succeeded} of ${summary.probes} probes succeeded)`,
    `  latency         ${
      summary.latencyMs
        ? `p50 ${Math.round(summary.latencyMs.p50)} ms, p95 ${Math.round(summary.latencyMs.p95)} ms, max ${Math.round(summary.latencyMs.max)} ms (successful probes, to the response head)`
        : "none (no probe succeeded)"
    }`,
  ];
  if (request.regionHeader !== undefined) {
    lines.push(`  served by       ${formatCounts(summary.servedBy) || "none"} (${request.regionHeader} of successful probes)`);
  }
  if (Object.keys(summary.remoteAddresses).length > 0) {
    lines.push(`  connected to    ${formatCounts(summary.remoteAddresses)}`);
  }
  lines.push(`  failures        ${formatCounts(summary.errors) || "none"}`);
  lines.push(`  outages         ${summary.outages.length === 0 ? "none" : summary.outages.length}`);
  summary.outages.forEach((outage, index) => lines.push(`    ${index + 1}. ${outageLine(outage)}`));
  if (summary.outages.length > 0) {
    const unrecovered = summary.outages.filter((o) => !o.recovered).length;
    const open = unrecovered === 1 ? "1 outage had not recovered when the run ended" : `${unrecovered} outages had not recovered when the run ended`;
    lines.push(
      summary.longestRecoveryMs === undefined
        ? `  time to recovery n/a: ${open}`
        : `  time to recovery ${formatDuration(summary.longestRecoveryMs)} (longest recovered outage)${unrecovered > 0 ? `; ${open}` : ""}`,
    );
  }
  return lines;
}

function outageLine(outage: Outage): string {
  const window = outage.recovered
    ? `${clockTime(outage.start)} → ${clockTime(outage.end!)}  ${formatDuration(outage.durationMs)}`
    : `${clockTime(outage.start)} → not recovered${outage.trailingSuccesses > 0 ? ` (recovering: ${outage.trailingSuccesses} consecutive successes at the end)` : ""}  ≥ ${formatDuration(outage.durationMs)}`;
  const shift =
    outage.servedByBefore !== undefined || outage.servedByAfter !== undefined ? `; served by ${outage.servedByBefore ?? "?"} → ${outage.servedByAfter ?? "?"}` : "";
  const lowerBound = outage.beganAtFirstProbe ? "; failing from the first probe, so it began earlier" : "";
  return `${window}  ${outage.failedProbes} of ${outage.probes} probes failed (${formatCounts(outage.errors)})${shift}${lowerBound}`;
}

/** The summary as one JSON document (`--json`). Times are ISO 8601 UTC, durations milliseconds. */
export function summaryJson(summary: Summary, request: SmokeCheckRequest, startedAt: number, endedAt: number, stoppedBy: StopReason): string {
  const round = (n: number) => Math.round(n * 10) / 10;
  return JSON.stringify(
    {
      url: displayUrl(request.url),
      startedAt: isoTime(startedAt),
      endedAt: isoTime(endedAt),
      elapsedMs: Math.round(endedAt - startedAt),
      stoppedBy,
      settings: {
        intervalMs: request.intervalMs,
        timeoutMs: request.timeoutMs,
        durationMs: request.durationMs,
        expectStatus: request.expectStatus,
        recoveredAfter: request.recoveredAfter,
        stopAfterRecovery: request.stopAfterRecovery,
        regionHeader: request.regionHeader ?? null,
        insecure: request.insecure,
      },
      probes: summary.probes,
      succeeded: summary.succeeded,
      failed: summary.failed,
      availabilityPercent: summary.availabilityPercent === undefined ? null : Math.round(summary.availabilityPercent * 1000) / 1000,
      latencyMs: summary.latencyMs ? { p50: round(summary.latencyMs.p50), p95: round(summary.latencyMs.p95), max: round(summary.latencyMs.max) } : null,
      servedBy: request.regionHeader === undefined ? null : summary.servedBy,
      remoteAddresses: summary.remoteAddresses,
      errors: summary.errors,
      outages: summary.outages.map((o) => ({
        startedAt: isoTime(o.start),
        endedAt: o.end === undefined ? null : isoTime(o.end),
        recovered: o.recovered,
        durationMs: Math.round(o.durationMs),
        beganAtFirstProbe: o.beganAtFirstProbe,
        probes: o.probes,
        failedProbes: o.failedProbes,
        errors: o.errors,
        servedByBefore: o.servedByBefore ?? null,
        servedByAfter: o.servedByAfter ?? null,
        trailingSuccesses: o.trailingSuccesses,
      })),
      longestRecoveryMs: summary.longestRecoveryMs === undefined ? null : Math.round(summary.longestRecoveryMs),
    },
    null,
    2,
  );
}

/** What to check when not a single probe succeeded, from the failures seen. */
export function neverSucceededHint(summary: Summary, request: SmokeCheckRequest): string {
  const kinds = Object.keys(summary.errors);
  const hints: string[] = [];
  if (kinds.some((k) => k.startsWith("TLS ")) && !request.insecure) {
    hints.push("TLS failed: an accelerator's own DNS name is not on the certificate; use the application's hostname, or --insecure to measure anyway");
  }
  if (kinds.some((k) => k.startsWith("HTTP "))) {
    hints.push(`the endpoint answered, but not with HTTP ${request.expectStatus}: check the path in --url or set --expect-status`);
  }
  if (kinds.includes("ENOTFOUND") || kinds.includes("EAI_AGAIN")) {
    hints.push("the hostname did not resolve: check --url");
  }
  if (hints.length === 0) {
    hints.push("check --url: nothing to measure against if the endpoint never answered");
  }
  return `no probe succeeded (${formatCounts(summary.errors) || "no probes"}): ${hints.join("; ")}.`;
}

/** `value count, value count` in the counts' order (highest first). */
export function formatCounts(counts: Counts): string {
  return Object.entries(counts)
    .map(([value, count]) => `${value} ${count}`)
    .join(", ");
}

/** `850ms`, `12.8s`, `3m05.0s`, `1h02m03s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) {
    return `${Math.round(ms)}ms`;
  }
  const tenths = Math.round(ms / 100);
  if (tenths < 600) {
    return `${(tenths / 10).toFixed(1)}s`;
  }
  const minutes = Math.floor(tenths / 600);
  if (minutes < 60) {
    return `${minutes}m${((tenths - minutes * 600) / 10).toFixed(1).padStart(4, "0")}s`;
  }
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}m${String(seconds % 60).padStart(2, "0")}s`;
}

/** Rounded down, so any failure keeps it below 100%. */
function formatPercent(percent: number | undefined): string {
  return percent === undefined ? "n/a" : `${(Math.floor(percent * 100) / 100).toFixed(2)}%`;
}

/** `[  +12.3s 14:02:03.120Z]`: elapsed since the start and UTC wall-clock time. */
function stamp(at: number, startedAt: number): string {
  return `[+${formatDuration(Math.max(0, at - startedAt)).padStart(8)} ${clockTime(at)}]`;
}

function clockTime(at: number): string {
  return `${isoTime(at).slice(11, 23)}Z`;
}

function isoTime(at: number): string {
  return new Date(Math.round(at)).toISOString();
}

function servedBy(value: string | undefined): string {
  return value === undefined ? "" : `; served by ${value}`;
}

/** The URL as printed: credentials in it are replaced, never shown. */
export function displayUrl(url: URL): string {
  if (!url.username && !url.password) {
    return url.href;
  }
  const shown = new URL(url.href);
  shown.username = "***";
  shown.password = "";
  return shown.href;
}
