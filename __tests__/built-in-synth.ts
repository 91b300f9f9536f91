/** Set by `__tests__/global-setup.ts`: the built-in catalogue synthesized once for the whole run. */
export const BUILT_IN_SYNTH_DIR_VARIABLE = "MERIDIAN_TEST_BUILT_IN_SYNTH_DIR";
