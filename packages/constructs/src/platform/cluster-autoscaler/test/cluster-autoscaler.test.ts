import type { INodeSelectorRequirement } from "kubernetes-models/v1/NodeSelectorRequirement";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Testing, type TerraformStack } from "cdktf";
import { parse } from "yaml";
import { type Block, emptyStack, resourcesOf, type SynthesizedJson, synthJson } from "../../../../test-support/fixture";
import { validateManifest, type Manifest } from "../../../../test-support/manifests";
import { BALANCING_IGNORE_LABELS, CLUSTER_AUTOSCALER_CHART, ClusterAutoscaler, clusterAutoscalerArgs, expanderPriorities, type AutoscaledGroup, type ClusterAutoscalerProps } from "..";
import { ClusterAutoscalerExample } from "./usage";

const CLUSTER = "meridian-staging-us-east-1";
const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
const GROUPS: AutoscaledGroup[] = [
  { name: "system", class: "system", perAvailabilityZone: true },
  { name: "spot", class: "spot", perAvailabilityZone: false },
  { name: "gpu", class: "gpu", perAvailabilityZone: false },
];
const SYSTEM_AFFINITY: INodeSelectorRequirement[] = [{ key: "node.meridian.io/class", operator: "In", values: ["system"] }];

const caProps = (overrides: Partial<ClusterAutoscalerProps> = {}): ClusterAutoscalerProps => ({
  clusterName: CLUSTER,
  region: "us-east-1",
  kubernetesVersion: "1.33",
  roleArn: `arn:aws:iam::222222222222:role/${CLUSTER}-cluster-autoscaler`,
  nodeGroups: GROUPS,
  availabilityZones: ZONES,
  nodeAffinity: SYSTEM_AFFINITY,
  ...overrides,
});

function synth(build: (stack: TerraformStack) => void): SynthesizedJson {
  const stack = emptyStack();
  new HelmProvider(stack, "helm", {});
  build(stack);
  return synthJson(stack);
}
const onlyRelease = (json: SynthesizedJson): Block => {
  const releases = resourcesOf(json, "helm_release");
  expect(releases).toHaveLength(1);
  return releases[0]!;
};
const valuesOf = (release: Block) => parse((release.values as string[])[0]!) as Record<string, unknown>;

/** The scheduling fragments of a chart's values, inside a Pod, so the Kubernetes schema checks every field. */
function podFrom(values: Record<string, unknown>): Manifest {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "probe", namespace: "kube-system" },
    spec: {
      containers: [{ name: "probe", image: "probe", resources: values.resources }],
      affinity: values.affinity,
      topologySpreadConstraints: values.topologySpreadConstraints,
      tolerations: values.tolerations,
      priorityClassName: values.priorityClassName,
    },
  };
}

describe("ClusterAutoscaler", () => {
  const release = onlyRelease(synth((stack) => new ClusterAutoscaler(stack, "ca", caProps())));
  const values = valuesOf(release);
  const args = values.extraArgs as Record<string, unknown>;

  test("installs the pinned chart in kube-system with the IRSA role on its service account", () => {
    // GIVEN default props  WHEN synthesized  THEN the chart, namespace and identity are the expected ones
    expect(release).toMatchObject({ ...CLUSTER_AUTOSCALER_CHART, namespace: "kube-system", create_namespace: false });
    expect(values.rbac).toEqual({
      serviceAccount: { create: true, name: "cluster-autoscaler", annotations: { "eks.amazonaws.com/role-arn": `arn:aws:iam::222222222222:role/${CLUSTER}-cluster-autoscaler` } },
    });
  });

  test("discovers the cluster's groups by name in its region, with an image of the cluster's minor version", () => {
    expect(values).toMatchObject({ cloudProvider: "aws", awsRegion: "us-east-1", autoDiscovery: { clusterName: CLUSTER }, image: { tag: "v1.33.0" } });
  });

  test("balances similar groups, ignoring the labels that differ between per-AZ groups", () => {
    expect(args["balance-similar-node-groups"]).toBe(true);
    const ignored = Object.entries(args).filter(([key]) => key.startsWith("balancing-ignore-label_")).map(([, label]) => label);
    expect(ignored).toEqual([...BALANCING_IGNORE_LABELS]);
    expect(ignored).toEqual(expect.arrayContaining(["topology.ebs.csi.aws.com/zone", "eks.amazonaws.com/nodegroup"]));
    // The chart turns `key_n` into a repeated `--key`: each suffix is unique.
    expect(new Set(Object.keys(args)).size).toBe(Object.keys(args).length);
  });

  test("scales down nodes with kube-system pods, elects a leader, and expands by priority then least waste", () => {
    expect(args).toMatchObject({ "skip-nodes-with-system-pods": false, "leader-elect": true, expander: "priority,least-waste" });
    expect(clusterAutoscalerArgs()).toEqual(args);
  });

  test("the priority expander prefers the spot groups, then any other group", () => {
    expect(values.expanderPriorities).toEqual({ "50": ["^eks-spot-[0-9]+-"], "10": [".*"] });
    // per-AZ spot groups: eks-<name>-<az>-<suffix>-<uuid>
    expect(expanderPriorities([{ name: "spot", class: "spot", perAvailabilityZone: true }], ZONES)).toEqual({
      "50": ["^eks-spot-(us-east-1a|us-east-1b|us-east-1c)-[0-9]+-"],
      "10": [".*"],
    });
    expect(expanderPriorities([{ name: "system", class: "system", perAvailabilityZone: false }], ZONES)).toEqual({ "10": [".*"] });
  });

  test("the spot pattern matches EKS's ASG names for that group only", () => {
    const [pattern] = (values.expanderPriorities as Record<string, string[]>)["50"]!;
    const regex = new RegExp(pattern!);
    expect(regex.test("eks-spot-20250101120000000000000001-1ac9f3e2-58b1-4c7e-9a2f-0d6b1e2c3f4a")).toBe(true);
    expect(regex.test("eks-spot-large-20250101120000000000000001-1ac9f3e2")).toBe(false);
    expect(regex.test("eks-system-us-east-1a-20250101120000000000000001-1ac9f3e2")).toBe(false);
  });

  test("2 replicas with a disruption budget, zone spread and system-cluster-critical, on the system nodes", () => {
    expect(values).toMatchObject({ replicaCount: 2, podDisruptionBudget: { maxUnavailable: 1 }, priorityClassName: "system-cluster-critical" });
    expect(values.affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: SYSTEM_AFFINITY }] } } });
    expect(values.topologySpreadConstraints).toEqual(
      expect.arrayContaining([expect.objectContaining({ topologyKey: "topology.kubernetes.io/zone", labelSelector: { matchLabels: { "app.kubernetes.io/instance": "cluster-autoscaler" } } })]),
    );
  });

  test("its scheduling fragments are valid Kubernetes", () => {
    expect(() => validateManifest(podFrom(values))).not.toThrow();
    expect(() => validateManifest({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "ca" }, spec: { ...(values.podDisruptionBudget as object), selector: { matchLabels: { a: "b" } } } })).not.toThrow();
  });
});

describe("ClusterAutoscaler bad props", () => {
  const fails = (overrides: Partial<ClusterAutoscalerProps>, message: string | RegExp) =>
    expect(() => new ClusterAutoscaler(emptyStack(), "ca", caProps(overrides))).toThrow(message);

  test("throws when the image's minor version differs from the cluster's", () => {
    fails({ imageTag: "v1.32.1" }, `ClusterAutoscaler ${CLUSTER}: imageTag "v1.32.1" must be a v1.33.x release`);
  });

  test("throws when there is no node group", () => {
    fails({ nodeGroups: [] }, "nodeGroups [] must list the node groups the autoscaler scales");
  });

  test("throws when it could run on any node", () => {
    fails({ nodeAffinity: [] }, "nodeAffinity [] must place the autoscaler on the system nodes");
  });

  test("throws when the region is not a region name", () => {
    fails({ region: "us-east-1a" }, 'region "us-east-1a" must be an AWS region name');
  });

  test("throws when running a single replica", () => {
    fails({ replicas: 1 }, "highAvailability cluster-autoscaler: replicas 1 must be an integer >= 2");
  });

  test("throws when the role is not a role ARN", () => {
    fails({ roleArn: "cluster-autoscaler" }, 'roleArn "cluster-autoscaler" must be an IAM role ARN');
  });
});


describe("ClusterAutoscaler with explicit props", () => {
  test("tolerations are added after CriticalAddonsOnly; imageTag replaces the default tag", () => {
    const values = valuesOf(onlyRelease(synth((stack) => new ClusterAutoscaler(stack, "ca", caProps({ tolerations: [{ key: "node.meridian.io/system", operator: "Exists", effect: "NoSchedule" }], imageTag: "v1.33.2" })))));
    expect(values.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }, { key: "node.meridian.io/system", operator: "Exists", effect: "NoSchedule" }]);
    expect(values.image).toEqual({ tag: "v1.33.2" });
  });

  test("chart replaces the pin; values are deep-merged over the construct's", () => {
    const chart = { repository: "https://charts.example.com", chart: "cluster-autoscaler", version: "9.9.9" };
    const release = onlyRelease(synth((stack) => new ClusterAutoscaler(stack, "ca", caProps({ chart, values: { extraArgs: { "scale-down-unneeded-time": "5m" }, podAnnotations: { a: "b" } } }))));
    expect(release).toMatchObject(chart);
    const values = valuesOf(release);
    expect(values.extraArgs).toMatchObject({ "scale-down-unneeded-time": "5m", expander: "priority,least-waste" });
    expect(values.podAnnotations).toEqual({ a: "b" });
  });

  test("expanderPriorities is the rendered priority ConfigMap content", () => {
    const stack = emptyStack();
    const ca = new ClusterAutoscaler(stack, "ca", caProps());
    expect(valuesOf(onlyRelease(synthJson(stack))).expanderPriorities).toEqual(ca.expanderPriorities);
  });

  test("throws when a node group name is not a name prefix", () => {
    expect(() => new ClusterAutoscaler(emptyStack(), "ca", caProps({ nodeGroups: [{ name: "System", class: "system", perAvailabilityZone: false }] }))).toThrow(
      `ClusterAutoscaler ${CLUSTER}: nodeGroups[0].name "System" must be a node group name prefix`,
    );
  });

  test("the README's usage example synthesizes (snapshot)", () => {
    expect(synthJson(new ClusterAutoscalerExample(Testing.app(), "example"))).toMatchSnapshot();
  });
});
