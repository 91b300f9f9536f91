export * from "./region-failure-drill";
