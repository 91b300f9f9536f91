import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUILT_IN_CATALOGUE } from "../src/config/catalogue";
import { loadCatalogue } from "../src/config/load";
import type { Catalogue } from "../src/config/schema";
import { buildPlatformApp } from "../stacks/platform-app";

/** A fresh, mutable copy of the built-in catalogue's raw input. */
export function rawCatalogue(): typeof BUILT_IN_CATALOGUE {
  return structuredClone(BUILT_IN_CATALOGUE);
}

export function validCatalogue(mutate?: (raw: typeof BUILT_IN_CATALOGUE) => void): Catalogue {
  const raw = rawCatalogue();
  mutate?.(raw);
  return loadCatalogue(raw).catalogue;
}

/**
 * Synthesized JSON of every stack of an app built from `catalogue`, by stack name, exactly as
 * `cdktf synth` writes it (cross-stack references resolved to remote-state reads), with cdktf's
 * `//` metadata removed.
 */
export function synthStacks(catalogue: Catalogue = validCatalogue()): Map<string, SynthesizedJson> {
  const outdir = mkdtempSync(join(tmpdir(), "synth-"));
  try {
    buildPlatformApp(catalogue, { outdir }).synth();
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
    return new Map(
      Object.entries(manifest.stacks).map(([name, entry]) => [name, withoutMetadata(JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), "utf8"))) as SynthesizedJson]),
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function withoutMetadata(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(withoutMetadata);
  }
  if (node === null || typeof node !== "object") {
    return node;
  }
  return Object.fromEntries(Object.entries(node).filter(([key]) => key !== "//").map(([key, value]) => [key, withoutMetadata(value)]));
}

export type Block = Record<string, unknown>;
export interface SynthesizedJson {
  terraform: { backend: Record<string, Block>; required_providers: Record<string, { source: string; version: string }> };
  provider: Record<string, Block[]>;
  resource: Record<string, Record<string, Block>>;
  data?: Record<string, Record<string, Block>>;
  output?: Record<string, Block>;
  ephemeral?: Record<string, Record<string, Block>>;
}

/** All resources of a type in a synthesized stack. */
export function resourcesOf(json: SynthesizedJson, type: string): Block[] {
  return Object.values(json.resource[type] ?? {});
}

/** The one resource of a type in a synthesized stack; fails the test when there are none or several. */
export function onlyResourceOf(json: SynthesizedJson, type: string): Block {
  const found = resourcesOf(json, type);
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${type}, found ${found.length}`);
  }
  return found[0]!;
}
