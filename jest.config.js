/** Transpile-only (swc): types are checked by `npm run typecheck`, not on every test run. */
const ESM_PACKAGES = "kubernetes-models|@kubernetes-models|is-cidr|cidr-regex|ip-regex";

module.exports = {
  // jest's node environment, sharing cdktf and the provider bindings across a worker's test files (__tests__/shared-modules.js).
  testEnvironment: "<rootDir>/__tests__/shared-modules-environment.js",
  roots: ["<rootDir>/__tests__", "<rootDir>/packages/constructs/src"],
  testMatch: ["**/*.test.ts"],
  // kubernetes-models (manifest schema validation) ships ESM only: resolve and transpile it.
  resolver: "<rootDir>/__tests__/esm-resolver.js",
  // The library from its source, as tsconfig.json maps it (its package.json points at the build).
  moduleNameMapper: { "^@meridian/constructs$": "<rootDir>/packages/constructs/src/index.ts" },
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
    [`/node_modules/(${ESM_PACKAGES})/.+\\.js$`]: ["@swc/jest", { jsc: { target: "es2022" }, module: { type: "commonjs" } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES})/)`],
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // The built-in catalogue is synthesized once per run and shared by every test file.
  globalSetup: "<rootDir>/__tests__/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/global-teardown.ts",
  testTimeout: 30000,
  // On 2 cores jest would default to one worker (cores - 1) and leave a core idle while it waits
  // on Terraform and spawned scripts. The parent does little but report.
  maxWorkers: 2,
  testSequencer: "<rootDir>/__tests__/sequencer.js",
  // A worker keeps every synthesized app alive in the shared cdktf's token registry
  // (__tests__/shared-modules.js): replace it when its heap grows past this after a test file.
  workerIdleMemoryLimit: "700MB",
};
