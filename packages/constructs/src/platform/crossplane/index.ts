export * from "./chart";
export * from "./crossplane";
export * from "./packages";
export * from "./schemas";
export * from "./xcluster";
