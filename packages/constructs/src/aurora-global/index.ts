export * from "./checks";
export * from "./engine";
export * from "./global-database";
export * from "./master-credentials";
export * from "./parameters";
export * from "./regional-member";
