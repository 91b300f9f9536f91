import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

/** Runs `leanSynthTraces()` in a fresh process (it changes process-wide settings) and reports what traces look like after. */
interface Traces {
  readonly errorStack: string;
  readonly tokenStack: string;
  readonly otherRealmStack: string;
  readonly messageOnlyStack: string;
}

function tracesAfterLeanSynthTraces(env: NodeJS.ProcessEnv): Traces {
  const script = `
    const { leanSynthTraces } = require(${JSON.stringify(join(ROOT, "src", "synth-traces.ts"))});
    leanSynthTraces();
    function thrower() { return new Error("boom"); }
    const capture = { stack: "" };
    Error.captureStackTrace(capture);
    const otherRealm = require("node:vm").runInNewContext("new Error('from another realm')");
    const messageOnly = { name: "Custom", message: "plain object" };
    Error.captureStackTrace(messageOnly);
    console.log(JSON.stringify({ errorStack: thrower().stack, tokenStack: capture.stack, otherRealmStack: otherRealm.stack, messageOnlyStack: messageOnly.stack }));
  `;
  const result = spawnSync(process.execPath, [require.resolve("tsx/cli"), "-e", script], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as Traces;
}

describe("leanSynthTraces", () => {
  test("keeps real errors' traces, frames included, and leaves cdktf-style captures empty", () => {
    const { errorStack, tokenStack, otherRealmStack, messageOnlyStack } = tracesAfterLeanSynthTraces({ SYNTH_TRACES: "" });
    expect(errorStack).toMatch(/^Error: boom\n {4}at thrower \(/);
    expect(tokenStack).toBe("");
    // AND errors of another realm (vm), and message-bearing objects (console.trace builds one), keep theirs
    expect(otherRealmStack).toMatch(/^Error: from another realm/);
    expect(messageOnlyStack).toMatch(/^Custom: plain object\n {4}at /);
  });

  test("SYNTH_TRACES=1 keeps every trace for debugging the synth", () => {
    const { errorStack, tokenStack } = tracesAfterLeanSynthTraces({ SYNTH_TRACES: "1" });
    expect(errorStack).toMatch(/^Error: boom\n {4}at thrower \(/);
    expect(tokenStack).toMatch(/^Error\n {4}at /);
  });
});
