import type { Probe } from "../smoke-check/analysis";
import { OutageTracker } from "../smoke-check/analysis";
import { runProbeLoop, type LoopResult } from "../smoke-check/probe-loop";
import { StepFailure, type StepContext, type StepResult } from "./context";

/**
 * What the smoke check probes: `--smoke-url`, or the accelerator's own address with the first
 * listener's port and the ingress health path (TLS not verified: the accelerator's DNS name is not
 * on the application's certificate). Undefined before the accelerator has been read.
 */
export function smokeUrlOf(ctx: StepContext): URL | undefined {
  if (ctx.request.smokeUrl) {
    return ctx.request.smokeUrl;
  }
  const accelerator = ctx.facts.accelerator;
  if (!accelerator?.dnsName) {
    return undefined;
  }
  const port = accelerator.firstListenerPort === 443 ? "" : `:${accelerator.firstListenerPort}`;
  return new URL(`https://${accelerator.dnsName}${port}${ctx.request.environment.ingress.healthCheckPath}`);
}

/**
 * The smoke check running in the background for the whole run (the smoke-check command's probe
 * loop and outage rules), started before the first change. `stop()` ends it and returns every
 * probe; `upNow()` says whether the last `recoveredAfter` probes all succeeded.
 */
export class SmokeMonitor {
  private readonly stopper = new AbortController();
  private readonly probes: Probe[] = [];
  private readonly tracker: OutageTracker;
  private readonly done: Promise<LoopResult>;
  readonly url: URL;

  constructor(
    private readonly ctx: StepContext,
    url: URL,
  ) {
    this.url = url;
    this.tracker = new OutageTracker(ctx.smoke.recoveredAfter);
    const probe = ctx.probe({ url, timeoutMs: ctx.smoke.timeoutMs, insecure: ctx.request.smokeUrl === undefined, regionHeader: undefined });
    ctx.log(`smoke check: probing ${url.href} every ${ctx.smoke.intervalMs} ms until the run ends`);
    this.done = runProbeLoop(
      // Bounded by the run: every wait has its own timeout, and stop() ends it.
      { durationMs: 7 * 24 * 3600_000, intervalMs: ctx.smoke.intervalMs, expectStatus: 200 },
      probe,
      ctx.clock,
      this.stopper.signal,
      (recorded) => {
        this.probes.push(recorded);
        const event = this.tracker.observe(recorded);
        if (event?.kind === "failing") {
          ctx.log(`smoke check: FAILING from ${new Date(recorded.at).toISOString()} (${recorded.error ?? "error"})`);
        } else if (event?.kind === "recovered") {
          ctx.log(`smoke check: RECOVERED after ${Math.round(event.outage.durationMs)} ms`);
        }
        return "continue";
      },
    );
  }

  upNow(): boolean {
    const last = this.probes.slice(-this.ctx.smoke.recoveredAfter);
    return last.length === this.ctx.smoke.recoveredAfter && last.every((p) => p.ok);
  }

  async stop(): Promise<readonly Probe[]> {
    this.stopper.abort();
    await this.done;
    return [...this.probes];
  }
}

/**
 * The last step: keeps probing `--settle-seconds` after the last change, then until the last
 * `recoveredAfter` probes in a row succeeded (within `--timeout-minutes`): the service answers
 * through the accelerator with all traffic on the receiving region.
 */
export async function verificationStep(ctx: StepContext, monitor: SmokeMonitor | undefined): Promise<StepResult> {
  if (!monitor && ctx.request.execute) {
    return { status: "skipped", summary: "no address to probe: the accelerator could not be read; pass --smoke-url" };
  }
  if (!monitor) {
    const url = smokeUrlOf(ctx);
    return { status: "would-change", summary: `would probe ${url?.href ?? "the accelerator's address"} every ${ctx.smoke.intervalMs} ms throughout the run` };
  }
  if (ctx.request.settleMs > 0) {
    ctx.log(`waiting ${Math.round(ctx.request.settleMs / 1000)} s (--settle-seconds) for late failures`);
    await ctx.clock.sleep(ctx.request.settleMs);
  }
  const started = ctx.clock.now();
  while (!monitor.upNow()) {
    if (ctx.clock.now() - started > ctx.request.timeoutMs) {
      throw new StepFailure(`${monitor.url.href} did not answer ${ctx.smoke.recoveredAfter} probes in a row within --timeout-minutes`);
    }
    await ctx.clock.sleep(ctx.request.pollMs);
  }
  return { status: "checked", summary: `${monitor.url.href} answers: the last ${ctx.smoke.recoveredAfter} probes succeeded` };
}
