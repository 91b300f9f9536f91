export * from "./checks";
export * from "./hub-peering";
export * from "./spoke-peering-acceptance";
