/** Fixtures for tests of the add-ons: their Helm releases in a synthesized stack, and the values they render. */
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import type { TerraformStack } from "cdktf";
import { parse } from "yaml";
import { emptyStack, resourcesOf, synthJson, type Block, type SynthesizedJson } from "./fixture";
import type { Manifest } from "./manifests";

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

/** The one `helm_release` of a synthesized stack; fails the test when there are none or several. */
export function onlyHelmRelease(json: SynthesizedJson): Block {
  const found = helmReleases(json);
  if (found.length !== 1) {
    throw new Error(`expected exactly one helm_release, found ${found.length} (releases: ${found.map((r) => r.name).join(", ")})`);
  }
  return found[0]!;
}

/** GIVEN a stack with a helm provider WHEN `build` adds to it THEN the stack's synthesized JSON. */
export function synthHelm(build: (stack: TerraformStack) => void): SynthesizedJson {
  const stack = helmStack();
  build(stack);
  return synthJson(stack);
}

/**
 * The scheduling fragments of a chart's values (resources, affinity, spread, tolerations,
 * priority class) inside a Pod, so the Kubernetes schema checks every field of them.
 */
export function schedulingProbePod(values: Record<string, unknown>, namespace = "kube-system"): Manifest {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "probe", namespace },
    spec: {
      containers: [{ name: "probe", image: "probe", resources: values.resources }],
      affinity: values.affinity,
      topologySpreadConstraints: values.topologySpreadConstraints,
      tolerations: values.tolerations,
      priorityClassName: values.priorityClassName,
    },
  };
}
