import type { ChartPin } from "../chart-release";

/**
 * The default chart of {@link NvidiaDevicePlugin}. Installed only where a cluster has GPU nodes:
 * the AL2023 NVIDIA AMIs carry the driver, not the plugin.
 */
export const NVIDIA_DEVICE_PLUGIN_CHART = {
  repository: "https://nvidia.github.io/k8s-device-plugin",
  chart: "nvidia-device-plugin",
  version: "0.20.0",
} as const satisfies ChartPin;
