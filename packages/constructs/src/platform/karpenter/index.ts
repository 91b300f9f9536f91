export * from "./karpenter";
export * from "./node-pools";
