export * from "./flow-log-bucket";
export * from "./global-accelerator";
