import * as http from "node:http";
import * as net from "node:net";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { findOutages, OutageTracker, percentile, summarize, type Probe } from "../../src/operations/smoke-check/analysis";
import { systemClock, type Clock } from "../../src/operations/command-line/clock";
import { runSmokeCheckCommand } from "../../src/operations/smoke-check/command";
import { httpProbe, type ProbeFactory, type ProbeOptions, type ProbeResponse } from "../../src/operations/smoke-check/probe";

const START = Date.parse("2025-06-01T12:00:00Z");

// ---------------------------------------------------------------------------------------------
// Synthetic probe sequences for the pure analysis: one letter per probe, one second apart.
// "o" success, "5" HTTP 503, "r" ECONNREFUSED, "t" timeout.
// ---------------------------------------------------------------------------------------------

const KINDS: Record<string, string> = { "5": "HTTP 503", r: "ECONNREFUSED", t: "timeout" };

function sequence(pattern: string, options: { intervalMs?: number; latencyMs?: (index: number) => number; servedBy?: (index: number) => string } = {}): Probe[] {
  const interval = options.intervalMs ?? 1000;
  return [...pattern].map((letter, index) => {
    const ok = letter === "o";
    return {
      at: START + index * interval,
      ok,
      status: ok ? 200 : letter === "5" ? 503 : undefined,
      error: ok ? undefined : KINDS[letter],
      latencyMs: options.latencyMs?.(index) ?? 10,
      servedBy: ok ? options.servedBy?.(index) : undefined,
    };
  });
}

describe("smoke-check analysis", () => {
  test("no failures: no outage, 100% available", () => {
    // GIVEN ten successful probes
    const probes = sequence("oooooooooo");

    // WHEN summarized
    const summary = summarize(probes, 5);

    // THEN there is nothing to report
    expect(summary.outages).toEqual([]);
    expect(summary.availabilityPercent).toBe(100);
    expect(summary.errors).toEqual({});
    expect(summary.longestRecoveryMs).toBeUndefined();
  });

  test("one outage runs from the first failure to the first success of the recovery streak", () => {
    // GIVEN two successes, 503s then refused connections for 5 probes, then successes
    //        index: 0123456789...
    const probes = sequence("oo555rroooooo");

    // WHEN outages are found with a recovery streak of 3
    const outages = findOutages(probes, 3);

    // THEN one outage from probe 2 to probe 7 (5 s), with its failures counted by kind
    expect(outages).toEqual([
      {
        start: START + 2000,
        end: START + 7000,
        recovered: true,
        durationMs: 5000,
        beganAtFirstProbe: false,
        probes: 5,
        failedProbes: 5,
        errors: { "HTTP 503": 3, ECONNREFUSED: 2 },
        servedByBefore: undefined,
        servedByAfter: undefined,
        trailingSuccesses: 0,
      },
    ]);
  });

  test("flapping during recovery stays inside one outage", () => {
    // GIVEN failures, a short burst of successes, a failure, then a long enough streak
    //        index: 0123456789...
    const probes = sequence("o55oo5o5ooooo");

    // WHEN outages are found with a recovery streak of 3
    const outages = findOutages(probes, 3);

    // THEN one outage from probe 1 to probe 8: the successes at 3, 4 and 6 did not end it
    expect(outages).toHaveLength(1);
    expect(outages[0]).toMatchObject({ start: START + 1000, end: START + 8000, durationMs: 7000, probes: 7, failedProbes: 4, recovered: true });
  });

  test("a streak as long as --recovered-after ends the outage; one shorter does not", () => {
    const probes = sequence("o5ooo5ooooo");
    // With 3 the first streak (probes 2-4) ends the outage at 2; probe 5 starts a second one.
    expect(findOutages(probes, 3).map((o) => [o.start - START, o.end! - START])).toEqual([
      [1000, 2000],
      [5000, 6000],
    ]);
    // With 4 the first streak is too short: a single outage from 1 to 6.
    expect(findOutages(probes, 4).map((o) => [o.start - START, o.end! - START])).toEqual([[1000, 6000]]);
  });

  test("an outage still open at the end is reported as not recovered, lasting until the run ended", () => {
    // GIVEN failures, and only two successes before the run ended at 10 s
    const probes = sequence("ooo5ttroo");

    // WHEN summarized with a recovery streak of 5 and the run ending at 10 s
    const summary = summarize(probes, 5, START + 10_000);

    // THEN the outage is open: no end, a lower-bound duration, and the recovery in progress noted
    expect(summary.outages).toEqual([
      expect.objectContaining({ start: START + 3000, end: undefined, recovered: false, durationMs: 7000, failedProbes: 4, probes: 6, trailingSuccesses: 2 }),
    ]);
    expect(summary.longestRecoveryMs).toBeUndefined();
  });

  test("failing from the first probe: the outage is marked as begun before the measurement", () => {
    const [outage] = findOutages(sequence("rrrooooo"), 5);
    expect(outage).toMatchObject({ start: START, end: START + 3000, beganAtFirstProbe: true, recovered: true });
  });

  test("availability, nearest-rank latency percentiles of successes, error and served-by counts", () => {
    // GIVEN 20 probes: 18 successes with latencies 1..18 ms (failures would be 1000 ms), 2 failures
    const probes = sequence("ooooo55ooooooooooooo", {
      latencyMs: (i) => (i < 5 ? i + 1 : i > 6 ? i - 1 : 1000),
      servedBy: (i) => (i < 5 ? "us-east-1" : "eu-west-1"),
    });

    // WHEN summarized
    const summary = summarize(probes, 5);

    // THEN 90% available, latency of successes only, counts highest first
    expect(summary.availabilityPercent).toBe(90);
    expect(summary.latencyMs).toEqual({ p50: 9, p95: 18, max: 18 });
    expect(summary.errors).toEqual({ "HTTP 503": 2 });
    expect(Object.entries(summary.servedBy)).toEqual([
      ["eu-west-1", 13],
      ["us-east-1", 5],
    ]);
    expect(summary.outages[0]).toMatchObject({ servedByBefore: "us-east-1", servedByAfter: "eu-west-1", durationMs: 2000 });
  });

  test("percentile uses nearest rank", () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(ten, 50)).toBe(5);
    expect(percentile(ten, 95)).toBe(10);
    expect(percentile([42], 95)).toBe(42);
    expect(percentile([1, 2], 50)).toBe(1);
  });

  test("the tracker emits one event per change of state, not one per probe", () => {
    const tracker = new OutageTracker(2);
    const events = sequence("ooo55o5ooo5").map((p) => tracker.observe(p)?.kind);
    expect(events).toEqual(["up", undefined, undefined, "failing", undefined, undefined, undefined, undefined, "recovered", undefined, "failing"]);
  });
});

// ---------------------------------------------------------------------------------------------
// The command with an injected clock and probe: a ten-minute drill in milliseconds.
// ---------------------------------------------------------------------------------------------

/**
 * Clock that advances only when slept on, and only after probes already answered have been
 * handed over (so a probe takes no time); the probe answers from a script of elapsed time.
 */
function scripted(script: (elapsedMs: number) => ProbeResponse) {
  let now = START;
  const clock: Clock = {
    now: () => now,
    sleep: async (ms, signal) => {
      await new Promise((resolve) => setImmediate(resolve));
      if (!signal?.aborted) {
        now += Math.max(0, ms);
      }
    },
  };
  const probeOptions: ProbeOptions[] = [];
  let sent = 0;
  const probe: ProbeFactory = (options) => {
    probeOptions.push(options);
    return async () => {
      sent += 1;
      return script(now - START);
    };
  };
  const stdout: string[] = [];
  const stderr: string[] = [];
  const output = { out: (line: string) => stdout.push(line), err: (line: string) => stderr.push(line) };
  const run = async (argv: string[], signal?: AbortSignal) => {
    const code = await runSmokeCheckCommand(argv, { clock, probe, output, signal });
    return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n"), stdoutLines: [...stdout] };
  };
  return { run, probeOptions, sent: () => sent };
}

const OK: ProbeResponse = { kind: "response", status: 200, remoteAddress: "192.0.2.10" };
const UNAVAILABLE: ProbeResponse = { kind: "response", status: 503, remoteAddress: "192.0.2.10" };
const REFUSED: ProbeResponse = { kind: "error", error: "ECONNREFUSED", detail: "connect ECONNREFUSED 192.0.2.10:443" };

/** Up for 10 s, 503 until 20 s, refused until 30 s, up again. */
const DRILL = (t: number): ProbeResponse => (t < 10_000 ? OK : t < 20_000 ? UNAVAILABLE : t < 30_000 ? REFUSED : OK);

describe("smoke-check command (injected clock and probe)", () => {
  test("measures the outage and prints one progress line per change of state", async () => {
    // GIVEN an endpoint that fails from 10 s to 30 s
    const w = scripted(DRILL);

    // WHEN probed every second for a minute
    const result = await w.run(["--url", "https://a1234.awsglobalaccelerator.com/healthz", "--duration-seconds", "60"]);

    // THEN 60 probes, one outage of 20 s, and progress lines only for up, FAILING and RECOVERED
    expect(result.code).toBe(0);
    expect(w.sent()).toBe(60);
    const progress = result.stdoutLines.filter((line) => line.startsWith("[+"));
    expect(progress).toEqual([
      "[+     0ms 12:00:00.000Z] up: HTTP 200 in 0 ms",
      "[+   10.0s 12:00:10.000Z] FAILING: HTTP 503",
      "[+   30.0s 12:00:30.000Z] RECOVERED after 20.0s: 20 of 20 probes failed (ECONNREFUSED 10, HTTP 503 10)",
    ]);
    expect(result.stdout).toContain("summary: 60 probes of https://a1234.awsglobalaccelerator.com/healthz from 12:00:00.000Z to 12:00:59.000Z");
    expect(result.stdout).toContain("availability    66.66% (40 of 60 probes succeeded)");
    expect(result.stdout).toContain("1. 12:00:10.000Z → 12:00:30.000Z  20.0s  20 of 20 probes failed (ECONNREFUSED 10, HTTP 503 10)");
    expect(result.stdout).toContain("time to recovery 20.0s (longest recovered outage)");
  });

  test("--stop-after-recovery stops once the outage has recovered", async () => {
    const w = scripted(DRILL);
    const result = await w.run(["--url", "http://example.test/", "--duration-seconds", "600", "--stop-after-recovery", "--recovered-after", "3", "--json"]);

    // Recovery is confirmed by the third success (32 s); the summary is JSON, the progress on stderr.
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ stoppedBy: "recovered", probes: 33, outages: [{ durationMs: 20_000, recovered: true }] });
    expect(w.sent()).toBeLessThan(40);
    expect(result.stderr).toContain("RECOVERED after 20.0s");
  });

  test("passes URL, timeout, TLS and header settings to the probe", async () => {
    const w = scripted(() => OK);
    await w.run(["--url", "https://a1234.awsglobalaccelerator.com/healthz", "--duration-seconds", "1", "--timeout-ms", "5000", "--insecure", "--region-header", "X-Served-By-Region"]);
    expect(w.probeOptions).toEqual([{ url: new URL("https://a1234.awsglobalaccelerator.com/healthz"), timeoutMs: 5000, insecure: true, regionHeader: "x-served-by-region" }]);
  });

  test("credentials in the URL are never printed", async () => {
    const w = scripted(() => OK);
    const result = await w.run(["--url", "https://probe:s3cret@app.example.test/healthz", "--duration-seconds", "1", "--json"]);
    expect(`${result.stdout}\n${result.stderr}`).not.toContain("s3cret");
    expect(JSON.parse(result.stdout).url).toBe("https://***@app.example.test/healthz");
  });

  test("--region-header: successful probes are counted by the region that served them", async () => {
    // GIVEN us-east-1 serving until its outage at 10 s, eu-west-1 after it
    const w = scripted((t) => (t < 10_000 ? { ...OK, servedBy: "us-east-1" } : t < 15_000 ? REFUSED : { ...OK, servedBy: "eu-west-1" }));

    // WHEN probed for 30 s
    const result = await w.run(["--url", "http://example.test/", "--duration-seconds", "30", "--region-header", "x-served-by-region"]);

    // THEN the shift shows in the counts, the outage line and the recovery line
    expect(result.stdout).toContain("served by       eu-west-1 15, us-east-1 10 (x-served-by-region of successful probes)");
    expect(result.stdout).toContain("; served by us-east-1 → eu-west-1");
    expect(result.stdout).toContain("RECOVERED after 5.0s: 5 of 5 probes failed (ECONNREFUSED 5); served by eu-west-1");
  });

  test("an endpoint that never succeeds exits 1 with a hint", async () => {
    const w = scripted(() => ({ kind: "error", error: "TLS ERR_TLS_CERT_ALTNAME_INVALID", detail: "Hostname/IP does not match certificate's altnames" }));
    const result = await w.run(["--url", "https://a1234.awsglobalaccelerator.com/", "--duration-seconds", "5"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("→ not recovered  ≥ 4.0s  5 of 5 probes failed (TLS ERR_TLS_CERT_ALTNAME_INVALID 5); failing from the first probe");
    expect(result.stderr).toContain("no probe succeeded (TLS ERR_TLS_CERT_ALTNAME_INVALID 5)");
    expect(result.stderr).toContain("--insecure");
  });

  test("Ctrl-C prints the summary so far and exits 0", async () => {
    // GIVEN an operator who interrupts while the probe sent at 15 s is in flight
    const interrupt = new AbortController();
    const w = scripted((t) => {
      if (t >= 15_000) {
        interrupt.abort();
      }
      return OK;
    });

    // WHEN the command runs for what would be ten minutes
    const result = await w.run(["--url", "http://example.test/"], interrupt.signal);

    // THEN it stops there and summarizes what it measured, without the abandoned probe
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("summary: 15 probes");
    expect(result.stdout).toContain("stopped because interrupted (Ctrl-C)");
    expect(w.sent()).toBe(16);
  });
});

describe("smoke-check arguments", () => {
  const usageError = async (...argv: string[]) => {
    const w = scripted(() => OK);
    const result = await w.run(argv);
    expect(result.code).toBe(2);
    expect(w.probeOptions).toHaveLength(0);
    expect(result.stderr).toContain("usage: npm run smoke-check");
    return result.stderr.split("\n")[0];
  };

  test("bad values exit 2 naming the flag, the value and the rule", async () => {
    expect(await usageError()).toBe("error: --url is required: the http:// or https:// endpoint to probe, e.g. https://a1234.awsglobalaccelerator.com/healthz");
    expect(await usageError("--url", "ftp://example.com/file")).toBe('error: --url "ftp://example.com/file": must use http or https, not ftp');
    expect(await usageError("--url", "a1234.awsglobalaccelerator.com")).toBe(
      'error: --url "a1234.awsglobalaccelerator.com": must be an absolute http:// or https:// URL, e.g. https://a1234.awsglobalaccelerator.com/healthz',
    );
    expect(await usageError("--url", "http://x/", "--interval-ms", "10")).toBe('error: --interval-ms "10": must be a whole number from 100 to 60000 (milliseconds)');
    expect(await usageError("--url", "http://x/", "--duration-seconds", "ten")).toBe('error: --duration-seconds "ten": must be a whole number from 1 to 86400 (seconds)');
    expect(await usageError("--url", "http://x/", "--duration-seconds", "1e3")).toBe('error: --duration-seconds "1e3": must be a whole number from 1 to 86400 (seconds)');
    expect(await usageError("--url", "http://x/", "--expect-status", "700")).toBe('error: --expect-status "700": must be a whole number from 100 to 599 (HTTP status code)');
    expect(await usageError("--url", "http://x/", "--region-header", "x region")).toContain('--region-header "x region": must be an HTTP header name');
    expect(await usageError("--url", "http://x/", "--verbose")).toContain("--verbose");
  });

  test("--help prints the usage and exits 0", async () => {
    const w = scripted(() => OK);
    const result = await w.run(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--stop-after-recovery");
    expect(w.probeOptions).toHaveLength(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Against real sockets on 127.0.0.1.
// ---------------------------------------------------------------------------------------------

/** An HTTP server the test switches between healthy (200), failing (503) and closed (refused). */
class DrillServer {
  mode: "healthy" | "failing" = "healthy";
  region = "us-east-1";
  /** Delay before answering. */
  delayMs = 0;
  connections = 0;
  requests = 0;
  inFlight = 0;
  maxInFlight = 0;
  private constructor(
    private readonly server: http.Server,
    readonly port: number,
  ) {}

  static async start(): Promise<DrillServer> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const self = new DrillServer(server, (server.address() as AddressInfo).port);
    server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => self.handle(request, response));
    server.on("connection", () => (self.connections += 1));
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/healthz`;
  }

  /** Stops listening and cuts open connections: new probes are refused. */
  async refuseConnections(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  async listenAgain(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(this.port, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    if (this.server.listening) {
      await this.refuseConnections();
    }
  }

  private handle(_request: http.IncomingMessage, response: http.ServerResponse): void {
    this.requests += 1;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const status = this.mode === "healthy" ? 200 : 503;
    const region = this.region;
    const answer = () => {
      this.inFlight -= 1;
      response.writeHead(status, { "content-type": "text/plain", "x-served-by-region": region });
      response.end(status === 200 ? "ok\n" : "unavailable\n");
    };
    if (this.delayMs > 0) {
      setTimeout(answer, this.delayMs);
    } else {
      answer();
    }
  }
}

/** The command with the real clock and the real HTTP probe, output captured. */
async function runReal(argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runSmokeCheckCommand(argv, { output: { out: (l) => stdout.push(l), err: (l) => stderr.push(l) } });
  return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
}

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("smoke-check HTTP probe (real sockets)", () => {
  const never = new AbortController().signal;

  test("records status, region header and remote address, on a new connection each time", async () => {
    const server = await DrillServer.start();
    try {
      const probe = httpProbe({ url: new URL(server.url), timeoutMs: 2000, insecure: false, regionHeader: "x-served-by-region" });
      const answers = [await probe(never), await probe(never), await probe(never)];
      server.mode = "failing";
      answers.push(await probe(never));

      expect(answers).toEqual([
        ...Array(3).fill({ kind: "response", status: 200, servedBy: "us-east-1", remoteAddress: "127.0.0.1" }),
        { kind: "response", status: 503, servedBy: "us-east-1", remoteAddress: "127.0.0.1" },
      ]);
      expect(server.requests).toBe(4);
      expect(server.connections).toBe(4);
    } finally {
      await server.stop();
    }
  });

  test("a closed port is ECONNREFUSED", async () => {
    const probe = httpProbe({ url: new URL(`http://127.0.0.1:${await freePort()}/`), timeoutMs: 2000, insecure: false, regionHeader: undefined });
    expect(await probe(never)).toMatchObject({ kind: "error", error: "ECONNREFUSED" });
  });

  test("no response head within the timeout is a timeout", async () => {
    // GIVEN a server that accepts connections and never answers
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const probe = httpProbe({ url: new URL(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`), timeoutMs: 150, insecure: false, regionHeader: undefined });
      const started = systemClock.now();
      const answer = await probe(never);
      const took = systemClock.now() - started;
      expect(answer).toMatchObject({ kind: "error", error: "timeout", detail: "no response within 150 ms", remoteAddress: "127.0.0.1" });
      expect(took).toBeGreaterThanOrEqual(140);
      expect(took).toBeLessThan(1500);
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  test("a failed TLS handshake is counted as a TLS error", async () => {
    // An https:// probe to a plain-HTTP server: the handshake fails (wrong version number).
    const server = await DrillServer.start();
    try {
      const probe = httpProbe({ url: new URL(`https://127.0.0.1:${server.port}/`), timeoutMs: 2000, insecure: true, regionHeader: undefined });
      const answer = await probe(never);
      expect(answer.kind).toBe("error");
      expect(answer.kind === "error" && answer.error).toMatch(/^TLS /);
    } finally {
      await server.stop();
    }
  });
});

describe("smoke-check end to end (real server, real clock)", () => {
  test("measures an injected outage of 503s then refused connections, and stops once recovered", async () => {
    // GIVEN a healthy server in "us-east-1"
    const server = await DrillServer.start();
    const marks = { failingAt: 0, healthyAt: 0 };
    try {
      // WHEN, while the command probes every 100 ms (the shortest interval it accepts), the
      // server answers 503 for 600 ms, then refuses connections for 600 ms, then answers again
      // as "eu-west-1"
      const drill = (async () => {
        await delay(500);
        server.mode = "failing";
        marks.failingAt = systemClock.now();
        await delay(600);
        await server.refuseConnections();
        await delay(600);
        server.mode = "healthy";
        server.region = "eu-west-1";
        marks.healthyAt = systemClock.now();
        await server.listenAgain();
      })();
      const started = systemClock.now();
      const result = await runReal([
        ...["--url", server.url, "--interval-ms", "100", "--timeout-ms", "1000", "--duration-seconds", "20"],
        ...["--recovered-after", "3", "--stop-after-recovery", "--region-header", "x-served-by-region", "--json"],
      ]);
      const took = systemClock.now() - started;
      await drill;

      // THEN one recovered outage whose window matches the injected one within 300 ms at each end
      // (100 ms probe spacing plus generous room for timers on a loaded CI machine)
      expect(result.code).toBe(0);
      const summary = JSON.parse(result.stdout);
      expect(summary.stoppedBy).toBe("recovered");
      expect(summary.outages).toHaveLength(1);
      const [outage] = summary.outages;
      const injectedMs = marks.healthyAt - marks.failingAt;
      const tolerance = 300;
      expect(outage.recovered).toBe(true);
      expect(Math.abs(Date.parse(outage.startedAt) - marks.failingAt)).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(Date.parse(outage.endedAt) - marks.healthyAt)).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(outage.durationMs - injectedMs)).toBeLessThanOrEqual(tolerance);
      expect(Object.keys(outage.errors)).toEqual(expect.arrayContaining(["HTTP 503", "ECONNREFUSED"]));
      expect(outage).toMatchObject({ servedByBefore: "us-east-1", servedByAfter: "eu-west-1" });
      expect(Object.keys(summary.servedBy).sort()).toEqual(["eu-west-1", "us-east-1"]);
      // AND it stopped soon after recovering instead of probing for 20 s
      expect(took).toBeLessThan(6000);
      // AND the progress went to stderr, one line per change of state
      expect(result.stderr.match(/FAILING/g)).toHaveLength(1);
      expect(result.stderr.match(/RECOVERED/g)).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });

  test("probes keep a fixed rate when responses are slower than the interval", async () => {
    // GIVEN a server that takes 150 ms to answer
    const server = await DrillServer.start();
    server.delayMs = 150;
    try {
      // WHEN probed every 100 ms for 1 s
      const result = await runReal(["--url", server.url, "--interval-ms", "100", "--timeout-ms", "1000", "--duration-seconds", "1", "--json"]);

      // THEN about 10 probes were sent, overlapping, each on its own connection, and all succeeded
      // (one after another they would have been 7; a stalled CI machine may skip a slot)
      expect(result.code).toBe(0);
      const summary = JSON.parse(result.stdout);
      expect(summary).toMatchObject({ stoppedBy: "duration", failed: 0, outages: [] });
      expect(summary.probes).toBeGreaterThanOrEqual(9);
      expect(summary.probes).toBeLessThanOrEqual(10);
      expect(summary.latencyMs.p50).toBeGreaterThanOrEqual(140);
      expect(server.maxInFlight).toBeGreaterThanOrEqual(2);
      expect(server.connections).toBe(summary.probes);
    } finally {
      await server.stop();
    }
  });

  test("an endpoint that refuses every connection exits 1", async () => {
    const result = await runReal(["--url", `http://127.0.0.1:${await freePort()}/`, "--interval-ms", "100", "--duration-seconds", "1"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^no probe succeeded \(ECONNREFUSED \d+\): check --url/);
  });
});
