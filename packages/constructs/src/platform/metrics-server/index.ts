export * from "./metrics-server";
