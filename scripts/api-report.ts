/**
 * `npm run api-report`: builds the library and rewrites its API report,
 * packages/constructs/api/constructs.api.md (API Extractor, configured in
 * packages/constructs/api-extractor.json), so a change to the public API shows in review.
 *
 *   npm run api-report              # build, then rewrite the report
 *   npm run api-report -- --check   # build, then fail if the checked-in report differs (CI)
 *   npm run api-report -- --no-build
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { Extractor, ExtractorConfig, type ExtractorMessage } from "@microsoft/api-extractor";
import { parseFlags } from "../src/operations/command-line/flags";
import { processOutput } from "../src/operations/command-line/output";
import { parseOrExitCode } from "../src/operations/command-line/usage";

const ROOT = resolve(__dirname, "..");
const PACKAGE = join(ROOT, "packages", "constructs");
const CONFIG = join(PACKAGE, "api-extractor.json");

/** A unified diff of two files (git's, which every checkout has), for the failure message. */
function diff(expected: string, actual: string): string {
  try {
    execFileSync("git", ["diff", "--no-index", "--no-color", "--", relative(ROOT, expected), relative(ROOT, actual)], { cwd: ROOT, encoding: "utf8" });
    return "";
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? "";
    return output.length > 8000 ? `${output.slice(0, 8000)}\n… (${output.length - 8000} more characters)` : output;
  }
}

function main(): number {
  const flags = parseOrExitCode(
    () => parseFlags(process.argv.slice(2), { check: { type: "boolean", default: false }, "no-build": { type: "boolean", default: false } }),
    "usage: npm run api-report -- [--check] [--no-build]",
    processOutput,
    { ok: 0, usage: 2 },
  );
  if (typeof flags === "number") {
    return flags;
  }
  if (!flags["no-build"]) {
    console.log("building the library ...");
    execFileSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit" });
  }
  const config = ExtractorConfig.loadFileAndPrepare(CONFIG);
  if (!existsSync(config.mainEntryPointFilePath)) {
    console.error(`api-report: ${relative(ROOT, config.mainEntryPointFilePath)} does not exist: build the library first (npm run build)`);
    return 2;
  }
  const problems: string[] = [];
  const result = Extractor.invoke(config, {
    // A local build rewrites the report; otherwise API Extractor only writes the temp copy and says whether it changed.
    localBuild: !flags.check,
    messageCallback: (message: ExtractorMessage) => {
      if (message.logLevel === "error" || message.logLevel === "warning") {
        problems.push(message.formatMessageWithLocation(ROOT));
      }
      // Everything is printed here, once, in our own words.
      message.handled = true;
    },
  });
  const report = relative(ROOT, config.reportFilePath);
  for (const problem of problems) {
    console.error(`api-report: ${problem}`);
  }
  if (result.errorCount > 0) {
    console.error(`api-report: API Extractor reported ${result.errorCount} error(s); the report was not checked`);
    return 1;
  }
  if (flags.check) {
    if (result.apiReportChanged) {
      const changes = existsSync(config.reportFilePath) ? diff(config.reportFilePath, config.reportTempFilePath) : `${report} does not exist`;
      console.error(`${changes}\napi-report: ${report} does not match the library's public API (above: checked in → built).`);
      console.error(`api-report: if the change is intended, run \`npm run api-report\` and commit ${report} (and note the change in packages/constructs/CHANGELOG.md).`);
      return 1;
    }
    console.log(`api-report: ${report} matches the public API`);
    return 0;
  }
  console.log(result.apiReportChanged ? `api-report: ${report} rewritten: the public API changed; review and commit it` : `api-report: ${report} is unchanged`);
  return 0;
}

process.exit(main());
