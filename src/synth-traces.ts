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
  Error.prepareStackTrace = withoutTokenTraces();
}

type StackFormatter = (error: Error, frames: NodeJS.CallSite[]) => unknown;

/**
 * `format` (V8's own format by default) for anything error-like; nothing for message-less captures (cdktf's per-token traces).
 * The tests wrap jest's source-mapping formatter with it: failures keep their mapped traces, and
 * a synth does not source-map a trace per token.
 */
export function withoutTokenTraces(format: StackFormatter = formatErrorStack): StackFormatter {
  return (error, frames) => (isErrorLike(error) ? format(error, frames) : "");
}

function isErrorLike(error: unknown): boolean {
  return error instanceof Error || Object.prototype.toString.call(error) === "[object Error]" || (typeof error === "object" && error !== null && "message" in error);
}

/** V8's own format. */
function formatErrorStack(error: unknown, frames: readonly NodeJS.CallSite[]): string {
  let header: string;
  try {
    header = Error.prototype.toString.call(error);
  } catch {
    header = "Error";
  }
  return [header, ...frames.map((frame) => `    at ${frame.toString()}`)].join("\n");
}
