/**
 * cdktf records a stack trace for every token it creates (`Error.captureStackTrace` into a plain
 * `{ stack: "" }` object) and only reads it to explain a token that fails to resolve. Formatting
 * those traces — and source-mapping them, which tsx switches on — costs most of a second of each
 * synth.
 *
 * `leanSynthTraces()` keeps the traces of anything error-like (errors of any realm, objects with a
 * message, `console.trace`), unmapped: file and line of the transpiled module. Only captures into
 * objects without a message (cdktf's) come out empty. `SYNTH_TRACES=1` keeps everything, for
 * debugging the synth itself. Call it once at the start of a process that synthesizes.
 */
export function leanSynthTraces(env: NodeJS.ProcessEnv = process.env): void {
  if (env.SYNTH_TRACES === "1") {
    return;
  }
  process.setSourceMapsEnabled(false);
  Error.prepareStackTrace = formatErrorStack;
}

/** V8's own format for anything error-like; nothing for message-less captures. */
function formatErrorStack(error: unknown, frames: readonly NodeJS.CallSite[]): string {
  const errorLike = error instanceof Error || Object.prototype.toString.call(error) === "[object Error]" || (typeof error === "object" && error !== null && "message" in error);
  if (!errorLike) {
    return "";
  }
  let header: string;
  try {
    header = Error.prototype.toString.call(error);
  } catch {
    header = "Error";
  }
  return [header, ...frames.map((frame) => `    at ${frame.toString()}`)].join("\n");
}
