/**
 * `npm run bench`: synthesis time and memory of the catalogue.
 *   1. in-process: load + build + synth in a fresh node process (median of runs, peak RSS);
 *   2. the README's synth command (`npm run synth`), wall time and peak RSS;
 *   3. scaling with 1, 5 and 10 generated environments.
 *   4. with `--rehearsal`: the first-deploy rehearsal of the built-in catalogue (`npm run rehearse --
 *      --scenario first-deploy`: synth, then every AWS stack planned and applied in deploy order), once.
 * Prints a Markdown table to paste into docs/performance.md. `--runs N` (default 5).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseFlags, wholeNumberFlag } from "../src/operations/command-line/flags";
import { processOutput } from "../src/operations/command-line/output";
import { parseOrExitCode } from "../src/operations/command-line/usage";

const parsed = parseOrExitCode(
  () => {
    const flags = parseFlags(process.argv.slice(2), { runs: { type: "string", default: "5" }, rehearsal: { type: "boolean", default: false } });
    return { runs: wholeNumberFlag("--runs", flags.runs, 1, 100, "a whole number of runs from 1 to 100"), rehearsal: flags.rehearsal };
  },
  "usage: npm run bench -- [--runs <1-100>] [--rehearsal]",
  processOutput,
  { ok: 0, usage: 2 },
);
if (typeof parsed === "number") {
  process.exit(parsed);
}
const RUNS = parsed.runs;
const GNU_TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const TSX = require.resolve("tsx/cli");

interface WorkerResult {
  environments: number;
  stacks: number;
  loadMs: number;
  synthMs: number;
  maxRssMB: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
};

function inProcess(environments: number): WorkerResult & { wallMs: number } {
  const outdir = mkdtempSync(join(tmpdir(), "bench-synth-"));
  const started = performance.now();
  const stdout = execFileSync(process.execPath, [TSX, "scripts/bench-synth-worker.ts"], {
    env: { ...process.env, BENCH_ENVIRONMENTS: String(environments), BENCH_OUTDIR: outdir },
    encoding: "utf8",
  });
  const wallMs = Math.round(performance.now() - started);
  rmSync(outdir, { recursive: true, force: true });
  return { ...(JSON.parse(stdout.trim().split("\n").pop()!) as WorkerResult), wallMs };
}

/** Wall time and peak RSS (GNU time's %M, in KB) of the README's synth command. */
function readmeCommand(): { wallMs: number; maxRssMB?: number } {
  const command = GNU_TIME ? GNU_TIME : "npm";
  const args = GNU_TIME ? ["-f", "%M", "npm", "run", "--silent", "synth"] : ["run", "--silent", "synth"];
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: "utf8" });
  const wallMs = Math.round(performance.now() - started);
  if (result.status !== 0) {
    throw new Error(`npm run synth failed: ${result.stderr}`);
  }
  const rss = GNU_TIME ? Number(result.stderr.trim().split("\n").pop()) : NaN;
  return { wallMs, maxRssMB: Number.isFinite(rss) ? Math.round(rss / 1024) : undefined };
}

function repeat<T>(fn: () => T): T[] {
  fn(); // warm the file-system cache; not counted
  return Array.from({ length: RUNS }, fn);
}

const builtIn = repeat(() => inProcess(0));
const readme = repeat(readmeCommand);
const scaling = [1, 5, 10].map((n) => ({ n, runs: repeat(() => inProcess(n)) }));

const lines = [
  `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, node ${process.version}; ${RUNS} runs each, median shown.`,
  "",
  "| measurement | stacks | wall (ms) | start-up + load (ms) | build + synth (ms) | peak RSS (MB) |",
  "|---|---|---|---|---|---|",
  `| built-in catalogue, in-process | ${builtIn[0]!.stacks} | ${median(builtIn.map((r) => r.wallMs))} | ${median(builtIn.map((r) => r.loadMs))} | ${median(builtIn.map((r) => r.synthMs))} | ${Math.max(...builtIn.map((r) => r.maxRssMB))} |`,
  `| built-in catalogue, \`npm run synth\` | ${builtIn[0]!.stacks} | ${median(readme.map((r) => r.wallMs))} | | | ${readme[0]!.maxRssMB === undefined ? "n/a" : Math.max(...readme.map((r) => r.maxRssMB ?? 0))} |`,
  ...scaling.map(
    ({ n, runs }) =>
      `| ${n} generated environment${n > 1 ? "s" : ""}, in-process | ${runs[0]!.stacks} | ${median(runs.map((r) => r.wallMs))} | ${median(runs.map((r) => r.loadMs))} | ${median(runs.map((r) => r.synthMs))} | ${Math.max(...runs.map((r) => r.maxRssMB))} |`,
  ),
];
const perEnvironment = scaling.map(({ n, runs }) => ({ n, synth: median(runs.map((r) => r.synthMs)) }));
const slope = (perEnvironment[2]!.synth - perEnvironment[0]!.synth) / (perEnvironment[2]!.n - perEnvironment[0]!.n);
lines.push("", `Build + synth grows by about ${slope.toFixed(0)} ms per environment (1 → 10 environments).`);
if (parsed.rehearsal) {
  // Once: it runs for minutes and plans every AWS stack (Terraform, the real provider).
  const report = mkdtempSync(join(tmpdir(), "bench-rehearsal-"));
  const started = performance.now();
  const result = spawnSync(process.execPath, [TSX, "scripts/rehearse.ts", "--scenario", "first-deploy", "--report", report], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const planned = (result.stdout.match(/\| planned, applied \|/g) ?? []).length;
  rmSync(report, { recursive: true, force: true });
  lines.push(
    "",
    "| measurement | AWS stacks planned | wall (s) | result |",
    "|---|---|---|---|",
    `| first-deploy rehearsal, built-in catalogue (\`npm run rehearse -- --scenario first-deploy\`) | ${planned} | ${seconds} | ${result.status === 0 ? "passed" : `exit ${result.status}`} |`,
  );
}
console.log(lines.join("\n"));
