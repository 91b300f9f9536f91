/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS files jest loads untranspiled */
const { TestEnvironment } = require("jest-environment-node");
const { GLOBAL, enabled } = require("./shared-modules");
const { waitForBuiltInSynth } = require("./built-in-synth-wait");

const LEAN = Symbol.for("meridian.leanStackFormatter");

/**
 * The worker realm's stack formatter, made to skip message-less captures as the sandbox's does
 * (src/synth-traces.ts withoutTokenTraces): the shared cdktf captures its per-token traces with
 * this realm's `Error`. Jest installs its source-mapping formatter here when the first test file
 * starts, so the setup file calls this again.
 */
function leanStackFormatter() {
  const format = Error.prepareStackTrace;
  if (format && format[LEAN]) {
    return;
  }
  const errorLike = (error) => Object.prototype.toString.call(error) === "[object Error]" || (typeof error === "object" && error !== null && "message" in error);
  const lean = (error, frames) => {
    if (!errorLike(error)) {
      return "";
    }
    return format ? format(error, frames) : [String(error), ...frames.map((frame) => `    at ${frame}`)].join("\n");
  };
  lean[LEAN] = true;
  Error.prepareStackTrace = lean;
}

/**
 * cdktf records a full stack trace (every frame: it lifts Error.stackTraceLimit) for each token it
 * creates, kept only to explain a token that fails to resolve. `npm run synth` formats them to
 * nothing (leanSynthTraces, so cdktf stores `[]`); here the shared cdktf skips capturing them too,
 * which stores the same `[]` without collecting the frames first.
 */
function skipTokenTraces() {
  if (enabled) {
    require("cdktf/lib/tokens/private/stack-trace").captureStackTrace = () => [];
  }
}

/**
 * jest's node environment, plus the worker's `require` for the shared modules (see
 * shared-modules.js); it waits for the global setup's synthesis of the built-in catalogue unless
 * the test file's docblock says `@builtInSynth unused`.
 */
class SharedModulesEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    leanStackFormatter();
    skipTokenTraces();
    if (context.docblockPragmas.builtInSynth !== "unused") {
      waitForBuiltInSynth();
    }
    this.global[GLOBAL] = { require: (path) => require(path), leanStackFormatter };
  }
}

module.exports = SharedModulesEnvironment;
