import type { Clock } from "../command-line/clock";
import type { Probe } from "./analysis";
import type { ProbeFunction, ProbeResponse } from "./probe";

/** Why the run ended. */
export type StopReason = "duration" | "recovered" | "interrupted";

export interface LoopParameters {
  readonly durationMs: number;
  readonly intervalMs: number;
  readonly expectStatus: number;
}

export interface LoopResult {
  /** In the order they were sent; probes abandoned when stopping early are not included. */
  readonly probes: readonly Probe[];
  readonly startedAt: number;
  readonly endedAt: number;
  readonly stoppedBy: StopReason;
}

interface InFlight {
  settled: Promise<void>;
  result: Probe | undefined;
}

/**
 * Starts a probe every `intervalMs` for `durationMs` at a fixed rate: a slow probe (up to its
 * timeout) does not delay the next one, the probes overlap, each on its own connection. Results
 * are handed to `onProbe` in the order the probes were sent, so a probe that times out holds back
 * the ones after it until it does. The run ends when the last probe sent within the duration has
 * answered, when `onProbe` returns "stop", or when `stop` aborts (Ctrl-C); in the last two cases
 * the probes still in flight are abandoned and not recorded.
 */
export async function runProbeLoop(
  params: LoopParameters,
  probe: ProbeFunction,
  clock: Clock,
  stop: AbortSignal,
  onProbe: (probe: Probe, startedAt: number) => "continue" | "stop",
): Promise<LoopResult> {
  const startedAt = clock.now();
  const abandon = new AbortController();
  const probes: Probe[] = [];
  const inFlight: InFlight[] = [];

  const launch = (): InFlight => {
    const at = clock.now();
    const entry: InFlight = { settled: Promise.resolve(), result: undefined };
    entry.settled = probe(abandon.signal).then(
      (response) => {
        entry.result = toProbe(at, clock.now() - at, response, params.expectStatus);
      },
      (error: unknown) => {
        // A probe function is not meant to reject; record it rather than lose the run.
        entry.result = { at, ok: false, error: "error", detail: error instanceof Error ? error.message : String(error), latencyMs: clock.now() - at };
      },
    );
    return entry;
  };

  let slot = 0;
  let stoppedBy: StopReason | undefined;
  try {
    while (stoppedBy === undefined) {
      while (inFlight[0]?.result) {
        const result = inFlight.shift()!.result!;
        probes.push(result);
        if (onProbe(result, startedAt) === "stop") {
          stoppedBy = "recovered";
          break;
        }
      }
      if (stoppedBy !== undefined) {
        break;
      }
      if (stop.aborted) {
        stoppedBy = "interrupted";
        break;
      }
      const scheduling = slot * params.intervalMs < params.durationMs;
      if (!scheduling && inFlight.length === 0) {
        stoppedBy = "duration";
        break;
      }
      const now = clock.now();
      const due = startedAt + slot * params.intervalMs;
      if (scheduling && now >= due) {
        inFlight.push(launch());
        // After a stall (a suspended laptop, a blocked event loop) skip the missed slots rather
        // than sending them all at once.
        slot = Math.max(slot + 1, Math.ceil((now - startedAt) / params.intervalMs));
        continue;
      }
      await nextWake(clock, scheduling ? due - now : undefined, inFlight[0]?.settled, stop);
    }
  } finally {
    abandon.abort();
  }
  return { probes, startedAt, endedAt: clock.now(), stoppedBy };
}

/** Waits until the next slot is due (`sleepMs`), the oldest probe settles, or `stop` aborts. */
async function nextWake(clock: Clock, sleepMs: number | undefined, oldest: Promise<void> | undefined, stop: AbortSignal): Promise<void> {
  const wake = new AbortController();
  const onStop = () => wake.abort();
  stop.addEventListener("abort", onStop, { once: true });
  const waits: Promise<void>[] = [new Promise<void>((resolve) => wake.signal.addEventListener("abort", () => resolve(), { once: true }))];
  if (sleepMs !== undefined) {
    waits.push(clock.sleep(sleepMs, wake.signal));
  }
  if (oldest) {
    waits.push(oldest);
  }
  try {
    await Promise.race(waits);
  } finally {
    // Cancels the sleep's timer and settles the abort promise.
    wake.abort();
    stop.removeEventListener("abort", onStop);
  }
}

function toProbe(at: number, latencyMs: number, response: ProbeResponse, expectStatus: number): Probe {
  if (response.kind === "error") {
    return { at, ok: false, error: response.error, detail: response.detail, latencyMs, remoteAddress: response.remoteAddress };
  }
  const ok = response.status === expectStatus;
  return {
    at,
    ok,
    status: response.status,
    error: ok ? undefined : `HTTP ${response.status}`,
    latencyMs,
    remoteAddress: response.remoteAddress,
    servedBy: response.servedBy,
  };
}
