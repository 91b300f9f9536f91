/**
 * `npm run examples`: every app under examples/ built the way another team builds it, against
 * the *packed* library, outside this repository:
 *
 * 1. build the library (`npm run build`) and `npm pack` it into a temporary directory;
 * 2. copy each example into its own directory there, its `@meridian/constructs` dependency
 *    pointing at the tarball;
 * 3. install them with one `npm install` (the examples are the workspaces of a throw-away root, so
 *    the 500 MB of providers are unpacked once, not once per example; each keeps its own
 *    package.json, main.ts and cdktf.json);
 * 4. per example: check that its imports resolve into that directory (never into this
 *    repository), type-check it with its own TypeScript, synthesize it with its own tsx;
 * 5. plan every synthesized stack offline with the real AWS provider (src/verification: fake
 *    credentials, local backend, the provider mirror), all examples' stacks in one verification
 *    so the provider is installed once.
 *
 * Fails naming the example and the step.
 *
 *   npm run examples                    # all examples
 *   npm run examples -- --only eks-existing-vpc
 *   npm run examples -- --keep          # keep the temporary directory (its path is printed)
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { parseFlags } from "../src/operations/command-line/flags";
import { processOutput } from "../src/operations/command-line/output";
import { parseOrExitCode } from "../src/operations/command-line/usage";
import { runBounded } from "../src/verification/offline-workspace";
import { verifyOffline } from "../src/verification/offline-verification";

const ROOT = resolve(__dirname, "..");
const EXAMPLES = join(ROOT, "examples");
const LIBRARY = "@meridian/constructs";
const NPM_INSTALL_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];

/** A failed step: which example (or `all examples` for the shared steps), which step, and the output. */
class StepFailure extends Error {
  constructor(readonly example: string, readonly step: string, detail: string) {
    super(`${example}: ${step} failed:\n${detail.trim().replace(/^/gm, "    ")}`);
  }
}

interface Example {
  readonly name: string;
  /** The example's copy outside the repository. */
  readonly directory: string;
}

export function exampleNames(examplesDirectory = EXAMPLES): string[] {
  return readdirSync(examplesDirectory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(examplesDirectory, entry.name, "package.json")))
    .map((entry) => entry.name)
    .sort();
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 127) : 0;
      done({ code, output: `${stdout}${stderr}${error && code === 127 ? error.message : ""}` });
    });
  });
}

async function step(example: string, name: string, command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<string> {
  const started = Date.now();
  const result = await run(command, args, cwd, env);
  if (result.code !== 0) {
    throw new StepFailure(example, name, `${command} ${args.join(" ")} (in ${cwd}) exited ${result.code}:\n${result.output.slice(-6000)}`);
  }
  console.log(`${example}: ${name} (${seconds(started)} s)`);
  return result.output;
}

const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);

/** True when `path` is `directory` or inside it (both real paths). */
function isInside(path: string, directory: string): boolean {
  const rel = relative(directory, path);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && rel !== "..");
}

/** Node resolves bare imports by walking up to every `node_modules`: none above the work directory may exist. */
function assertIsolated(workRoot: string): void {
  if (isInside(workRoot, ROOT)) {
    throw new StepFailure("all examples", "isolation", `the work directory ${workRoot} is inside the repository ${ROOT}; set TMPDIR to a directory outside it`);
  }
  for (let dir = dirname(workRoot); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "node_modules"))) {
      throw new StepFailure("all examples", "isolation", `${join(dir, "node_modules")} exists above the work directory ${workRoot}: the examples could resolve packages from it`);
    }
    if (dirname(dir) === dir) {
      return;
    }
  }
}

async function buildAndPack(workRoot: string): Promise<string> {
  await step("library", "build (npm run build)", "npm", ["run", "build", "--silent"], ROOT);
  const packDirectory = join(workRoot, "pack");
  mkdirSync(packDirectory, { recursive: true });
  const output = await step("library", "npm pack", "npm", ["pack", "--workspace", LIBRARY, "--pack-destination", packDirectory, "--json", "--loglevel=error"], ROOT);
  const [packed] = JSON.parse(output.slice(output.indexOf("["))) as { filename: string; files: { path: string }[] }[];
  const unwanted = packed!.files.map((f) => f.path).filter((path) => /(^|\/)test(-support)?\//.test(path) || /\.test\.|usage\./.test(path));
  if (unwanted.length > 0) {
    throw new StepFailure("library", "npm pack", `the package contains test files: ${unwanted.join(", ")}`);
  }
  return join(packDirectory, packed!.filename);
}

/** Copies the examples next to each other under `<workRoot>/apps`, with a throw-away workspace root that installs them together. */
function stageExamples(workRoot: string, names: readonly string[], tarball: string): Example[] {
  const apps = join(workRoot, "apps");
  const examples = names.map((name) => {
    const directory = join(apps, name);
    cpSync(join(EXAMPLES, name), directory, { recursive: true, filter: (src) => !/[/\\](node_modules|cdktf\.out|\.gen)([/\\]|$)/.test(src) });
    const manifestFile = join(directory, "package.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { dependencies?: Record<string, string> };
    if (!manifest.dependencies?.[LIBRARY]) {
      throw new StepFailure(name, "staging", `package.json does not depend on ${LIBRARY}`);
    }
    // What `npm install <tarball>` would write: the packed library instead of a registry version.
    manifest.dependencies[LIBRARY] = `file:${tarball}`;
    writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    return { name, directory };
  });
  writeFileSync(join(apps, "package.json"), `${JSON.stringify({ name: "meridian-examples-install", private: true, workspaces: [...names] }, null, 2)}\n`);
  return examples;
}

async function checkExample(example: Example, apps: string): Promise<void> {
  const { name, directory } = example;
  // The library and its peers must come from this directory's install, not from the repository.
  const resolved = await step(
    name,
    "resolve",
    process.execPath,
    ["-p", `[${JSON.stringify(LIBRARY)}, "cdktf", "constructs", "@cdktf/provider-aws/lib/provider"].map((m) => require("node:fs").realpathSync(require.resolve(m))).join("\\n")`],
    directory,
  );
  const outside = resolved.trim().split("\n").filter((path) => !isInside(path, apps));
  if (outside.length > 0) {
    throw new StepFailure(name, "resolve", `resolved outside the example's install: ${outside.join(", ")}`);
  }
  const bin = (tool: string) => join(apps, "node_modules", ".bin", tool);
  await step(name, "type-check (its own tsc against the packed library)", bin("tsc"), ["-p", "tsconfig.json", "--noEmit"], directory);
  const cdktf = JSON.parse(readFileSync(join(directory, "cdktf.json"), "utf8")) as { app?: string };
  if (!/\btsx main\.ts\b/.test(cdktf.app ?? "")) {
    throw new StepFailure(name, "synth", `cdktf.json "app" is ${JSON.stringify(cdktf.app)}; this runner synthesizes with \`tsx main.ts\` and expects the same app`);
  }
  await step(name, "synth (its own tsx main.ts)", bin("tsx"), ["main.ts"], directory, { ...process.env, CDKTF_OUTDIR: undefined, CI: "true" });
  if (!existsSync(join(directory, "cdktf.out", "manifest.json"))) {
    throw new StepFailure(name, "synth", "main.ts ran but wrote no cdktf.out/manifest.json (does it call app.synth()?)");
  }
}

interface ManifestStack {
  readonly name: string;
  readonly workingDirectory: string;
  readonly synthesizedStackPath: string;
  readonly dependencies?: string[];
}

/**
 * Plans every example's stacks in one offline verification: the stacks of all examples are listed
 * in one manifest, so the AWS provider is installed from the mirror once, not once per example.
 * Returns a failure per example whose stacks did not plan.
 */
async function planExamples(examples: readonly Example[], workRoot: string): Promise<StepFailure[]> {
  const started = Date.now();
  const outdir = join(workRoot, "plan");
  mkdirSync(outdir, { recursive: true });
  const exampleOf = new Map<string, string>();
  const stacks: Record<string, ManifestStack> = {};
  for (const example of examples) {
    const synthesized = join(example.directory, "cdktf.out");
    const manifest = JSON.parse(readFileSync(join(synthesized, "manifest.json"), "utf8")) as { stacks: Record<string, ManifestStack> };
    for (const stack of Object.values(manifest.stacks)) {
      const other = exampleOf.get(stack.name);
      if (other) {
        throw new StepFailure(example.name, "offline plan", `stack ${stack.name} is also a stack of ${other}; stack names must be unique across the examples`);
      }
      exampleOf.set(stack.name, example.name);
      const at = (path: string) => relative(outdir, join(synthesized, path));
      stacks[stack.name] = { ...stack, workingDirectory: at(stack.workingDirectory), synthesizedStackPath: at(stack.synthesizedStackPath) };
    }
  }
  writeFileSync(join(outdir, "manifest.json"), `${JSON.stringify({ stacks }, null, 2)}\n`);
  const outcomes = await verifyOffline({ outdir });
  const failures: StepFailure[] = [];
  for (const example of examples) {
    const mine = outcomes.filter((o) => exampleOf.get(o.stack) === example.name);
    const problems = mine.flatMap((o) =>
      o.status === "failed" ? [`${o.stack}: terraform ${o.step}:\n${o.message}`] : o.status === "not-plannable" ? [`${o.stack}: not plannable offline: ${o.reason}`] : [],
    );
    if (mine.length === 0) {
      problems.push("synthesized no stack");
    }
    if (problems.length > 0) {
      failures.push(new StepFailure(example.name, "offline plan", problems.join("\n")));
    } else {
      console.log(`${example.name}: planned offline: ${mine.map((o) => (o.status === "planned" ? `${o.stack} (${o.plan.create} to create, ${o.seconds} s)` : o.stack)).join(", ")}`);
    }
  }
  console.log(`offline plans of ${outcomes.length} stacks: ${seconds(started)} s`);
  return failures;
}

async function main(): Promise<number> {
  const usage = "usage: npm run examples -- [--only <example>[,<example>…]] [--keep]";
  const flags = parseOrExitCode(
    () => parseFlags(process.argv.slice(2), { only: { type: "string" }, keep: { type: "boolean", default: false } }),
    usage,
    processOutput,
    { ok: 0, usage: 2 },
  );
  if (typeof flags === "number") {
    return flags;
  }
  const all = exampleNames();
  const only = typeof flags.only === "string" ? flags.only.split(",").map((s) => s.trim()) : undefined;
  const unknown = (only ?? []).filter((name) => !all.includes(name));
  if (unknown.length > 0) {
    console.error(`unknown example${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; the examples are ${all.join(", ")}\n${usage}`);
    return 2;
  }
  const names = only ?? all;
  const started = Date.now();
  const workRoot = realpathSync(mkdtempSync(join(tmpdir(), "meridian-examples-")));
  let failed = false;
  try {
    assertIsolated(workRoot);
    const tarball = await buildAndPack(workRoot);
    const examples = stageExamples(workRoot, names, tarball);
    const apps = join(workRoot, "apps");
    await step(names.join(", "), "npm install (packed library and pinned peers, one install for all examples)", "npm", ["install", ...NPM_INSTALL_FLAGS], apps);
    // Each example on its own: one failing does not hide the others' results.
    const built = await runBounded(
      examples.map((example) => async () => {
        try {
          await checkExample(example, apps);
          return undefined;
        } catch (error) {
          return error instanceof StepFailure ? error : new StepFailure(example.name, "run", (error as Error).stack ?? String(error));
        }
      }),
      2,
    );
    const failures = built.filter((r): r is StepFailure => r !== undefined);
    const synthesized = examples.filter((example) => !failures.some((f) => f.example === example.name));
    if (synthesized.length > 0) {
      failures.push(...(await planExamples(synthesized, workRoot)));
    }
    for (const failure of failures) {
      console.error(`\nFAILED ${failure.message}`);
    }
    failed = failures.length > 0;
    console.log(`\nexamples: ${examples.length - failures.length} of ${examples.length} built, synthesized and planned offline in ${seconds(started)} s${failed ? `; failed: ${failures.map((f) => `${f.example} (${f.step})`).join(", ")}` : ""}`);
  } catch (error) {
    failed = true;
    console.error(`\nFAILED ${error instanceof StepFailure ? error.message : (error as Error).stack}`);
  } finally {
    if (flags.keep || failed) {
      console.log(`work directory kept: ${workRoot}`);
    } else {
      rmSync(workRoot, { recursive: true, force: true });
    }
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`examples could not run: ${error.stack}`);
      process.exit(2);
    },
  );
}
