export * from "./state-backend";
