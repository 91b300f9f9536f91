export * from "./experiment-support";
