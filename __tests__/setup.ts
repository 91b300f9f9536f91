import { withoutTokenTraces } from "../src/synth-traces";

// cdktf captures a full stack trace for every token it creates (from its own module's load on),
// and jest source-maps each one: about two thirds of a synth's time in a test. Errors keep their
// source-mapped traces. No test uses cdktf's jest matchers (Testing.setupJest), so cdktf loads
// only in the test files that use it.
Error.prepareStackTrace = withoutTokenTraces(Error.prepareStackTrace);
// The same in the worker's realm, where the shared cdktf lives (__tests__/shared-modules.js).
(globalThis as { __meridianSharedModules?: { leanStackFormatter(): void } }).__meridianSharedModules?.leanStackFormatter();
