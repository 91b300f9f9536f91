import { parse } from "yaml";
import { CHARTS } from "@meridian/constructs";
import { resourcesOf, synthStacks, type Block, type SynthesizedJson } from "../helpers";
import { validateManifest, type Manifest } from "../manifests";

/**
 * The autoscaling part of the platform stacks as `cdktf synth` writes them. The built-in
 * catalogue runs Karpenter in production and Cluster Autoscaler (with the Node Termination
 * Handler) in staging.
 */
const stacks = synthStacks();
const PRODUCTION = ["production-platform-us-east-1", "production-platform-eu-west-1"];
const STAGING = ["staging-platform-us-east-1", "staging-platform-us-west-2"];
const ZONES: Record<string, string[]> = {
  "us-east-1": ["us-east-1a", "us-east-1b", "us-east-1c"],
  "eu-west-1": ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  "us-west-2": ["us-west-2a", "us-west-2b", "us-west-2c"],
};
const AUTOSCALING_RELEASES = ["karpenter", "karpenter-nodes", "cluster-autoscaler", "aws-node-termination-handler"];

const stack = (name: string): SynthesizedJson => stacks.get(name)!;
const regionOf = (platformStack: string) => platformStack.replace(/^[a-z]+-platform-/, "");
const regionalOf = (platformStack: string) => platformStack.replace("-platform-", "-regional-");
const releases = (name: string): Block[] => resourcesOf(stack(name), "helm_release").filter((r) => AUTOSCALING_RELEASES.includes(String(r.name)));
const release = (name: string, releaseName: string): Block => {
  const found = releases(name).filter((r) => r.name === releaseName);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const valuesOf = (r: Block) => parse((r.values as string[])[0]!) as Record<string, unknown>;
const valuesText = (r: Block) => (r.values as string[])[0]!;

/**
 * A cross-stack reference to an output of this platform stack's regional stack, and the
 * regional stack's output it reads: proves the value is that region's resource, not a literal.
 */
function expectCrossStackReference(platformStack: string, value: unknown, resourceType: string, attribute: string): void {
  const regional = regionalOf(platformStack);
  const match = new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${regional}\\.outputs\\.([^}]+)\\}$`).exec(String(value));
  expect(match).not.toBeNull();
  const output = stack(regional).output![match![1]!];
  expect(String(output!.value)).toMatch(new RegExp(`^\\$\\{${resourceType}\\.[\\w-]+\\.${attribute.replace(/[.[\]]/g, "\\$&")}\\}$`));
}

/**
 * Token placeholders for schema validation: a remote-state reference resolves at apply time, so
 * fields with a pattern (a security group id) get a well-formed stand-in; everything else is
 * checked exactly as rendered.
 */
function withResolvedReferences(manifest: Manifest): Manifest {
  const walk = (node: unknown, key: string): unknown => {
    if (typeof node === "string" && /^\$\{data\.terraform_remote_state\.[^}]+\}$/.test(node)) {
      return key === "id" ? "sg-0123456789abcdef0" : "resolved-at-apply";
    }
    if (Array.isArray(node)) {
      return node.map((item) => walk(item, key));
    }
    if (node && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, k)]));
    }
    return node;
  };
  return walk(manifest, "") as Manifest;
}

describe("autoscaling in the platform stacks", () => {
  test.each(PRODUCTION)("%s runs Karpenter and no Cluster Autoscaler or Node Termination Handler", (name) => {
    // GIVEN production (cluster.autoscaler = karpenter)  WHEN synthesized
    // THEN only the Karpenter releases are installed
    expect(releases(name).map((r) => r.name).sort()).toEqual(["karpenter", "karpenter-nodes"]);
  });

  test.each(STAGING)("%s runs Cluster Autoscaler with the Node Termination Handler and no Karpenter", (name) => {
    expect(releases(name).map((r) => r.name).sort()).toEqual(["aws-node-termination-handler", "cluster-autoscaler"]);
  });

  test.each([...PRODUCTION, ...STAGING])("%s: exactly one component reads the interruption queue", (name) => {
    // GIVEN every autoscaling release of the stack
    // WHEN looking for a reference to the regional interruption queue (by name or URL)
    const readers = releases(name).filter((r) => /cross-stack-output-aws_sqs_queueinterruption_queue_[0-9A-F]+(name|url)\}/.test(valuesText(r)));
    // THEN there is exactly one reader: Karpenter in production, NTH in staging
    expect(readers.map((r) => r.name)).toEqual([name.startsWith("production") ? "karpenter" : "aws-node-termination-handler"]);
  });

  test.each([...PRODUCTION, ...STAGING])("%s: every chart comes from CHARTS at its pinned version", (name) => {
    const pins = [CHARTS.karpenter, CHARTS.clusterAutoscaler, CHARTS.nodeTerminationHandler];
    for (const r of releases(name).filter((r) => r.name !== "karpenter-nodes")) {
      expect(pins).toContainEqual({ repository: r.repository, chart: r.chart, version: r.version });
    }
  });
});

describe.each(PRODUCTION)("Karpenter in %s", (name) => {
  const controller = release(name, "karpenter");
  const values = valuesOf(controller);
  const nodes = release(name, "karpenter-nodes");
  const manifests = (parse(valuesText(nodes)) as { manifests: Manifest[] }).manifests;

  test("the service account assumes the controller role of this region's regional stack", () => {
    const annotations = (values.serviceAccount as { annotations: Record<string, string> }).annotations;
    expectCrossStackReference(name, annotations["eks.amazonaws.com/role-arn"], "aws_iam_role", "arn");
    expect(annotations["eks.amazonaws.com/role-arn"]).toContain("karpenter_controller-role");
  });

  test("settings name this cluster, its API endpoint and its interruption queue", () => {
    const settings = values.settings as { clusterName: string; clusterEndpoint: string; interruptionQueue: string };
    expect(settings.clusterName).toBe(`meridian-production-${regionOf(name)}`);
    expectCrossStackReference(name, settings.clusterEndpoint, "aws_eks_cluster", "endpoint");
    expectCrossStackReference(name, settings.interruptionQueue, "aws_sqs_queue", "name");
  });

  test("two replicas, a disruption budget and zone spread", () => {
    expect(values).toMatchObject({ replicas: 2, podDisruptionBudget: { maxUnavailable: 1 }, priorityClassName: "system-cluster-critical" });
    expect((values.topologySpreadConstraints as { topologyKey: string }[]).map((c) => c.topologyKey)).toContain("topology.kubernetes.io/zone");
  });

  test("the pools are installed after the controller (its chart brings the CRDs)", () => {
    const controllerId = Object.entries(stack(name).resource.helm_release!).find(([, r]) => r === controller)![0];
    expect(nodes.depends_on).toEqual([`helm_release.${controllerId}`]);
  });

  test("one EC2NodeClass and one NodePool per catalogue node group, over this region's zones", () => {
    expect(manifests.filter((m) => m.kind === "NodePool").map((m) => m.metadata?.name)).toEqual(["system", "spot", "gpu"]);
    expect(manifests.filter((m) => m.kind === "EC2NodeClass").map((m) => m.metadata?.name)).toEqual(["system", "spot", "gpu"]);
    for (const pool of manifests.filter((m) => m.kind === "NodePool") as unknown as { spec: { template: { spec: { requirements: { key: string; values?: string[] }[] } } } }[]) {
      expect(pool.spec.template.spec.requirements.find((r) => r.key === "topology.kubernetes.io/zone")!.values).toEqual(ZONES[regionOf(name)]);
    }
  });

  test("node classes use this region's node role, cluster security group and storage key", () => {
    for (const nodeClass of manifests.filter((m) => m.kind === "EC2NodeClass") as unknown as { spec: Record<string, unknown> }[]) {
      const spec = nodeClass.spec as { role: string; securityGroupSelectorTerms: { id: string }[]; blockDeviceMappings: { ebs: { kmsKeyID: string } }[]; subnetSelectorTerms: unknown };
      expectCrossStackReference(name, spec.role, "aws_iam_role", "name");
      expect(spec.role).toContain("karpenter_node-role");
      expectCrossStackReference(name, spec.securityGroupSelectorTerms[0]!.id, "aws_eks_cluster", "vpc_config[0].cluster_security_group_id");
      expectCrossStackReference(name, spec.blockDeviceMappings[0]!.ebs.kmsKeyID, "aws_kms_key", "arn");
      expect(spec.subnetSelectorTerms).toEqual([{ tags: { "karpenter.sh/discovery": `meridian-production-${regionOf(name)}` } }]);
    }
  });

  test("node classes use the AMI release the catalogue pins (not al2023@latest), so Karpenter's nodes move only when it is raised", () => {
    // GIVEN production's pinned AMI release (v20260714) WHEN its EC2NodeClasses are rendered THEN each selects that release's AL2023 AMIs
    for (const nodeClass of manifests.filter((m) => m.kind === "EC2NodeClass") as unknown as { spec: { amiSelectorTerms: unknown } }[]) {
      expect(nodeClass.spec.amiSelectorTerms).toEqual([{ alias: "al2023@v20260714" }]);
    }
  });

  test("every rendered object passes its schema (Kubernetes and Karpenter CRDs)", () => {
    expect(manifests.length).toBeGreaterThan(0);
    for (const manifest of manifests) {
      expect(() => validateManifest(withResolvedReferences(manifest))).not.toThrow();
    }
  });

  test("the network tags the subnets with exactly the discovery tag the node classes select", () => {
    const subnets = resourcesOf(stack(regionalOf(name)), "aws_subnet").filter((s) => (s.tags as Record<string, string>)?.tier === "private");
    expect(subnets).toHaveLength(3);
    for (const subnet of subnets) {
      expect((subnet.tags as Record<string, string>)["karpenter.sh/discovery"]).toBe(`meridian-production-${regionOf(name)}`);
    }
  });
});

describe.each(STAGING)("Cluster Autoscaler and Node Termination Handler in %s", (name) => {
  const ca = valuesOf(release(name, "cluster-autoscaler"));
  const nth = valuesOf(release(name, "aws-node-termination-handler"));

  test("Cluster Autoscaler assumes this region's IRSA role and discovers this cluster's groups", () => {
    const role = (ca.rbac as { serviceAccount: { annotations: Record<string, string> } }).serviceAccount.annotations["eks.amazonaws.com/role-arn"];
    expectCrossStackReference(name, role, "aws_iam_role", "arn");
    expect(role).toContain("cluster-autoscaler_role");
    expect(ca).toMatchObject({ autoDiscovery: { clusterName: `meridian-staging-${regionOf(name)}` }, awsRegion: regionOf(name), replicaCount: 2 });
  });

  test("Cluster Autoscaler flags: balancing with ignored per-AZ labels, priority expander, system pods not blocking scale-down", () => {
    expect(ca.extraArgs).toMatchObject({
      "balance-similar-node-groups": true,
      "balancing-ignore-label_1": "eks.amazonaws.com/nodegroup",
      expander: "priority,least-waste",
      "skip-nodes-with-system-pods": false,
    });
    expect(ca.expanderPriorities).toEqual({ "50": ["^eks-spot-[0-9]+-"], "10": [".*"] });
  });

  test("the Node Termination Handler processes this region's queue by URL with its own IRSA role", () => {
    expect(nth).toMatchObject({ enableSqsTerminationDraining: true, awsRegion: regionOf(name), replicas: 2, managedTag: `k8s.io/cluster-autoscaler/meridian-staging-${regionOf(name)}` });
    expectCrossStackReference(name, nth.queueURL, "aws_sqs_queue", "url");
    const role = (nth.serviceAccount as { annotations: Record<string, string> }).annotations["eks.amazonaws.com/role-arn"];
    expectCrossStackReference(name, role, "aws_iam_role", "arn");
    expect(role).toContain("node-termination-handler_role");
  });

  test("both run on the system nodes with a disruption budget", () => {
    for (const values of [ca, nth]) {
      expect(values).toMatchObject({ podDisruptionBudget: { maxUnavailable: 1 }, priorityClassName: "system-cluster-critical" });
      expect(JSON.stringify(values.affinity)).toContain('"key":"node.meridian.io/class","operator":"In","values":["system"]');
    }
  });
});
