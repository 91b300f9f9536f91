import type { Catalogue } from "../../config/schema";
import { messageOf, processOutput, type Output } from "../command-line/output";
import { parseOrExitCode } from "../command-line/usage";
import { USAGE, parseStateFailbackArguments } from "./arguments";
import type { SiteClientFactory } from "./clients";
import { deleteLockFile, surveyState, writeDigest, type DigestFix } from "./survey";

/** 0: nothing to do, done, or a dry run with nothing blocking. 1: refused (lock held, replication pending) or failed. 2: bad usage. */
export const EXIT = { ok: 0, refused: 1, usage: 2 } as const;

export interface StateFailbackDependencies {
  readonly catalogue: Catalogue;
  readonly clients: SiteClientFactory;
  /** @default processOutput */
  readonly output?: Output;
}

const describeDigest = (fix: DigestFix) =>
  `digest ${fix.lockId} (${fix.region}): ${fix.current === undefined ? "missing" : `stale ${fix.current}`} → ${fix.wanted}`;

/**
 * `npm run state-failback -- [--execute]`: after an outage of the state's home region, makes the
 * state usable from the home site again (and from the replica next time): reconciles the DynamoDB
 * digests with the objects and removes lock files no run holds. Refuses while a Terraform lock is
 * held or the two copies of any state still differ. Returns the process exit code ({@link EXIT}).
 */
export async function runStateFailbackCommand(argv: readonly string[], deps: StateFailbackDependencies): Promise<number> {
  const output = deps.output ?? processOutput;
  const request = parseOrExitCode(() => parseStateFailbackArguments(argv), USAGE, output, EXIT);
  if (typeof request === "number") {
    return request;
  }
  const { state, project } = deps.catalogue;
  output.out(`${request.execute ? "" : "[dry run] "}state failback: ${state.bucketName} (${state.region}) ⇄ replica (${state.replicaRegion}), lock table ${state.lockTableName}`);

  let survey;
  try {
    survey = await surveyState(state, project, deps.clients);
  } catch (error) {
    output.err(`could not survey the state: ${messageOf(error)}; nothing was changed.`);
    return EXIT.refused;
  }
  output.out(`${survey.keys.length} state key${survey.keys.length === 1 ? "" : "s"} under ${project}/`);

  if (survey.heldLocks.length > 0 || survey.pending.length > 0) {
    for (const lock of survey.heldLocks) {
      output.err(`  REFUSE lock held on ${lock.key} at the ${lock.site} site (${lock.lockId}): ${lock.holder}`);
    }
    for (const pending of survey.pending) {
      output.err(`  REFUSE ${pending.key}: ${pending.detail}; wait for replication (or finish the run that writes it) and run again`);
    }
    output.err(
      `refused: ${survey.heldLocks.length} held lock(s), ${survey.pending.length} state(s) not yet replicated; nothing was changed. ` +
        "Let running deploys finish (or `terraform force-unlock` a dead one) and stop new ones before failing back.",
    );
    return EXIT.refused;
  }

  const changes = survey.digestFixes.length + survey.staleLockFiles.length;
  if (changes === 0) {
    output.out("every state matches its digests on both sites and no lock file is left: the stacks can run on the home site (unset STATE_SITE).");
    return EXIT.ok;
  }
  for (const fix of survey.digestFixes) {
    output.out(`  ${request.execute ? "write " : "would write "}${describeDigest(fix)}`);
  }
  for (const file of survey.staleLockFiles) {
    output.out(`  ${request.execute ? "delete " : "would delete "}stale lock file s3://${file.bucket}/${file.objectKey} (${file.holder})`);
  }
  if (!request.execute) {
    output.out(`${changes} change(s) needed. Run again with --execute to make them.`);
    return EXIT.ok;
  }
  try {
    for (const fix of survey.digestFixes) {
      await writeDigest(state, deps.clients, fix);
    }
    for (const file of survey.staleLockFiles) {
      await deleteLockFile(deps.clients, file);
    }
  } catch (error) {
    output.err(`failed: ${messageOf(error)}. Run the command again: it only writes what still differs.`);
    return EXIT.refused;
  }
  output.out(`done: ${survey.digestFixes.length} digest(s) written, ${survey.staleLockFiles.length} lock file(s) deleted. The stacks can run on the home site (unset STATE_SITE).`);
  return EXIT.ok;
}
