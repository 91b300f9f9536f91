/** Where a command writes: `out` for progress and results, `err` for usage errors, refusals and failures. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/** Writes lines to the process's stdout and stderr. */
export const processOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** An error's message with its name, e.g. the SDK's `GlobalClusterNotFoundFault: …`. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    return error.name && error.name !== "Error" && !error.message.startsWith(error.name) ? `${error.name}: ${error.message}` : error.message;
  }
  return String(error);
}
