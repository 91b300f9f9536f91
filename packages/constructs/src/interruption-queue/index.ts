export * from "./interruption-queue";
