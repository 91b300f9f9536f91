/**
 * `npm run region-down`: the "what still works when a region is down" map of the built-in
 * catalogue, from what the synth writes, into docs/region-down.md between
 * `<!-- region-down:start -->` and `<!-- region-down:end -->`.
 *
 *   npm run region-down                          # synthesize into a temp dir, rewrite the block
 *   npm run region-down -- --check               # exit 1 when the block is not what the synth gives
 *   npm run region-down -- --stdout              # print the map only
 *   npm run region-down -- --outdir cdktf.out    # map an existing synth instead of synthesizing
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadConfiguredCatalogue } from "../src/config/catalogue-source";
import { parseFlags } from "../src/operations/command-line/flags";
import { processOutput } from "../src/operations/command-line/output";
import { UsageError, parseOrExitCode } from "../src/operations/command-line/usage";
import { currentRegionDownBlock, regionDownBlock, regionDownMap, renderRegionDownMarkdown, withRegionDownBlock } from "../src/operations/region-evacuation/region-down-map";
import { leanSynthTraces } from "../src/synth-traces";
import { readSynthesizedStacks } from "../src/verification/synthesized-stacks";

const USAGE = "usage: npm run region-down -- [--check | --stdout] [--outdir <synthesized dir>] [--doc <file>]";
const USAGE_EXIT = { ok: 0, usage: 2 };

function parseArguments(args: readonly string[]) {
  const flags = parseFlags(args, { check: { type: "boolean", default: false }, stdout: { type: "boolean", default: false }, outdir: { type: "string" }, doc: { type: "string" } });
  if (flags.check && flags.stdout) {
    throw new UsageError("--check and --stdout exclude each other");
  }
  return {
    mode: flags.check ? "check" : flags.stdout ? "stdout" : "write",
    outdir: flags.outdir === undefined ? undefined : resolve(flags.outdir),
    doc: resolve(flags.doc ?? join(__dirname, "..", "docs", "region-down.md")),
  } as const;
}

async function map(outdir: string | undefined): Promise<string> {
  const { catalogue } = loadConfiguredCatalogue();
  if (outdir !== undefined) {
    return renderRegionDownMarkdown(regionDownMap(readSynthesizedStacks(outdir), catalogue));
  }
  leanSynthTraces();
  const { buildPlatformApp } = await import("../stacks/platform-app");
  const temporary = mkdtempSync(join(tmpdir(), "meridian-region-down-"));
  try {
    buildPlatformApp(catalogue, { outdir: temporary }).synth();
    return renderRegionDownMarkdown(regionDownMap(readSynthesizedStacks(temporary), catalogue));
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const options = parseOrExitCode(() => parseArguments(process.argv.slice(2)), USAGE, processOutput, USAGE_EXIT);
  if (typeof options === "number") {
    return options;
  }
  const markdown = await map(options.outdir);
  if (options.mode === "stdout") {
    process.stdout.write(markdown);
    return 0;
  }
  const document = readFileSync(options.doc, "utf8");
  const upToDate = currentRegionDownBlock(document) === regionDownBlock(markdown);
  if (options.mode === "check") {
    if (!upToDate) {
      console.error(`${options.doc}: the region-down map is out of date; run \`npm run region-down\` and commit the result`);
      return 1;
    }
    console.log(`${options.doc}: the region-down map is up to date`);
    return 0;
  }
  if (!upToDate) {
    writeFileSync(options.doc, withRegionDownBlock(document, markdown));
  }
  console.log(`${options.doc}: the region-down map is ${upToDate ? "up to date" : "updated"}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`region-down: ${error.message}`);
    process.exitCode = 2;
  },
);
