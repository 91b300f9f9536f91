/**
 * `npm run gate`: the offline replacement gate and the plan summary for reviewers.
 *
 *   npm run gate -- --base origin/main                # head = this checkout
 *   npm run gate -- --base origin/main --approve      # guarded replacements approved (PR label)
 *   npm run gate -- --base HEAD --include-unchanged   # self-check every stack of the catalogue
 *   npm run gate -- --base-outdir other/cdktf.out --no-synth
 *
 * Synthesizes the head into cdktf.out and the base in a temporary git worktree, reviews every
 * AWS-only stack (src/plan-review/replacement-gate.ts), prints the result, and writes
 * cdktf.out/review/gate.json and cdktf.out/review/summary.md (with the policy findings of
 * cdktf.out/review/policy.json when `npm run policy -- --json` wrote it). Exits 1 when a stack
 * could not be reviewed or a guarded resource would be replaced or deleted without approval,
 * 2 when it cannot run.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseFlags } from "../src/operations/command-line/flags";
import { UsageError } from "../src/operations/command-line/usage";
import { runReplacementGate, type GateResult } from "../src/plan-review/replacement-gate";
import { planSummaryMarkdown, type PolicyStackFindings } from "../src/plan-review/summary";

const APPROVAL = "the `approve-stateful-replacement` pull-request label (`npm run gate -- --approve`)";

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2), {
    base: { type: "string" },
    "base-outdir": { type: "string" },
    approve: { type: "boolean" },
    "include-unchanged": { type: "boolean" },
    "no-synth": { type: "boolean" },
    stacks: { type: "string" },
  });
  if (!flags.base === !flags["base-outdir"]) {
    throw new UsageError("give exactly one of --base <git ref> or --base-outdir <synthesized output>");
  }
  const headOutdir = resolve("cdktf.out");
  if (!flags["no-synth"]) {
    console.log("synthesizing the head ...");
    synthesize(process.cwd());
  }
  let worktree: string | undefined;
  try {
    let baseOutdir = flags["base-outdir"] ? resolve(flags["base-outdir"]) : "";
    if (flags.base) {
      worktree = checkoutBase(flags.base);
      console.log(`synthesizing the base (${flags.base}) in ${worktree} ...`);
      synthesize(worktree);
      baseOutdir = join(worktree, "cdktf.out");
    }
    const started = Date.now();
    const result = await runReplacementGate({
      baseOutdir,
      headOutdir,
      approve: flags.approve ?? false,
      includeUnchanged: flags["include-unchanged"] ?? false,
      ...(flags.stacks ? { stacks: flags.stacks.split(",").map((s) => s.trim()) } : {}),
      log: (line) => console.log(line),
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    report(result, seconds);
    const reviewDir = join(headOutdir, "review");
    mkdirSync(reviewDir, { recursive: true });
    writeFileSync(join(reviewDir, "gate.json"), JSON.stringify(result, null, 2));
    const policyFile = join(reviewDir, "policy.json");
    // Written by `npm run policy -- --json <file>`: { summary, sources, stacks: [{ stack, findings }] }.
    const policy = existsSync(policyFile) ? (JSON.parse(readFileSync(policyFile, "utf8")) as { stacks: PolicyStackFindings[] }).stacks : undefined;
    const title = flags.base ? `${flags.base} → ${gitHead()}` : undefined;
    writeFileSync(join(reviewDir, "summary.md"), planSummaryMarkdown({ gate: result, ...(policy ? { policy } : {}), ...(title ? { title } : {}), approval: APPROVAL }));
    console.log(`summary: ${join(reviewDir, "summary.md")}${policy ? "" : " (no policy findings: run `npm run policy -- --json cdktf.out/review/policy.json` first to include them)"}`);
    return result.passed ? 0 : 1;
  } finally {
    if (worktree) {
      removeWorktree(worktree);
    }
  }
}

function synthesize(directory: string): void {
  execFileSync(join(directory, "node_modules", ".bin", "tsx"), ["main.ts"], { cwd: directory, stdio: "inherit" });
}

/**
 * A detached worktree of `ref` that shares this checkout's node_modules when the lock file is the
 * same, else installs its own. Removed again (and the error rethrown) when preparing it fails.
 */
function checkoutBase(ref: string): string {
  // Worktrees of earlier runs that were killed before cleaning up.
  execFileSync("git", ["worktree", "prune"], { stdio: ["ignore", "ignore", "inherit"] });
  const directory = mkdtempSync(join(tmpdir(), "meridian-gate-base-"));
  rmSync(directory, { recursive: true, force: true });
  execFileSync("git", ["worktree", "add", "--detach", directory, ref], { stdio: ["ignore", "ignore", "inherit"] });
  try {
    const lockFile = join(directory, "package-lock.json");
    const sameLock = existsSync(lockFile) && readFileSync("package-lock.json", "utf8") === readFileSync(lockFile, "utf8");
    if (sameLock) {
      symlinkSync(resolve("node_modules"), join(directory, "node_modules"), "dir");
    } else {
      console.log(`${ref} has other dependencies: npm ci in the base worktree ...`);
      execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: directory, stdio: "inherit" });
    }
    return directory;
  } catch (error) {
    removeWorktree(directory);
    throw error;
  }
}

function removeWorktree(directory: string): void {
  try {
    execFileSync("git", ["worktree", "remove", "--force", directory], { stdio: ["ignore", "ignore", "inherit"] });
  } catch (error) {
    console.error(`could not remove the base worktree ${directory}: ${(error as Error).message}`);
  }
}

function gitHead(): string {
  return execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
}

function report(result: GateResult, seconds: string): void {
  const count = (status: string) => result.stacks.filter((s) => s.status === status).length;
  console.log(
    `\nreplacement gate: ${count("reviewed")} reviewed, ${count("unchanged")} unchanged, ${count("added")} added, ${count("removed")} removed, ` +
      `${count("not-plannable")} not plannable offline, ${count("failed")} failed, ${seconds} s`,
  );
  for (const change of result.blocking) {
    console.log(`  ${result.approved ? "APPROVED" : "BLOCKED"} ${change.kind} ${change.stack}: ${change.address}${change.forcedBy.length ? ` (forced by ${change.forcedBy.join(", ")})` : ""}: loses ${change.loses}`);
  }
  for (const stack of result.stacks) {
    if (stack.status === "failed") {
      console.error(`  FAILED ${stack.stack} (${stack.step}):\n${stack.message.replace(/^/gm, "    ")}`);
    }
  }
  if (result.blocking.length > 0 && !result.approved) {
    console.error(`\n${result.blocking.length} stateful resource(s) would be replaced or deleted; approve with ${APPROVAL} if intended.`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error instanceof UsageError ? `npm run gate: ${error.message}` : `replacement gate could not run: ${error.message}`);
    process.exit(2);
  },
);
