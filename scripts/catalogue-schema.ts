/**
 * `npm run catalogue-schema`: write the catalogue's JSON Schema (generated from the zod schema)
 * to src/config/catalogue.schema.json, for editors checking a team's catalogue file.
 *
 *   npm run catalogue-schema               # rewrite the file
 *   npm run catalogue-schema -- --check    # exit 1 when the file is stale (CI, tests)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CATALOGUE_JSON_SCHEMA_PATH, catalogueJsonSchemaText } from "../src/config/catalogue-json-schema";
import { parseFlags } from "../src/operations/command-line/flags";
import { processOutput } from "../src/operations/command-line/output";
import { parseOrExitCode } from "../src/operations/command-line/usage";

const USAGE = "usage: npm run catalogue-schema -- [--check]";

function main(): number {
  const flags = parseOrExitCode(() => parseFlags(process.argv.slice(2), { check: { type: "boolean", default: false } }), USAGE, processOutput, { ok: 0, usage: 2 });
  if (typeof flags === "number") {
    return flags;
  }
  const file = join(__dirname, "..", CATALOGUE_JSON_SCHEMA_PATH);
  const wanted = catalogueJsonSchemaText();
  let current = "";
  try {
    current = readFileSync(file, "utf8");
  } catch {
    // Missing: stale.
  }
  if (current === wanted) {
    console.log(`${CATALOGUE_JSON_SCHEMA_PATH}: up to date`);
    return 0;
  }
  if (flags.check) {
    console.error(`${CATALOGUE_JSON_SCHEMA_PATH}: out of date with src/config/schema.ts; run \`npm run catalogue-schema\` and commit the result`);
    return 1;
  }
  writeFileSync(file, wanted);
  console.log(`${CATALOGUE_JSON_SCHEMA_PATH}: written`);
  return 0;
}

process.exit(main());
