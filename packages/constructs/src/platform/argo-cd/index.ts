export * from "./app-of-apps";
export * from "./argo-cd";
export * from "./chart";
export * from "./cluster-secret";
export * from "./project-names";
export * from "./team-projects";
