import { DB_INSTANCE_SIZES, instanceSizeRank } from "../core/aws-limits";

/**
 * The rules of an Aurora PostgreSQL global database's settings, one owner each: the constructs of
 * this module refuse props that break them, and an application's own configuration check can
 * call the same predicates (each returns the rule's text, or undefined when the value passes).
 */

/** Aurora PostgreSQL major versions the parameter groups of this module are written for. */
export const SUPPORTED_AURORA_POSTGRESQL_MAJORS = ["15", "16", "17"] as const;

/** `major.minor` of an Aurora PostgreSQL version, e.g. `16.6`. */
export const AURORA_POSTGRESQL_VERSION_FORMAT = /^\d+\.\d+$/;

/** The problem with an Aurora PostgreSQL engine version, or undefined when it is a supported `major.minor`. */
export function auroraPostgresqlVersionProblem(version: string): string | undefined {
  if (!AURORA_POSTGRESQL_VERSION_FORMAT.test(version)) {
    return "must be an Aurora PostgreSQL version such as 16.6";
  }
  if (!(SUPPORTED_AURORA_POSTGRESQL_MAJORS as readonly string[]).includes(version.split(".")[0]!)) {
    return `unsupported major version; supported: ${SUPPORTED_AURORA_POSTGRESQL_MAJORS.join(", ")}`;
  }
  return undefined;
}

/**
 * Instance classes of a global database's members. An Aurora global database requires classes
 * optimized for memory-intensive applications, so no burstable `db.t*` and no `db.serverless`
 * (Aurora User Guide, "Configuration requirements of an Amazon Aurora global database",
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html).
 */
export const AURORA_GLOBAL_INSTANCE_CLASS = new RegExp(`^db\\.(r5|r6g|r6i|r7g|r7i|r8g|x2g)\\.(${DB_INSTANCE_SIZES.join("|")})$`);

/** The rule {@link AURORA_GLOBAL_INSTANCE_CLASS} states. */
export const AURORA_GLOBAL_INSTANCE_CLASS_RULE =
  "must be a memory-optimized Aurora class such as db.r7g.large (global databases do not support db.t* or serverless classes)";

/** Most instances of one member cluster: one writer and 15 Aurora Replicas (the same page as above). */
export const AURORA_MAX_INSTANCES_PER_CLUSTER = 16;

/** Automated backup retention this module accepts, in days (Aurora's maximum is 35). */
export const AURORA_BACKUP_RETENTION_DAYS = { min: 2, max: 35 } as const;

/**
 * Performance Insights retention periods: 7 (the free tier), a multiple of 31 up to 713 (months),
 * or 731 (RDS API `PerformanceInsightsRetentionPeriod`).
 */
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS: readonly number[] = [7, ...Array.from({ length: 23 }, (_, i) => 31 * (i + 1)), 731];

/** The rule {@link PERFORMANCE_INSIGHTS_RETENTION_DAYS} states. */
export const PERFORMANCE_INSIGHTS_RETENTION_RULE = "must be 7, a multiple of 31 up to 713, or 731";

/** `rds.global_db_rpo` bounds, in seconds. */
export const GLOBAL_DB_RPO_SECONDS = { min: 20, max: 2147483647 } as const;

const HHMM = "([01]\\d|2[0-3]):[0-5]\\d";
const WEEKDAY = "(mon|tue|wed|thu|fri|sat|sun)";

/** A daily backup window, UTC `hh:mm-hh:mm`. */
export const BACKUP_WINDOW = new RegExp(`^${HHMM}-${HHMM}$`);
/** The rule {@link BACKUP_WINDOW} states. */
export const BACKUP_WINDOW_RULE = "must be a UTC window such as 03:00-04:00";
/** A weekly maintenance window, UTC `ddd:hh:mm-ddd:hh:mm`. */
export const MAINTENANCE_WINDOW = new RegExp(`^${WEEKDAY}:${HHMM}-${WEEKDAY}:${HHMM}$`);
/** The rule {@link MAINTENANCE_WINDOW} states. */
export const MAINTENANCE_WINDOW_RULE = "must be a UTC window such as sun:05:00-sun:06:00";

const MINUTES_PER_DAY = 24 * 60;

/**
 * Whether a weekly maintenance window touches the daily backup window on any day; RDS refuses
 * overlapping windows. Both must be well-formed ({@link BACKUP_WINDOW}, {@link MAINTENANCE_WINDOW}).
 */
export function backupAndMaintenanceWindowsOverlap(backup: string, maintenance: string): boolean {
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  const [backupStart, backupEnd] = backup.split("-").map(minutes) as [number, number];
  const [from, to] = maintenance.split("-") as [string, string];
  const weekly = (ddd: string) => days.indexOf(ddd.slice(0, 3)) * MINUTES_PER_DAY + minutes(ddd.slice(4));
  const start = weekly(from);
  let end = weekly(to);
  if (end <= start) {
    end += 7 * MINUTES_PER_DAY;
  }
  const backupLength = (backupEnd - backupStart + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  // Backup windows recur daily: test each day's occurrence, including the one that starts the
  // evening before the week begins and the next week's first, for windows across midnight.
  for (let day = -1; day <= 7; day++) {
    const b0 = day * MINUTES_PER_DAY + backupStart;
    if (b0 < end && start < b0 + backupLength) {
      return true;
    }
  }
  return false;
}

/** A PostgreSQL identifier as this module creates them: a lower-case letter, then letters, digits, `_` (max 63). */
export const POSTGRESQL_IDENTIFIER = /^[a-z][a-z0-9_]{0,62}$/;
/** The rule {@link POSTGRESQL_IDENTIFIER} states. */
export const POSTGRESQL_IDENTIFIER_RULE = "must be a PostgreSQL identifier: lower-case letter first, then letters, digits, _ (max 63)";

/** The problem with a master user name, or undefined: a PostgreSQL identifier that RDS and PostgreSQL do not reserve. */
export function masterUsernameProblem(name: string): string | undefined {
  if (!POSTGRESQL_IDENTIFIER.test(name)) {
    return POSTGRESQL_IDENTIFIER_RULE;
  }
  if (/^(rds|pg_)/.test(name) || name === "postgres") {
    return "is reserved by RDS or PostgreSQL (postgres, rds*, pg_*)";
  }
  return undefined;
}

/**
 * The problem with a member cluster's identifier, or undefined. Stricter than CreateDBCluster
 * (1-63 letters, digits, hyphens, a letter first, no `--`, no trailing hyphen): lower case only,
 * as RDS stores the identifier (CreateDBCluster, `DBClusterIdentifier`), so names match what AWS reports.
 */
export function auroraClusterIdentifierProblem(identifier: string): string | undefined {
  return /^[a-z][a-z0-9-]{0,62}$/.test(identifier) && !identifier.endsWith("-") && !identifier.includes("--")
    ? undefined
    : "must be 1-63 lower-case letters, digits or single hyphens, starting with a letter and not ending with a hyphen";
}

/**
 * Whether a secondary of `readerClass` can carry the load of a writer of `writerClass` after a
 * switchover: its size is at least the writer's (sizes ranked as in `DB_INSTANCE_SIZES`).
 */
export function readerCanCarryWriter(readerClass: string, writerClass: string): boolean {
  return instanceSizeRank(readerClass) >= instanceSizeRank(writerClass);
}
