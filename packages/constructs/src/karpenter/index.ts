export * from "./karpenter-aws";
