import { propertyPath } from "@meridian/constructs";
import { catalogueWarnings, checkCatalogueRules } from "./catalogue-rules";
import { CatalogueSchema, type Catalogue, type EnvironmentConfig } from "./schema";

/** One problem with the configuration: where it is, what was there, and which rule it breaks. */
export interface ConfigProblem {
  /** Dotted path into the catalogue, e.g. `environments[0].regions[1].vpcCidr`. */
  readonly path: string;
  readonly value: unknown;
  readonly rule: string;
}

/** Thrown before any stack is built when the catalogue breaks a rule. Lists every problem found. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p.path} = ${describe(p.value)}: ${p.rule}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

export interface LoadedCatalogue {
  readonly catalogue: Catalogue;
  readonly warnings: readonly string[];
}

/** Validates raw catalogue input; throws {@link ConfigError} naming every broken rule. */
export function loadCatalogue(input: unknown): LoadedCatalogue {
  const parsed = CatalogueSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const path = issue.path.filter((key): key is string | number => typeof key !== "symbol");
        return { path: formatPath(path), value: valueAt(input, path), rule: issue.message };
      }),
    );
  }
  const violations = checkCatalogueRules(parsed.data);
  if (violations.length > 0) {
    throw new ConfigError(violations.map((v) => ({ path: formatPath(v.path), value: valueAt(input, v.path), rule: v.message })));
  }
  return { catalogue: parsed.data, warnings: catalogueWarnings(parsed.data) };
}

/**
 * The environments named in `selection` (comma-separated, e.g. the `ENVIRONMENTS` variable),
 * or all of them when it is empty.
 */
export function selectEnvironments(catalogue: Catalogue, selection: string | undefined): EnvironmentConfig[] {
  const names = (selection ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) {
    return [...catalogue.environments];
  }
  const known = catalogue.environments.map((env) => env.name);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      unknown.map((name) => ({ path: "ENVIRONMENTS", value: name, rule: `names no environment; known: ${known.join(", ")}` })),
    );
  }
  return catalogue.environments.filter((env) => names.includes(env.name));
}

export function formatPath(path: readonly (string | number)[]): string {
  return propertyPath(path) || "(catalogue)";
}

function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") {
      return undefined;
    }
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function describe(value: unknown): string {
  if (value === undefined) {
    return "(missing)";
  }
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
