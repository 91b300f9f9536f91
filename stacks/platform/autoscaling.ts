import type { PlatformContext } from "./platform-context";

/** Work in progress: filled in by the autoscaling part of issue 6. */
export function installAutoscaling(context: PlatformContext): void {
  void context;
}
