/**
 * `npm run policy`: check the synthesized stacks against the platform's security and reliability
 * rules (src/policy). Values come from each stack's offline plan (`npm run verify` writes
 * `cdktf.out/plans/<stack>.json`) when one exists and still matches, else from the synthesized
 * JSON. Exits 1 on any unsuppressed finding, 2 when it cannot run.
 *
 *   npm run policy                          # reads cdktf.out
 *   npm run policy -- --outdir /tmp/out     # another synthesized output
 *   npm run policy -- --json findings.json  # also write the findings as JSON
 *   npm run policy -- --verbose             # list the checks undecided until apply
 */
import { writeFileSync } from "node:fs";
import { loadConfiguredCatalogue } from "../src/config/catalogue-source";
import { parseFlags } from "../src/operations/command-line/flags";
import { processOutput } from "../src/operations/command-line/output";
import { parseOrExitCode } from "../src/operations/command-line/usage";
import { evaluatePolicy } from "../src/policy/engine";
import { readPolicyStacks } from "../src/policy/read-stacks";
import { formatPolicyReport, policyFindings, policySummary } from "../src/policy/report";

const USAGE = "usage: npm run policy -- [--outdir <synthesized dir>] [--json <file>] [--verbose]";

/**
 * The command over `argv`, as its exit code; exported for its test, which runs it in-process (the
 * script runs only as the main module).
 */
export function policyMain(argv: readonly string[]): number {
  try {
    return runPolicy(argv);
  } catch (error) {
    console.error(`policy check could not run: ${(error as Error).message}`);
    return 2;
  }
}

function runPolicy(argv: readonly string[]): number {
  const flags = parseOrExitCode(
    () => parseFlags(argv, { outdir: { type: "string", default: "cdktf.out" }, json: { type: "string" }, verbose: { type: "boolean", default: false } }),
    USAGE,
    processOutput,
    { ok: 0, usage: 2 },
  );
  if (typeof flags === "number") {
    return flags;
  }
  const outdir = flags.outdir;
  const jsonFile = flags.json;
  const started = Date.now();
  const stacks = readPolicyStacks(outdir);
  // Production thresholds follow the tiers of the catalogue main.ts synthesized (CATALOGUE or the built-in one).
  const { catalogue } = loadConfiguredCatalogue();
  const productionEnvironments = catalogue.environments.filter((e) => e.tier === "production").map((e) => e.name);
  const evaluation = evaluatePolicy(stacks, { productionEnvironments });
  console.log(formatPolicyReport(evaluation, { verbose: flags.verbose }));
  const summary = policySummary(evaluation);
  if (jsonFile) {
    const sources = Object.fromEntries(evaluation.stacks.map((s) => [s.stack, s.sourceNote ? `${s.source} (${s.sourceNote})` : s.source]));
    writeFileSync(jsonFile, `${JSON.stringify({ outdir, summary, sources, stacks: policyFindings(evaluation) }, null, 2)}\n`);
    console.log(`findings written to ${jsonFile}`);
  }
  console.log(`policy run: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return summary.unsuppressed === 0 ? 0 : 1;
}

if (require.main === module) {
  process.exit(policyMain(process.argv.slice(2)));
}
