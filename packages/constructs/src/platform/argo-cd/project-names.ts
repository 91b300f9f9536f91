/** The Argo CD project of the bootstrap app-of-apps Applications. */
export const BOOTSTRAP_PROJECT = "cluster-bootstrap";

/** Argo CD project names a team project may not take: Argo CD's own `default`, and the bootstrap's. */
export const RESERVED_PROJECT_NAMES: readonly string[] = ["default", BOOTSTRAP_PROJECT];
