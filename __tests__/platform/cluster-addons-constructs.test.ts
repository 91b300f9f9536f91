import { TerraformStack, TerraformVariable } from "cdktf";
import { parse } from "yaml";
import { AwsLoadBalancerController, type AwsLoadBalancerControllerProps } from "@meridian/constructs";
import { TargetGroupBinding, TargetGroupBindingSchema, validateTargetGroupBinding } from "@meridian/constructs";
import { ExternalDns, type ExternalDnsProps } from "@meridian/constructs";
import { MetricsServer } from "@meridian/constructs";
import { HOSTNAME_TOPOLOGY_KEY, PRIORITY_CLASSES, ZONE_TOPOLOGY_KEY, highAvailability, toggledPodDisruptionBudget, topologySpread } from "@meridian/constructs";
import { StorageClasses, type StorageClassesProps } from "@meridian/constructs";
import { PriorityClasses } from "@meridian/constructs";
import { WorkloadDefaults } from "@meridian/constructs";
import { type Block, emptyStack, resourcesOf, synthJson } from "../helpers";
import { validateManifest } from "../manifests";
import { ChartRelease } from "@meridian/constructs";

const stack = () => emptyStack();
const synth = (s: TerraformStack) => synthJson(s);
const valuesOf = (release: Block) => parse((release.values as string[])[0]!) as Record<string, unknown>;

const TARGET_GROUP_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/meridian-staging-use1-pods/0123456789abcdef";

/** A Pod that carries a values fragment, so the Kubernetes schema checks the fragment's fields. */
function podWith(spec: Record<string, unknown>): Parameters<typeof validateManifest>[0] {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "probe" }, spec: { containers: [{ name: "probe", image: "probe" }], ...spec } };
}

describe("ChartRelease", () => {
  const release = (releaseName: string, namespace = "kube-system") => () =>
    new ChartRelease(emptyStack(), "r", { releaseName, namespace, chart: { repository: "https://charts.example.com", chart: "c", version: "1.0.0" } });
  test("throws when the release name is longer than Helm's 53 characters or not a DNS label", () => {
    expect(release("r".repeat(53))).not.toThrow();
    expect(release("r".repeat(54))).toThrow(`ChartRelease: releaseName "${"r".repeat(54)}" must be a DNS label of at most 53 characters (Helm's limit)`);
    expect(release("Release")).toThrow(/releaseName "Release" must be a DNS label/);
  });
  test("throws when the namespace is not a DNS label of at most 63 characters", () => {
    expect(release("r", "n".repeat(64))).toThrow(/namespace "n{64}" must be a DNS label of at most 63 characters/);
  });
});

describe("highAvailability (shared resilience helper)", () => {
  test("defaults: 2 replicas, maxUnavailable 1, hard zone spread and soft node spread over the selected pods", () => {
    // GIVEN only a component and its selector
    const ha = highAvailability({ component: "demo", selector: { "app.kubernetes.io/name": "demo" } });

    // THEN the fragment is highly available by default
    expect(ha.replicas).toBe(2);
    expect(ha.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
    expect(ha.priorityClassName).toBeUndefined();
    expect(ha.topologySpreadConstraints).toEqual([
      expect.objectContaining({ topologyKey: ZONE_TOPOLOGY_KEY, whenUnsatisfiable: "DoNotSchedule", maxSkew: 1, nodeTaintsPolicy: "Honor", labelSelector: { matchLabels: { "app.kubernetes.io/name": "demo" } } }),
      expect.objectContaining({ topologyKey: HOSTNAME_TOPOLOGY_KEY, whenUnsatisfiable: "ScheduleAnyway", maxSkew: 1 }),
    ]);
  });

  test("the fragments are valid Kubernetes: the spread and priority in a Pod, the budget in a PodDisruptionBudget", () => {
    const ha = highAvailability({ component: "demo", replicas: 3, priorityClassName: "platform-critical", selector: { app: "demo" } });
    expect(() => validateManifest(podWith({ topologySpreadConstraints: ha.topologySpreadConstraints, priorityClassName: ha.priorityClassName }))).not.toThrow();
    expect(() =>
      validateManifest({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "demo" }, spec: { ...ha.podDisruptionBudget, selector: { matchLabels: { app: "demo" } } } }),
    ).not.toThrow();
  });

  test("the toggled budget shape enables the budget and clears a chart's minAvailable default", () => {
    expect(toggledPodDisruptionBudget(highAvailability({ component: "demo", selector: { app: "demo" } }))).toEqual({ enabled: true, minAvailable: null, maxUnavailable: 1 });
  });

  test("a soft zone spread when asked", () => {
    expect(topologySpread({ selector: { app: "demo" }, zone: "ScheduleAnyway" })[0]!.whenUnsatisfiable).toBe("ScheduleAnyway");
  });

  test.each([1, 0, 2.5])("throws when replicas is %p", (replicas) => {
    expect(() => highAvailability({ component: "demo", replicas, selector: { app: "demo" } })).toThrow(
      `highAvailability demo: replicas ${replicas} must be an integer >= 2: a single replica is lost with its node or zone`,
    );
  });

  test.each([0, 3])("throws when maxUnavailable is %p with 3 replicas", (maxUnavailable) => {
    expect(() => highAvailability({ component: "demo", replicas: 3, maxUnavailable, selector: { app: "demo" } })).toThrow(
      `highAvailability demo: maxUnavailable ${maxUnavailable} must be an integer from 1 to replicas - 1 (2)`,
    );
  });

  test("throws when the selector is empty", () => {
    expect(() => highAvailability({ component: "demo", selector: {} })).toThrow("topologySpread: selector {} must name at least one label");
  });

  test("throws when the priority class name is not a DNS subdomain", () => {
    expect(() => highAvailability({ component: "demo", selector: { app: "demo" }, priorityClassName: "Platform_Critical" })).toThrow(
      'highAvailability demo: priorityClassName "Platform_Critical" must be a PriorityClass name',
    );
  });
});

const controllerProps: AwsLoadBalancerControllerProps = {
  clusterName: "meridian-staging-us-east-1",
  region: "us-east-1",
  vpcId: "vpc-0123456789abcdef0",
  roleArn: "arn:aws:iam::222222222222:role/meridian-staging-us-east-1-load-balancer-controller",
};

describe("AwsLoadBalancerController", () => {
  test.each([
    ["clusterName", "-bad", "must be an EKS cluster name"],
    ["region", "useast1", "must be an AWS region name such as us-east-1"],
    ["vpcId", "subnet-0123456789abcdef0", "must be a VPC id"],
    ["roleArn", "arn:aws:iam::222222222222:user/lbc", "must be an IAM role ARN"],
  ] as const)("throws when %s is %j", (setting, value, rule) => {
    const props = { ...controllerProps, [setting]: value };
    expect(() => new AwsLoadBalancerController(stack(), "lbc", props)).toThrow(`AwsLoadBalancerController ${props.clusterName}: ${setting} ${JSON.stringify(value)} ${rule}`);
  });

  test("throws when replicas is 1 (a single controller stalls target registration during its restart)", () => {
    expect(() => new AwsLoadBalancerController(stack(), "lbc", { ...controllerProps, replicas: 1 })).toThrow("highAvailability aws-load-balancer-controller: replicas 1 must be an integer >= 2");
  });

  test("accepts Terraform references for the VPC and the role", () => {
    // GIVEN a VPC id and role ARN only known at apply time
    const scope = stack();
    const vpc = new TerraformVariable(scope, "vpc", { type: "string" });
    const role = new TerraformVariable(scope, "role", { type: "string" });

    // WHEN the controller is synthesized
    new AwsLoadBalancerController(scope, "lbc", { ...controllerProps, vpcId: vpc.stringValue, roleArn: role.stringValue });
    const values = valuesOf(resourcesOf(synth(scope), "helm_release")[0]!);

    // THEN the references land in the values unchanged
    expect(values.vpcId).toBe("${var.vpc}");
    expect(values.serviceAccount).toEqual({ create: true, name: "aws-load-balancer-controller", annotations: { "eks.amazonaws.com/role-arn": "${var.role}" } });
  });
});

describe("TargetGroupBinding", () => {
  const binding = {
    apiVersion: "elbv2.k8s.aws/v1beta1",
    kind: "TargetGroupBinding",
    metadata: { name: "ingress-gateway", namespace: "ingress" },
    spec: { targetGroupARN: TARGET_GROUP_ARN, targetType: "ip", serviceRef: { name: "ingress-gateway", port: 8443 } },
  };

  test("the schema accepts a complete binding", () => {
    expect(() => validateTargetGroupBinding(binding)).not.toThrow();
    expect(TargetGroupBindingSchema.safeParse(binding).success).toBe(true);
  });

  test.each([
    ["a misspelt spec field (targetGroupArn)", { ...binding, spec: { ...binding.spec, targetGroupARN: undefined, targetGroupArn: TARGET_GROUP_ARN } }, /spec: Unrecognized key: "targetGroupArn"/],
    ["a misspelt serviceRef field (prot)", { ...binding, spec: { ...binding.spec, serviceRef: { name: "ingress-gateway", prot: 8443 } } }, /spec\.serviceRef/],
    ["an unknown target type", { ...binding, spec: { ...binding.spec, targetType: "alb" } }, /spec\.targetType/],
    ["no serviceRef", { ...binding, spec: { targetGroupARN: TARGET_GROUP_ARN } }, /spec\.serviceRef/],
    ["neither a target group ARN nor a name", { ...binding, spec: { serviceRef: { name: "ingress-gateway", port: 8443 } } }, /needs exactly one of targetGroupARN and targetGroupName/],
    ["a load balancer ARN as target group ARN", { ...binding, spec: { ...binding.spec, targetGroupARN: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/x/0123" } }, /must be an ELBv2 target group ARN/],
    ["the wrong API version", { ...binding, apiVersion: "elbv2.k8s.aws/v1" }, /apiVersion/],
  ])("the schema throws on %s, naming the object", (_what, manifest, message) => {
    expect(() => validateTargetGroupBinding(manifest)).toThrow(/^TargetGroupBinding ingress\/ingress-gateway: /);
    expect(() => validateTargetGroupBinding(manifest)).toThrow(message);
  });

  test("throws when it does not depend on the controller", () => {
    expect(() => new TargetGroupBinding(stack(), "tgb", { targetGroupArn: TARGET_GROUP_ARN, service: { namespace: "ingress", name: "ingress-gateway", port: 8443 }, dependsOn: [] })).toThrow(
      "TargetGroupBinding ingress/ingress-gateway: dependsOn [] must name the load balancer controller's release",
    );
  });

  test("throws when the service port is out of range", () => {
    const scope = stack();
    const lbc = new AwsLoadBalancerController(scope, "lbc", controllerProps);
    expect(() => lbc.bindTargetGroup("tgb", { targetGroupArn: TARGET_GROUP_ARN, service: { namespace: "ingress", name: "ingress-gateway", port: 70000 } })).toThrow(
      "TargetGroupBinding ingress/ingress-gateway: service.port 70000 must be a port 1-65535 or a port name",
    );
  });

  test("throws when the namespace is not a DNS label (schema)", () => {
    const scope = stack();
    const lbc = new AwsLoadBalancerController(scope, "lbc", controllerProps);
    expect(() => lbc.bindTargetGroup("tgb", { targetGroupArn: TARGET_GROUP_ARN, service: { namespace: "Ingress", name: "ingress-gateway", port: 8443 } })).toThrow(/metadata\.namespace: must be a DNS label/);
  });

  test("networking rules for security groups when asked, valid against the schema", () => {
    // GIVEN a binding that should open the targets to the NLB's security group
    const scope = stack();
    const lbc = new AwsLoadBalancerController(scope, "lbc", controllerProps);

    // WHEN it is built
    const tgb = lbc.bindTargetGroup("tgb", {
      targetGroupArn: TARGET_GROUP_ARN,
      service: { namespace: "ingress", name: "ingress-gateway", port: 8443 },
      allowFromSecurityGroups: { groupIds: ["sg-0123456789abcdef0"], port: 8443 },
    });

    // THEN the binding admits that group on the port, and still passes the schema
    expect(tgb.manifest.spec.networking).toEqual({ ingress: [{ from: [{ securityGroup: { groupID: "sg-0123456789abcdef0" } }], ports: [{ protocol: "TCP", port: 8443 }] }] });
    expect(() => validateTargetGroupBinding(tgb.manifest)).not.toThrow();
  });

  test("the binding's release depends on the controller's release and lives in the Service's namespace", () => {
    const scope = stack();
    const lbc = new AwsLoadBalancerController(scope, "lbc", controllerProps);
    lbc.bindTargetGroup("tgb", { targetGroupArn: TARGET_GROUP_ARN, service: { namespace: "ingress", name: "ingress-gateway", port: 8443 } });
    const releases = resourcesOf(synth(scope), "helm_release");
    const tgb = releases.find((r) => r.name === "ingress-gateway-tgb")!;
    expect(tgb).toMatchObject({ namespace: "ingress", depends_on: [expect.stringMatching(/^helm_release\.lbc_controller_release_[0-9A-F]+$/)] });
  });
});

const dnsProps: ExternalDnsProps = {
  txtOwnerId: "meridian-staging-us-east-1",
  region: "us-east-1",
  roleArn: "arn:aws:iam::222222222222:role/meridian-staging-us-east-1-external-dns",
  hostedZoneIds: ["Z0STAGINGEXAMPLE000001"],
};

describe("ExternalDns", () => {
  test("throws when no hosted zone is given", () => {
    expect(() => new ExternalDns(stack(), "dns", { ...dnsProps, hostedZoneIds: [] })).toThrow(
      "ExternalDns meridian-staging-us-east-1: hostedZoneIds [] must name at least one hosted zone; leave external-dns out when there is none",
    );
  });

  test("throws when a hosted zone id is malformed", () => {
    expect(() => new ExternalDns(stack(), "dns", { ...dnsProps, hostedZoneIds: ["example.com"] })).toThrow(
      'ExternalDns meridian-staging-us-east-1: hostedZoneIds[0] "example.com" must be a Route 53 hosted zone id',
    );
  });

  test("throws when a domain filter is not a DNS name", () => {
    expect(() => new ExternalDns(stack(), "dns", { ...dnsProps, domainFilters: ["Example.COM"] })).toThrow('domainFilters[0] "Example.COM" must be a lower-case DNS name');
  });

  test("throws when the owner id is empty", () => {
    expect(() => new ExternalDns(stack(), "dns", { ...dnsProps, txtOwnerId: "" })).toThrow('ExternalDns : txtOwnerId "" must be 1-100 letters');
  });

  test("domain filters and a sync policy when asked; the env var is a valid container env", () => {
    const scope = stack();
    new ExternalDns(scope, "dns", { ...dnsProps, domainFilters: ["staging.meridian.example.com"], policy: "sync" });
    const values = valuesOf(resourcesOf(synth(scope), "helm_release")[0]!);
    expect(values).toMatchObject({ domainFilters: ["staging.meridian.example.com"], policy: "sync" });
    expect(() => validateManifest(podWith({ containers: [{ name: "external-dns", image: "x", env: values.env }] }))).not.toThrow();
  });
});

describe("MetricsServer", () => {
  test("throws when replicas is 1 (every HPA freezes while it restarts)", () => {
    expect(() => new MetricsServer(stack(), "ms", { replicas: 1 })).toThrow("highAvailability metrics-server: replicas 1 must be an integer >= 2");
  });

  test("outside kube-system it creates its namespace", () => {
    const scope = stack();
    new MetricsServer(scope, "ms", { namespace: "monitoring" });
    expect(resourcesOf(synth(scope), "helm_release")[0]).toMatchObject({ namespace: "monitoring", create_namespace: true });
  });
});

const storageProps: StorageClassesProps = { fileSystemId: "fs-0123456789abcdef0" };

describe("StorageClasses", () => {
  test.each([
    ["fileSystemId", { fileSystemId: "fsap-0123456789abcdef0" }, 'fileSystemId "fsap-0123456789abcdef0" must be an EFS file system id'],
    ["gp3Name", { gp3Name: "GP3" }, 'gp3Name "GP3" must be a StorageClass name'],
    ["efs.name equal to gp3Name", { efs: { name: "gp3" } }, 'efs.name "gp3" must differ from gp3Name "gp3"'],
    ["demoteClasses containing the default", { demoteClasses: ["gp2", "gp3"] }, 'demoteClasses ["gp2","gp3"] must not contain the default class "gp3"'],
    ["efs.directoryPerms", { efs: { directoryPerms: "rwx" } }, 'efs.directoryPerms "rwx" must be octal permissions such as 700'],
    ["efs.gidRange reversed", { efs: { gidRange: { start: 2000, end: 1000 } } }, 'efs.gidRange {"start":2000,"end":1000} must be integers with 1 <= start < end'],
    ["efs.basePath relative", { efs: { basePath: "dynamic" } }, 'efs.basePath "dynamic" must be an absolute path'],
  ] as [string, Partial<StorageClassesProps>, string][])("throws when %s is bad", (_what, overrides, message) => {
    expect(() => new StorageClasses(stack(), "storage", { ...storageProps, ...overrides })).toThrow(`StorageClasses storage: ${message}`);
  });

  test("no gp2 annotation when nothing is to be demoted, and no KMS key parameter without a key", () => {
    const scope = stack();
    new StorageClasses(scope, "storage", { ...storageProps, demoteClasses: [] });
    const json = synth(scope);
    expect(resourcesOf(json, "kubernetes_annotations")).toEqual([]);
    expect(resourcesOf(json, "kubernetes_storage_class_v1").find((c) => c.storage_provisioner === "ebs.csi.aws.com")!.parameters).not.toHaveProperty("kmsKeyId");
  });
});

describe("PriorityClasses", () => {
  const cls = (name: string, value: number, globalDefault = false) => ({ name, value, description: name, globalDefault });

  test("throws when two classes are the global default", () => {
    expect(() => new PriorityClasses(stack(), "pc", { classes: [cls("a", 1, true), cls("b", 2, true)] })).toThrow(
      'PriorityClasses pc: classes ["a","b"] mark more than one class globalDefault; the API server admits only one',
    );
  });

  test("throws when a class takes a system name", () => {
    expect(() => new PriorityClasses(stack(), "pc", { classes: [cls("system-custom", 1)] })).toThrow('classes[0].name "system-custom" must be a lower-case DNS subdomain not starting with system- (reserved)');
  });

  test("throws when a value is above the user range", () => {
    expect(() => new PriorityClasses(stack(), "pc", { classes: [cls("huge", 2_000_000_000)] })).toThrow("classes[0].value 2000000000 must be an integer from -1000000000 to 1000000000");
  });

  test("throws when a name appears twice", () => {
    expect(() => new PriorityClasses(stack(), "pc", { classes: [cls("a", 1), cls("a", 2)] })).toThrow('classes[1].name "a" appears twice');
  });

  test("the built-in set is ordered platform > high > default, with exactly one global default", () => {
    const { platformCritical, workloadHigh, workloadDefault } = PRIORITY_CLASSES;
    expect(platformCritical.value).toBeGreaterThan(workloadHigh.value);
    expect(workloadHigh.value).toBeGreaterThan(workloadDefault.value);
    expect(Object.values(PRIORITY_CLASSES).filter((c) => c.globalDefault).map((c) => c.name)).toEqual(["workload-default"]);
  });
});

describe("WorkloadDefaults", () => {
  test("throws when the admission controller would run 1 replica", () => {
    expect(() => new WorkloadDefaults(stack(), "wd", { replicas: { admission: 1 } })).toThrow("highAvailability kyverno admission-controller: replicas 1 must be an integer >= 2");
  });

  test("throws when an excluded namespace is not a namespace name", () => {
    expect(() => new WorkloadDefaults(stack(), "wd", { excludedNamespaces: ["Team_A"] })).toThrow('WorkloadDefaults wd: excludedNamespaces[0] "Team_A" must be a namespace name (DNS label)');
  });

  test("extra excluded namespaces are left alone by both policies", () => {
    const scope = stack();
    new WorkloadDefaults(scope, "wd", { excludedNamespaces: ["legacy"] });
    const policies = resourcesOf(synth(scope), "helm_release").find((r) => r.name === "workload-defaults")!;
    const manifests = valuesOf(policies).manifests as { spec: { rules: { exclude: { any: { resources: { namespaces?: string[] } }[] } }[] } }[];
    for (const policy of manifests) {
      expect(policy.spec.rules[0]!.exclude.any[0]!.resources.namespaces).toEqual(["kube-system", "kube-public", "kube-node-lease", "kyverno", "legacy"]);
    }
  });
});
