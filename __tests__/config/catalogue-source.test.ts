import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { CATALOGUE_JSON_SCHEMA_PATH, catalogueJsonSchema, catalogueJsonSchemaText } from "../../src/config/catalogue-json-schema";
import { catalogueOrigin, loadConfiguredCatalogue, readCatalogueInput } from "../../src/config/catalogue-source";
import { ConfigError, loadCatalogue } from "../../src/config/load";
import { rawCatalogue } from "../helpers";

const ROOT = join(__dirname, "..", "..");

describe("a team's own catalogue file (CATALOGUE)", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "catalogue-file-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  test("GIVEN no CATALOGUE WHEN loading THEN the built-in catalogue is used", () => {
    const loaded = loadConfiguredCatalogue({});
    expect(loaded.origin).toEqual({ kind: "built-in" });
    expect(loaded.catalogue).toEqual(loadCatalogue(rawCatalogue()).catalogue);
  });

  test.each([
    ["YAML", "catalogue.yaml", (raw: unknown) => `# yaml-language-server: $schema=${CATALOGUE_JSON_SCHEMA_PATH}\n${stringify(raw)}`],
    ["JSON with $schema", "catalogue.json", (raw: unknown) => JSON.stringify({ $schema: `./${CATALOGUE_JSON_SCHEMA_PATH}`, ...(raw as object) }, null, 2)],
  ])("GIVEN the built-in catalogue written as %s WHEN loading it THEN it validates to the same catalogue", (_kind, name, render) => {
    const path = write(name, render(rawCatalogue()));
    const loaded = loadConfiguredCatalogue({ CATALOGUE: path });
    expect(loaded.origin).toEqual({ kind: "file", path });
    expect(loaded.catalogue).toEqual(loadCatalogue(rawCatalogue()).catalogue);
  });

  test("GIVEN a relative path WHEN resolving THEN it is read from the working directory", () => {
    expect(catalogueOrigin({ CATALOGUE: "teams/acme.yaml" })).toEqual({ kind: "file", path: join(process.cwd(), "teams/acme.yaml") });
  });

  test("GIVEN a file that breaks a rule WHEN loading THEN the error names the path into the file, the value and the rule", () => {
    const raw = rawCatalogue() as unknown as { environments: { accountId: string }[] };
    raw.environments[1]!.accountId = "12345";
    const path = write("catalogue.yaml", stringify(raw));
    expect(() => loadConfiguredCatalogue({ CATALOGUE: path })).toThrow(/environments\[1\]\.accountId = "12345": must be a 12-digit AWS account id/);
  });

  test("GIVEN a missing file WHEN loading THEN a ConfigError names CATALOGUE and the file", () => {
    const path = join(dir, "missing.yaml");
    expect(() => loadConfiguredCatalogue({ CATALOGUE: path })).toThrow(ConfigError);
    expect(() => loadConfiguredCatalogue({ CATALOGUE: path })).toThrow(`CATALOGUE = ${JSON.stringify(path)}: must name a readable catalogue file (ENOENT)`);
  });

  test("GIVEN a file that is not YAML WHEN loading THEN the error gives the line, before any validation", () => {
    const path = write("broken.yaml", "project: meridian\nstate: {accountId: 1\n  region: [\n");
    expect(() => readCatalogueInput({ kind: "file", path })).toThrow(/CATALOGUE = .*broken\.yaml": is not valid YAML\/JSON: .*line \d+/);
  });

  test("GIVEN a duplicated key WHEN loading THEN it is refused rather than the last one silently winning", () => {
    const path = write("twice.yaml", "project: meridian\nproject: other\n");
    expect(() => readCatalogueInput({ kind: "file", path })).toThrow(/is not valid YAML\/JSON: Map keys must be unique/);
  });

  test("GIVEN CATALOGUE naming a one-environment file WHEN main.ts synthesizes THEN only that environment's stacks are written", () => {
    const raw = rawCatalogue() as unknown as { environments: { name: string }[]; gitopsHub: { projects: { environments: string[] }[] } };
    // Staging alone: it cannot host production's GitOps hub, so the hub moves with it.
    raw.environments = raw.environments.filter((env) => env.name === "staging");
    Object.assign(raw.gitopsHub, { environment: "staging" });
    raw.gitopsHub.projects.forEach((project) => (project.environments = ["staging"]));
    const path = write("staging.yaml", stringify(raw));
    // cdktf writes cdktf.out under the working directory: run from the temp dir, not the checkout.
    const outdir = join(dir, "cdktf.out");
    // tsx finds tsconfig.json (which maps @meridian/constructs to its source) from the working directory: name it.
    execFileSync(process.execPath, [require.resolve("tsx/cli"), "--tsconfig", join(ROOT, "tsconfig.json"), join(ROOT, "main.ts")], { cwd: dir, env: { ...process.env, CATALOGUE: path }, stdio: "pipe" });
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
    const stacks = Object.keys(manifest.stacks);
    expect(stacks).toContain("staging-regional-us-east-1");
    expect(stacks.filter((name) => name.startsWith("production-"))).toEqual([]);
  });
});

describe("the catalogue's JSON Schema", () => {
  test("GIVEN the checked-in file WHEN comparing with the zod schema THEN it is current (npm run catalogue-schema)", () => {
    expect(readFileSync(join(ROOT, CATALOGUE_JSON_SCHEMA_PATH), "utf8")).toBe(catalogueJsonSchemaText());
  });

  test("GIVEN the built-in catalogue WHEN walking it through the schema THEN every key is described and objects refuse unknown keys", () => {
    const schema = catalogueJsonSchema();
    const problems: string[] = [];
    const resolveRef = (node: Record<string, unknown>): Record<string, unknown> =>
      typeof node.$ref === "string" ? ((schema.$defs as Record<string, Record<string, unknown>>)[node.$ref.replace("#/$defs/", "")] ?? {}) : node;
    const walk = (value: unknown, node: Record<string, unknown>, path: string): void => {
      const described = resolveRef(node);
      if (Array.isArray(value)) {
        value.forEach((item, i) => walk(item, (described.items as Record<string, unknown>) ?? {}, `${path}[${i}]`));
        return;
      }
      if (value === null || typeof value !== "object" || described.type !== "object") {
        return;
      }
      const properties = described.properties as Record<string, Record<string, unknown>> | undefined;
      if (!properties) {
        return; // A map (tags, labels): keys are the user's.
      }
      if (described.additionalProperties !== false) {
        problems.push(`${path}: accepts unknown keys`);
      }
      for (const [key, child] of Object.entries(value)) {
        if (!properties[key]) {
          problems.push(`${path}.${key}: not in the schema`);
        } else {
          walk(child, properties[key]!, `${path}.${key}`);
        }
      }
    };
    walk(rawCatalogue(), schema, "(catalogue)");
    expect(problems).toEqual([]);
    expect(((schema.$defs as Record<string, { enum?: string[] }>).region?.enum ?? []).length).toBeGreaterThan(5);
  });
});
