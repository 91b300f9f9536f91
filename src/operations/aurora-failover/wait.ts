import type { Clock } from "../command-line/clock";
import { messageOf, type Output } from "../command-line/output";
import type { RegionalClients } from "./clients";
import { describeGlobalCluster, describeMember, type GlobalClusterState } from "./global-cluster";

/** How the wait ended. */
export type WaitOutcome =
  | { readonly kind: "promoted"; readonly global: GlobalClusterState; readonly elapsedMs: number }
  /** The operation ended (no FailoverState) without the target becoming the writer: cancelled or rolled back. */
  | { readonly kind: "ended-without-promotion"; readonly global: GlobalClusterState; readonly elapsedMs: number }
  /** `last` is the last state read, if any: the target may already write while AWS still lists the operation. */
  | { readonly kind: "timed-out"; readonly elapsedMs: number; readonly last: GlobalClusterState | undefined };

export interface WaitParameters {
  readonly globalClusterIdentifier: string;
  readonly targetArn: string;
  readonly timeoutMs: number;
  readonly pollMs: number;
}

/**
 * Polls DescribeGlobalClusters through the target region until no switchover or failover is in
 * progress and the target is the writer, printing one line per poll. A failed describe is
 * printed and retried: the control plane can be briefly unavailable during the role change.
 */
export async function waitForNewWriter(targetClients: RegionalClients, params: WaitParameters, clock: Clock, output: Output): Promise<WaitOutcome> {
  const started = clock.now();
  // The first describe can come back before AWS has recorded the operation; only an operation
  // that was seen and then disappeared without a promotion means it ended some other way.
  let sawOperation = false;
  let last: GlobalClusterState | undefined;
  for (;;) {
    const elapsedMs = clock.now() - started;
    try {
      const global = await describeGlobalCluster(targetClients, params.globalClusterIdentifier);
      last = global;
      const target = global.members.find((m) => m.arn === params.targetArn);
      const writer = global.members.find((m) => m.isWriter);
      output.out(
        `  [${formatElapsed(elapsedMs)}] operation: ${global.failover?.status ?? "none"}; ` +
          `writer: ${writer ? describeMember(writer) : "none"}; global cluster status: ${global.status ?? "unknown"}`,
      );
      if (global.failover) {
        sawOperation = true;
      } else if (target?.isWriter) {
        return { kind: "promoted", global, elapsedMs };
      } else if (sawOperation) {
        return { kind: "ended-without-promotion", global, elapsedMs };
      }
    } catch (error) {
      output.out(`  [${formatElapsed(elapsedMs)}] describe-global-clusters failed, retrying: ${messageOf(error)}`);
    }
    if (clock.now() - started + params.pollMs > params.timeoutMs) {
      return { kind: "timed-out", elapsedMs: clock.now() - started, last };
    }
    await clock.sleep(params.pollMs);
  }
}

/** `45s`, `3m05s`: short enough to line up in progress output. */
export function formatElapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m${String(seconds % 60).padStart(2, "0")}s` : `${seconds}s`;
}
