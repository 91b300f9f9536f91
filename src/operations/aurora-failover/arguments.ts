import type { Catalogue, DatabaseConfig, EnvironmentConfig } from "../../config/schema";
import { environmentFlag, parseFlags, wholeNumberFlag } from "../command-line/flags";
import { UsageError } from "../command-line/usage";

/**
 * `switchover`: planned, no data loss (Aurora synchronizes the target first).
 * `failover`: unplanned, promotes the target with whatever it has already received (allow data loss).
 */
export type FailoverMode = "switchover" | "failover";

/** An environment that has a global database, so there is something to switch over. */
export type DatabaseEnvironment = EnvironmentConfig & { readonly database: DatabaseConfig };

/** What the operator asked for, validated against the catalogue. */
export interface FailoverRequest {
  readonly project: string;
  readonly environment: DatabaseEnvironment;
  /** Region whose member cluster becomes the writer. */
  readonly targetRegion: string;
  /** The environment's other region (the writer today, if the catalogue matches live state). */
  readonly otherRegion: string;
  readonly mode: FailoverMode;
  /** Without it the command only runs the checks and says what it would do. */
  readonly execute: boolean;
  /** Highest replication lag of the target that a switchover accepts. */
  readonly maxLagMs: number;
  readonly timeoutMs: number;
  readonly pollMs: number;
}

/** Shown on `--help` and after every usage error. */
export const USAGE = `usage: npm run failover -- --environment <name> --to <region> [options]

  --environment <name>     catalogue environment whose Aurora global database moves (required)
  --to <region>            region whose cluster becomes the writer; the environment's other region (required)
  --mode <mode>            switchover (planned, no data loss; default) or failover (unplanned, allows data loss)
  --execute                send the request and wait for it; without it only the checks run (dry run)
  --max-lag-ms <n>         highest target replication lag a switchover accepts (default: database.replicationLagAlarmMs)
  --timeout-minutes <n>    how long to wait for the new writer (default 30)
  --poll-seconds <n>       how often to check progress while waiting (default 15)
  --help                   print this text`;

const MODES: readonly FailoverMode[] = ["switchover", "failover"];

/**
 * Parses the command line (the part after `npm run failover --`) and resolves it against the
 * catalogue. Throws {@link UsageError} naming the flag, the value given and the rule it breaks.
 * Returns `"help"` when `--help` was asked for.
 */
export function parseFailoverArguments(argv: readonly string[], catalogue: Catalogue): FailoverRequest | "help" {
  const values = parseFlags(argv, {
    environment: { type: "string" },
    to: { type: "string" },
    mode: { type: "string" },
    execute: { type: "boolean" },
    "max-lag-ms": { type: "string" },
    "timeout-minutes": { type: "string" },
    "poll-seconds": { type: "string" },
    help: { type: "boolean" },
  });
  if (values.help) {
    return "help";
  }

  const environment = environmentFlag(catalogue.environments, values.environment, "the catalogue environment to act on");
  if (!hasDatabase(environment)) {
    throw new UsageError(`--environment "${environment.name}": has no database in the catalogue, so there is no global cluster to switch over`);
  }

  const regions = environment.regions.map((r) => r.region);
  if (values.to === undefined) {
    throw new UsageError(`--to is required: the region whose cluster becomes the writer (${regions.join(" or ")})`);
  }
  if (!regions.includes(values.to)) {
    throw new UsageError(`--to "${values.to}": must be a region of environment ${environment.name}: ${regions.join(" or ")}`);
  }
  // The catalogue rules guarantee exactly two distinct regions, so the other one always exists.
  const otherRegion = regions.find((r) => r !== values.to)!;

  const mode = values.mode ?? "switchover";
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new UsageError(`--mode "${mode}": must be switchover (planned) or failover (unplanned, allows data loss)`);
  }

  const maxLagMs = wholeNumber("--max-lag-ms", values["max-lag-ms"], environment.database.replicationLagAlarmMs, 0, 3_600_000, "milliseconds");
  const timeoutMinutes = wholeNumber("--timeout-minutes", values["timeout-minutes"], 30, 1, 24 * 60, "minutes");
  const pollSeconds = wholeNumber("--poll-seconds", values["poll-seconds"], 15, 1, 3600, "seconds");
  if (pollSeconds > timeoutMinutes * 60) {
    throw new UsageError(`--poll-seconds "${pollSeconds}": must not exceed --timeout-minutes (${timeoutMinutes} min = ${timeoutMinutes * 60} s)`);
  }

  return {
    project: catalogue.project,
    environment,
    targetRegion: values.to,
    otherRegion,
    mode: mode as FailoverMode,
    execute: values.execute ?? false,
    maxLagMs,
    timeoutMs: timeoutMinutes * 60_000,
    pollMs: pollSeconds * 1000,
  };
}

function hasDatabase(environment: EnvironmentConfig): environment is DatabaseEnvironment {
  return environment.database !== undefined;
}

/** A whole number within [min, max], or `fallback` when the flag was not given. */
function wholeNumber(flag: string, raw: string | undefined, fallback: number, min: number, max: number, unit: string): number {
  return raw === undefined ? fallback : wholeNumberFlag(flag, raw, min, max, `a whole number of ${unit} from ${min} to ${max}`);
}
