export * from "./global-table";
