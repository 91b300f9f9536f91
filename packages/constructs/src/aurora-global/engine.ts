
/** The only engine this module builds: Aurora PostgreSQL, provisioned. */
export const AURORA_ENGINE = "aurora-postgresql";

export const POSTGRESQL_PORT = 5432;

/**
 * The parameter group family RDS expects for `engine` at `version` (`aurora-postgresql`, `16.6` →
 * `aurora-postgresql16`), or undefined for an engine or version it cannot tell. The policy rule
 * over any configuration uses it too.
 */
export function parameterGroupFamilyOf(engine: string, version: string): string | undefined {
  if (engine === "aurora-postgresql" || engine === "postgres") {
    const major = /^(\d+)/.exec(version)?.[1];
    return major ? `${engine}${major}` : undefined;
  }
  if (engine === "aurora-mysql") {
    return version.startsWith("8.0") || version.includes("mysql_aurora.3") ? "aurora-mysql8.0" : version.startsWith("5.7") ? "aurora-mysql5.7" : undefined;
  }
  return undefined;
}

/** Parameter group family of an Aurora PostgreSQL version: `16.6` → `aurora-postgresql16`. */
export function parameterGroupFamily(engineVersion: string): string {
  const family = parameterGroupFamilyOf(AURORA_ENGINE, engineVersion);
  if (!family) {
    throw new Error(`engine version ${JSON.stringify(engineVersion)} does not start with a PostgreSQL major version`);
  }
  return family;
}
