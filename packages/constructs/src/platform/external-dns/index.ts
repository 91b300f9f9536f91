export * from "./external-dns";
