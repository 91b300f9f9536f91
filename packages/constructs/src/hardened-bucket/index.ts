export * from "./hardened-bucket";
