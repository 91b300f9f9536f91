import type { Catalogue } from "../../config/schema";
import { systemClock, type Clock } from "../command-line/clock";
import { messageOf, processOutput, type Output } from "../command-line/output";
import { parseOrExitCode } from "../command-line/usage";
import { actionFor, sendAction } from "./action";
import { USAGE, parseFailoverArguments } from "./arguments";
import type { ClientFactory } from "./clients";
import { configChangeLines, notInheritedChecklist } from "./config-change";
import { describeMember } from "./global-cluster";
import { runPreflight } from "./preflight";
import { formatElapsed, waitForNewWriter } from "./wait";

/** 0: done, or a dry run whose checks all passed. 1: refused by a check, or the operation failed. 2: bad usage. */
export const EXIT = { ok: 0, refused: 1, usage: 2 } as const;

export interface FailoverDependencies {
  /** The validated catalogue the environment is looked up in. */
  readonly catalogue: Catalogue;
  readonly clients: ClientFactory;
  /** @default processOutput */
  readonly output?: Output;
  /** @default systemClock */
  readonly clock?: Clock;
}

const MARK = { ok: "ok    ", note: "note  ", refuse: "REFUSE" } as const;

/**
 * `npm run failover -- --environment <name> --to <region> [--mode switchover|failover] [--execute]`:
 * checks live state, then (with --execute) switches over or fails over the environment's Aurora
 * global database to the member in `--to`, waits for it to become the writer, and prints the
 * catalogue change to commit. Returns the process exit code ({@link EXIT}).
 */
export async function runFailoverCommand(argv: readonly string[], deps: FailoverDependencies): Promise<number> {
  const output = deps.output ?? processOutput;
  const clock = deps.clock ?? systemClock;

  const request = parseOrExitCode(() => parseFailoverArguments(argv, deps.catalogue), USAGE, output, EXIT);
  if (typeof request === "number") {
    return request;
  }
  const { environment, targetRegion, mode } = request;

  output.out(
    `${request.execute ? "" : "[dry run] "}${mode} of environment ${environment.name}'s global database to ${targetRegion}` +
      (mode === "failover" ? " (unplanned: allows data loss)" : ""),
  );
  output.out("pre-flight checks:");
  const preflight = await runPreflight(request, deps.clients, clock);
  for (const check of preflight.checks) {
    output.out(`  ${MARK[check.outcome]} ${check.message}`);
  }
  if (!preflight.passed) {
    const refusals = preflight.checks.filter((c) => c.outcome === "refuse");
    output.err(`refused: ${refusals.length} check${refusals.length === 1 ? "" : "s"} failed; nothing was changed.`);
    return EXIT.refused;
  }

  const action = actionFor(mode, preflight.globalClusterIdentifier, preflight.targetArn);
  const actionText = `${action.operation} ${JSON.stringify(action.input)} through RDS in ${targetRegion}`;
  if (!request.execute) {
    output.out(`all checks passed. With --execute this sends ${actionText},`);
    output.out(`then waits up to ${formatElapsed(request.timeoutMs)} for ${preflight.targetClusterIdentifier} to become the writer, checking every ${formatElapsed(request.pollMs)}.`);
    return EXIT.ok;
  }

  output.out(`sending ${actionText}`);
  try {
    await sendAction(deps.clients(targetRegion), action);
  } catch (error) {
    output.err(`${action.operation} failed: ${messageOf(error)}; nothing was changed by this command.`);
    return EXIT.refused;
  }

  output.out(`waiting for ${preflight.targetClusterIdentifier} (${targetRegion}) to become the writer:`);
  const outcome = await waitForNewWriter(
    deps.clients(targetRegion),
    { globalClusterIdentifier: preflight.globalClusterIdentifier, targetArn: preflight.targetArn, timeoutMs: request.timeoutMs, pollMs: request.pollMs },
    clock,
    output,
  );
  if (outcome.kind === "timed-out") {
    const targetWrites = outcome.last?.members.some((m) => m.arn === preflight.targetArn && m.isWriter) ?? false;
    const where = targetWrites
      ? `${preflight.targetClusterIdentifier} is the writer, but AWS still reports the ${mode} as ${outcome.last?.failover?.status ?? "running"}.`
      : `${preflight.targetClusterIdentifier} is not the writer yet.`;
    output.err(
      `timed out after ${formatElapsed(outcome.elapsedMs)} (--timeout-minutes): ${where} ` +
        `The ${mode} may still be running: check with \`aws rds describe-global-clusters --global-cluster-identifier ${preflight.globalClusterIdentifier} --region ${targetRegion}\` ` +
        "and do not change the catalogue until it has finished.",
    );
    return EXIT.refused;
  }
  if (outcome.kind === "ended-without-promotion") {
    const writer = outcome.global.members.find((m) => m.isWriter);
    output.err(
      `the ${mode} ended after ${formatElapsed(outcome.elapsedMs)} without promoting ${preflight.targetClusterIdentifier} ` +
        `(writer now: ${writer ? describeMember(writer) : "none"}); it was cancelled or rolled back. Leave the catalogue as it is.`,
    );
    return EXIT.refused;
  }

  output.out(`${preflight.targetClusterIdentifier} in ${targetRegion} is the writer after ${formatElapsed(outcome.elapsedMs)}.`);
  for (const member of outcome.global.members.filter((m) => !m.isWriter)) {
    // After a failover the old primary rejoins as a secondary only once its region is back.
    output.out(`  secondary ${describeMember(member)}: sync ${member.synchronizationStatus ?? "n/a"}`);
  }
  output.out("");
  for (const line of configChangeLines(request)) {
    output.out(line);
  }
  output.out("");
  for (const line of notInheritedChecklist(request, preflight.writer?.region)) {
    output.out(line);
  }
  return EXIT.ok;
}
