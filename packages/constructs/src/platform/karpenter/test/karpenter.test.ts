import type { INodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import type { NodeGroupConfig } from "../../../eks-cluster/node-group-spec";
import {
  KARPENTER_CHART,
  KARPENTER_CRD_CHART,
  KARPENTER_NAMESPACE,
  Karpenter,
  type KarpenterProps,
  DISRUPTION_BY_CLASS,
  WEIGHT_BY_CLASS,
  cpuLimitOf,
  ec2NodeClassFor,
  nodePoolFor,
  vcpusOf,
  type KarpenterPoolSource,
  type PoolContext,
} from "..";
import { emptyStack, type SynthesizedJson, synthJson } from "../../../../test-support/fixture";
import { helmRelease, helmValues } from "../../../../test-support/helm";
import { validateManifest, type Manifest } from "../../../../test-support/manifests";
import { KarpenterExample } from "./usage";

const CLUSTER = "meridian-production-us-east-1";
const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
const SG = "sg-0123456789abcdef0";
const KEY = "arn:aws:kms:us-east-1:333333333333:key/0123abcd-0123-4567-89ab-0123456789ab";

const group = (overrides: Partial<NodeGroupConfig> & Pick<NodeGroupConfig, "name" | "class">): NodeGroupConfig => ({
  instanceTypes: ["m7i.xlarge"],
  minSize: 0,
  desiredSize: 0,
  maxSize: 10,
  diskSizeGiB: 100,
  perAvailabilityZone: false,
  maxUnavailablePercentage: 33,
  labels: {},
  taints: [],
  metadataHopLimit: 1,
  ...overrides,
});

const SYSTEM = group({ name: "system", class: "system", minSize: 3, desiredSize: 3, maxSize: 9, labels: { "node.meridian.io/class": "system" } });
const SPOT = group({ name: "spot", class: "spot", instanceTypes: ["m7i.xlarge", "m6i.xlarge", "m6a.xlarge", "m5.xlarge"], maxSize: 30, labels: { "node.meridian.io/class": "spot" } });
const GPU = group({
  name: "gpu",
  class: "gpu",
  instanceTypes: ["g5.2xlarge", "g6.2xlarge"],
  maxSize: 6,
  diskSizeGiB: 200,
  labels: { "node.meridian.io/class": "gpu", "nvidia.com/gpu.present": "true" },
  taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }],
});

const props = (overrides: Partial<KarpenterProps> = {}): KarpenterProps => ({
  clusterName: CLUSTER,
  controllerRoleArn: `arn:aws:iam::333333333333:role/${CLUSTER}-karpenter`,
  interruptionQueueName: `${CLUSTER}-interruption`,
  nodeRoleName: `${CLUSTER}-karpenter-node`,
  securityGroupIds: [SG],
  volumeKmsKeyArn: KEY,
  availabilityZones: ZONES,
  nodePools: [SYSTEM, SPOT, GPU],
  controllerNodeAffinity: [{ key: "node.meridian.io/class", operator: "In", values: ["system"] }],
  ...overrides,
});

const CONTEXT: PoolContext = {
  clusterName: CLUSTER,
  availabilityZones: ZONES,
  nodeRoleName: `${CLUSTER}-karpenter-node`,
  securityGroupIds: [SG],
  subnetSelectorTags: { "karpenter.sh/discovery": CLUSTER },
  amiAlias: "al2023@latest",
  volumeKmsKeyArn: KEY,
};

function synth(overrides: Partial<KarpenterProps> = {}): { karpenter: Karpenter; json: SynthesizedJson } {
  const stack = emptyStack();
  new HelmProvider(stack, "helm", {});
  const karpenter = new Karpenter(stack, "karpenter", props(overrides));
  return { karpenter, json: synthJson(stack) };
}

const byKind = (manifests: readonly Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);
const poolNamed = (manifests: readonly Manifest[], name: string) => byKind(manifests, "NodePool").find((m) => m.metadata?.name === name) as unknown as INodePool;
const requirement = (pool: INodePool, key: string) => pool.spec.template.spec.requirements.find((r) => r.key === key);

describe("Karpenter construct", () => {
  const { karpenter, json } = synth();
  const controller = helmValues(helmRelease(json, "karpenter"));
  const nodesRelease = helmRelease(json, "karpenter-nodes");
  // The objects exactly as Helm receives them: parsed back from the release's values YAML.
  const rendered = (helmValues(nodesRelease) as { manifests: Manifest[] }).manifests;

  test("installs the pinned controller chart in its own namespace, then the pools from the in-repo chart after it", () => {
    // GIVEN a Karpenter construct  WHEN synthesized
    const release = helmRelease(json, "karpenter");
    // THEN the controller comes from KARPENTER_CHART and the nodes release waits for it
    expect(release).toMatchObject({ ...KARPENTER_CHART, namespace: KARPENTER_NAMESPACE });
    expect(nodesRelease.namespace).toBe(KARPENTER_NAMESPACE);
    expect(String(nodesRelease.chart)).toMatch(/^assets\//);
    expect(nodesRelease.depends_on).toEqual([`helm_release.${Object.entries(json.resource.helm_release!).find(([, r]) => r.name === "karpenter")![0]}`]);
  });

  test("installs the CRDs from their own pinned chart first; the controller chart leaves its crds/ out and waits for them", () => {
    // GIVEN a Karpenter construct  WHEN synthesized
    const crds = helmRelease(json, "karpenter-crd");
    const controllerRelease = helmRelease(json, "karpenter");
    // THEN Helm upgrades the CRDs with every version change (it never upgrades a chart's crds/)
    expect(crds).toMatchObject({ ...KARPENTER_CRD_CHART, chart: "karpenter-crd", version: KARPENTER_CHART.version, namespace: KARPENTER_NAMESPACE });
    expect(crds).not.toHaveProperty("skip_crds");
    expect(controllerRelease.skip_crds).toBe(true);
    const crdsId = Object.entries(json.resource.helm_release!).find(([, r]) => r.name === "karpenter-crd")![0];
    expect(controllerRelease.depends_on).toEqual([`helm_release.${crdsId}`]);
  });

  test("the README's adoption commands hand the existing CRDs to this CRD release, in its namespace", () => {
    // GIVEN the README's upgrade note for clusters that already run Karpenter
    const guide = readFileSync(join(__dirname, "..", "README.md"), "utf8");
    const crds = helmRelease(json, "karpenter-crd");
    // THEN it names the release and namespace the construct installs the CRDs with, and the CRDs of the kinds it renders
    expect(guide).toContain(`meta.helm.sh/release-name=${crds.name} meta.helm.sh/release-namespace=${crds.namespace}`);
    // AND the CRDs of every kind the construct renders (plus NodeClaim, which Karpenter creates)
    const listed = /CRDS="([^"]+)"/.exec(guide)![1]!.split(" ");
    const plural = (kind: string) => kind.toLowerCase() + (kind.endsWith("s") ? "es" : "s");
    const karpenterKinds = rendered.filter((m) => /(^|\.)karpenter\./.test(m.apiVersion.split("/")[0]!));
    const renderedCrds = [...new Set(karpenterKinds.map((m) => `${plural(m.kind)}.${m.apiVersion.split("/")[0]}`))];
    expect(renderedCrds.sort()).toEqual(["ec2nodeclasses.karpenter.k8s.aws", "nodepools.karpenter.sh"]);
    expect(listed.sort()).toEqual([...renderedCrds, "nodeclaims.karpenter.sh"].sort());
  });

  test("annotates the service account with the controller role, reads the interruption queue by name and honours ARC zonal shift", () => {
    expect(controller.serviceAccount).toEqual({ create: true, name: "karpenter", annotations: { "eks.amazonaws.com/role-arn": `arn:aws:iam::333333333333:role/${CLUSTER}-karpenter` } });
    expect(controller.settings).toEqual({ clusterName: CLUSTER, interruptionQueue: `${CLUSTER}-interruption`, enableZonalShift: true });
  });

  test("runs 2 replicas with a disruption budget, zone spread, system-cluster-critical, on system nodes it does not manage", () => {
    expect(controller).toMatchObject({ replicas: 2, podDisruptionBudget: { name: "karpenter", maxUnavailable: 1 }, priorityClassName: "system-cluster-critical" });
    const affinity = controller.affinity as { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: { matchExpressions: unknown[] }[] } } };
    expect(affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      {
        matchExpressions: [
          { key: "node.meridian.io/class", operator: "In", values: ["system"] },
          { key: "karpenter.sh/nodepool", operator: "DoesNotExist" },
        ],
      },
    ]);
    expect(controller.topologySpreadConstraints).toEqual(
      expect.arrayContaining([expect.objectContaining({ topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { "app.kubernetes.io/name": "karpenter", "app.kubernetes.io/instance": "karpenter" } } })]),
    );
    expect(controller.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
  });

  test("the controller's scheduling fragments are valid Kubernetes (checked inside a Pod and a PodDisruptionBudget)", () => {
    const pod: Manifest = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "karpenter-probe", namespace: KARPENTER_NAMESPACE },
      spec: {
        containers: [{ name: "controller", image: "controller", resources: (controller.controller as { resources: unknown }).resources }],
        affinity: controller.affinity,
        topologySpreadConstraints: controller.topologySpreadConstraints,
        tolerations: controller.tolerations,
        priorityClassName: controller.priorityClassName,
      },
    };
    expect(() => validateManifest(pod)).not.toThrow();
    const pdb = controller.podDisruptionBudget as { name: string; maxUnavailable: number };
    expect(() => validateManifest({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: pdb.name }, spec: { maxUnavailable: pdb.maxUnavailable, selector: { matchLabels: { app: "karpenter" } } } })).not.toThrow();
  });

  test("renders a FlowSchema, one EC2NodeClass and one NodePool per node group, and every object passes its schema", () => {
    expect(rendered.map((m) => `${m.kind}/${m.metadata?.name}`)).toEqual([
      "FlowSchema/karpenter",
      "EC2NodeClass/system",
      "EC2NodeClass/spot",
      "EC2NodeClass/gpu",
      "NodePool/system",
      "NodePool/spot",
      "NodePool/gpu",
    ]);
    expect(rendered).toEqual(karpenter.manifests.map((m) => JSON.parse(JSON.stringify(m))));
    for (const manifest of rendered) {
      expect(() => validateManifest(manifest)).not.toThrow();
    }
  });

  test("gives the controller's API requests workload-high priority, as kube-system would", () => {
    expect(byKind(rendered, "FlowSchema")[0]).toMatchObject({
      spec: { priorityLevelConfiguration: { name: "workload-high" }, rules: [{ subjects: [{ kind: "ServiceAccount", serviceAccount: { name: "karpenter", namespace: "karpenter" } }] }] },
    });
  });
});

describe("EC2NodeClass", () => {
  test("AL2023 alias, node role name, subnets by the network's discovery tag, the cluster security group", () => {
    const nodeClass = ec2NodeClassFor(SYSTEM, CONTEXT);
    expect(nodeClass.spec).toMatchObject({
      role: `${CLUSTER}-karpenter-node`,
      amiSelectorTerms: [{ alias: "al2023@latest" }],
      subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": CLUSTER } }],
      securityGroupSelectorTerms: [{ id: SG }],
      associatePublicIPAddress: false,
    });
  });

  test("IMDSv2 only with hop limit 1, or the group's 2 where pods need IMDS", () => {
    expect(ec2NodeClassFor(SYSTEM, CONTEXT).spec!.metadataOptions).toEqual({ httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" });
    expect(ec2NodeClassFor({ ...SYSTEM, metadataHopLimit: 2 }, CONTEXT).spec!.metadataOptions?.httpPutResponseHopLimit).toBe(2);
  });

  test("an encrypted gp3 root volume of the group's size with the storage key", () => {
    expect(ec2NodeClassFor(GPU, CONTEXT).spec!.blockDeviceMappings).toEqual([
      { deviceName: "/dev/xvda", rootVolume: true, ebs: { volumeSize: "200Gi", volumeType: "gp3", encrypted: true, deleteOnTermination: true, kmsKeyID: KEY } },
    ]);
    expect(ec2NodeClassFor(SYSTEM, { ...CONTEXT, volumeKmsKeyArn: undefined }).spec!.blockDeviceMappings![0]!.ebs).not.toHaveProperty("kmsKeyID");
  });
});

describe("NodePools by class", () => {
  const pools = [SYSTEM, SPOT, GPU].map((g) => nodePoolFor(g, CONTEXT) as unknown as Manifest);

  test("every pool spans the region's zones, runs Linux on the group's architecture and references its EC2NodeClass", () => {
    for (const [index, source] of [SYSTEM, SPOT, GPU].entries()) {
      const pool = pools[index] as unknown as INodePool;
      expect(requirement(pool, "topology.kubernetes.io/zone")).toEqual({ key: "topology.kubernetes.io/zone", operator: "In", values: ZONES });
      expect(requirement(pool, "kubernetes.io/arch")!.values).toEqual(["amd64"]);
      expect(requirement(pool, "kubernetes.io/os")!.values).toEqual(["linux"]);
      expect(pool.spec.template.spec.nodeClassRef).toEqual({ group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: source.name });
    }
    const graviton = nodePoolFor({ ...SYSTEM, instanceTypes: ["m7g.xlarge"] }, CONTEXT);
    expect(requirement(graviton, "kubernetes.io/arch")!.values).toEqual(["arm64"]);
  });

  test("system: on-demand general purpose (c/m/r, generation 6+), the group's labels plus the class label", () => {
    const pool = poolNamed(pools, "system");
    expect(requirement(pool, "karpenter.sh/capacity-type")!.values).toEqual(["on-demand"]);
    expect(requirement(pool, "karpenter.k8s.aws/instance-category")!.values).toEqual(["c", "m", "r"]);
    expect(requirement(pool, "karpenter.k8s.aws/instance-generation")).toEqual({ key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["5"] });
    expect(pool.spec.template.metadata!.labels).toEqual({ "node.meridian.io/class": "system" });
    expect(pool.spec.template.spec.taints).toBeUndefined();
  });

  test("spot: spot capacity over several categories and at least 5 instance families", () => {
    const pool = poolNamed(pools, "spot");
    expect(requirement(pool, "karpenter.sh/capacity-type")!.values).toEqual(["spot"]);
    expect(requirement(pool, "karpenter.k8s.aws/instance-category")!.values).toEqual(["c", "m", "r"]);
    expect(requirement(pool, "karpenter.k8s.aws/instance-family")).toEqual({ key: "karpenter.k8s.aws/instance-family", operator: "Exists", minValues: 5 });
  });

  test("gpu: on-demand NVIDIA families of the group, the nvidia.com/gpu=true:NoSchedule taint and the GPU labels", () => {
    const pool = poolNamed(pools, "gpu");
    expect(requirement(pool, "karpenter.sh/capacity-type")!.values).toEqual(["on-demand"]);
    expect(requirement(pool, "karpenter.k8s.aws/instance-family")!.values).toEqual(["g5", "g6"]);
    expect(requirement(pool, "karpenter.k8s.aws/instance-gpu-manufacturer")!.values).toEqual(["nvidia"]);
    expect(pool.spec.template.spec.taints).toEqual([{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }]);
    expect(pool.spec.template.metadata!.labels).toMatchObject({ "nvidia.com/gpu.present": "true", "node.meridian.io/class": "gpu" });
  });

  test("limits: maxSize nodes of the group's largest type, and no node above twice that type", () => {
    expect(poolNamed(pools, "system").spec.limits).toEqual({ cpu: "36" }); // 9 x m7i.xlarge (4 vCPU)
    expect(poolNamed(pools, "spot").spec.limits).toEqual({ cpu: "120" }); // 30 x 4
    expect(poolNamed(pools, "gpu").spec.limits).toEqual({ cpu: "48" }); // 6 x g5.2xlarge (8 vCPU)
    expect(requirement(poolNamed(pools, "gpu"), "karpenter.k8s.aws/instance-cpu")).toEqual({ key: "karpenter.k8s.aws/instance-cpu", operator: "Lt", values: ["17"] });
    expect([vcpusOf("m5.large"), vcpusOf("m5.xlarge"), vcpusOf("p4d.24xlarge"), vcpusOf("m7i.metal-48xl"), vcpusOf("t3.micro")]).toEqual([2, 4, 96, 192, 2]);
    expect(cpuLimitOf({ ...SPOT, maxSize: 2 })).toBe(8);
  });

  test("disruption: consolidation per class, at most 10 % of nodes at once, GPU drift frozen in business hours", () => {
    expect(poolNamed(pools, "system").spec.disruption).toEqual({ consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "5m", budgets: [{ nodes: "10%" }] });
    expect(poolNamed(pools, "spot").spec.disruption).toEqual({ consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "1m", budgets: [{ nodes: "10%" }] });
    expect(poolNamed(pools, "gpu").spec.disruption).toEqual({
      consolidationPolicy: "WhenEmpty",
      consolidateAfter: "10m",
      budgets: [{ nodes: "10%" }, { nodes: "0", reasons: ["Drifted"], schedule: "0 8 * * 1-5", duration: "10h" }],
    });
    expect(DISRUPTION_BY_CLASS.gpu.budgets).toHaveLength(2);
  });

  test("nodes expire after 30 days and are forced out a day later; spot is preferred over on-demand", () => {
    for (const pool of pools as unknown as INodePool[]) {
      expect(pool.spec.template.spec).toMatchObject({ expireAfter: "720h", terminationGracePeriod: "24h" });
    }
    expect(poolNamed(pools, "spot").spec.weight).toBeGreaterThan(poolNamed(pools, "system").spec.weight!);
    expect(WEIGHT_BY_CLASS.spot).toBe(50);
  });

  test("every NodePool and EC2NodeClass passes the Karpenter CRD schema", () => {
    for (const manifest of [...pools, ...[SYSTEM, SPOT, GPU].map((g) => ec2NodeClassFor(g, CONTEXT) as unknown as Manifest)]) {
      expect(() => validateManifest(manifest)).not.toThrow();
    }
  });

  test("a misspelt field fails: `requirement` instead of `requirements` is caught by the schema and by the compiler", () => {
    // GIVEN a valid pool whose requirements key is misspelt
    const { requirements, ...rest } = nodePoolFor(SPOT, CONTEXT).spec.template.spec;
    const typo = structuredClone(nodePoolFor(SPOT, CONTEXT)) as unknown as { spec: { template: { spec: Record<string, unknown> } } };
    typo.spec.template.spec = { ...rest, requirement: requirements };
    // THEN schema validation rejects it, naming the object
    expect(() => validateManifest(typo as unknown as Manifest)).toThrow(/karpenter\.sh\/v1 NodePool \/spot: .*requirements/);
    // AND the typed builders never compile with it
    const compileTimeCheck = (): INodePool["spec"]["template"]["spec"] => ({
      nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "spot" },
      requirements: [],
      // @ts-expect-error `requirement` is not a NodeClaimTemplateSpec field
      requirement: [],
    });
    expect(compileTimeCheck).toBeDefined();
  });

  test("a wrong value fails too: a budget of 'ten' nodes", () => {
    const pool = structuredClone(nodePoolFor(SYSTEM, CONTEXT)) as unknown as { spec: { disruption: { budgets: unknown[] } } };
    pool.spec.disruption.budgets = [{ nodes: "ten" }];
    expect(() => validateManifest(pool as unknown as Manifest)).toThrow(/budgets\/0\/nodes/);
  });
});

describe("Karpenter bad props", () => {
  const fails = (overrides: Partial<KarpenterProps>, message: string | RegExp) => {
    const stack = emptyStack();
    expect(() => new Karpenter(stack, "karpenter", props(overrides))).toThrow(message);
  };

  test("throws when the CRD chart's version differs from the controller's", () => {
    fails({ crdChart: { ...KARPENTER_CRD_CHART, version: "1.5.0" } }, `Karpenter ${CLUSTER}: crdChart.version "1.5.0" must equal the controller chart's version ${KARPENTER_CHART.version}`);
  });

  test("throws when there is no node pool", () => {
    fails({ nodePools: [] }, `Karpenter ${CLUSTER}: nodePools [] must hold at least one node group`);
  });

  test("throws when the pools cover a single zone", () => {
    fails({ availabilityZones: ["us-east-1a"] }, 'availabilityZones ["us-east-1a"] must list at least 2 zones');
  });

  test("throws when the controller would run as a single replica", () => {
    fails({ replicas: 1 }, "highAvailability karpenter: replicas 1 must be an integer >= 2");
  });

  test("throws when the interruption queue is given as a URL", () => {
    fails({ interruptionQueueName: "https://sqs.us-east-1.amazonaws.com/333333333333/q" }, /interruptionQueueName "https:.*" must be an SQS queue name/);
  });

  test("throws when the node role is an ARN instead of a name", () => {
    fails({ nodeRoleName: "arn:aws:iam::333333333333:role/node" }, /nodeRoleName "arn:aws:iam::333333333333:role\/node" must be an IAM role name/);
  });

  test("throws when the endpoint is not an https URL", () => {
    fails({ clusterEndpoint: "ABCDEF.gr7.us-east-1.eks.amazonaws.com" }, 'clusterEndpoint "ABCDEF.gr7.us-east-1.eks.amazonaws.com" must be the cluster\'s https:// API server URL');
  });

  test("throws when the controller role is not a role ARN", () => {
    fails({ controllerRoleArn: "karpenter" }, 'controllerRoleArn "karpenter" must be an IAM role ARN');
  });

  test("throws when no security group is given, or one is not an id", () => {
    fails({ securityGroupIds: [] }, "securityGroupIds [] must name at least one security group");
    fails({ securityGroupIds: ["default"] }, 'securityGroupIds[0] "default" must be a security group id');
  });

  test("throws when the AMI alias is not an AL2023 alias", () => {
    fails({ amiAlias: "bottlerocket@latest" }, 'amiAlias "bottlerocket@latest" must be al2023@latest or al2023@vYYYYMMDD');
  });

  test("throws when two pools share a name", () => {
    fails({ nodePools: [SYSTEM, { ...SPOT, name: "system" }] }, 'nodePools[1].name "system" is used by another pool');
  });

  test("throws when a GPU pool lacks the nvidia.com/gpu taint", () => {
    fails({ nodePools: [{ ...GPU, taints: [] }] }, "nodePools[0].taints [] must include nvidia.com/gpu (NO_SCHEDULE)");
  });

  test.each(["kubernetes.io/role", "node-role.kubernetes.io/worker", "karpenter.sh/custom", "kubernetes.io/hostname"])("throws when a pool label uses the reserved key %s", (key) => {
    const pool: KarpenterPoolSource = { ...SPOT, labels: { [key]: "x" } };
    fails({ nodePools: [pool] }, new RegExp(`nodePools\\[0\\]\\.labels "${key.replace(/[./]/g, "\\$&")}" uses the label domain`));
  });

  test("accepts labels in node.kubernetes.io and the project's own domain", () => {
    expect(() => synth({ nodePools: [{ ...SPOT, labels: { "node.kubernetes.io/lifecycle": "spot", "node.meridian.io/team": "a" } }] })).not.toThrow();
  });

  test("throws when the disk is too small", () => {
    fails({ nodePools: [{ ...SYSTEM, diskSizeGiB: 8 }] }, "nodePools[0].diskSizeGiB 8 must be an integer from 20 to 16384");
  });
});

describe("Karpenter with explicit props", () => {
  test("clusterEndpoint, amiAlias, replicas and controllerTolerations are rendered as given; without an endpoint the controller discovers it", () => {
    const { json } = synth({ clusterEndpoint: "https://ABC.gr7.us-east-1.eks.amazonaws.com", amiAlias: "al2023@v20261101", replicas: 3, controllerTolerations: [{ key: "dedicated", operator: "Exists" }] });
    const controller = helmValues(helmRelease(json, "karpenter"));
    expect(controller.settings).toMatchObject({ clusterEndpoint: "https://ABC.gr7.us-east-1.eks.amazonaws.com" });
    expect(controller.replicas).toBe(3);
    expect(controller.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }, { key: "dedicated", operator: "Exists" }]);
    const nodes = (helmValues(helmRelease(json, "karpenter-nodes")) as { manifests: Manifest[] }).manifests;
    expect(byKind(nodes, "EC2NodeClass").map((c) => (c as unknown as { spec: { amiSelectorTerms: unknown } }).spec.amiSelectorTerms)).toEqual([[{ alias: "al2023@v20261101" }], [{ alias: "al2023@v20261101" }], [{ alias: "al2023@v20261101" }]]);
    expect(helmValues(helmRelease(synth().json, "karpenter")).settings).not.toHaveProperty("clusterEndpoint");
  });

  test("without volumeKmsKeyArn the root volumes use the account's default EBS key", () => {
    const nodes = (helmValues(helmRelease(synth({ volumeKmsKeyArn: undefined }).json, "karpenter-nodes")) as { manifests: Manifest[] }).manifests;
    const volume = (byKind(nodes, "EC2NodeClass")[0] as unknown as { spec: { blockDeviceMappings: { ebs: Record<string, unknown> }[] } }).spec.blockDeviceMappings[0]!.ebs;
    expect(volume).toMatchObject({ encrypted: true });
    expect(volume).not.toHaveProperty("kmsKeyID");
  });

  test("chart and crdChart replace the pins; values are deep-merged over the controller's", () => {
    const chart = { repository: "oci://registry.example.com/karpenter", chart: "karpenter", version: "9.9.9" };
    const crdChart = { repository: "oci://registry.example.com/karpenter", chart: "karpenter-crd", version: "9.9.9" };
    const { json } = synth({ chart, crdChart, values: { settings: { batchMaxDuration: "20s" }, logLevel: "debug" } });
    expect(helmRelease(json, "karpenter")).toMatchObject(chart);
    expect(helmRelease(json, "karpenter-crd")).toMatchObject(crdChart);
    expect(helmValues(helmRelease(json, "karpenter"))).toMatchObject({ settings: { clusterName: CLUSTER, enableZonalShift: true, batchMaxDuration: "20s" }, logLevel: "debug" });
  });

  test("the README's usage example synthesizes (snapshot)", () => {
    expect(synthJson(new KarpenterExample(Testing.app(), "example"))).toMatchSnapshot();
  });
});
