export * from "./priority-classes";
export * from "./workload-defaults";
