export * from "./aws-load-balancer-controller";
export * from "./chart";
export * from "./target-group-binding";
