export * from "./chart";
export * from "./priority-classes";
export * from "./workload-defaults";
