export * from "./chart";
export * from "./metrics-server";
