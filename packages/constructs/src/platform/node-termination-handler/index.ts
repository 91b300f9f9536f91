export * from "./node-termination-handler";
