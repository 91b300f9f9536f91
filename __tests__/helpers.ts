import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUILT_IN_CATALOGUE } from "../src/config/catalogue";
import { loadCatalogue } from "../src/config/load";
import type { Catalogue } from "../src/config/schema";
import { buildPlatformApp } from "../stacks/platform-app";
import { TerraformStack } from "cdktf";

/** A fresh, mutable copy of the built-in catalogue's raw input. */
export function rawCatalogue(): typeof BUILT_IN_CATALOGUE {
  return structuredClone(BUILT_IN_CATALOGUE);
}

export function validCatalogue(mutate?: (raw: typeof BUILT_IN_CATALOGUE) => void): Catalogue {
  const raw = rawCatalogue();
  mutate?.(raw);
  return loadCatalogue(raw).catalogue;
}

export { BUILT_IN_SYNTH_DIR_VARIABLE };

/**
 * The names of the stacks an app built from `catalogue` synthesizes, sorted, from its construct
 * tree alone: every stack in the tree is a stack of the manifest (the synth costs ~1 s more).
 */
export function stackNames(catalogue: Catalogue): string[] {
  const app = buildPlatformApp(catalogue, { outdir: join(tmpdir(), "stack-names-not-written") });
  return app.node.children.filter((child) => TerraformStack.isStack(child)).map((stack) => stack.node.id).sort();
}

/**
 * Synthesized JSON of every stack of an app built from `catalogue`, by stack name, exactly as
 * `cdktf synth` writes it (cross-stack references resolved to remote-state reads), with cdktf's
 * `//` metadata removed. Without a catalogue it reads the built-in catalogue's synthesis that the
 * global setup made once, instead of synthesizing all stacks again in every test file.
 */
export function synthStacks(catalogue?: Catalogue): Map<string, SynthesizedJson> {
  const shared = process.env[BUILT_IN_SYNTH_DIR_VARIABLE];
  if (!catalogue && shared) {
    return readSynthesized(shared);
  }
  const outdir = mkdtempSync(join(tmpdir(), "synth-"));
  try {
    buildPlatformApp(catalogue ?? validCatalogue(), { outdir }).synth();
    return readSynthesized(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function readSynthesized(outdir: string): Map<string, SynthesizedJson> {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
  return new Map(
    Object.entries(manifest.stacks).map(([name, entry]) => [name, JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), "utf8"), withoutMetadata) as SynthesizedJson]),
  );
}

/** A JSON.parse reviver dropping cdktf's `//` metadata at every level. */
function withoutMetadata(key: string, value: unknown): unknown {
  return key === "//" ? undefined : value;
}

// ---------- stack comparison ----------
import { BUILT_IN_SYNTH_DIR_VARIABLE } from "./built-in-synth";
import { type Block, type SynthesizedJson } from "../packages/constructs/test-support/fixture";
// Construct-test fixtures have one owner, beside the library's own tests.
export * from "../packages/constructs/test-support/fixture";

/** A logical id without cdktf's `_XXXXXXXX` hash suffix. */
const withoutHash = (id: string) => id.replace(/_[0-9A-F]{8}$/, "");
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Everything that differs between two synthesized stacks, in both directions, sorted:
 * - `resource|data|ephemeral.<type>.<id>.<argument>` for a top-level argument that differs in a block both have;
 * - `resource|data|ephemeral.<type>.<id>` for a block only one of them has;
 * - `output.<name>`, `provider.<name>[<i>]`, `terraform.<key>` (e.g. `terraform.backend`) for a differing or missing entry;
 * - `<section>.<key>` for any other top-level section (variable, locals, …).
 * Ids lose cdktf's `_XXXXXXXX` hash suffix; blocks are matched by their full id.
 */
export function diffStacks(before: SynthesizedJson, after: SynthesizedJson): string[] {
  const found = new Set<string>();
  const a = before as unknown as Record<string, Record<string, unknown>>;
  const b = after as unknown as Record<string, Record<string, unknown>>;
  const keysOf = (x: object | undefined, y: object | undefined) => [...new Set([...Object.keys(x ?? {}), ...Object.keys(y ?? {})])];
  for (const section of keysOf(a, b)) {
    const was = a[section];
    const is = b[section];
    if (section === "resource" || section === "data" || section === "ephemeral") {
      const wasTypes = (was ?? {}) as Record<string, Record<string, Block>>;
      const isTypes = (is ?? {}) as Record<string, Record<string, Block>>;
      for (const type of keysOf(wasTypes, isTypes)) {
        for (const id of keysOf(wasTypes[type], isTypes[type])) {
          const blockBefore = wasTypes[type]?.[id];
          const blockAfter = isTypes[type]?.[id];
          if (!blockBefore || !blockAfter) {
            found.add(`${section}.${type}.${withoutHash(id)}`);
            continue;
          }
          for (const argument of keysOf(blockBefore, blockAfter).filter((k) => !same(blockBefore[k], blockAfter[k]))) {
            found.add(`${section}.${type}.${withoutHash(id)}.${argument}`);
          }
        }
      }
    } else if (section === "provider") {
      const wasProviders = (was ?? {}) as Record<string, Block[]>;
      const isProviders = (is ?? {}) as Record<string, Block[]>;
      for (const name of keysOf(wasProviders, isProviders)) {
        const length = Math.max(wasProviders[name]?.length ?? 0, isProviders[name]?.length ?? 0);
        for (let i = 0; i < length; i++) {
          if (!same(wasProviders[name]?.[i], isProviders[name]?.[i])) {
            found.add(`provider.${name}[${i}]`);
          }
        }
      }
    } else {
      for (const key of keysOf(was, is).filter((k) => !same(was?.[k], is?.[k]))) {
        found.add(`${section}.${key}`);
      }
    }
  }
  return [...found].sort();
}
