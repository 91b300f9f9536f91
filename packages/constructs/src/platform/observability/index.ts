export * from "./chart";
export * from "./embedded-manifests";
export * from "./observability-platform";
export * from "./values";
