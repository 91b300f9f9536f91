
/** The only engine this module builds: Aurora PostgreSQL, provisioned. */
export const AURORA_ENGINE = "aurora-postgresql";

export const POSTGRESQL_PORT = 5432;

/** Parameter group family of an engine version: `16.6` → `aurora-postgresql16`. */
export function parameterGroupFamily(engineVersion: string): string {
  return `${AURORA_ENGINE}${engineVersion.split(".")[0]}`;
}
