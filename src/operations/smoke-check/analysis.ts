/**
 * Probes → outages and statistics. Pure: no clock, no I/O, so the rules can be tested on
 * synthetic sequences and the live progress lines and the final summary cannot disagree.
 */

/** One probe as recorded. */
export interface Probe {
  /** When the request was sent (epoch ms). Outage boundaries are these times. */
  readonly at: number;
  /** The response status equalled the expected one within the timeout. */
  readonly ok: boolean;
  readonly status?: number;
  /** Why it failed, countable: `HTTP 503`, `ECONNREFUSED`, `timeout`, `TLS …`. */
  readonly error?: string;
  /** The underlying error message, when there was no response. */
  readonly detail?: string;
  /** From sending to the response head (or to the error). */
  readonly latencyMs: number;
  readonly remoteAddress?: string;
  /** Value of the `--region-header` response header. */
  readonly servedBy?: string;
}

/** Counts by value, highest first (ties by value). */
export type Counts = Readonly<Record<string, number>>;

/** A window in which clients saw failures. */
export interface Outage {
  /** The first failed probe (after a success, or the first probe of the run). */
  readonly start: number;
  /** The first success of the recovery streak; undefined while not recovered. */
  readonly end: number | undefined;
  readonly recovered: boolean;
  /** end − start; when not recovered, from start to the end of the measurement (a lower bound). */
  readonly durationMs: number;
  /** The very first probe failed: the outage began before the measurement, so the duration is a lower bound. */
  readonly beganAtFirstProbe: boolean;
  /** Probes sent in [start, end): failures and the successes of any flapping. */
  readonly probes: number;
  readonly failedProbes: number;
  readonly errors: Counts;
  /** `servedBy` of the last success before the outage and of the first success of the recovery. */
  readonly servedByBefore: string | undefined;
  readonly servedByAfter: string | undefined;
  /** Not recovered: successes at the end of the run, fewer than needed to call it recovered. */
  readonly trailingSuccesses: number;
}

/** A change of state, for the live progress line. */
export type OutageEvent =
  /** The run's first probe succeeded. */
  | { readonly kind: "up"; readonly probe: Probe }
  /** An outage began with this probe. */
  | { readonly kind: "failing"; readonly probe: Probe; readonly servedByBefore: string | undefined; readonly beganAtFirstProbe: boolean }
  /** The outage ended: `recoveredAfter` consecutive successes were seen, the first at `outage.end`. */
  | { readonly kind: "recovered"; readonly outage: Outage };

interface OpenOutage {
  readonly start: number;
  readonly beganAtFirstProbe: boolean;
  readonly servedByBefore: string | undefined;
  readonly errors: Map<string, number>;
  probes: number;
  failedProbes: number;
  /** The current run of successes inside the outage; it ends the outage once long enough. */
  streakStart: Probe | undefined;
  streak: number;
}

/**
 * Outage detection, one probe at a time, in the order the probes were sent. An outage starts at
 * the first failure after a success (or at the first probe) and ends at the first success that is
 * followed by `recoveredAfter − 1` more without a failure between: a failure inside that streak
 * (flapping) keeps the outage open.
 */
export class OutageTracker {
  private readonly closed: Outage[] = [];
  private open: OpenOutage | undefined;
  private lastServedBy: string | undefined;
  private seen = 0;

  constructor(private readonly recoveredAfter: number) {
    if (!Number.isInteger(recoveredAfter) || recoveredAfter < 1) {
      throw new RangeError(`recoveredAfter must be a whole number >= 1, got ${recoveredAfter}`);
    }
  }

  observe(probe: Probe): OutageEvent | undefined {
    const first = this.seen === 0;
    this.seen += 1;
    const open = this.open;

    if (!open) {
      if (probe.ok) {
        this.lastServedBy = probe.servedBy;
        return first ? { kind: "up", probe } : undefined;
      }
      this.open = {
        start: probe.at,
        beganAtFirstProbe: first,
        servedByBefore: this.lastServedBy,
        errors: new Map([[probe.error ?? "error", 1]]),
        probes: 1,
        failedProbes: 1,
        streakStart: undefined,
        streak: 0,
      };
      return { kind: "failing", probe, servedByBefore: this.lastServedBy, beganAtFirstProbe: first };
    }

    open.probes += 1;
    if (!probe.ok) {
      open.failedProbes += 1;
      const kind = probe.error ?? "error";
      open.errors.set(kind, (open.errors.get(kind) ?? 0) + 1);
      open.streakStart = undefined;
      open.streak = 0;
      return undefined;
    }
    open.streakStart ??= probe;
    open.streak += 1;
    this.lastServedBy = probe.servedBy;
    if (open.streak < this.recoveredAfter) {
      return undefined;
    }
    const end = open.streakStart.at;
    const outage: Outage = {
      start: open.start,
      end,
      recovered: true,
      durationMs: end - open.start,
      beganAtFirstProbe: open.beganAtFirstProbe,
      probes: open.probes - open.streak,
      failedProbes: open.failedProbes,
      errors: sortedCounts(open.errors),
      servedByBefore: open.servedByBefore,
      servedByAfter: open.streakStart.servedBy,
      trailingSuccesses: 0,
    };
    this.closed.push(outage);
    this.open = undefined;
    return { kind: "recovered", outage };
  }

  /** Every outage so far; one still open is reported as not recovered, lasting until `endedAt`. */
  outages(endedAt: number): Outage[] {
    const open = this.open;
    if (!open) {
      return [...this.closed];
    }
    return [
      ...this.closed,
      {
        start: open.start,
        end: undefined,
        recovered: false,
        durationMs: Math.max(0, endedAt - open.start),
        beganAtFirstProbe: open.beganAtFirstProbe,
        probes: open.probes,
        failedProbes: open.failedProbes,
        errors: sortedCounts(open.errors),
        servedByBefore: open.servedByBefore,
        servedByAfter: undefined,
        trailingSuccesses: open.streak,
      },
    ];
  }
}

/** Outages of a whole sequence (sent order). `endedAt` defaults to the last probe's time. */
export function findOutages(probes: readonly Probe[], recoveredAfter: number, endedAt?: number): Outage[] {
  const tracker = new OutageTracker(recoveredAfter);
  for (const probe of probes) {
    tracker.observe(probe);
  }
  return tracker.outages(endedAt ?? probes.at(-1)?.at ?? 0);
}

export interface LatencyStats {
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

export interface Summary {
  readonly probes: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Successful probes / probes × 100; undefined without probes. */
  readonly availabilityPercent: number | undefined;
  /** Of successful probes only; undefined when none succeeded. */
  readonly latencyMs: LatencyStats | undefined;
  /** Successful probes by `--region-header` value; {@link NO_HEADER} when the header was absent. */
  readonly servedBy: Counts;
  /** Every probe that connected, by the address it connected to. */
  readonly remoteAddresses: Counts;
  /** Every failure by kind. */
  readonly errors: Counts;
  readonly outages: readonly Outage[];
  /** Of recovered outages; undefined when none recovered. */
  readonly longestRecoveryMs: number | undefined;
}

/** The `servedBy` key of successful probes whose response lacked the region header. */
export const NO_HEADER = "(no header)";

export function summarize(probes: readonly Probe[], recoveredAfter: number, endedAt?: number): Summary {
  const successes = probes.filter((p) => p.ok);
  const outages = findOutages(probes, recoveredAfter, endedAt);
  const recovered = outages.filter((o) => o.recovered).map((o) => o.durationMs);
  return {
    probes: probes.length,
    succeeded: successes.length,
    failed: probes.length - successes.length,
    availabilityPercent: probes.length === 0 ? undefined : (successes.length / probes.length) * 100,
    latencyMs: latencyStats(successes.map((p) => p.latencyMs)),
    servedBy: countBy(successes.map((p) => p.servedBy ?? NO_HEADER)),
    remoteAddresses: countBy(probes.flatMap((p) => (p.remoteAddress ? [p.remoteAddress] : []))),
    errors: countBy(probes.flatMap((p) => (p.ok ? [] : [p.error ?? "error"]))),
    outages,
    longestRecoveryMs: recovered.length > 0 ? Math.max(...recovered) : undefined,
  };
}

export function latencyStats(latencies: readonly number[]): LatencyStats | undefined {
  if (latencies.length === 0) {
    return undefined;
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1]! };
}

/** Nearest-rank percentile of ascending values: the smallest value with at least p% of values at or below it. */
export function percentile(ascending: readonly number[], p: number): number {
  if (ascending.length === 0) {
    throw new RangeError("percentile of no values");
  }
  const rank = Math.max(1, Math.ceil((p / 100) * ascending.length));
  return ascending[Math.min(rank, ascending.length) - 1]!;
}

function countBy(values: readonly string[]): Counts {
  const counts = new Map<string, number>();
  for (const value of values) {
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return sortedCounts(counts);
}

function sortedCounts(counts: ReadonlyMap<string, number>): Counts {
  return Object.fromEntries([...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
}
