/**
 * `npm run rehearse`: the offline deploy rehearsal (src/rehearsal). Synthesizes the built-in
 * catalogue (into the report directory, never cdktf.out/stacks), then walks each scenario's deploy
 * order, planning every AWS stack against the simulated world with the real provider.
 *
 *   npm run rehearse                                          # every scenario, every environment
 *   npm run rehearse -- --scenario first-deploy               # first-deploy|add-environment|flip-primary|teardown|all
 *   npm run rehearse -- --environment staging                 # one environment (and the stacks it reads)
 *   npm run rehearse -- --no-plan                             # order, reads and reachability only (seconds)
 *   npm run rehearse -- --report cdktf.out/rehearsal          # where the Markdown report and workspaces go
 *
 * Exit codes: 0 every scenario passed, 1 a scenario failed, 2 bad usage.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import type { BUILT_IN_CATALOGUE } from "../src/config/catalogue";
import { catalogueOrigin, readCatalogueInput } from "../src/config/catalogue-source";
import { loadCatalogue } from "../src/config/load";
import { environmentFlag, parseFlags, wholeNumberFlag } from "../src/operations/command-line/flags";
import { processOutput } from "../src/operations/command-line/output";
import { UsageError, parseOrExitCode } from "../src/operations/command-line/usage";
import { rehearsalReport } from "../src/rehearsal/report";
import { SCENARIOS, rehearse, type Scenario } from "../src/rehearsal/scenarios";
import { leanSynthTraces } from "../src/synth-traces";
import { offlineTerraform, schemaReader } from "../src/verification/offline-workspace";
import { readSynthesizedStacks } from "../src/verification/synthesized-stacks";
import { terraformVersion } from "../src/verification/terraform-cli";
import { buildPlatformApp } from "../stacks/platform-app";

const USAGE = `usage: npm run rehearse -- [--scenario ${SCENARIOS.join("|")}|all] [--environment <name>] [--no-plan] [--report <dir>] [--concurrency <n>]`;

async function main(): Promise<number> {
  // The built-in catalogue, or the file CATALOGUE names; scenarios derive their changes from its raw form.
  const raw = readCatalogueInput(catalogueOrigin()) as typeof BUILT_IN_CATALOGUE;
  const { catalogue } = loadCatalogue(raw);
  const parsed = parseOrExitCode(
    () => {
      const flags = parseFlags(process.argv.slice(2), {
        scenario: { type: "string", default: "all" },
        environment: { type: "string" },
        "no-plan": { type: "boolean", default: false },
        report: { type: "string", default: "cdktf.out/rehearsal" },
        concurrency: { type: "string" },
        help: { type: "boolean", default: false },
      });
      if (flags.help) {
        return "help" as const;
      }
      const scenario = String(flags.scenario);
      if (scenario !== "all" && !SCENARIOS.includes(scenario as Scenario)) {
        throw new UsageError(`--scenario ${scenario}: must be one of ${SCENARIOS.join(", ")}, all`);
      }
      const environment = flags.environment === undefined ? undefined : environmentFlag(catalogue.environments, flags.environment, "the environment to rehearse").name;
      const concurrency = flags.concurrency === undefined ? availableParallelism() : wholeNumberFlag("--concurrency", flags.concurrency, 1, 64, "a whole number of parallel Terraform runs from 1 to 64");
      return { scenarios: scenario === "all" ? [...SCENARIOS] : [scenario as Scenario], environment, plan: !flags["no-plan"], report: resolve(String(flags.report)), concurrency };
    },
    USAGE,
    processOutput,
    { ok: 0, usage: 2 },
  );
  if (typeof parsed === "number") {
    return parsed;
  }
  leanSynthTraces();
  const started = Date.now();
  const workRoot = parsed.report;
  rmSync(workRoot, { recursive: true, force: true });
  const synthDir = join(workRoot, "synth", "built-in");
  mkdirSync(synthDir, { recursive: true });
  buildPlatformApp(catalogue, { outdir: synthDir }).synth();
  const stacks = readSynthesizedStacks(synthDir);
  const log = (line: string) => console.error(line);
  let engine;
  if (parsed.plan) {
    const version = await terraformVersion();
    const terraform = await offlineTerraform(join(workRoot, "terraform"), stacks);
    engine = { terraform, version, schemas: schemaReader(terraform), log, concurrency: parsed.concurrency };
  }
  const results = await rehearse({ catalogue, raw, stacks, workRoot, ...(engine ? { engine } : {}), ...(parsed.environment ? { environment: parsed.environment } : {}) }, parsed.scenarios);
  const report = rehearsalReport(results);
  mkdirSync(workRoot, { recursive: true });
  writeFileSync(join(workRoot, "report.md"), report);
  console.log(report);
  console.error(`rehearsal: ${results.filter((r) => r.passed).length}/${results.length} scenarios passed in ${Math.round((Date.now() - started) / 1000)} s; report in ${join(workRoot, "report.md")}`);
  return results.every((r) => r.passed) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`rehearsal could not run: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  },
);
