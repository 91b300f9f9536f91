import type { PlatformContext } from "./platform-context";

/** Work in progress: filled in by the cluster-addons part of issue 6. */
export function installClusterAddons(context: PlatformContext): void {
  void context;
}
