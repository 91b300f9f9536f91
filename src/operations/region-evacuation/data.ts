import { auroraClusterIdentifier } from "../../config/naming";
import { actionFor, sendAction } from "../aurora-failover/action";
import type { FailoverMode } from "../aurora-failover/arguments";
import { describeMember } from "../aurora-failover/global-cluster";
import { runPreflight } from "../aurora-failover/preflight";
import { recentReplicationLag } from "../aurora-failover/replication-lag";
import { formatElapsed, waitForNewWriter } from "../aurora-failover/wait";
import { messageOf } from "../command-line/output";
import { failoverRequestFor, receivingRegion, StepFailure, type StepContext, type StepResult } from "./context";

/**
 * Moves the Aurora writer to the receiving region with the failover command's own checks, request
 * and wait: a switchover (no data loss) when it can run; a failover (data loss up to the
 * replication lag) only with --allow-data-loss and only when the switchover cannot. Every call
 * goes to the receiving region's RDS endpoint, never to the evacuated region's.
 */
export async function dataStep(ctx: StepContext): Promise<StepResult> {
  const { request } = ctx;
  if (!request.environment.database) {
    return { status: "skipped", summary: `environment ${request.environment.name} has no database` };
  }
  const target = receivingRegion(request);
  let mode: FailoverMode = "switchover";
  let preflight = await runPreflight(failoverRequestFor(request, target, mode), ctx.clients.aurora, ctx.clock);
  if (preflight.writer?.region === target) {
    ctx.facts.writerRegionAfter = target;
    return { status: "already-done", summary: `the writer is already ${preflight.targetClusterIdentifier} in ${target}` };
  }
  if (!preflight.passed) {
    const reasons = preflight.checks.filter((c) => c.outcome === "refuse").map((c) => c.message);
    if (!request.allowDataLoss || request.direction === "fail-back") {
      throw new StepFailure(
        `a switchover to ${target} cannot run: ${reasons.join("; ")}.` +
          (request.direction === "evacuation" ? " A failover would lose data; it runs only with --allow-data-loss." : " A fail-back never fails over with data loss."),
      );
    }
    mode = "failover";
    ctx.log(`a switchover cannot run (${reasons.join("; ")}); --allow-data-loss: failing over instead`);
    preflight = await runPreflight(failoverRequestFor(request, target, mode), ctx.clients.aurora, ctx.clock);
    if (!preflight.passed) {
      throw new StepFailure(`a failover to ${target} cannot run either: ${preflight.checks.filter((c) => c.outcome === "refuse").map((c) => c.message).join("; ")}`);
    }
  }
  const action = actionFor(mode, preflight.globalClusterIdentifier, preflight.targetArn);
  const actionText = `${action.operation} ${JSON.stringify(action.input)} through RDS in ${target}`;
  if (!request.execute) {
    return { status: "would-change", summary: `would send ${actionText} and wait for ${preflight.targetClusterIdentifier} to become the writer` };
  }

  // The RPO: what the target had not yet received when it was told to take over.
  const targetId = auroraClusterIdentifier(request.project, request.environment.name, target);
  const lagMs = await recentReplicationLag(ctx.clients.aurora(target), targetId, new Date(ctx.clock.now())).then(
    (lag) => lag.maxMs,
    () => undefined,
  );
  ctx.log(`replication lag of ${targetId} before the ${mode}: ${lagMs === undefined ? "unknown" : `${lagMs} ms`}`);
  ctx.log(`sending ${actionText}`);
  try {
    await sendAction(ctx.clients.aurora(target), action);
  } catch (error) {
    throw new StepFailure(`${action.operation} failed: ${messageOf(error)}; the writer did not move`);
  }
  ctx.facts.dataAction = { operation: action.operation, at: ctx.clock.now(), lagMs };
  ctx.changed(`sent ${action.operation} to ${preflight.targetClusterIdentifier}`);

  const outcome = await waitForNewWriter(
    ctx.clients.aurora(target),
    { globalClusterIdentifier: preflight.globalClusterIdentifier, targetArn: preflight.targetArn, timeoutMs: request.timeoutMs, pollMs: request.pollMs },
    ctx.clock,
    { out: (line) => ctx.log(line.trim()), err: (line) => ctx.log(line.trim()) },
  );
  if (outcome.kind === "timed-out") {
    throw new StepFailure(
      `timed out after ${formatElapsed(outcome.elapsedMs)} waiting for ${preflight.targetClusterIdentifier} to become the writer; ` +
        `the ${mode} may still be running: check \`aws rds describe-global-clusters --global-cluster-identifier ${preflight.globalClusterIdentifier} --region ${target}\` before resuming`,
    );
  }
  if (outcome.kind === "ended-without-promotion") {
    const writer = outcome.global.members.find((m) => m.isWriter);
    throw new StepFailure(`the ${mode} ended without promoting ${preflight.targetClusterIdentifier} (writer now: ${writer ? describeMember(writer) : "none"}): cancelled or rolled back`);
  }
  ctx.facts.writerRegionAfter = target;
  return { status: "done", summary: `${mode}: ${preflight.targetClusterIdentifier} in ${target} is the writer after ${formatElapsed(outcome.elapsedMs)}` };
}
