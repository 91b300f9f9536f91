/**
 * cdktf records a stack trace for every token it creates (`Error.captureStackTrace` into a plain
 * object) and only reads it to explain a token that fails to resolve. Formatting those traces —
 * and source-mapping them, which tsx switches on — costs most of a second of each synth.
 *
 * `leanSynthTraces()` keeps real errors' traces (unmapped: file and line of the transpiled
 * module) and leaves cdktf's token traces empty. `SYNTH_TRACES=1` keeps everything, for
 * debugging the synth itself. Call it once at the start of a process that synthesizes.
 */
export function leanSynthTraces(env: NodeJS.ProcessEnv = process.env): void {
  if (env.SYNTH_TRACES === "1") {
    return;
  }
  process.setSourceMapsEnabled(false);
  Error.prepareStackTrace = formatErrorStack;
}

/** V8's own format for errors; nothing for anything else (cdktf's `{ stack: "" }` captures). */
export function formatErrorStack(error: unknown, frames: readonly NodeJS.CallSite[]): string {
  return error instanceof Error ? [String(error), ...frames.map((frame) => `    at ${frame.toString()}`)].join("\n") : "";
}
