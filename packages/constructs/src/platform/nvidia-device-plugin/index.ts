export * from "./chart";
export * from "./nvidia-device-plugin";
