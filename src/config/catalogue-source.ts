import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseDocument } from "yaml";
import { BUILT_IN_CATALOGUE } from "./catalogue";
import { ConfigError, loadCatalogue, type LoadedCatalogue } from "./load";

/**
 * The environment variable naming a team's own catalogue file (YAML or JSON). Every command that
 * synthesizes or reads the catalogue honours it: `CATALOGUE=platform/catalogue.yaml npm run synth`.
 * A relative path is resolved against the working directory, so the replacement gate, which
 * synthesizes the base commit in its own checkout, compares each commit's own copy of the file.
 */
export const CATALOGUE_VARIABLE = "CATALOGUE";

/** Where the catalogue of a run comes from: the built-in one, or a file. */
export type CatalogueOrigin = { readonly kind: "built-in" } | { readonly kind: "file"; readonly path: string };

/** The origin `environment` selects: the file `CATALOGUE` names, else the built-in catalogue. */
export function catalogueOrigin(environment: NodeJS.ProcessEnv = process.env): CatalogueOrigin {
  const path = environment[CATALOGUE_VARIABLE]?.trim();
  return path ? { kind: "file", path: resolve(path) } : { kind: "built-in" };
}

/**
 * The raw (unvalidated) catalogue of `origin`. A file is parsed as YAML, which also reads JSON;
 * a missing file or a syntax error is a {@link ConfigError} naming the variable, the file and the
 * line, before any validation runs.
 */
export function readCatalogueInput(origin: CatalogueOrigin, read: (path: string) => string = (path) => readFileSync(path, "utf8")): unknown {
  if (origin.kind === "built-in") {
    return structuredClone(BUILT_IN_CATALOGUE);
  }
  let text: string;
  try {
    text = read(origin.path);
  } catch (error) {
    throw new ConfigError([{ path: CATALOGUE_VARIABLE, value: origin.path, rule: `must name a readable catalogue file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` }]);
  }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((problem) => ({
        path: CATALOGUE_VARIABLE,
        value: origin.path,
        rule: `is not valid YAML/JSON: ${problem.message.split("\n")[0]}`,
      })),
    );
  }
  const input: unknown = document.toJS();
  if (input !== null && typeof input === "object" && "$schema" in input) {
    // How a JSON file names the generated JSON Schema for editors; not a catalogue setting.
    delete (input as Record<string, unknown>).$schema;
  }
  return input;
}

/**
 * The validated catalogue this process runs with (see {@link CATALOGUE_VARIABLE}); throws
 * {@link ConfigError} naming every broken rule, with paths into the file.
 */
export function loadConfiguredCatalogue(environment: NodeJS.ProcessEnv = process.env): LoadedCatalogue & { readonly origin: CatalogueOrigin } {
  const origin = catalogueOrigin(environment);
  return { ...loadCatalogue(readCatalogueInput(origin)), origin };
}
