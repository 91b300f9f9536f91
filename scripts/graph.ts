/**
 * `npm run graph`: draw the stacks of the catalogue (the built-in one, or the file `CATALOGUE`
 * names) as a Mermaid flowchart, from what the synth writes (stacks, their resources, cdktf's dependencies), into README.md between
 * `<!-- graph:start -->` and `<!-- graph:end -->`.
 *
 *   npm run graph                          # synthesize into a temp dir, rewrite README.md's block
 *   npm run graph -- --check               # exit 1 when README.md's block is not what the synth draws
 *   npm run graph -- --stdout              # print the diagram only
 *   npm run graph -- --outdir cdktf.out    # draw an existing synth instead of synthesizing
 *   npm run graph -- --readme <file>       # another file with the markers
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { renderMermaid } from "../src/graph/mermaid";
import { parseFlags } from "../src/operations/command-line/flags";
import { processOutput } from "../src/operations/command-line/output";
import { UsageError, parseOrExitCode } from "../src/operations/command-line/usage";
import { currentGraphBlock, graphBlock, withGraphBlock } from "../src/graph/readme-block";
import { readStackGraph } from "../src/graph/stack-graph";
import { leanSynthTraces } from "../src/synth-traces";

const USAGE = "usage: npm run graph -- [--check | --stdout] [--outdir <synthesized dir>] [--readme <file>]";
// 1 is --check's "out of date"; a command line it cannot run with is 2.
const USAGE_EXIT = { ok: 0, usage: 2 };

interface Options {
  readonly mode: "write" | "check" | "stdout";
  readonly outdir: string | undefined;
  readonly readme: string;
}

function parseArguments(args: readonly string[]): Options {
  const flags = parseFlags(args, { check: { type: "boolean", default: false }, stdout: { type: "boolean", default: false }, outdir: { type: "string" }, readme: { type: "string" } });
  if (flags.check && flags.stdout) {
    throw new UsageError("--check and --stdout exclude each other");
  }
  return {
    mode: flags.check ? "check" : flags.stdout ? "stdout" : "write",
    outdir: flags.outdir === undefined ? undefined : resolve(flags.outdir),
    readme: resolve(flags.readme ?? join(__dirname, "..", "README.md")),
  };
}

/**
 * The diagram of an existing synth, or of a fresh synth of the catalogue (as `main.ts`
 * builds it) in a temp dir. The app's modules (cdktf, the providers) load only to synthesize.
 */
async function diagram(outdir: string | undefined): Promise<string> {
  if (outdir !== undefined) {
    return renderMermaid(readStackGraph(outdir));
  }
  leanSynthTraces();
  const [{ loadConfiguredCatalogue }, { buildPlatformApp }] = await Promise.all([
    import("../src/config/catalogue-source"),
    import("../stacks/platform-app"),
  ]);
  const { catalogue, warnings } = loadConfiguredCatalogue();
  warnings.forEach((warning) => console.error(`warning: ${warning}`));
  const temporary = mkdtempSync(join(tmpdir(), "meridian-graph-"));
  try {
    buildPlatformApp(catalogue, { outdir: temporary }).synth();
    return renderMermaid(readStackGraph(temporary));
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const options = parseOrExitCode(() => parseArguments(process.argv.slice(2)), USAGE, processOutput, USAGE_EXIT);
  if (typeof options === "number") {
    return options;
  }
  const mermaid = await diagram(options.outdir);
  if (options.mode === "stdout") {
    process.stdout.write(mermaid);
    return 0;
  }
  const readme = readFileSync(options.readme, "utf8");
  const upToDate = currentGraphBlock(readme) === graphBlock(mermaid);
  if (options.mode === "check") {
    if (!upToDate) {
      console.error(`${options.readme}: the stack graph is out of date; run \`npm run graph\` and commit the result`);
      return 1;
    }
    console.log(`${options.readme}: the stack graph is up to date`);
    return 0;
  }
  if (upToDate) {
    console.log(`${options.readme}: the stack graph is up to date`);
  } else {
    writeFileSync(options.readme, withGraphBlock(readme, mermaid));
    console.log(`${options.readme}: stack graph updated`);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    if (error.name === "ConfigError") {
      // An invalid catalogue: the message names every problem.
      console.error(error.message);
    } else {
      console.error(`graph: ${error.message}`);
    }
    // 1 is --check's "out of date"; anything that stopped the drawing is 2.
    process.exitCode = 2;
  },
);
