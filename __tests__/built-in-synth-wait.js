/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS files jest loads untranspiled */
/* global process */
const { existsSync, readFileSync } = require("node:fs");

/** See built-in-synth.ts: the global setup's synthesis of the built-in catalogue, started in the background. */
const DONE_VARIABLE = "MERIDIAN_TEST_BUILT_IN_SYNTH_DONE";

/**
 * Blocks until the built-in catalogue's synthesis has finished; throws its error when it failed.
 * Sleeps with Atomics.wait: the synthesis is a process of its own, so nothing in this one needs
 * to run meanwhile.
 */
function waitForBuiltInSynth(timeoutMs = 180_000) {
  const done = process.env[DONE_VARIABLE];
  if (!done) {
    return;
  }
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(done)) {
    if (Date.now() > deadline) {
      throw new Error(`the built-in catalogue's synthesis (global setup) did not finish within ${timeoutMs / 1000} s`);
    }
    Atomics.wait(sleeper, 0, 0, 25);
  }
  const result = JSON.parse(readFileSync(done, "utf8"));
  if (!result.ok) {
    throw new Error(`the built-in catalogue's synthesis (global setup, npm run synth) failed:\n${result.message}`);
  }
}

module.exports = { waitForBuiltInSynth };
