/** Fixtures for tests of the add-ons: their Helm releases in a synthesized stack, and the values they render. */
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import type { TerraformStack } from "cdktf";
import { parse } from "yaml";
import { emptyStack, resourcesOf, type Block, type SynthesizedJson } from "./fixture";

/** A stack in a fresh test app with a default helm provider (no cluster is contacted at synth time). */
export function helmStack(id = "test"): TerraformStack {
  const stack = emptyStack(id);
  new HelmProvider(stack, "helm", { kubernetes: { configPath: "~/.kube/config" } });
  return stack;
}

/** Every `helm_release` of a synthesized stack. */
export function helmReleases(json: SynthesizedJson): Block[] {
  return resourcesOf(json, "helm_release");
}

/** The one `helm_release` with release name `name`; throws when there are none or several. */
export function helmRelease(json: SynthesizedJson, name: string): Block {
  const found = helmReleases(json).filter((release) => release.name === name);
  if (found.length !== 1) {
    throw new Error(`expected exactly one helm_release named ${name}, found ${found.length} (releases: ${helmReleases(json).map((r) => r.name).join(", ")})`);
  }
  return found[0]!;
}

/** The values a release renders (its one YAML document), parsed. */
export function helmValues(release: Block): Record<string, unknown> {
  return parse((release.values as string[])[0]!) as Record<string, unknown>;
}
