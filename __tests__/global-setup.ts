import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUILT_IN_SYNTH_DIR_VARIABLE } from "./built-in-synth";

const ROOT = join(__dirname, "..");

/**
 * Synthesizes the built-in catalogue once per test run, exactly as `npm run synth` does;
 * `synthStacks()` in every test file reads it (a full synthesis costs seconds, and most test
 * files start from it). Workers inherit the variable because they start after this runs.
 *
 * A child process, because jest loads this file without its moduleNameMapper: here Node would
 * resolve `@meridian/constructs` to the package's build, not to its source. tsx maps it to the
 * source through tsconfig.json, as it does for `npm run synth`.
 */
export default function globalSetup(): void {
  const directory = mkdtempSync(join(tmpdir(), "meridian-built-in-synth-"));
  const env = { ...process.env };
  for (const setting of ["CATALOGUE", "ENVIRONMENTS", "STATE_SITE"]) {
    delete env[setting];
  }
  execFileSync(process.execPath, [require.resolve("tsx/cli"), "--tsconfig", join(ROOT, "tsconfig.json"), join(ROOT, "main.ts")], { cwd: directory, env, stdio: "pipe" });
  process.env[BUILT_IN_SYNTH_DIR_VARIABLE] = join(directory, "cdktf.out");
}
