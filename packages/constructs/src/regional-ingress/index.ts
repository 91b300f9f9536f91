export * from "./regional-ingress";
