export * from "./edge-dns";
