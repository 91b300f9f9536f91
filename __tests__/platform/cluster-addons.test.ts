import { TerraformStack } from "cdktf";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { CHARTS } from "@meridian/constructs";
import { loadCatalogue } from "../../src/config/load";
import { validateTargetGroupBinding } from "@meridian/constructs";
import { PRIORITY_CLASSES } from "@meridian/constructs";
import { GENERATED_LABEL, OPT_OUT_LABEL } from "@meridian/constructs";
import { buildPlatformApp } from "../../stacks/platform-app";
import { installClusterAddons } from "../../stacks/platform/cluster-addons";
import type { PlatformStack } from "../../stacks/platform-stack";
import type { RegionalStack } from "../../stacks/regional-stack";
import { rawCatalogue, resourcesOf, synthStacks, validCatalogue, type Block, type SynthesizedJson } from "../helpers";
import { validateManifest, type Manifest } from "../manifests";

const stacks = synthStacks();
const platformStacks = [...stacks.entries()].filter(([name]) => name.includes("-platform-"));
const STAGING = "staging-platform-us-east-1";
const staging = stacks.get(STAGING)!;
const catalogue = validCatalogue();

const regionalOf = (platformStack: string) => platformStack.replace("-platform-", "-regional-");
/** A value read from the regional stack through cdktf's cross-stack reference (remote state output). */
const crossStackRef = (platformStack: string, resource: string, attribute: string) =>
  new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${regionalOf(platformStack)}\\.outputs\\.cross-stack-output-${resource}[0-9A-F]+${attribute}\\}$`);

type Values = Record<string, unknown> & { manifests?: Manifest[] };
const releasesOf = (json: SynthesizedJson) => json.resource.helm_release ?? {};
function release(json: SynthesizedJson, name: string): Block {
  const found = Object.values(releasesOf(json)).filter((r) => r.name === name);
  if (found.length !== 1) {
    throw new Error(`expected exactly one helm_release named ${name}, found ${found.length}`);
  }
  return found[0]!;
}
/** Logical id (`helm_release.<id>`) of the release named `name`. */
const releaseAddress = (json: SynthesizedJson, name: string) => `helm_release.${Object.entries(releasesOf(json)).find(([, r]) => r.name === name)![0]}`;
const valuesOf = (r: Block) => parse((r.values as string[])[0]!) as Values;

/** A Pod carrying a chart values fragment, so the Kubernetes schema checks the fragment's fields. */
const podWith = (spec: Record<string, unknown>): Manifest => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "probe" }, spec: { containers: [{ name: "probe", image: "probe" }], ...spec } });

/** Checks one chart's high-availability values (replicas, budget, spread, priority) against the Kubernetes schemas. */
function validateHaValues(values: Record<string, unknown>, selector: Record<string, string>) {
  const pdb = { ...(values.podDisruptionBudget as Record<string, unknown>) };
  delete pdb.enabled;
  delete pdb.minAvailable;
  validateManifest({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "probe" }, spec: { ...pdb, selector: { matchLabels: selector } } });
  validateManifest(podWith({ topologySpreadConstraints: values.topologySpreadConstraints, priorityClassName: values.priorityClassName }));
}

const ADDON_RELEASES = ["aws-load-balancer-controller", "metrics-server", "external-dns", "kyverno"] as const;
const CHART_OF = { "aws-load-balancer-controller": CHARTS.awsLoadBalancerController, "metrics-server": CHARTS.metricsServer, "external-dns": CHARTS.externalDns, kyverno: CHARTS.kyverno };
const NAMESPACE_OF = { "aws-load-balancer-controller": "kube-system", "metrics-server": "kube-system", "external-dns": "external-dns", kyverno: "kyverno" };

describe("cluster add-on releases", () => {
  test.each(platformStacks)("%s installs every add-on from its pinned chart, atomically, waiting for readiness", (_name, json) => {
    for (const name of ADDON_RELEASES) {
      const r = release(json, name);
      const pin = CHART_OF[name];
      expect(r).toMatchObject({ repository: pin.repository, chart: pin.chart, version: pin.version, namespace: NAMESPACE_OF[name], atomic: true, wait: true, cleanup_on_fail: true });
    }
  });

  test.each(platformStacks)("%s: no YAML anchors or aliases in the add-ons' values (every object rendered in full for review)", (_name, json) => {
    for (const name of [...ADDON_RELEASES, "ingress-gateway-tgb", "workload-defaults-rbac", "workload-defaults"]) {
      expect([name, (release(json, name).values as string[])[0]]).not.toEqual([name, expect.stringMatching(/(^|\s)[&*]a\d+\b/m)]);
    }
  });

  test("external-dns is left out when the environment lists no hosted zone", () => {
    // GIVEN staging without hosted zones for external-dns
    const json = synthStacks(validCatalogue((raw) => (raw.environments[0]!.cluster.externalDnsHostedZoneIds = [])));

    // WHEN its platform stacks are synthesized
    const names = Object.values(releasesOf(json.get(STAGING)!)).map((r) => r.name);

    // THEN external-dns is missing there, and everything else is present
    expect(names).not.toContain("external-dns");
    expect(names).toEqual(expect.arrayContaining(["aws-load-balancer-controller", "metrics-server", "kyverno"]));
  });
});

describe("AWS Load Balancer Controller", () => {
  test.each(platformStacks)("%s: IRSA role from the regional stack, cluster name, region and VPC", (name, json) => {
    const [environment, region] = name.split("-platform-") as [string, string];
    const values = valuesOf(release(json, "aws-load-balancer-controller"));
    expect(values).toMatchObject({ clusterName: `meridian-${environment}-${region}`, region, serviceAccount: { create: true, name: "aws-load-balancer-controller" } });
    expect((values.serviceAccount as { annotations: Record<string, string> }).annotations["eks.amazonaws.com/role-arn"]).toMatch(crossStackRef(name, "aws_iam_roleload-balancer-controller_role_", "arn"));
    expect(values.vpcId).toMatch(crossStackRef(name, "aws_vpcnetwork_vpc_", "id"));
  });

  test.each(platformStacks)("%s: the Service mutator webhook is off, so releases installed alongside cannot be refused while the controller starts", (_name, json) => {
    expect(valuesOf(release(json, "aws-load-balancer-controller")).enableServiceMutatorWebhook).toBe(false);
  });

  test("2 replicas, a disruption budget, zone and node spread over its own pods, system-cluster-critical", () => {
    const values = valuesOf(release(staging, "aws-load-balancer-controller"));
    const selector = { "app.kubernetes.io/name": "aws-load-balancer-controller", "app.kubernetes.io/instance": "aws-load-balancer-controller" };
    expect(values).toMatchObject({ replicaCount: 2, podDisruptionBudget: { maxUnavailable: 1 }, priorityClassName: "system-cluster-critical" });
    expect(values.topologySpreadConstraints).toEqual([
      expect.objectContaining({ topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: selector } }),
      expect.objectContaining({ topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } }),
    ]);
    validateHaValues(values, selector);
  });

  describe.each(platformStacks)("%s: the ingress TargetGroupBinding", (name, json) => {
    const environment = catalogue.environments.find((e) => e.name === name.split("-platform-")[0])!;
    const bindingRelease = release(json, "ingress-gateway-tgb");
    const manifests = valuesOf(bindingRelease).manifests!;

    test("binds the regional target group to the ingress Service's target port by IP", () => {
      expect(manifests).toHaveLength(1);
      const [binding] = manifests as [Manifest & { spec: Record<string, unknown> }];
      expect(binding).toMatchObject({ apiVersion: "elbv2.k8s.aws/v1beta1", kind: "TargetGroupBinding", metadata: { name: "ingress-gateway", namespace: "ingress" } });
      expect(binding.spec).toMatchObject({ targetType: "ip", serviceRef: { name: "ingress-gateway", port: environment.ingress.targetPort } });
      expect(binding.spec.targetGroupARN).toMatch(crossStackRef(name, "aws_lb_target_groupingress_targets_", "arn"));
      // Terraform owns the NLB → pods security group rule, so the controller is not asked to add it again.
      expect(binding.spec).not.toHaveProperty("networking");
      expect(() => validateTargetGroupBinding(binding)).not.toThrow();
    });

    test("is delivered by the manifests chart in the Service's namespace, after the controller", () => {
      expect(bindingRelease).toMatchObject({ namespace: "ingress", chart: expect.stringMatching(/^assets\//), atomic: true, wait: true });
      expect(bindingRelease.depends_on).toEqual([releaseAddress(json, "aws-load-balancer-controller")]);
    });
  });

  test("the bound Service comes from the catalogue's ingress.service", () => {
    // GIVEN staging's ingress Service in another namespace
    const json = synthStacks(validCatalogue((raw) => Object.assign(raw.environments[0]!.ingress, { service: { namespace: "edge", name: "envoy" } }))).get(STAGING)!;

    // WHEN the binding is rendered
    const [binding] = valuesOf(release(json, "envoy-tgb")).manifests! as [Manifest & { spec: { serviceRef: unknown } }];

    // THEN it names that Service, in its namespace, on the target port
    expect(binding.metadata).toMatchObject({ name: "envoy", namespace: "edge" });
    expect(binding.spec.serviceRef).toEqual({ name: "envoy", port: 8443 });
  });
});

describe("metrics-server", () => {
  test("2 replicas with an enabled budget, zone and node spread, system-cluster-critical", () => {
    const values = valuesOf(release(staging, "metrics-server"));
    const selector = { "app.kubernetes.io/name": "metrics-server", "app.kubernetes.io/instance": "metrics-server" };
    expect(values).toMatchObject({ replicas: 2, podDisruptionBudget: { enabled: true, minAvailable: null, maxUnavailable: 1 }, priorityClassName: "system-cluster-critical" });
    expect((values.topologySpreadConstraints as { topologyKey: string; labelSelector: unknown }[]).map((c) => [c.topologyKey, c.labelSelector])).toEqual([
      ["topology.kubernetes.io/zone", { matchLabels: selector }],
      ["kubernetes.io/hostname", { matchLabels: selector }],
    ]);
    validateHaValues(values, selector);
  });
});

describe("external-dns", () => {
  test.each(platformStacks)("%s: IRSA role, the environment's zones only, upsert-only, the cluster as TXT owner", (name, json) => {
    const [environmentName, region] = name.split("-platform-") as [string, string];
    const environment = catalogue.environments.find((e) => e.name === environmentName)!;
    const values = valuesOf(release(json, "external-dns"));
    expect(values).toMatchObject({
      provider: { name: "aws" },
      policy: "upsert-only",
      registry: "txt",
      txtOwnerId: `meridian-${environmentName}-${region}`,
      extraArgs: environment.cluster.externalDnsHostedZoneIds.map((zone) => `--zone-id-filter=${zone}`),
      serviceAccount: { create: true, name: "external-dns" },
      priorityClassName: PRIORITY_CLASSES.platformCritical.name,
      env: [{ name: "AWS_DEFAULT_REGION", value: region }],
    });
    expect((values.serviceAccount as { annotations: Record<string, string> }).annotations["eks.amazonaws.com/role-arn"]).toMatch(crossStackRef(name, "aws_iam_roleexternal-dns_role_", "arn"));
    validateManifest(podWith({ containers: [{ name: "external-dns", image: "probe", env: values.env }], priorityClassName: values.priorityClassName }));
  });

  test("waits for the priority class it runs at", () => {
    expect(release(staging, "external-dns").depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^kubernetes_priority_class_v1\.cluster-addons_priority-classes_platform-critical_/)]));
  });
});

/** The synthesized kubernetes_storage_class_v1 as the StorageClass object it creates. */
function storageClassManifest(sc: Block): Manifest {
  const metadata = sc.metadata as { name: string; annotations?: Record<string, string> };
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata,
    provisioner: sc.storage_provisioner,
    parameters: sc.parameters,
    reclaimPolicy: sc.reclaim_policy,
    volumeBindingMode: sc.volume_binding_mode,
    allowVolumeExpansion: sc.allow_volume_expansion,
  };
}

describe("storage classes", () => {
  const classes = resourcesOf(staging, "kubernetes_storage_class_v1");
  const byName = (name: string) => classes.find((c) => (c.metadata as { name: string }).name === name)!;

  test("gp3 is the default: EBS CSI, encrypted with the cluster's storage key, bound where the pod lands, expandable, deleted with its claim", () => {
    expect(byName("gp3")).toMatchObject({
      metadata: { name: "gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      storage_provisioner: "ebs.csi.aws.com",
      volume_binding_mode: "WaitForFirstConsumer",
      allow_volume_expansion: true,
      reclaim_policy: "Delete",
      parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
    });
    expect((byName("gp3").parameters as Record<string, string>).kmsKeyId).toMatch(crossStackRef(STAGING, "aws_kms_keycluster_storage-key_", "arn"));
  });

  test("efs provisions an access point per volume on the regional file system", () => {
    const efs = byName("efs");
    expect(efs).toMatchObject({
      storage_provisioner: "efs.csi.aws.com",
      volume_binding_mode: "Immediate",
      reclaim_policy: "Delete",
      parameters: { provisioningMode: "efs-ap", directoryPerms: "700", gidRangeStart: "50000", gidRangeEnd: "7000000", basePath: "/dynamic", ensureUniqueDirectory: "true" },
    });
    expect(efs.metadata).not.toHaveProperty("annotations");
    expect((efs.parameters as Record<string, string>).fileSystemId).toMatch(crossStackRef(STAGING, "aws_efs_file_systemshared-file-system_", "id"));
  });

  test("exactly one default class, and EKS's gp2 is un-defaulted (forced annotation) only after gp3 exists", () => {
    expect(classes.filter((c) => (c.metadata as { annotations?: Record<string, string> }).annotations?.["storageclass.kubernetes.io/is-default-class"] === "true")).toHaveLength(1);
    const gp3Id = Object.entries(staging.resource.kubernetes_storage_class_v1!).find(([, c]) => (c.metadata as { name: string }).name === "gp3")![0];
    expect(resourcesOf(staging, "kubernetes_annotations")).toEqual([
      {
        api_version: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: { name: "gp2" },
        annotations: { "storageclass.kubernetes.io/is-default-class": "false" },
        force: true,
        depends_on: [`kubernetes_storage_class_v1.${gp3Id}`],
      },
    ]);
  });

  test.each(classes.map((c) => [(c.metadata as { name: string }).name, c]))("the %s class is a valid StorageClass", (_name, sc) => {
    expect(() => validateManifest(storageClassManifest(sc))).not.toThrow();
  });
});

describe("priority classes", () => {
  const classes = resourcesOf(staging, "kubernetes_priority_class_v1");

  test("platform-critical, workload-high and workload-default (the one global default)", () => {
    expect(classes.map((c) => [(c.metadata as { name: string }).name, c.value, c.global_default]).sort()).toEqual([
      ["platform-critical", 1_000_000, false],
      ["workload-default", 1_000, true],
      ["workload-high", 10_000, false],
    ]);
  });

  test.each(classes.map((c) => [(c.metadata as { name: string }).name, c]))("%s is a valid PriorityClass", (_name, c) => {
    const manifest = { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: c.metadata, value: c.value, globalDefault: c.global_default, description: c.description, preemptionPolicy: c.preemption_policy };
    expect(() => validateManifest(manifest as Manifest)).not.toThrow();
  });
});

describe("Kyverno and the workload defaults", () => {
  const kyverno = valuesOf(release(staging, "kyverno"));
  const policies = valuesOf(release(staging, "workload-defaults")).manifests! as (Manifest & { spec: { rules: Record<string, unknown>[]; failurePolicy?: string } })[];
  const rbac = valuesOf(release(staging, "workload-defaults-rbac")).manifests!;
  const policy = (name: string) => policies.find((p) => p.metadata?.name === name)!;

  test.each([
    ["admissionController", "admission-controller", 3],
    ["backgroundController", "background-controller", 2],
    ["cleanupController", "cleanup-controller", 2],
    ["reportsController", "reports-controller", 2],
  ] as const)("%s: %s replicas with budget, spread and platform-critical priority", (key, component, replicas) => {
    const values = kyverno[key] as Record<string, unknown>;
    const selector = { "app.kubernetes.io/component": component, "app.kubernetes.io/instance": "kyverno", "app.kubernetes.io/part-of": "kyverno" };
    expect(values).toMatchObject({ replicas, podDisruptionBudget: { enabled: true, maxUnavailable: 1 }, priorityClassName: "platform-critical" });
    expect((values.topologySpreadConstraints as { labelSelector: unknown }[]).map((c) => c.labelSelector)).toEqual([{ matchLabels: selector }, { matchLabels: selector }]);
    validateHaValues(values, selector);
  });

  test("order: priority classes → Kyverno → its RBAC → its policies", () => {
    expect(release(staging, "kyverno").depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^kubernetes_priority_class_v1\.cluster-addons_priority-classes_platform-critical_/)]));
    expect(release(staging, "workload-defaults-rbac").depends_on).toEqual([releaseAddress(staging, "kyverno")]);
    expect(release(staging, "workload-defaults").depends_on).toEqual([releaseAddress(staging, "kyverno"), releaseAddress(staging, "workload-defaults-rbac")]);
  });

  test("every rendered policy and role passes its schema (Kyverno CRD model, RBAC)", () => {
    expect(policies.map((p) => p.metadata?.name)).toEqual(["workload-defaults-zone-spread", "workload-defaults-disruption-budget"]);
    for (const manifest of [...policies, ...rbac]) {
      expect(() => validateManifest(manifest)).not.toThrow();
    }
  });

  test("the schema check would catch a wrong value or a missing field in a policy", () => {
    // (Misspelt keys are caught at compile time: the policies are typed with the model's IClusterPolicy.)
    const wrongValue = structuredClone(policy("workload-defaults-zone-spread"));
    wrongValue.spec.failurePolicy = "Never";
    expect(() => validateManifest(wrongValue)).toThrow(/ClusterPolicy \/workload-defaults-zone-spread: .*failurePolicy must be equal to one of the allowed values/);
    const noName = structuredClone(policy("workload-defaults-disruption-budget"));
    delete noName.spec.rules[0]!.name;
    expect(() => validateManifest(noName)).toThrow(/rules\/0 must have required property name/);
  });

  test("both policies are defaults, never guards: a Kyverno outage admits workloads unchanged", () => {
    policies.forEach((p) => expect(p.spec).toMatchObject({ failurePolicy: "Ignore", admission: true }));
  });

  test("both policies skip system namespaces, Kyverno's own, and anything labelled to opt out", () => {
    const optOut = { matchLabels: { [OPT_OUT_LABEL.key]: OPT_OUT_LABEL.value } };
    policies.forEach((p) =>
      expect(p.spec.rules[0]!.exclude).toEqual({
        any: [{ resources: { namespaces: ["kube-system", "kube-public", "kube-node-lease", "kyverno"] } }, { resources: { selector: optOut } }, { resources: { namespaceSelector: optOut } }],
      }),
    );
  });

  describe("zone spread", () => {
    const rule = policy("workload-defaults-zone-spread").spec.rules[0] as {
      match: unknown;
      preconditions: { all: { key: string; operator: string; value: unknown }[] };
      mutate: { patchStrategicMerge: { spec: { template: { spec: { topologySpreadConstraints: Record<string, unknown>[] } } } } };
    };

    test("mutates Deployments and StatefulSets that have no zone spread yet", () => {
      expect(rule.match).toEqual({ any: [{ resources: { kinds: ["Deployment", "StatefulSet"], operations: ["CREATE", "UPDATE"] } }] });
      expect(rule.preconditions.all).toEqual([
        { key: "{{ request.object.spec.template.spec.topologySpreadConstraints[?topologyKey=='topology.kubernetes.io/zone'] || `[]` | length(@) }}", operator: "Equals", value: 0 },
      ]);
    });

    test("adds a soft zone spread over the workload's own selector, which is a valid pod constraint", () => {
      const [constraint] = rule.mutate.patchStrategicMerge.spec.template.spec.topologySpreadConstraints;
      expect(constraint).toEqual({
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: "{{ request.object.spec.selector }}",
        matchLabelKeys: ["pod-template-hash"],
        nodeTaintsPolicy: "Honor",
      });
      // WHEN Kyverno substitutes a Deployment's selector THEN the constraint is valid Kubernetes
      const substituted = { ...constraint, labelSelector: { matchLabels: { app: "checkout" } } };
      expect(() => validateManifest(podWith({ topologySpreadConstraints: [substituted] }))).not.toThrow();
    });
  });

  describe("disruption budget", () => {
    const p = policy("workload-defaults-disruption-budget");
    const rule = p.spec.rules[0] as {
      match: unknown;
      context: { name: string; apiCall: { urlPath: string; jmesPath: string } }[];
      preconditions: { all: unknown[] };
      generate: { apiVersion: string; kind: string; name: string; namespace: string; synchronize: boolean; generateExisting: boolean; data: { metadata: unknown; spec: Record<string, unknown> } };
    };

    test("generates for Deployments with 2 or more replicas that no team budget covers, including existing ones", () => {
      expect(p.spec).toMatchObject({ background: true });
      expect(rule.match).toEqual({ any: [{ resources: { kinds: ["Deployment"], operations: ["CREATE", "UPDATE"] } }] });
      expect(rule.preconditions.all).toEqual([
        { key: "{{ request.object.spec.replicas || `1` }}", operator: "GreaterThanOrEquals", value: 2 },
        { key: "{{ teamBudgets }}", operator: "Equals", value: 0 },
      ]);
      expect(rule.context).toEqual([
        {
          name: "teamBudgets",
          apiCall: {
            urlPath: "/apis/policy/v1/namespaces/{{ request.object.metadata.namespace }}/poddisruptionbudgets",
            // Generated budgets do not count, or the rule would turn itself off.
            jmesPath: `items[?metadata.labels."${GENERATED_LABEL.key}" != 'true' && label_match(spec.selector.matchLabels || \`{}\`, \`{{ request.object.spec.template.metadata.labels }}\`)] | length(@)`,
          },
        },
      ]);
      expect(rule.generate).toMatchObject({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", name: "{{ request.object.metadata.name }}-default", synchronize: true, generateExisting: true });
    });

    test("the generated budget (maxUnavailable 1, the Deployment's selector, marked generated) is a valid PodDisruptionBudget", () => {
      expect(rule.generate.data).toEqual({
        metadata: { labels: { [GENERATED_LABEL.key]: "true" } },
        spec: { maxUnavailable: 1, selector: "{{ request.object.spec.selector }}" },
      });
      // WHEN Kyverno substitutes a Deployment's name, namespace and selector THEN the object is valid Kubernetes
      const generated = {
        apiVersion: rule.generate.apiVersion,
        kind: rule.generate.kind,
        metadata: { name: "checkout-default", namespace: "shop", ...(rule.generate.data.metadata as object) },
        spec: { ...rule.generate.data.spec, selector: { matchLabels: { app: "checkout" } } },
      };
      expect(() => validateManifest(generated)).not.toThrow();
    });

    test("Kyverno's controllers get exactly the PDB permissions the rule needs, through aggregation", () => {
      expect(rbac).toEqual([
        expect.objectContaining({
          kind: "ClusterRole",
          metadata: { name: "kyverno:workload-defaults:manage-pdbs", labels: { "rbac.kyverno.io/aggregate-to-background-controller": "true" } },
          rules: [{ apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] }],
        }),
        expect.objectContaining({
          kind: "ClusterRole",
          metadata: expect.objectContaining({ labels: { "rbac.kyverno.io/aggregate-to-admission-controller": "true", "rbac.kyverno.io/aggregate-to-reports-controller": "true" } }),
          rules: [{ apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: ["get", "list", "watch"] }],
        }),
      ]);
    });
  });
});

describe("every manifest the cluster add-ons deliver through the manifests chart passes its schema", () => {
  test.each(platformStacks)("%s", (_name, json) => {
    const manifests = Object.values(releasesOf(json))
      .filter((r) => String(r.chart).startsWith("assets/") && /^(ingress-gateway-tgb|workload-defaults.*)$/.test(String(r.name)))
      .flatMap((r) => valuesOf(r).manifests ?? []);
    expect(manifests.length).toBeGreaterThanOrEqual(5);
    for (const manifest of manifests) {
      expect(() => validateManifest(manifest)).not.toThrow();
      if (manifest.kind === "TargetGroupBinding") {
        expect(() => validateTargetGroupBinding(manifest)).not.toThrow();
      }
    }
  });
});

describe("installClusterAddons", () => {
  test("throws when the regional stack has no IRSA role for a controller it installs", () => {
    // GIVEN a built app and a regional stack whose external-dns role is missing
    const outdir = mkdtempSync(join(tmpdir(), "addons-"));
    try {
      const app = buildPlatformApp(validCatalogue(), { outdir });
      const platform = app.node.findChild(STAGING) as PlatformStack;
      const regional = app.node.findChild(regionalOf(STAGING)) as RegionalStack;
      const withoutRole = Object.create(regional, { controllerRoles: { value: { loadBalancerController: regional.controllerRoles.loadBalancerController } } }) as RegionalStack;

      // WHEN the add-ons are installed into a fresh stack
      const install = () => installClusterAddons({ ...platform.context, stack: new TerraformStack(app, "probe"), regional: withoutRole });

      // THEN the missing role is named
      expect(install).toThrow(`probe: regional stack staging-regional-us-east-1 has no controllerRoles.externalDns`);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe("catalogue: ingress.service (the Service the TargetGroupBinding binds)", () => {
  test("defaults to ingress/ingress-gateway, so catalogues without it keep working", () => {
    catalogue.environments.forEach((env) => expect(env.ingress.service).toEqual({ namespace: "ingress", name: "ingress-gateway" }));
  });

  test.each([
    ["a namespace with upper-case letters", { namespace: "Ingress", name: "ingress-gateway" }, "environments[0].ingress.service.namespace", /must be lower-case letters, digits and '-'/],
    ["a name starting with a digit", { namespace: "ingress", name: "1gateway" }, "environments[0].ingress.service.name", /must be lower-case letters, digits and '-', start with a letter/],
    ["an unknown key", { namespace: "ingress", name: "ingress-gateway", port: 443 }, "environments[0].ingress.service", /Unrecognized key/],
  ])("throws when the Service has %s, naming the path", (_what, service, path, rule) => {
    // GIVEN staging's ingress Service set to a bad value
    const raw = rawCatalogue();
    Object.assign(raw.environments[0]!.ingress, { service });

    // WHEN the catalogue is loaded THEN the error names the path and the rule
    expect(() => loadCatalogue(raw)).toThrow(path);
    expect(() => loadCatalogue(raw)).toThrow(rule);
  });
});
