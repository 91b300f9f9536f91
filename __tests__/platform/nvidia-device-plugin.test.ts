import { parse } from "yaml";
import { resourcesOf, synthStacks, validCatalogue, type Block, type SynthesizedJson } from "../helpers";

const GPU_TOLERATION = { key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" } as const;
const valuesOf = (release: Block) => parse((release.values as string[])[0]!) as Record<string, unknown>;
const devicePlugins = (json: SynthesizedJson) => resourcesOf(json, "helm_release").filter((r) => r.chart === "nvidia-device-plugin");

describe("the platform stacks install the device plugin where there are GPU nodes", () => {
  const stacks = synthStacks();
  const platformStacks = [...stacks.entries()].filter(([name]) => name.includes("-platform-"));

  test.each(platformStacks)("%s: one device plugin on the GPU class (managed node group or Karpenter pool)", (_name, json) => {
    // GIVEN the built-in catalogue, whose environments both have a gpu class (staging: managed, production: Karpenter)
    const plugins = devicePlugins(json);
    expect(plugins).toHaveLength(1);
    expect(valuesOf(plugins[0]!).tolerations).toEqual([GPU_TOLERATION]);
  });

  test("an environment without a GPU class gets no device plugin", () => {
    // GIVEN staging without its gpu node group (and its NVIDIA AMI pin)
    const withoutGpu = synthStacks(
      validCatalogue((raw) => {
        const staging = raw.environments.find((env) => env.name === "staging")!;
        staging.nodeGroups = staging.nodeGroups.filter((group) => group.class !== "gpu");
        staging.nodeAmiReleaseVersions = { AL2023_x86_64_STANDARD: staging.nodeAmiReleaseVersions.AL2023_x86_64_STANDARD };
      }),
    );
    // THEN staging's platform stacks install none, production's still do
    expect(devicePlugins(withoutGpu.get("staging-platform-us-east-1")!)).toEqual([]);
    expect(devicePlugins(withoutGpu.get("production-platform-us-east-1")!)).toHaveLength(1);
  });
});
