export * from "./aws-load-balancer-controller";
export * from "./target-group-binding";
