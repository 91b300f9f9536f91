import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  LIBRARY_SOURCE,
  MODULES_BLOCK,
  checkModuleReadme,
  constructClasses,
  documentedInterfaces,
  libraryModules,
  libraryTestSources,
  readmeWithExample,
  renderModuleIndex,
  undocumentedProperties,
} from "../../src/docs/module-readme";


const modules = libraryModules();
const tests = libraryTestSources();

describe("library module READMEs", () => {
  test("finds every module (each folder with an index.ts), so the checks below cannot pass on none", () => {
    expect(modules.map((m) => m.name)).toEqual(expect.arrayContaining(["network", "eks-cluster", "aurora-global", "global-accelerator", "platform/argo-cd"]));
    expect(modules.length).toBeGreaterThanOrEqual(34);
  });

  test("the project README's example is the network module's usage example (npm run module-docs)", () => {
    const text = readFileSync(join(LIBRARY_SOURCE, "..", "..", "..", "README.md"), "utf8");
    expect(text).toContain("<!-- usage:start -->");
    expect(text).toBe(readmeWithExample(text));
  });

  test("the package README's table of modules is current (npm run module-docs)", () => {
    const text = readFileSync(join(LIBRARY_SOURCE, "..", "README.md"), "utf8");
    expect(text).toBe(MODULES_BLOCK.replace(text, renderModuleIndex(modules)));
  });

  test.each(modules.map((m) => [m.name, m] as const))("%s: README.md's props tables and usage example are current (npm run module-docs)", (_name, module) => {
    const result = checkModuleReadme(module);
    expect(result.problems).toEqual([]);
    expect(readFileSync(result.readme, "utf8")).toBe(result.expected);
  });

  test.each(modules.map((m) => [m.name, m] as const))("%s: every prop has a description, and every optional prop a @default", (_name, module) => {
    expect(undocumentedProperties(documentedInterfaces(module))).toEqual([]);
  });

  test.each(modules.map((m) => [m.name, m] as const))("%s: every construct class is built by a test of the library", (_name, module) => {
    const untested = constructClasses(module).filter((name) => !tests.some((text) => new RegExp(`\\bnew ${name}\\(|\\b${name}\\.from\\w*\\(`).test(text)));
    expect(untested).toEqual([]);
  });
});
