/**
 * The parameter groups of every member, built from the same settings in every region: the
 * promoted cluster does not inherit the old primary's parameters, so they must already match.
 */

export interface AuroraParameterSettings {
  /** `log_min_duration_statement` in ms; -1 disables. */
  readonly logMinDurationStatementMs: number;
  /** `rds.global_db_rpo` in seconds. @default - not set */
  readonly globalDbRpoSeconds?: number;
}

export interface DbParameter {
  readonly name: string;
  readonly value: string;
  readonly applyMethod: "immediate" | "pending-reboot";
}

/** Cluster-level parameters. */
export function clusterParameters(settings: AuroraParameterSettings): DbParameter[] {
  return [
    // Clients must use TLS; IAM authentication tokens require it anyway.
    { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
    { name: "log_min_duration_statement", value: String(settings.logMinDurationStatementMs), applyMethod: "immediate" },
    { name: "log_lock_waits", value: "1", applyMethod: "immediate" },
    // Schema changes leave an audit trail in the PostgreSQL log.
    { name: "log_statement", value: "ddl", applyMethod: "immediate" },
    ...(settings.globalDbRpoSeconds !== undefined
      ? [{ name: "rds.global_db_rpo", value: String(settings.globalDbRpoSeconds), applyMethod: "immediate" as const }]
      : []),
  ];
}

/** Instance-level parameters. */
export function instanceParameters(): DbParameter[] {
  return [
    // I/O timings in pg_stat_statements and Performance Insights.
    { name: "track_io_timing", value: "1", applyMethod: "immediate" },
    // Cancels sessions that hold locks while idle in a transaction (15 min).
    { name: "idle_in_transaction_session_timeout", value: "900000", applyMethod: "immediate" },
  ];
}
