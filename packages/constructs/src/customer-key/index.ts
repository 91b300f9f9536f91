export * from "./customer-key";
