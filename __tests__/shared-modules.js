/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS files jest loads untranspiled */
/* global process */
/**
 * cdktf, constructs and the cdktf provider bindings, loaded once per jest worker instead of once
 * per test file.
 *
 * Jest gives every test file its own module registry, so each file that builds a stack loads
 * these ~14 MB of JavaScript (~450 modules) again: most of the fixed cost of a test file. A
 * synth builds a new App each time, so the resolver (esm-resolver.js) hands the test files a one-line stub for each of their modules
 * that returns the worker's own copy, loaded by Node's `require` outside the test sandbox. The
 * environment (shared-modules-environment.js) gives the sandbox that `require`.
 *
 * What this changes for a test: these modules' objects and errors come from the worker's realm,
 * not the sandbox's (`toStrictEqual` on them would see another `Object`, `instanceof Error` of
 * the sandbox is false for their errors; `toThrow` and `toEqual` are unaffected), and jest.mock
 * cannot replace them. cdktf's one process-wide state, its registry of every token created
 * (TokenMap on `global`), now lives as long as the worker: token numbers go on from file to file
 * (nothing resolved contains them), and it keeps the earlier files' apps alive, so jest replaces
 * a worker whose heap passes `workerIdleMemoryLimit` (jest.config.js). Resetting the registry
 * per file is not an option: tokens the modules created when they loaded would no longer
 * resolve. `SHARED_MODULES=0` switches the sharing off.
 */
const { createHash } = require("node:crypto");
const { mkdirSync, writeFileSync, existsSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

const SHARED = /\/node_modules\/(cdktf|constructs|@cdktf\/provider-[a-z]+)\//;
const enabled = process.env.SHARED_MODULES !== "0";
const STUBS = join(tmpdir(), `jest-shared-modules-${process.getuid?.() ?? "user"}`);
const GLOBAL = "__meridianSharedModules";

/** The stub the sandbox loads instead of `resolved`, or `resolved` itself when it is not shared. */
function stubFor(resolved) {
  if (!enabled || !SHARED.test(resolved) || !resolved.endsWith(".js")) {
    return resolved;
  }
  const stub = join(STUBS, `${createHash("sha1").update(resolved).digest("hex")}.js`);
  if (!existsSync(stub)) {
    mkdirSync(STUBS, { recursive: true });
    writeFileSync(stub, `module.exports = globalThis.${GLOBAL}.require(${JSON.stringify(resolved)});\n`);
  }
  return stub;
}

module.exports = { GLOBAL, enabled, stubFor };
