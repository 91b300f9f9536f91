import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withoutTokenTraces } from "../src/synth-traces";
import { buildPlatformApp } from "../stacks/platform-app";
import { BUILT_IN_SYNTH_DIR_VARIABLE, validCatalogue } from "./helpers";

/**
 * Synthesizes the built-in catalogue once per test run; `synthStacks()` in every test file reads
 * it (a full synthesis costs seconds, and most test files start from it). Workers inherit the
 * variable because they start after this runs.
 */
export default function globalSetup(): void {
  const outdir = mkdtempSync(join(tmpdir(), "meridian-built-in-synth-"));
  // This runs in jest's own process: format cdktf's per-token traces only while synthesizing.
  const format = Error.prepareStackTrace;
  Error.prepareStackTrace = withoutTokenTraces(format);
  try {
    buildPlatformApp(validCatalogue(), { outdir }).synth();
  } finally {
    Error.prepareStackTrace = format;
  }
  process.env[BUILT_IN_SYNTH_DIR_VARIABLE] = outdir;
}
