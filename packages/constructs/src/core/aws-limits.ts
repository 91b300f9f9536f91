/** Values AWS APIs accept, shared by the schema and the constructs. */

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** An absolute HTTP path as health checks take it, e.g. `/healthz`. */
export const HTTP_PATH = /^\/[\x21-\x7e]*$/;

/**
 * Global Accelerator's `HealthCheckPath` (API reference, EndpointGroup / CreateEndpointGroup):
 * pattern `^/[-a-zA-Z0-9@:%_\\+.~#?&/=]*$`, at most 255 characters.
 */
export const GLOBAL_ACCELERATOR_HEALTH_CHECK_PATH = /^\/[-a-zA-Z0-9@:%_+.~#?&/=]*$/;
export const GLOBAL_ACCELERATOR_HEALTH_CHECK_PATH_LIMIT = 255;

/** Why Global Accelerator would refuse `path` as a health-check path, or `undefined`. */
export function globalAcceleratorHealthCheckPathProblem(path: string): string | undefined {
  return GLOBAL_ACCELERATOR_HEALTH_CHECK_PATH.test(path) && path.length <= GLOBAL_ACCELERATOR_HEALTH_CHECK_PATH_LIMIT
    ? undefined
    : `must be an absolute HTTP path such as /healthz that Global Accelerator accepts: at most ${GLOBAL_ACCELERATOR_HEALTH_CHECK_PATH_LIMIT} characters of letters, digits and - @ : % _ + . ~ # ? & / = after the leading /`;
}

/** Aurora instance sizes in order of capacity; a larger index can carry the load of a smaller one. */
export const DB_INSTANCE_SIZES = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge", "48xlarge"] as const;

/**
 * Relative capacity of a DB instance class by its size (`db.r7g.2xlarge` → index of `2xlarge`),
 * used to check that a secondary can carry the writer's load after a switchover.
 * Returns -1 for a size this table does not know.
 */
export function instanceSizeRank(instanceClass: string): number {
  const size = instanceClass.split(".")[2] ?? "";
  return (DB_INSTANCE_SIZES as readonly string[]).indexOf(size);
}

/** RDS enhanced-monitoring intervals (seconds). */
export const RDS_MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60] as const;
