export * from "./observability-aws";
export * from "./workloads";
