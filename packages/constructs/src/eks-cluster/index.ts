export * from "./controller-policies";
export * from "./eks-cluster";
export * from "./irsa-role";
export * from "./managed-node-groups";
export * from "./node-group-spec";
