import type { Output } from "./output";

/** The operator typed something the command cannot run with; the command exits with its usage code (2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The exit codes {@link parseOrExitCode} returns. */
export interface UsageExitCodes {
  /** After printing the usage text for `--help`. */
  readonly ok: number;
  /** After a {@link UsageError}. */
  readonly usage: number;
}

/**
 * The preamble of every operator command. Runs `parse` and returns what it parsed; or, when it
 * throws a {@link UsageError}, prints `error: <message>`, a blank line and `usage` to `err` and
 * returns `exit.usage`; or, when it returns `"help"`, prints `usage` to `out` and returns
 * `exit.ok`. Any other error propagates.
 */
export function parseOrExitCode<Request extends object>(parse: () => Request | "help", usage: string, output: Output, exit: UsageExitCodes): Request | number {
  let parsed: Request | "help";
  try {
    parsed = parse();
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`error: ${error.message}\n\n${usage}`);
      return exit.usage;
    }
    throw error;
  }
  if (parsed === "help") {
    output.out(usage);
    return exit.ok;
  }
  return parsed;
}
