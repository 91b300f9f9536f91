import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

/** Runs `leanSynthTraces()` in a fresh process (it changes process-wide settings) and reports what traces look like after. */
function tracesAfterLeanSynthTraces(env: NodeJS.ProcessEnv): { errorStack: string; tokenStack: string } {
  const script = `
    const { leanSynthTraces } = require(${JSON.stringify(join(ROOT, "src", "synth-traces.ts"))});
    leanSynthTraces();
    function thrower() { return new Error("boom"); }
    const capture = { stack: "" };
    Error.captureStackTrace(capture);
    console.log(JSON.stringify({ errorStack: thrower().stack, tokenStack: capture.stack }));
  `;
  const result = spawnSync(process.execPath, [require.resolve("tsx/cli"), "-e", script], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as { errorStack: string; tokenStack: string };
}

describe("leanSynthTraces", () => {
  test("keeps real errors' traces, frames included, and leaves cdktf-style captures empty", () => {
    const { errorStack, tokenStack } = tracesAfterLeanSynthTraces({ SYNTH_TRACES: "" });
    expect(errorStack).toMatch(/^Error: boom\n {4}at thrower \(/);
    expect(tokenStack).toBe("");
  });

  test("SYNTH_TRACES=1 keeps every trace for debugging the synth", () => {
    const { errorStack, tokenStack } = tracesAfterLeanSynthTraces({ SYNTH_TRACES: "1" });
    expect(errorStack).toMatch(/^Error: boom\n {4}at thrower \(/);
    expect(tokenStack).toMatch(/^Error\n {4}at /);
  });
});
