export * from "./chart";
export * from "./cluster-autoscaler";
