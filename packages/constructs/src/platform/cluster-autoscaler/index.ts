export * from "./cluster-autoscaler";
