export * from "./multi-region-key";
