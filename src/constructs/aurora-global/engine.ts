import { DB_INSTANCE_SIZES } from "../../config/schema";

/** The only engine this module builds: Aurora PostgreSQL, provisioned. */
export const AURORA_ENGINE = "aurora-postgresql";

export const POSTGRESQL_PORT = 5432;

/** Parameter group family of an engine version: `16.6` → `aurora-postgresql16`. */
export function parameterGroupFamily(engineVersion: string): string {
  return `${AURORA_ENGINE}${engineVersion.split(".")[0]}`;
}

/**
 * Relative capacity of an instance class by its size (`db.r7g.2xlarge` → index of `2xlarge`),
 * used to check that a secondary can carry the writer's load after a switchover.
 * Returns -1 for a size this table does not know.
 */
export function instanceSizeRank(instanceClass: string): number {
  const size = instanceClass.split(".")[2] ?? "";
  return (DB_INSTANCE_SIZES as readonly string[]).indexOf(size);
}
