export * from "./nvidia-device-plugin";
