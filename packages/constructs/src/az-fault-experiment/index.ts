export * from "./az-fault-experiment";
