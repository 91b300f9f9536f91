import type { Catalogue, EnvironmentConfig } from "../../config/schema";
import { environmentFlag, parseFlags, wholeNumberFlag } from "../command-line/flags";
import { UsageError } from "../command-line/usage";

/** `evacuation` drains `--from`; `fail-back` (the reverse run) brings it back. */
export type Direction = "evacuation" | "fail-back";

/** What the operator asked for, validated against the catalogue. */
export interface EvacuationRequest {
  readonly project: string;
  readonly environment: EnvironmentConfig;
  readonly direction: Direction;
  /** The region being evacuated (or, in a fail-back, the one returning). */
  readonly fromRegion: string;
  /** The environment's other region: it carries everything while `fromRegion` is out. */
  readonly survivingRegion: string;
  /** Without it every step reads live state and says what it would change (dry run). */
  readonly execute: boolean;
  /** Allows an Aurora failover (data loss up to the replication lag) when a switchover cannot run. */
  readonly allowDataLoss: boolean;
  /** A rehearsal on a non-production environment; the report says so. */
  readonly rehearsal: boolean;
  /** A previous run's JSON report to continue (its timeline and run id carry on). */
  readonly resumeFrom: string | undefined;
  /** Directory the JSON and Markdown reports are written to. */
  readonly reportDirectory: string;
  /** The smoke check's URL; @default https://<accelerator DNS name>:<first listener port><ingress.healthCheckPath> */
  readonly smokeUrl: URL | undefined;
  /** Highest replication lag a switchover accepts. */
  readonly maxLagMs: number;
  /** How long each wait (deployment, node group update, new writer) may take. */
  readonly timeoutMs: number;
  readonly pollMs: number;
  /** The smoke check keeps probing this long after the last step, so a late outage is seen. */
  readonly settleMs: number;
}

export const USAGE = `usage: npm run evacuate -- --environment <name> --from <region> [options]

  --environment <name>     catalogue environment to act on (required)
  --from <region>          region to evacuate; with --fail-back, the region that returns (required)
  --execute                act; without it every step only reads live state and says what it would do
  --fail-back              the reverse run: bring --from back (writer, dials, surviving capacity)
  --allow-data-loss        fail Aurora over (losing up to the replication lag) when a switchover cannot run
  --rehearse               a drill on a non-production environment (implies --execute); the report says so
  --resume <report.json>   continue the run that wrote this report (steps already done are detected live)
  --report-dir <dir>       where the JSON and Markdown reports go (default evacuation-reports)
  --smoke-url <url>        what the smoke check probes (default: the accelerator's address and the ingress health path)
  --max-lag-ms <n>         highest replication lag a switchover accepts (default database.replicationLagAlarmMs)
  --timeout-minutes <n>    how long each wait may take (default 30)
  --poll-seconds <n>       how often waits check progress (default 15)
  --settle-seconds <n>     how long the smoke check keeps probing after the last step (default 60)
  --help                   print this text

exit codes: 0 done (or a dry run whose checks passed), 1 refused or a step failed (the report says
what was done and how to resume or roll back), 2 bad usage`;

export function parseEvacuationArguments(argv: readonly string[], catalogue: Catalogue): EvacuationRequest | "help" {
  const values = parseFlags(argv, {
    environment: { type: "string" },
    from: { type: "string" },
    execute: { type: "boolean" },
    "fail-back": { type: "boolean" },
    "allow-data-loss": { type: "boolean" },
    rehearse: { type: "boolean" },
    resume: { type: "string" },
    "report-dir": { type: "string" },
    "smoke-url": { type: "string" },
    "max-lag-ms": { type: "string" },
    "timeout-minutes": { type: "string" },
    "poll-seconds": { type: "string" },
    "settle-seconds": { type: "string" },
    help: { type: "boolean" },
  });
  if (values.help) {
    return "help";
  }
  const environment = environmentFlag(catalogue.environments, values.environment, "the catalogue environment to act on");
  const regions = environment.regions.map((r) => r.region);
  if (values.from === undefined) {
    throw new UsageError(`--from is required: the region to evacuate (${regions.join(" or ")})`);
  }
  if (!regions.includes(values.from)) {
    throw new UsageError(`--from "${values.from}": must be a region of environment ${environment.name}: ${regions.join(" or ")}`);
  }
  const rehearsal = values.rehearse ?? false;
  if (rehearsal && environment.tier === "production") {
    const rehearsable = catalogue.environments.filter((env) => env.tier !== "production").map((env) => env.name);
    throw new UsageError(
      `--rehearse with --environment "${environment.name}": a rehearsal runs the same plan on a non-production environment (${rehearsable.join(", ") || "none in the catalogue"}), never on a production-tier one`,
    );
  }
  let smokeUrl: URL | undefined;
  if (values["smoke-url"] !== undefined) {
    try {
      smokeUrl = new URL(values["smoke-url"]);
    } catch {
      smokeUrl = undefined;
    }
    if (!smokeUrl || (smokeUrl.protocol !== "https:" && smokeUrl.protocol !== "http:")) {
      throw new UsageError(`--smoke-url "${values["smoke-url"]}": must be an http:// or https:// URL`);
    }
  } else if (!environment.edge) {
    throw new UsageError(`--smoke-url is required for environment ${environment.name}: it has no edge (accelerator) in the catalogue to derive the address from`);
  }
  const timeoutMinutes = wholeNumber("--timeout-minutes", values["timeout-minutes"], DEFAULTS.timeoutMinutes, 1, 24 * 60, "minutes");
  const pollSeconds = wholeNumber("--poll-seconds", values["poll-seconds"], DEFAULTS.pollSeconds, 1, 3600, "seconds");
  if (pollSeconds > timeoutMinutes * 60) {
    throw new UsageError(`--poll-seconds "${pollSeconds}": must not exceed --timeout-minutes (${timeoutMinutes} min = ${timeoutMinutes * 60} s)`);
  }
  return {
    project: catalogue.project,
    environment,
    direction: values["fail-back"] ? "fail-back" : "evacuation",
    fromRegion: values.from,
    // The catalogue rules guarantee exactly two distinct regions.
    survivingRegion: regions.find((r) => r !== values.from)!,
    execute: (values.execute ?? false) || rehearsal,
    allowDataLoss: values["allow-data-loss"] ?? false,
    rehearsal,
    resumeFrom: values.resume,
    reportDirectory: values["report-dir"] ?? DEFAULTS.reportDirectory,
    smokeUrl,
    maxLagMs: wholeNumber("--max-lag-ms", values["max-lag-ms"], defaultMaxLagMs(environment), 0, 3_600_000, "milliseconds"),
    timeoutMs: timeoutMinutes * 60_000,
    pollMs: pollSeconds * 1000,
    settleMs: wholeNumber("--settle-seconds", values["settle-seconds"], DEFAULTS.settleSeconds, 0, 3600, "seconds") * 1000,
  };
}

/** What a run uses when a flag is not given; the resume and rollback hints repeat every other value. */
const DEFAULTS = { timeoutMinutes: 30, pollSeconds: 15, settleSeconds: 60, reportDirectory: "evacuation-reports" } as const;

function defaultMaxLagMs(environment: EvacuationRequest["environment"]): number {
  return environment.database?.replicationLagAlarmMs ?? 1000;
}

function wholeNumber(flag: string, raw: string | undefined, fallback: number, min: number, max: number, unit: string): number {
  return raw === undefined ? fallback : wholeNumberFlag(flag, raw, min, max, `a whole number of ${unit} from ${min} to ${max}`);
}

/** The command line that repeats this run (for the resume and rollback hints). */
export function commandLineOf(request: EvacuationRequest, options: { direction?: Direction; resume?: string } = {}): string {
  const direction = options.direction ?? request.direction;
  const words = ["npm run evacuate --", "--environment", request.environment.name, "--from", request.fromRegion];
  if (direction === "fail-back") {
    words.push("--fail-back");
  }
  if (request.rehearsal) {
    words.push("--rehearse");
  } else {
    words.push("--execute");
  }
  if (request.allowDataLoss && direction === "evacuation") {
    words.push("--allow-data-loss");
  }
  if (request.smokeUrl) {
    words.push("--smoke-url", request.smokeUrl.href);
  }
  // A resumed run must wait, poll and accept lag as the interrupted one did.
  const settings: [string, number | string, number | string][] = [
    ["--max-lag-ms", request.maxLagMs, defaultMaxLagMs(request.environment)],
    ["--timeout-minutes", request.timeoutMs / 60_000, DEFAULTS.timeoutMinutes],
    ["--poll-seconds", request.pollMs / 1000, DEFAULTS.pollSeconds],
    ["--settle-seconds", request.settleMs / 1000, DEFAULTS.settleSeconds],
    ["--report-dir", request.reportDirectory, DEFAULTS.reportDirectory],
  ];
  for (const [flag, value, fallback] of settings) {
    if (value !== fallback) {
      words.push(flag, String(value));
    }
  }
  if (options.resume) {
    words.push("--resume", options.resume);
  }
  return words.join(" ");
}
