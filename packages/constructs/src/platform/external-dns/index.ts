export * from "./chart";
export * from "./external-dns";
