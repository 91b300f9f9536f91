import type { INodeSelectorRequirement } from "kubernetes-models/v1/NodeSelectorRequirement" with { "resolution-mode": "import" };
import type { IToleration } from "kubernetes-models/v1/Toleration" with { "resolution-mode": "import" };
import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { NVIDIA_DEVICE_PLUGIN_CHART } from "./chart";
import { NODE_CLASS_LABEL } from "../../core/eks-nodes";
import { labelKeyProblem } from "../../core/kubernetes-formats";
import { ChartRelease, mergeValues, type ChartPin, type HelmValues } from "../chart-release";

export const NVIDIA_DEVICE_PLUGIN_RELEASE = "nvidia-device-plugin";
export const NVIDIA_DEVICE_PLUGIN_NAMESPACE = "kube-system";
/** The extended resource the plugin advertises, and the taint key GPU nodes carry so only pods asking for it land there. */
export const NVIDIA_GPU_RESOURCE = "nvidia.com/gpu";

/** Where the plugin runs by default: every node of the `gpu` class, managed or Karpenter-launched. */
export const GPU_NODE_AFFINITY: readonly INodeSelectorRequirement[] = [{ key: NODE_CLASS_LABEL, operator: "In", values: ["gpu"] }];

export interface NvidiaDevicePluginProps {
  /**
   * Node affinity of the DaemonSet: the GPU nodes, and only them (on a node without an NVIDIA GPU
   * the plugin fails its start-up). @default GPU_NODE_AFFINITY (`node.meridian.io/class In [gpu]`)
   */
  readonly nodeAffinity?: readonly INodeSelectorRequirement[];
  /**
   * Tolerations for the taints of the GPU nodes; must tolerate `nvidia.com/gpu` (NoSchedule), which
   * every GPU class carries, or the plugin never lands where it is needed.
   */
  readonly tolerations: readonly IToleration[];
  /**
   * Helm values deep-merged over the construct's own (objects merge, arrays and scalars replace;
   * see `mergeValues`), e.g. a `config` for time-slicing. @default - none
   */
  readonly values?: HelmValues;
  /** The chart to install. @default NVIDIA_DEVICE_PLUGIN_CHART */
  readonly chart?: ChartPin;
  /** Resources the release waits for (e.g. the GPU node group). @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** The helm provider (cluster) to install into. @default - the stack's default helm provider */
  readonly provider?: TerraformProvider;
}

/**
 * The NVIDIA device plugin (a DaemonSet) on the GPU nodes. The EKS AL2023 NVIDIA AMI ships the
 * driver and the container toolkit but no device plugin, so without it the kubelet advertises no
 * `nvidia.com/gpu` and every pod asking for one stays Pending while GPU nodes are launched and
 * removed. It runs only on GPU nodes (node affinity on the class label), tolerates their taint,
 * at `system-node-critical` priority (a node's own plumbing). GPU feature discovery and its
 * node-feature-discovery dependency stay off: the platform labels its GPU nodes itself.
 */
export class NvidiaDevicePlugin extends Construct {
  /** The device plugin's release (its `values` are the rendered values). */
  readonly release: ChartRelease;

  constructor(scope: Construct, id: string, props: NvidiaDevicePluginProps) {
    super(scope, id);
    const nodeAffinity = props.nodeAffinity ?? GPU_NODE_AFFINITY;
    validate(id, props, nodeAffinity);
    this.release = new ChartRelease(this, "nvidia-device-plugin", {
      releaseName: NVIDIA_DEVICE_PLUGIN_RELEASE,
      namespace: NVIDIA_DEVICE_PLUGIN_NAMESPACE,
      createNamespace: false,
      chart: props.chart ?? NVIDIA_DEVICE_PLUGIN_CHART,
      values: mergeValues(
        {
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [...nodeAffinity] }] } } },
          tolerations: [...props.tolerations],
          priorityClassName: "system-node-critical",
          updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
          resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "256Mi" } },
          gfd: { enabled: false },
        },
        props.values,
      ),
      dependsOn: props.dependsOn,
      provider: props.provider,
    });
  }
}

function validate(id: string, props: NvidiaDevicePluginProps, nodeAffinity: readonly INodeSelectorRequirement[]): void {
  const fail = (setting: string, value: unknown, rule: string): never => {
    throw new Error(`NvidiaDevicePlugin "${id}": ${setting} ${JSON.stringify(value)} ${rule}`);
  };
  if (nodeAffinity.length === 0) {
    fail("nodeAffinity", nodeAffinity, "must select the GPU nodes (e.g. node.meridian.io/class In [gpu]); on other nodes the plugin fails its start-up");
  }
  nodeAffinity.forEach((term, i) => {
    const problem = labelKeyProblem(term.key);
    if (problem) {
      fail(`nodeAffinity[${i}].key`, term.key, problem);
    }
  });
  const toleratesGpuTaint = props.tolerations.some(
    (t) => (t.key === NVIDIA_GPU_RESOURCE || (t.key === undefined && t.operator === "Exists")) && (t.effect === undefined || t.effect === "NoSchedule"),
  );
  if (!toleratesGpuTaint) {
    fail("tolerations", props.tolerations, `must tolerate the ${NVIDIA_GPU_RESOURCE} NoSchedule taint every GPU node carries, or the plugin never runs on a GPU node`);
  }
}
