import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUILT_IN_SYNTH_DIR_VARIABLE, BUILT_IN_SYNTH_DONE_VARIABLE } from "./built-in-synth";

const ROOT = join(__dirname, "..");

/**
 * Synthesizes the built-in catalogue once per test run, exactly as `npm run synth` does;
 * `synthStacks()` in every test file reads it (a full synthesis costs seconds, and most test
 * files start from it). Workers inherit the variables because they start after this runs.
 *
 * A child process, because jest loads this file without its moduleNameMapper: here Node would
 * resolve `@meridian/constructs` to the package's build, not to its source. tsx maps it to the
 * source through tsconfig.json, as it does for `npm run synth`.
 *
 * In the background: the first test files start meanwhile (the one planning with the real
 * Terraform needs no synthesis), and the test environment makes every other file wait for it
 * (built-in-synth-wait.js). The child writes its own result file, so the wait needs nothing
 * from this process's event loop (jest -i runs the tests here).
 */
export default function globalSetup(): void {
  const directory = mkdtempSync(join(tmpdir(), "meridian-built-in-synth-"));
  const env = { ...process.env };
  for (const setting of ["CATALOGUE", "ENVIRONMENTS", "STATE_SITE"]) {
    delete env[setting];
  }
  const done = join(directory, "synth-done.json");
  const synth = [require.resolve("tsx/cli"), "--tsconfig", join(ROOT, "tsconfig.json"), join(ROOT, "main.ts")];
  const script = `
    const { execFileSync } = require("node:child_process");
    const { writeFileSync } = require("node:fs");
    const [done, ...synth] = process.argv.slice(1);
    let result = { ok: true, message: "" };
    try {
      execFileSync(process.execPath, synth, { stdio: "pipe" });
    } catch (error) {
      result = { ok: false, message: String(error.stderr || error.message) };
    }
    writeFileSync(done + ".tmp", JSON.stringify(result));
    require("node:fs").renameSync(done + ".tmp", done);
  `;
  spawn(process.execPath, ["-e", script, done, ...synth], { cwd: directory, env, stdio: "ignore" }).unref();
  process.env[BUILT_IN_SYNTH_DIR_VARIABLE] = join(directory, "cdktf.out");
  process.env[BUILT_IN_SYNTH_DONE_VARIABLE] = done;
}
