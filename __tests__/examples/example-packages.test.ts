import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Each example under examples/ is its own app that `npm run examples` installs against the packed
 * library (CI). This checks, without installing anything, that its package.json asks for exactly
 * the versions this repository builds and tests the library with.
 */
const ROOT = join(__dirname, "..", "..");
const EXAMPLES = join(ROOT, "examples");

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Manifest;
const root = read(join(ROOT, "package.json"));
const library = read(join(ROOT, "packages", "constructs", "package.json"));
const rootVersions: Record<string, string> = { ...root.dependencies, ...root.devDependencies };
const examples = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** Bare package names `main.ts` imports (`@scope/name` or `name`, without the subpath). */
function importedPackages(source: string): string[] {
  const specifiers = [...source.matchAll(/^\s*import\s[^;]*?from\s+"([^".][^"]*)"/gms)].map((m) => m[1]!);
  return [...new Set(specifiers.filter((s) => !s.startsWith("node:")).map((s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]!)))];
}

describe("examples/*/package.json", () => {
  test("there are at least three examples, each an app with package.json, main.ts, cdktf.json, tsconfig.json and README.md", () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const name of examples) {
      const missing = ["package.json", "main.ts", "cdktf.json", "tsconfig.json", "README.md"].filter((file) => !existsSync(join(EXAMPLES, name, file)));
      expect({ example: name, missing }).toEqual({ example: name, missing: [] });
    }
  });

  test.each(examples)("%s pins every peer dependency of the library to exactly the root package.json's version", (name) => {
    const dependencies = read(join(EXAMPLES, name, "package.json")).dependencies ?? {};
    for (const peer of Object.keys(library.peerDependencies ?? {})) {
      expect({ peer, version: dependencies[peer] }).toEqual({ peer, version: rootVersions[peer] });
    }
  });

  test.each(examples)("%s depends on the library's current version, and every other package it names at the root's version", (name) => {
    const manifest = read(join(EXAMPLES, name, "package.json"));
    expect(manifest.dependencies?.["@meridian/constructs"]).toBe(library.version);
    const all = { ...manifest.dependencies, ...manifest.devDependencies };
    const differing = Object.entries(all).filter(([pkg, version]) => pkg !== "@meridian/constructs" && rootVersions[pkg] !== version);
    expect(differing.map(([pkg, version]) => `${pkg}@${version} (root: ${rootVersions[pkg] ?? "absent"})`)).toEqual([]);
  });

  test.each(examples)("%s declares every package its main.ts imports (the examples share one install, so a missing one would go unnoticed there)", (name) => {
    const manifest = read(join(EXAMPLES, name, "package.json"));
    const imported = importedPackages(readFileSync(join(EXAMPLES, name, "main.ts"), "utf8"));
    expect(imported).toContain("@meridian/constructs");
    expect(imported.filter((pkg) => manifest.dependencies?.[pkg] === undefined)).toEqual([]);
  });

  test.each(examples)("%s synthesizes with `tsx main.ts`, as its cdktf.json says and npm run examples runs it", (name) => {
    const cdktf = JSON.parse(readFileSync(join(EXAMPLES, name, "cdktf.json"), "utf8")) as { app: string; language: string };
    expect(cdktf).toMatchObject({ language: "typescript", app: "npx tsx main.ts" });
    expect(read(join(EXAMPLES, name, "package.json"))).toMatchObject({ private: true, scripts: { synth: "tsx main.ts" } });
  });
});

describe("importedPackages", () => {
  test("reduces import specifiers to package names, skipping relative and node: imports", () => {
    const source = 'import { A } from "@cdktf/provider-aws/lib/provider";\nimport type { B } from "constructs";\nimport {\n  C,\n} from "@meridian/constructs";\nimport { D } from "./local";\nimport { E } from "node:fs";\n';
    expect(importedPackages(source).sort()).toEqual(["@cdktf/provider-aws", "@meridian/constructs", "constructs"]);
  });
});
