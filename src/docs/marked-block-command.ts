import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseFlags } from "../operations/command-line/flags";
import { processOutput } from "../operations/command-line/output";
import { UsageError, parseOrExitCode } from "../operations/command-line/usage";
import type { MarkedBlock } from "./marked-block";

/** A command that regenerates one marked block of a document from a synthesis (`npm run graph`, `npm run region-down`). */
export interface MarkedBlockCommand {
  /** The npm script, for messages: `graph`. */
  readonly command: string;
  /** What the block holds, for messages: `the stack graph`. */
  readonly what: string;
  readonly block: MarkedBlock;
  /** The flag naming another document (`--doc`) and the default document. */
  readonly documentFlag: string;
  readonly defaultDocument: string;
  /** The block's content for an existing synthesis at `outdir`, or for a fresh one when undefined. */
  render(outdir: string | undefined): Promise<string>;
}

/**
 * Runs such a command over `argv`: `--stdout` prints the content, `--check` exits 1 when the
 * document's block is stale (naming the command that fixes it), otherwise the block is rewritten
 * if it changed; `--outdir` reads an existing synthesis. Exit 2 on a bad command line.
 */
export async function runMarkedBlockCommand(argv: readonly string[], spec: MarkedBlockCommand): Promise<number> {
  const usage = `usage: npm run ${spec.command} -- [--check | --stdout] [--outdir <synthesized dir>] [--${spec.documentFlag} <file>]`;
  const options = parseOrExitCode(
    () => {
      const flags = parseFlags(argv, { check: { type: "boolean", default: false }, stdout: { type: "boolean", default: false }, outdir: { type: "string" }, [spec.documentFlag]: { type: "string" } });
      if (flags.check && flags.stdout) {
        throw new UsageError("--check and --stdout exclude each other");
      }
      const document = flags[spec.documentFlag];
      return {
        mode: flags.check ? "check" : flags.stdout ? "stdout" : "write",
        outdir: typeof flags.outdir === "string" ? resolve(flags.outdir) : undefined,
        document: resolve(typeof document === "string" ? document : spec.defaultDocument),
      } as const;
    },
    usage,
    processOutput,
    // 1 is --check's "out of date"; a command line it cannot run with is 2.
    { ok: 0, usage: 2 },
  );
  if (typeof options === "number") {
    return options;
  }
  const content = await spec.render(options.outdir);
  if (options.mode === "stdout") {
    process.stdout.write(content);
    return 0;
  }
  const text = readFileSync(options.document, "utf8");
  const upToDate = spec.block.current(text) === spec.block.block(content);
  if (options.mode === "check" && !upToDate) {
    console.error(`${options.document}: ${spec.what} is out of date; run \`npm run ${spec.command}\` and commit the result`);
    return 1;
  }
  if (!upToDate) {
    writeFileSync(options.document, spec.block.replace(text, content));
  }
  console.log(`${options.document}: ${spec.what} is ${upToDate ? "up to date" : "updated"}`);
  return 0;
}

/**
 * Runs the command as a script's main (`scripts/graph.ts`, `scripts/region-down.ts`): its exit
 * code becomes the process's; an error that stopped it is printed (an invalid catalogue's
 * message names every problem; anything else as `<command>: <message>`) and exits 2.
 */
export function runMarkedBlockScript(spec: MarkedBlockCommand, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  return runMarkedBlockCommand(argv, spec).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      console.error(error.name === "ConfigError" ? error.message : `${spec.command}: ${error.message}`);
      process.exitCode = 2;
    },
  );
}
