import { parseFlags } from "../command-line/flags";

/** What the operator asked for. */
export interface StateFailbackRequest {
  /** Without it the command only surveys and says what it would change. */
  readonly execute: boolean;
}

/** Shown on `--help` and after every usage error. */
export const USAGE = `usage: npm run state-failback -- [--execute]

  Run once the state's home region is back and replication has caught up, before any stack runs
  on the home site again (STATE_SITE unset). For every state key it compares the home and replica
  objects, the DynamoDB digests (<bucket>/<key>-md5) of both sites and the S3 lock files
  (<key>.tflock); it refuses while any Terraform lock is held or replication is still pending.

  --execute    write the digests and delete the stale lock files; without it only the survey runs (dry run)
  --help       print this text`;

/** Parses the part after `npm run state-failback --`; throws a UsageError for anything else. */
export function parseStateFailbackArguments(argv: readonly string[]): StateFailbackRequest | "help" {
  const values = parseFlags(argv, { execute: { type: "boolean" }, help: { type: "boolean" } });
  if (values.help) {
    return "help";
  }
  return { execute: values.execute ?? false };
}
