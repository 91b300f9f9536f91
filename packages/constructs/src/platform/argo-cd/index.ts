export * from "./app-of-apps";
export * from "./argo-cd";
export * from "./cluster-secret";
export * from "./project-names";
export * from "./team-projects";
