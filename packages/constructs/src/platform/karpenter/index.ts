export * from "./chart";
export * from "./karpenter";
export * from "./node-pools";
