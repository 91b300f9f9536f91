/**
 * Regenerates the example plan summary in docs/review.md (between `<!-- review-example:start -->`
 * and `<!-- review-example:end -->`) from the built-in catalogue and one example change:
 *
 *   npx tsx scripts/review-example.ts      # ~2 minutes: plans four stacks offline
 *
 * The change: staging's system node group may grow to 8 nodes, production keeps Aurora backups
 * for 21 days, and staging's `sessions` global table is renamed to `user-sessions`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUILT_IN_CATALOGUE } from "../src/config/catalogue";
import { loadCatalogue } from "../src/config/load";
import { evaluatePolicy } from "../src/policy/engine";
import { readPolicyStacks } from "../src/policy/read-stacks";
import { policyFindings } from "../src/policy/report";
import { runReplacementGate } from "../src/plan-review/replacement-gate";
import { planSummaryMarkdown } from "../src/plan-review/summary";
import { leanSynthTraces } from "../src/synth-traces";
import { buildPlatformApp } from "../stacks/platform-app";

leanSynthTraces();

/** The page that shows the example. */
const DOCUMENT = join(__dirname, "..", "docs", "review.md");

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "review-example-"));
  try {
    const base = loadCatalogue(BUILT_IN_CATALOGUE).catalogue;
    const raw = structuredClone(BUILT_IN_CATALOGUE);
    const [staging, production] = raw.environments;
    staging!.nodeGroups[0]!.maxSize = 8;
    production!.database!.backupRetentionDays = 21;
    staging!.keyValueTables[0]!.name = "user-sessions";
    const head = loadCatalogue(raw).catalogue;
    buildPlatformApp(base, { outdir: join(work, "base") }).synth();
    buildPlatformApp(head, { outdir: join(work, "head") }).synth();
    const gate = await runReplacementGate({ baseOutdir: join(work, "base"), headOutdir: join(work, "head"), log: (line) => console.log(line) });
    const productionEnvironments = head.environments.filter((e) => e.tier === "production").map((e) => e.name);
    const policy = policyFindings(evaluatePolicy(readPolicyStacks(join(work, "head")), { productionEnvironments }));
    const summary = planSummaryMarkdown({ gate, policy, title: "example change", approval: "the `approve-stateful-replacement` label" });
    const block = ["For example, a pull request that lets staging's system node group grow to 8 nodes, keeps", "production's Aurora backups for 21 days and renames staging's `sessions` table gets this comment", "(`npx tsx scripts/review-example.ts` regenerates it from the built-in catalogue):", "", "> " + summary.trim().split("\n").join("\n> ")].join("\n");
    const page = readFileSync(DOCUMENT, "utf8");
    const [start, end] = ["<!-- review-example:start -->", "<!-- review-example:end -->"];
    const from = page.indexOf(start);
    const to = page.indexOf(end);
    if (from < 0 || to < from) {
      throw new Error(`${DOCUMENT} must contain ${start} and then ${end}`);
    }
    writeFileSync(DOCUMENT, `${page.slice(0, from + start.length)}\n${block}\n${page.slice(to)}`);
    console.log(`${DOCUMENT}: example updated`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
