/**
 * `npm run module-docs`: rewrite the generated parts of every library module's README.md (the props
 * tables from the declarations, the usage example from `test/usage.ts`), and the package README's
 * table of modules, and the project README's example.
 *
 *   npm run module-docs              # rewrite every stale README
 *   npm run module-docs -- --check   # exit 1 when any README is stale or a module lacks one
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { LIBRARY_SOURCE, MODULES_BLOCK, checkModuleReadme, libraryModules, readmeWithExample, renderModuleIndex } from "../src/docs/module-readme";

const check = process.argv.includes("--check");
let failed = false;
for (const module of libraryModules()) {
  const result = checkModuleReadme(module);
  for (const problem of result.problems) {
    console.error(`module-docs: ${problem}`);
    failed = true;
  }
  if (result.expected === undefined || readFileSync(result.readme, "utf8") === result.expected) {
    continue;
  }
  const where = relative(process.cwd(), result.readme);
  if (check) {
    console.error(`module-docs: ${where} is out of date; run \`npm run module-docs\` and commit it`);
    failed = true;
  } else {
    writeFileSync(result.readme, result.expected);
    console.log(`module-docs: ${where} updated`);
  }
}
// The package README's table of modules.
const packageReadme = join(LIBRARY_SOURCE, "..", "README.md");
const text = readFileSync(packageReadme, "utf8");
const expected = MODULES_BLOCK.replace(text, renderModuleIndex(libraryModules()));
if (expected !== text) {
  if (check) {
    console.error(`module-docs: ${relative(process.cwd(), packageReadme)}'s table of modules is out of date; run \`npm run module-docs\``);
    failed = true;
  } else {
    writeFileSync(packageReadme, expected);
    console.log(`module-docs: ${relative(process.cwd(), packageReadme)} updated`);
  }
}
// The project README's example.
const projectReadme = join(LIBRARY_SOURCE, "..", "..", "..", "README.md");
const readmeText = readFileSync(projectReadme, "utf8");
const withExample = readmeWithExample(readmeText);
if (withExample !== readmeText) {
  if (check) {
    console.error(`module-docs: ${relative(process.cwd(), projectReadme)}'s example is out of date; run \`npm run module-docs\``);
    failed = true;
  } else {
    writeFileSync(projectReadme, withExample);
    console.log(`module-docs: ${relative(process.cwd(), projectReadme)} updated`);
  }
}
process.exitCode = failed ? 1 : 0;
