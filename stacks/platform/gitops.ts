import type { PlatformContext } from "./platform-context";

/** Work in progress: filled in by the gitops part of issue 6. */
export function installGitOps(context: PlatformContext): void {
  void context;
}
