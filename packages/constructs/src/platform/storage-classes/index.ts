export * from "./storage-classes";
