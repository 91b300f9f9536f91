import { Testing } from "cdktf";
import { emptyStack, resourcesOf, synthJson, type Block } from "../../../../test-support/fixture";
import { helmValues } from "../../../../test-support/helm";
import { validateManifest } from "../../../../test-support/manifests";
import { GPU_NODE_AFFINITY, NVIDIA_DEVICE_PLUGIN_CHART, NvidiaDevicePlugin, type NvidiaDevicePluginProps } from "..";
import { NvidiaDevicePluginExample } from "./usage";

const GPU_TOLERATION = { key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" } as const;

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
      repository: NVIDIA_DEVICE_PLUGIN_CHART.repository,
      chart: "nvidia-device-plugin",
      version: NVIDIA_DEVICE_PLUGIN_CHART.version,
    });
  });

  test("runs only on GPU-class nodes, tolerates their taint, at node-critical priority", () => {
    // GIVEN the plugin with the GPU taint's toleration WHEN synthesized
    const values = helmValues(synth());

    // THEN its pods select the gpu class and tolerate nvidia.com/gpu
    expect(values.affinity).toEqual({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "node.meridian.io/class", operator: "In", values: ["gpu"] }] }] } },
    });
    expect(values.tolerations).toEqual([GPU_TOLERATION]);
    expect(values.priorityClassName).toBe("system-node-critical");
    expect(values.gfd).toEqual({ enabled: false });
  });

  test("its scheduling fragments are valid Kubernetes", () => {
    const values = helmValues(synth());
    expect(() =>
      validateManifest({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "probe" },
        spec: { containers: [{ name: "probe", image: "probe", resources: values.resources }], affinity: values.affinity, tolerations: values.tolerations, priorityClassName: values.priorityClassName },
      } as Parameters<typeof validateManifest>[0]),
    ).not.toThrow();
  });

  test("values are deep-merged over the construct's: a new key is added, an object merges, an array replaces", () => {
    const values = helmValues(synth({ values: { config: { name: "time-slicing" }, resources: { limits: { memory: "512Mi" } }, tolerations: [{ operator: "Exists" }] } }));
    expect(values.config).toEqual({ name: "time-slicing" });
    expect(values.resources).toEqual({ requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "512Mi" } });
    expect(values.tolerations).toEqual([{ operator: "Exists" }]);
  });

  test("nodeAffinity replaces the GPU class selector; chart replaces the pin", () => {
    const chart = { repository: "https://charts.example.com", chart: "nvidia-device-plugin", version: "9.9.9" };
    const nodeAffinity = [{ key: "node.kubernetes.io/instance-type", operator: "In" as const, values: ["g5.2xlarge"] }];
    const release = synth({ nodeAffinity, chart });
    expect(release).toMatchObject(chart);
    expect(helmValues(release).affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: nodeAffinity }] } } });
    expect(helmValues(synth()).affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [...GPU_NODE_AFFINITY] }] } } });
  });

  test("throws when the plugin would not tolerate the GPU taint", () => {
    expect(() => synth({ tolerations: [{ key: "dedicated", operator: "Exists" }] })).toThrow(
      'NvidiaDevicePlugin "plugin": tolerations [{"key":"dedicated","operator":"Exists"}] must tolerate the nvidia.com/gpu NoSchedule taint every GPU node carries',
    );
  });

  test("throws when the node affinity selects nothing or names a malformed label", () => {
    expect(() => synth({ nodeAffinity: [] })).toThrow("NvidiaDevicePlugin \"plugin\": nodeAffinity [] must select the GPU nodes");
    expect(() => synth({ nodeAffinity: [{ key: "gpu class", operator: "Exists" }] })).toThrow('NvidiaDevicePlugin "plugin": nodeAffinity[0].key "gpu class" must be [prefix/]name');
  });

  test("the README's usage example synthesizes (snapshot)", () => {
    expect(synthJson(new NvidiaDevicePluginExample(Testing.app(), "example"))).toMatchSnapshot();
  });
});
