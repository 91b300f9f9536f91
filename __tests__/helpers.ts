import { Testing, type TerraformStack } from "cdktf";
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

/** Synthesized JSON (metadata removed) of every stack of an app built from `catalogue`, by stack name. */
export function synthStacks(catalogue: Catalogue = validCatalogue()): Map<string, SynthesizedJson> {
  const app = buildPlatformApp(catalogue);
  const stacks = app.node.children.filter((c): c is TerraformStack => "toTerraform" in c);
  return new Map(stacks.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack)) as SynthesizedJson]));
}

export type Block = Record<string, unknown>;
export interface SynthesizedJson {
  terraform: { backend: Record<string, Block>; required_providers: Record<string, { source: string; version: string }> };
  provider: Record<string, Block[]>;
  resource: Record<string, Record<string, Block>>;
  data?: Record<string, Record<string, Block>>;
  output?: Record<string, Block>;
}

/** All resources of a type in a synthesized stack. */
export function resourcesOf(json: SynthesizedJson, type: string): Block[] {
  return Object.values(json.resource[type] ?? {});
}
