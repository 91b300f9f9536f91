import type { PlatformContext } from "./platform-context";

/** Work in progress: filled in by the observability part of issue 6. */
export function installObservability(context: PlatformContext): void {
  void context;
}
