import { z } from "zod";
import { KNOWN_REGIONS } from "./regions";
import { CatalogueSchema } from "./schema";

/** Where the generated JSON Schema of the catalogue lives, relative to the repository root. */
export const CATALOGUE_JSON_SCHEMA_PATH = "src/config/catalogue.schema.json";

/**
 * The catalogue's JSON Schema (draft 2020-12), generated from the zod schema that validates it, so
 * an editor completes and checks a team's catalogue file (YAML: a `# yaml-language-server:
 * $schema=…` comment; JSON: `"$schema"`). It describes the *input*: fields with defaults are
 * optional. Rules zod checks in code (refinements, cross-field rules) are not expressible here;
 * `npm run synth` still applies them all.
 */
export function catalogueJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(CatalogueSchema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>;
  const regions = [...KNOWN_REGIONS];
  return {
    ...generated,
    title: "Meridian platform environment catalogue",
    description: "The environments the platform synthesizes: validated by src/config/schema.ts and src/config/catalogue-rules.ts.",
    // A `$schema` key is how a JSON catalogue names this file; allow it beside the catalogue's fields.
    properties: { $schema: { type: "string" }, ...(generated.properties as Record<string, unknown>) },
    // The zod rule is a refinement, which JSON Schema cannot carry: list the regions it accepts.
    $defs: { ...((generated.$defs as Record<string, unknown> | undefined) ?? {}), region: { type: "string", enum: regions } },
  };
}

/** The file's text: stable key order, two-space indent, trailing newline. */
export function catalogueJsonSchemaText(): string {
  return `${JSON.stringify(catalogueJsonSchema(), null, 2)}\n`;
}
