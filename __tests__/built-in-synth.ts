/** Set by `__tests__/global-setup.ts`: the built-in catalogue synthesized once for the whole run. */
export const BUILT_IN_SYNTH_DIR_VARIABLE = "MERIDIAN_TEST_BUILT_IN_SYNTH_DIR";

/**
 * Set by the global setup too: the file the synthesis writes when it has finished,
 * `{ "ok": boolean, "message": string }`. The synthesis runs while the first test files start;
 * the test environment waits for this file (built-in-synth-wait.js) before a test file runs,
 * unless the file says it does not read the synthesis.
 */
export const BUILT_IN_SYNTH_DONE_VARIABLE = "MERIDIAN_TEST_BUILT_IN_SYNTH_DONE";
