import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { markedBlock } from "../../src/docs/marked-block";
import { runMarkedBlockScript, type MarkedBlockCommand } from "../../src/docs/marked-block-command";
import { runCapturing } from "./run-marked-block-command";

/**
 * The command behind `npm run graph` and `npm run region-down`, in-process: its modes, exit codes
 * and messages. graph.test.ts and region-down-map.test.ts run each script once for its wiring.
 */
const BLOCK = markedBlock("picture", (content) => `\n\`\`\`\n${content}\`\`\`\n`);
const root = mkdtempSync(join(tmpdir(), "marked-block-command-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const rendered: (string | undefined)[] = [];
const spec = (document: string): MarkedBlockCommand => ({
  command: "picture",
  what: "the picture",
  block: BLOCK,
  documentFlag: "page",
  defaultDocument: document,
  render: async (outdir) => {
    rendered.push(outdir);
    return "fresh\n";
  },
});

/** Runs the command, capturing what it prints. */
const run = (document: string, ...argv: string[]) => runCapturing(spec(document), ...argv);

function page(name: string, inside = "\n```\nstale\n```\n"): string {
  const file = join(root, name);
  writeFileSync(file, `# t\n${BLOCK.start}${inside}${BLOCK.end}\ntail\n`);
  return file;
}

describe("a marked-block command", () => {
  test("--stdout prints the content and touches no document; --outdir is passed to the renderer", async () => {
    const file = page("stdout.md");
    rendered.length = 0;
    expect(await run(file, "--stdout", "--outdir", "some/synth")).toEqual({ code: 0, stdout: "fresh\n", stderr: "" });
    expect(rendered).toEqual([join(process.cwd(), "some/synth")]);
    expect(readFileSync(file, "utf8")).toContain("stale");
  });

  test("without --outdir the renderer synthesizes afresh (gets no directory)", async () => {
    rendered.length = 0;
    await run(page("fresh.md"), "--stdout");
    expect(rendered).toEqual([undefined]);
  });

  test("--check exits 1 on a stale block, naming the document and the command that fixes it, and changes nothing", async () => {
    const file = page("stale.md");
    const before = readFileSync(file, "utf8");
    const result = await run(file, "--check");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`${file}: the picture is out of date; run \`npm run picture\` and commit the result\n`);
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  test("the default mode rewrites only the block, after which --check passes; a current block is left alone", async () => {
    const file = page("write.md");
    expect(await run(file)).toMatchObject({ code: 0, stdout: `${file}: the picture is updated\n` });
    expect(readFileSync(file, "utf8")).toBe(`# t\n${BLOCK.start}\n\`\`\`\nfresh\n\`\`\`\n${BLOCK.end}\ntail\n`);
    expect(await run(file, "--check")).toMatchObject({ code: 0, stdout: `${file}: the picture is up to date\n` });
    expect(await run(file)).toMatchObject({ code: 0, stdout: `${file}: the picture is up to date\n` });
  });

  test("the document flag names another document than the default", async () => {
    const other = page("other.md");
    expect(await run(page("default.md"), "--check", "--page", other)).toMatchObject({ code: 1, stderr: expect.stringContaining(`${other}: the picture is out of date`) });
  });

  test("exits 2 with the usage on an unknown flag or on --check with --stdout, rendering nothing", async () => {
    rendered.length = 0;
    for (const [args, message] of [[["--chek"], "Unknown option '--chek'"], [["--check", "--stdout"], "--check and --stdout exclude each other"]] as const) {
      const result = await run(page("usage.md"), ...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain("usage: npm run picture -- [--check | --stdout] [--outdir <synthesized dir>] [--page <file>]");
    }
    expect(rendered).toEqual([]);
  });

  test("a document without the markers fails instead of being rewritten", async () => {
    const file = join(root, "no-markers.md");
    writeFileSync(file, "# no markers\n");
    await expect(run(file)).rejects.toThrow(/must contain <!-- picture:start -->/);
    expect(readFileSync(file, "utf8")).toBe("# no markers\n");
  });

  describe("as a script's main", () => {
    const exitCode = process.exitCode;
    afterEach(() => (process.exitCode = exitCode));
    const failing = (error: Error): MarkedBlockCommand => ({ ...spec(page("failing.md")), render: async () => Promise.reject(error) });

    test("its exit code becomes the process's", async () => {
      const file = page("script.md");
      jest.spyOn(console, "error").mockImplementationOnce(() => undefined);
      await runMarkedBlockScript(spec(file), ["--check"]);
      expect(process.exitCode).toBe(1);
    });

    test("an error that stopped it exits 2: an invalid catalogue with its own message, anything else named after the command", async () => {
      const printed: string[] = [];
      const error = jest.spyOn(console, "error").mockImplementation((line) => void printed.push(line));
      const invalid = Object.assign(new Error("catalogue: 2 problems"), { name: "ConfigError" });
      await runMarkedBlockScript(failing(invalid), ["--stdout"]);
      expect(process.exitCode).toBe(2);
      await runMarkedBlockScript(failing(new Error("no synthesized output in x")), ["--stdout"]);
      error.mockRestore();
      expect(printed).toEqual(["catalogue: 2 problems", "picture: no synthesized output in x"]);
      expect(process.exitCode).toBe(2);
    });
  });
});
