export * from "./chart";
export * from "./node-termination-handler";
