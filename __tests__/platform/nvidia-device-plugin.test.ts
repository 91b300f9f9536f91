import { parse } from "yaml";
import { CHARTS } from "@meridian/constructs";
import { NvidiaDevicePlugin, type NvidiaDevicePluginProps } from "@meridian/constructs";
import { emptyStack, resourcesOf, synthJson, synthStacks, validCatalogue, type Block, type SynthesizedJson } from "../helpers";
import { validateManifest } from "../manifests";

const GPU_TOLERATION = { key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" } as const;
const valuesOf = (release: Block) => parse((release.values as string[])[0]!) as Record<string, unknown>;
const devicePlugins = (json: SynthesizedJson) => resourcesOf(json, "helm_release").filter((r) => r.chart === "nvidia-device-plugin");

function synth(props: Partial<NvidiaDevicePluginProps> = {}): Block {
  const stack = emptyStack();
  new NvidiaDevicePlugin(stack, "plugin", { tolerations: [GPU_TOLERATION], ...props });
  return resourcesOf(synthJson(stack), "helm_release")[0]!;
}

describe("NvidiaDevicePlugin", () => {
  test("installs the pinned chart in kube-system", () => {
    expect(synth()).toMatchObject({
      name: "nvidia-device-plugin",
      namespace: "kube-system",
      create_namespace: false,
      repository: CHARTS.nvidiaDevicePlugin.repository,
      chart: "nvidia-device-plugin",
      version: CHARTS.nvidiaDevicePlugin.version,
    });
  });

  test("runs only on GPU-class nodes, tolerates their taint, at node-critical priority", () => {
    // GIVEN the plugin with the GPU taint's toleration WHEN synthesized
    const values = valuesOf(synth());

    // THEN its pods select the gpu class and tolerate nvidia.com/gpu
    expect(values.affinity).toEqual({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "node.meridian.io/class", operator: "In", values: ["gpu"] }] }] } },
    });
    expect(values.tolerations).toEqual([GPU_TOLERATION]);
    expect(values.priorityClassName).toBe("system-node-critical");
    expect(values.gfd).toEqual({ enabled: false });
  });

  test("its scheduling fragments are valid Kubernetes", () => {
    const values = valuesOf(synth());
    expect(() =>
      validateManifest({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "probe" },
        spec: { containers: [{ name: "probe", image: "probe", resources: values.resources }], affinity: values.affinity, tolerations: values.tolerations, priorityClassName: values.priorityClassName },
      } as Parameters<typeof validateManifest>[0]),
    ).not.toThrow();
  });

  test("values override the construct's per top-level key", () => {
    expect(valuesOf(synth({ values: { config: { name: "time-slicing" } } })).config).toEqual({ name: "time-slicing" });
  });

  test("throws when the plugin would not tolerate the GPU taint", () => {
    expect(() => synth({ tolerations: [{ key: "dedicated", operator: "Exists" }] })).toThrow(
      'NvidiaDevicePlugin: tolerations [{"key":"dedicated","operator":"Exists"}] must tolerate the nvidia.com/gpu NoSchedule taint every GPU node carries',
    );
  });

  test("throws when the node affinity selects nothing or names a malformed label", () => {
    expect(() => synth({ nodeAffinity: [] })).toThrow("NvidiaDevicePlugin: nodeAffinity [] must select the GPU nodes");
    expect(() => synth({ nodeAffinity: [{ key: "gpu class", operator: "Exists" }] })).toThrow('NvidiaDevicePlugin: nodeAffinity[0].key "gpu class" must be [prefix/]name');
  });
});

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
