/**
 * What the deploy workflow deploys, per environment and phase, from the synthesized manifest and
 * the catalogue's order of environments, as `$GITHUB_OUTPUT` lines (src/operations/deploy/targets.ts).
 *
 *   npx tsx scripts/deploy-targets.ts [--outdir cdktf.out] >> "$GITHUB_OUTPUT"
 */
import { resolve } from "node:path";
import { loadConfiguredCatalogue } from "../src/config/catalogue-source";
import { parseFlags } from "../src/operations/command-line/flags";
import { processOutput } from "../src/operations/command-line/output";
import { parseOrExitCode } from "../src/operations/command-line/usage";
import { deployTargets, githubOutputLines } from "../src/operations/deploy/targets";
import { readSynthesizedStacks } from "../src/verification/synthesized-stacks";

const USAGE = "usage: npx tsx scripts/deploy-targets.ts [--outdir <synthesized dir>]";
const parsed = parseOrExitCode(() => parseFlags(process.argv.slice(2), { outdir: { type: "string", default: "cdktf.out" } }), USAGE, processOutput, { ok: 0, usage: 2 });
if (typeof parsed === "number") {
  process.exit(parsed);
}
const { catalogue } = loadConfiguredCatalogue();
const targets = deployTargets(readSynthesizedStacks(resolve(String(parsed.outdir))), catalogue.environments.map((env) => env.name));
console.log(githubOutputLines(targets).join("\n"));
