import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

/**
 * Runs `leanSynthTraces()` in a fresh process (it changes process-wide settings) and reports what
 * traces look like, first with SYNTH_TRACES=1 (the process's environment: it leaves everything
 * as it was), then without it (the settings change). One process for both: tsx starts in ~1 s.
 */
interface Traces {
  readonly errorStack: string;
  readonly tokenStack: string;
  readonly otherRealmStack: string;
  readonly messageOnlyStack: string;
}

function tracesWithAndWithoutSynthTraces(): { kept: Traces; lean: Traces } {
  const script = `
    const { leanSynthTraces } = require(${JSON.stringify(join(ROOT, "src", "synth-traces.ts"))});
    function thrower() { return new Error("boom"); }
    function traces() {
      const capture = { stack: "" };
      Error.captureStackTrace(capture);
      const otherRealm = require("node:vm").runInNewContext("new Error('from another realm')");
      const messageOnly = { name: "Custom", message: "plain object" };
      Error.captureStackTrace(messageOnly);
      return { errorStack: thrower().stack, tokenStack: capture.stack, otherRealmStack: otherRealm.stack, messageOnlyStack: messageOnly.stack };
    }
    leanSynthTraces();
    const kept = traces();
    leanSynthTraces({ ...process.env, SYNTH_TRACES: "" });
    console.log(JSON.stringify({ kept, lean: traces() }));
  `;
  const result = spawnSync(process.execPath, [require.resolve("tsx/cli"), "-e", script], { cwd: ROOT, encoding: "utf8", env: { ...process.env, SYNTH_TRACES: "1" } });
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as { kept: Traces; lean: Traces };
}

const { kept, lean } = tracesWithAndWithoutSynthTraces();

describe("leanSynthTraces", () => {
  test("keeps real errors' traces, frames included, and leaves cdktf-style captures empty", () => {
    const { errorStack, tokenStack, otherRealmStack, messageOnlyStack } = lean;
    expect(errorStack).toMatch(/^Error: boom\n {4}at thrower \(/);
    expect(tokenStack).toBe("");
    // AND errors of another realm (vm), and message-bearing objects (console.trace builds one), keep theirs
    expect(otherRealmStack).toMatch(/^Error: from another realm/);
    expect(messageOnlyStack).toMatch(/^Custom: plain object\n {4}at /);
  });

  test("SYNTH_TRACES=1 keeps every trace for debugging the synth", () => {
    const { errorStack, tokenStack } = kept;
    expect(errorStack).toMatch(/^Error: boom\n {4}at thrower \(/);
    expect(tokenStack).toMatch(/^Error\n {4}at /);
  });
});
