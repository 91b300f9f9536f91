/**
 * `npm run verify`: synthesize the app, then validate and plan every AWS-only stack offline with
 * the real provider. Exits non-zero when any stack fails, naming it and Terraform's message.
 *
 *   npm run verify                      # all environments
 *   ENVIRONMENTS=staging npm run verify # one environment (and the state bootstrap)
 *   npm run verify -- --no-synth        # reuse cdktf.out
 */
import { execFileSync } from "node:child_process";
import { parseFlags } from "../src/operations/command-line/flags";
import { processOutput } from "../src/operations/command-line/output";
import { parseOrExitCode } from "../src/operations/command-line/usage";
import { verifyOffline } from "../src/verification/offline-verification";

async function main(): Promise<number> {
  const flags = parseOrExitCode(() => parseFlags(process.argv.slice(2), { "no-synth": { type: "boolean", default: false } }), "usage: npm run verify -- [--no-synth]", processOutput, { ok: 0, usage: 2 });
  if (typeof flags === "number") {
    return flags;
  }
  const outdir = "cdktf.out";
  if (!flags["no-synth"]) {
    console.log("synthesizing ...");
    execFileSync(process.execPath, [require.resolve("tsx/cli"), "main.ts"], { stdio: "inherit" });
  }
  const started = Date.now();
  const outcomes = await verifyOffline({ outdir, log: (line) => console.log(line) });
  const planned = outcomes.filter((o) => o.status === "planned");
  const failed = outcomes.filter((o) => o.status === "failed");
  const skipped = outcomes.filter((o) => o.status === "not-plannable");
  console.log(`\noffline verification: ${planned.length} planned, ${failed.length} failed, ${skipped.length} not plannable offline, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const outcome of skipped) {
    console.log(`  not plannable offline: ${outcome.stack}: ${outcome.reason}`);
  }
  for (const outcome of failed) {
    console.error(`  FAILED ${outcome.stack} (terraform ${outcome.step}):\n${outcome.message.replace(/^/gm, "    ")}`);
  }
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`offline verification could not run: ${error.message}`);
    process.exit(2);
  },
);
