// The schema validation moved into the library's test support, so construct tests use it too.
export * from "../packages/constructs/test-support/manifests";
