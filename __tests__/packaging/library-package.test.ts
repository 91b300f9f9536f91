import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * What a consumer of the packed library needs from its package.json and its declarations; the
 * real install, type-check and synth run in `npm run examples` (CI).
 */
const ROOT = join(__dirname, "..", "..");
const PACKAGE = join(ROOT, "packages", "constructs");
const manifest = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  exports: Record<string, unknown>;
  types: string;
  files: string[];
};

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      return entry.name === "test" ? [] : sources(path);
    }
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}
const librarySources = sources(join(PACKAGE, "src")).map((file) => ({ file: relative(PACKAGE, file), text: readFileSync(file, "utf8") }));
const importLines = librarySources.flatMap(({ file, text }) =>
  [...text.matchAll(/^import\s[^;]*?from\s+"([^".][^"]*)"([^;]*);/gms)].map((m) => ({ file, specifier: m[1]!, statement: m[0]! })),
);
const packageOf = (specifier: string) => (specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!);

describe("the @meridian/constructs package", () => {
  test("points its entry point and types at the build output", () => {
    expect(manifest.types).toBe("./dist/index.d.ts");
    expect(manifest.exports["."]).toEqual({ types: "./dist/index.d.ts", default: "./dist/index.js" });
  });

  test("declares every package its (non-test) source imports, as a dependency or a peer", () => {
    const declared = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]);
    const undeclared = importLines.filter((i) => !i.specifier.startsWith("node:") && !declared.has(packageOf(i.specifier)));
    expect(undeclared.map((i) => `${i.file}: ${i.specifier}`)).toEqual([]);
  });

  test("keeps cdktf, constructs and the providers peers, so the app's copies are the ones every construct uses", () => {
    for (const peer of ["cdktf", "constructs", "@cdktf/provider-aws", "@cdktf/provider-helm", "@cdktf/provider-kubernetes"]) {
      expect({ peer, peer_range: manifest.peerDependencies[peer] !== undefined, dependency: manifest.dependencies[peer] }).toEqual({ peer, peer_range: true, dependency: undefined });
    }
  });

  test("imports the ESM-only kubernetes-models types with resolution-mode import, so its CommonJS declarations type-check in a node16 consumer", () => {
    // Without it a consumer with moduleResolution node16 and skipLibCheck false gets TS1541 in dist/**/*.d.ts.
    const esmTypeImports = importLines.filter((i) => /^(@kubernetes-models\/|kubernetes-models(\/|$))/.test(i.specifier));
    expect(esmTypeImports.length).toBeGreaterThan(0);
    const wrong = esmTypeImports.filter((i) => !/^import type\s/.test(i.statement) || !/with\s*\{\s*"resolution-mode":\s*"import"\s*\}/.test(i.statement));
    expect(wrong.map((i) => `${i.file}: ${i.statement}`)).toEqual([]);
  });

  test("ships the build, the chart, the docs and the changelog, and no tests", () => {
    expect(manifest.files).toEqual(expect.arrayContaining(["dist/", "!dist/**/test/", "charts/", "README.md", "CHANGELOG.md"]));
  });
});
