import { parse, parseAllDocuments } from "yaml";
import { CHARTS } from "@meridian/constructs";
import { createHash } from "node:crypto";
import { ACTIVATED_MANAGED_RESOURCES, AWS_FAMILY_PROVIDER, AWS_SERVICE_PROVIDERS, COMPOSITION_FUNCTIONS, XCLUSTER_SCOPE } from "@meridian/constructs";
import { validateCrossplaneObject } from "@meridian/constructs";
import {
  CLUSTER_API,
  LEGACY_XCLUSTER_API,
  NAME_CHARACTERS_KEPT,
  NAME_HASH_LENGTH,
  xClusterComposedResources,
  xClusterComposition,
  xClusterDefinition,
  xClusterTemplate,
  type XClusterApiProps,
} from "@meridian/constructs";
import { type Block, resourcesOf, type SynthesizedJson, synthStacks } from "../helpers";
import { GROUPS_WITHOUT_MODELS, validateManifest, type Manifest } from "../manifests";

/* eslint-disable @typescript-eslint/no-explicit-any */
const HUB = "production-platform-us-east-1";
const stacks = synthStacks();
const hub = stacks.get(HUB)!;
const hubRegional = stacks.get("production-regional-us-east-1")!;

function release(json: SynthesizedJson, name: string): Block {
  const found = resourcesOf(json, "helm_release").filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one helm_release ${name}, found ${found.length}`);
  return found[0]!;
}
const releaseAddress = (json: SynthesizedJson, name: string) => `helm_release.${Object.entries(json.resource.helm_release ?? {}).find(([, r]) => r.name === name)![0]}`;
const valuesOf = (r: Block) => parse((r.values as string[])[0]!) as Record<string, any>;
const manifestsOf = (name: string) => valuesOf(release(hub, name)).manifests as Manifest[];
const isCrossplaneGroup = (m: Manifest) => (GROUPS_WITHOUT_MODELS as readonly string[]).includes(m.apiVersion.split("/")[0]!);

const XCLUSTER: XClusterApiProps = { group: "platform.meridian.io", regions: ["eu-west-1", "us-east-1", "us-west-2"], kubernetesVersions: ["1.32", "1.33"], partition: "aws", accountId: "333333333333" };

describe("Crossplane releases on the hub", () => {
  const chart = release(hub, "crossplane");
  const packages = release(hub, "crossplane-packages");
  const apis = release(hub, "crossplane-apis");

  test("the pinned chart in crossplane-system with 2 leader-elected replicas of core and RBAC manager, spread over zones", () => {
    expect(chart).toMatchObject({ namespace: "crossplane-system", repository: CHARTS.crossplane.repository, chart: CHARTS.crossplane.chart, version: CHARTS.crossplane.version, atomic: true });
    expect(CHARTS.crossplane.version).toMatch(/^2\./);
    const values = valuesOf(chart);
    expect(values).toMatchObject({ replicas: 2, leaderElection: true, rbacManager: { replicas: 2, leaderElection: true } });
    const probe = (constraints: unknown): Manifest => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "i" }], topologySpreadConstraints: constraints } });
    validateManifest(probe(values.topologySpreadConstraints));
    validateManifest(probe(values.rbacManager.topologySpreadConstraints));
    expect(values.topologySpreadConstraints[0]).toMatchObject({ topologyKey: "topology.kubernetes.io/zone", labelSelector: { matchLabels: { app: "crossplane", release: "crossplane" } } });
  });

  test("installs in order: chart, then packages (waiting for the wait job), then the APIs", () => {
    expect(packages.depends_on).toEqual([releaseAddress(hub, "crossplane")]);
    expect(apis.depends_on).toEqual([releaseAddress(hub, "crossplane-packages")]);
    expect(packages).toMatchObject({ wait: true, wait_for_jobs: true, timeout: 1200 });
  });

  test("every rendered object passes its schema: Kubernetes models, or the Crossplane zod schemas", () => {
    const all = [...manifestsOf("crossplane-packages"), ...manifestsOf("crossplane-apis")];
    for (const manifest of all) {
      if (isCrossplaneGroup(manifest)) {
        expect(() => validateCrossplaneObject(manifest)).not.toThrow();
      } else {
        expect(() => validateManifest(manifest)).not.toThrow();
      }
    }
    expect(all.filter((m) => !isCrossplaneGroup(m)).map((m) => m.kind)).toEqual(["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Job"]);
  });

  test("no catch-all activation: the chart creates no default policy, and the hub's one policy activates exactly the kinds the composition composes", () => {
    // GIVEN the chart's values (its default is ["*"]) and the packages release
    expect(valuesOf(chart).provider).toEqual({ defaultActivations: [] });
    const policies = manifestsOf("crossplane-packages").filter((m) => m.kind === "ManagedResourceActivationPolicy") as any[];
    // THEN one policy, listing <plural>.<group> of every composed kind and nothing else
    const plural = (kind: string) => (kind.endsWith("y") ? `${kind.slice(0, -1)}ies` : `${kind}s`).toLowerCase();
    const composedKinds = new Set(xClusterComposedResources(XCLUSTER).map((c) => `${plural(c.manifest.kind)}.${c.manifest.apiVersion.split("/")[0]}`));
    expect(policies).toHaveLength(1);
    expect(new Set(policies[0].spec.activate)).toEqual(composedKinds);
    expect(policies[0].spec.activate).toEqual([...ACTIVATED_MANAGED_RESOURCES]);
    policies[0].spec.activate.forEach((name: string) => expect(name).toMatch(/\.aws\.m\.upbound\.io$/));
  });

  test("installs the AWS family provider, the EKS and IAM providers and the composition functions, all pinned", () => {
    const packageRefs = manifestsOf("crossplane-packages")
      .filter((m) => m.kind === "Provider" || m.kind === "Function")
      .map((m) => [m.kind, m.metadata!.name, (m.spec as { package: string }).package]);
    expect(packageRefs).toEqual([
      ["Provider", "crossplane-contrib-provider-family-aws", "xpkg.crossplane.io/crossplane-contrib/provider-family-aws:v2.6.0"],
      ["Provider", "provider-aws-eks", "xpkg.crossplane.io/crossplane-contrib/provider-aws-eks:v2.6.0"],
      ["Provider", "provider-aws-iam", "xpkg.crossplane.io/crossplane-contrib/provider-aws-iam:v2.6.0"],
      ["Function", COMPOSITION_FUNCTIONS.goTemplating.name, COMPOSITION_FUNCTIONS.goTemplating.package],
      ["Function", COMPOSITION_FUNCTIONS.autoReady.name, COMPOSITION_FUNCTIONS.autoReady.package],
    ]);
  });

  test.each(AWS_SERVICE_PROVIDERS.map((p) => [p.name, p] as const))(
    "%s runs with a DeploymentRuntimeConfig giving its fixed service account the IRSA role its trust policy names",
    (_name, provider) => {
      // GIVEN the provider, its runtime config and its IRSA role in the hub's regional stack
      const objects = manifestsOf("crossplane-packages");
      const providerObject = objects.find((m) => m.kind === "Provider" && m.metadata!.name === provider.name) as any;
      const runtime = objects.find((m) => m.kind === "DeploymentRuntimeConfig" && m.metadata!.name === providerObject.spec.runtimeConfigRef.name) as any;
      const roleName = `meridian-production-us-east-1-crossplane-${provider.service}`;
      const role = resourcesOf(hubRegional, "aws_iam_role").find((r) => r.name === roleName)!;
      const trustId = /data\.aws_iam_policy_document\.([^.]+)\.json/.exec(String(role.assume_role_policy))![1]!;
      const trust = hubRegional.data!.aws_iam_policy_document![trustId]!.statement as Block[];

      // THEN the annotation names that role, and the service account is the one the trust policy pins
      expect(runtime.spec.serviceAccountTemplate.metadata).toEqual({
        name: provider.serviceAccount,
        annotations: { "eks.amazonaws.com/role-arn": `arn:aws:iam::333333333333:role/${roleName}` },
      });
      expect(JSON.stringify(trust)).toContain(`system:serviceaccount:crossplane-system:${provider.serviceAccount}`);
    },
  );

  test("the family provider runs without credentials (it makes no AWS calls)", () => {
    const family = manifestsOf("crossplane-packages").find((m) => m.metadata!.name === AWS_FAMILY_PROVIDER.name) as any;
    expect(family.spec).toEqual({ package: AWS_FAMILY_PROVIDER.package });
  });

  test("the wait job holds the release until the family provider is healthy and its ClusterProviderConfig CRD established", () => {
    const job = manifestsOf("crossplane-packages").find((m) => m.kind === "Job") as any;
    const pod = job.spec.template.spec;
    expect(pod.initContainers.map((c: any) => c.args)).toEqual([["wait", "--for=condition=Healthy", `providers.pkg.crossplane.io/${AWS_FAMILY_PROVIDER.name}`, "--timeout=900s"]]);
    expect(pod.containers.map((c: any) => c.args)).toEqual([["wait", "--for=condition=Established", "crd/clusterproviderconfigs.aws.m.upbound.io", "--timeout=120s"]]);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    const role = manifestsOf("crossplane-packages").find((m) => m.kind === "ClusterRole") as any;
    role.rules.forEach((rule: any) => expect(rule.verbs).toEqual(["get", "list", "watch"]));
  });

  test("the APIs release holds the IRSA ClusterProviderConfig and the v2 KubernetesCluster definition and composition", () => {
    expect(manifestsOf("crossplane-apis").map((m) => `${m.apiVersion}/${m.kind}/${m.metadata!.name}`)).toEqual([
      "aws.m.upbound.io/v1beta1/ClusterProviderConfig/default",
      "apiextensions.crossplane.io/v2/CompositeResourceDefinition/kubernetesclusters.platform.meridian.io",
      "apiextensions.crossplane.io/v1/Composition/kubernetescluster-eks",
    ]);
    expect((manifestsOf("crossplane-apis")[0] as any).spec).toEqual({ credentials: { source: "IRSA" } });
  });

  test("the XRD offers exactly the regions the EKS provider's IAM policy allows", () => {
    const xrd = manifestsOf("crossplane-apis").find((m) => m.kind === "CompositeResourceDefinition") as any;
    const regions: string[] = xrd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.region.enum;
    const eksResources = Object.values(hubRegional.data!.aws_iam_policy_document!)
      .flatMap((doc) => (doc.statement as Block[]).filter((s) => s.sid === "ManageComposedClusters").flatMap((s) => s.resources as string[]));
    expect(new Set(eksResources.map((r) => r.split(":")[3]))).toEqual(new Set(regions));
  });
});

describe("Crossplane schemas reject misspelt fields", () => {
  const provider = { apiVersion: "pkg.crossplane.io/v1", kind: "Provider", metadata: { name: "p" }, spec: { package: "xpkg.crossplane.io/crossplane-contrib/provider-aws-eks:v2.6.0" } };

  test("accepts a valid Provider", () => {
    expect(() => validateCrossplaneObject(provider)).not.toThrow();
  });

  test.each([
    ["a Provider's spec.pakage", { ...provider, spec: { pakage: provider.spec.package } }, /Provider p: .*spec: Unrecognized key: "pakage"/],
    ["a Provider without a pinned, fully qualified package", { ...provider, spec: { package: "crossplane-contrib/provider-aws-eks" } }, /spec\.package: must be a fully qualified, pinned package/],
    [
      "a DeploymentRuntimeConfig's serviceAccountTemplate.metdata",
      { apiVersion: "pkg.crossplane.io/v1beta1", kind: "DeploymentRuntimeConfig", metadata: { name: "d" }, spec: { serviceAccountTemplate: { metdata: {} } } },
      /spec\.serviceAccountTemplate: Unrecognized key: "metdata"/,
    ],
    [
      "a ClusterProviderConfig's credentials source",
      { apiVersion: "aws.m.upbound.io/v1beta1", kind: "ClusterProviderConfig", metadata: { name: "default" }, spec: { credentials: { source: "IRSa" } } },
      /spec\.credentials\.source: Invalid option/,
    ],
    [
      "an activation policy's misspelt activate",
      { apiVersion: "apiextensions.crossplane.io/v1alpha1", kind: "ManagedResourceActivationPolicy", metadata: { name: "x" }, spec: { activations: ["*"] } },
      /spec: Unrecognized key: "activations"/,
    ],
  ])("throws for %s", (_case, object, message) => {
    expect(() => validateCrossplaneObject(object)).toThrow(message);
  });

  test("throws for a misspelt keyword deep in the XRD's OpenAPI schema", () => {
    const xrd = xClusterDefinition(XCLUSTER) as any;
    xrd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.nodePools.items.propertis = {};
    expect(() => validateCrossplaneObject(xrd)).toThrow(/CompositeResourceDefinition kubernetesclusters\.platform\.meridian\.io: spec\.versions\.0\.schema\.openAPIV3Schema\.properties\.spec\.properties\.nodePools\.items: Unrecognized key: "propertis"/);
  });

  test("throws for a misspelt field in a composed managed resource", () => {
    const nodeGroup = xClusterComposedResources(XCLUSTER).find((c) => c.manifest.kind === "NodeGroup")!.manifest as any;
    const broken = { ...nodeGroup, spec: { ...nodeGroup.spec, forProvider: { ...nodeGroup.spec.forProvider, scallingConfig: {} } } };
    expect(() => validateCrossplaneObject(broken)).toThrow(/NodeGroup .*: spec\.forProvider: Unrecognized key: "scallingConfig"/);
  });

  test("throws for an object of a group it has no schema for, so nothing passes unchecked", () => {
    expect(() => validateCrossplaneObject({ apiVersion: "ec2.aws.m.upbound.io/v1beta1", kind: "VPC", metadata: { name: "v" } })).toThrow(/no Crossplane schema for ec2\.aws\.m\.upbound\.io\/v1beta1\/VPC/);
  });

  test.each([
    ["a v1 XRD", { apiVersion: "apiextensions.crossplane.io/v1", kind: "CompositeResourceDefinition", metadata: { name: "x" } }, /v1 form, replaced by apiextensions\.crossplane\.io\/v2/],
    ["a v1beta1 Function", { apiVersion: "pkg.crossplane.io/v1beta1", kind: "Function", metadata: { name: "f" } }, /v1 form, replaced by pkg\.crossplane\.io\/v1;/],
    ["the legacy ProviderConfig", { apiVersion: "aws.upbound.io/v1beta1", kind: "ProviderConfig", metadata: { name: "default" } }, /replaced by aws\.m\.upbound\.io\/v1beta1 ClusterProviderConfig/],
    ["a legacy cluster-scoped managed resource", { apiVersion: "eks.aws.upbound.io/v1beta2", kind: "Cluster", metadata: { name: "c" } }, /replaced by its namespaced form in <service>\.aws\.m\.upbound\.io/],
  ])("refuses %s, naming its Crossplane v2 replacement", (_case, object, message) => {
    expect(() => validateCrossplaneObject(object)).toThrow(message);
  });

  test("accepts the v2 XRD: namespaced, no claim", () => {
    const xrd = xClusterDefinition(XCLUSTER) as any;
    expect(() => validateCrossplaneObject(xrd)).not.toThrow();
    expect(xrd).toMatchObject({ apiVersion: "apiextensions.crossplane.io/v2", spec: { scope: "Namespaced", names: { kind: "KubernetesCluster", plural: "kubernetesclusters" } } });
    expect(xrd.spec).not.toHaveProperty("claimNames");
  });

  test.each([
    ["claimNames (claims are v1 only)", { claimNames: { kind: "ClusterClaim", plural: "clusterclaims" } }, /spec\.claimNames: is Crossplane v1 only; v2 XRDs have no claims/],
    ["connectionSecretKeys (composite connection secrets are v1 only)", { connectionSecretKeys: ["kubeconfig"] }, /spec\.connectionSecretKeys: is Crossplane v1 only/],
    ["the LegacyCluster scope", { scope: "LegacyCluster" }, /spec\.scope: must be "Namespaced" or "Cluster"/],
    ["an unknown field", { defaultCompositionRevisionSelectr: {} }, /spec: Unrecognized key: "defaultCompositionRevisionSelectr"/],
  ])("throws for a v2 XRD with %s", (_case, extra, message) => {
    const xrd = xClusterDefinition(XCLUSTER) as any;
    expect(() => validateCrossplaneObject({ ...xrd, spec: { ...xrd.spec, ...extra } })).toThrow(message);
  });

  test("throws for an XRD whose schema claims spec.crossplane, which v2 reserves for itself", () => {
    const xrd = xClusterDefinition(XCLUSTER) as any;
    xrd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.crossplane = { type: "object" };
    expect(() => validateCrossplaneObject(xrd)).toThrow(/properties\.spec\.properties\.crossplane: is reserved for Crossplane's own fields in v2/);
  });

  test.each([
    ["deletionPolicy (v1 managed resources only)", { deletionPolicy: "Orphan" }, /spec\.deletionPolicy: is Crossplane v1 only; namespaced managed resources use managementPolicies/],
    ["a misspelt managementPolicies", { managementPolicy: ["Observe"] }, /spec: Unrecognized key: "managementPolicy"/],
    ["a providerConfigRef without its kind", { providerConfigRef: { name: "default" } }, /spec\.providerConfigRef\.kind: Invalid option/],
  ])("throws for a composed managed resource with %s", (_case, extra, message) => {
    const cluster = xClusterComposedResources(XCLUSTER).find((c) => c.manifest.kind === "Cluster")!.manifest as any;
    expect(() => validateCrossplaneObject({ ...cluster, spec: { ...cluster.spec, ...extra } })).toThrow(message);
  });

  test("throws when the XRD is not named <plural>.<group>", () => {
    const xrd = { ...xClusterDefinition(XCLUSTER), metadata: { name: "kubernetescluster.platform.meridian.io" } };
    expect(() => validateCrossplaneObject(xrd)).toThrow(/metadata\.name: must be kubernetesclusters\.platform\.meridian\.io/);
  });
});

/** Renders the composition template for one KubernetesCluster the way function-go-templating would, for the expressions it uses. */
function render(template: string, xr: { name: string; namespace: string; spec: { region: string; version: string; subnetIds: string[]; adminRoleArns: string[]; nodePools: { name: string; instanceTypes: string[]; min: number; max: number; capacityType: string }[] } }): string {
  const id = createHash("sha256").update(`${xr.namespace}/${xr.name}`).digest("hex").slice(0, NAME_HASH_LENGTH);
  const name = `${XCLUSTER_SCOPE.clusterNamePrefix}${xr.name.slice(0, NAME_CHARACTERS_KEPT).replace(/-$/, "")}-${id}`;
  const scalar = (text: string) =>
    text
      .replaceAll("{{ $name }}", name)
      .replaceAll("{{ $spec.region }}", xr.spec.region)
      .replaceAll("{{ $spec.version }}", xr.spec.version)
      .replaceAll("{{ toJson $spec.subnetIds }}", JSON.stringify(xr.spec.subnetIds));
  const body = template.split("\n").filter((line) => !line.startsWith("{{- $")).join("\n");
  return scalar(
    body.replace(/\{\{- range (\$\w+)(?:, (\$\w+))? := \$spec\.(\w+) \}\}\n([\s\S]*?)\{\{- end \}\}/g, (_m, first: string, second: string | undefined, list: string, block: string) =>
      (xr.spec as any)[list]
        .map((item: any, index: number) => {
          const [indexVar, itemVar] = second ? [first, second] : [undefined, first];
          let out = block;
          if (indexVar) out = out.replaceAll(`{{ ${indexVar} }}`, String(index));
          if (typeof item === "string") return out.replaceAll(`{{ ${itemVar} }}`, item);
          return out
            .replaceAll(`{{ toJson ${itemVar}.instanceTypes }}`, JSON.stringify(item.instanceTypes))
            .replace(new RegExp(`\\{\\{ \\${itemVar}\\.(\\w+) \\}\\}`, "g"), (_x, field: string) => String(item[field]));
        })
        .join(""),
    ),
  );
}

describe("the KubernetesCluster composition", () => {
  const composition = xClusterComposition(XCLUSTER) as any;
  const template: string = composition.spec.pipeline[0].input.inline.template;
  const xr = {
    name: "team-a-dev",
    namespace: "team-a",
    spec: {
      region: "eu-west-1",
      version: "1.33",
      subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
      adminRoleArns: ["arn:aws:iam::333333333333:role/team-a-admin"],
      nodePools: [
        { name: "general", instanceTypes: ["m6i.large", "m6a.large"], min: 2, max: 6, capacityType: "ON_DEMAND" },
        { name: "batch", instanceTypes: ["c6i.xlarge"], min: 0, max: 10, capacityType: "SPOT" },
      ],
    },
  };
  const rendered = parseAllDocuments(render(template, xr)).map((d) => d.toJS() as any);

  test("is a pipeline: go-templating renders the resources, auto-ready marks the composite ready", () => {
    expect(composition.spec.compositeTypeRef).toEqual({ apiVersion: "platform.meridian.io/v1alpha1", kind: "KubernetesCluster" });
    expect(composition.spec.pipeline.map((s: any) => s.functionRef.name)).toEqual([COMPOSITION_FUNCTIONS.goTemplating.name, COMPOSITION_FUNCTIONS.autoReady.name]);
  });

  test("every composed resource, with template expressions in place, passes its schema", () => {
    xClusterComposedResources(XCLUSTER).forEach((c) => expect(() => validateCrossplaneObject(c.manifest)).not.toThrow());
  });

  test("renders, for a sample KubernetesCluster, to valid YAML of literal objects that pass their schemas", () => {
    expect(render(template, xr)).not.toContain("{{");
    rendered.forEach((object) => expect(() => validateCrossplaneObject(object)).not.toThrow());
    expect(rendered.map((o) => o.kind)).toEqual([
      "Role",
      "RolePolicyAttachment",
      "Role",
      "RolePolicyAttachment",
      "RolePolicyAttachment",
      "RolePolicyAttachment",
      "Cluster",
      "NodeGroup",
      "NodeGroup",
      "AccessEntry",
      "AccessPolicyAssociation",
    ]);
  });

  test("names the cluster xcluster-<name>-<hash of namespace/name> and its roles under /xcluster/, inside IAM's limits and the providers' scope", () => {
    const cluster = rendered.find((o) => o.kind === "Cluster");
    const hash = createHash("sha256").update("team-a/team-a-dev").digest("hex").slice(0, 8);
    expect(cluster.metadata.annotations["crossplane.io/external-name"]).toBe(`xcluster-team-a-dev-${hash}`);
    const roles = rendered.filter((o) => o.kind === "Role");
    roles.forEach((r) => {
      expect(r.spec.forProvider.path).toBe("/xcluster/");
      expect(r.metadata.annotations["crossplane.io/external-name"].length).toBeLessThanOrEqual(64);
    });
    // The longest composite name still fits: the kept characters, prefix, hash and the longest role suffix.
    expect(`${XCLUSTER_SCOPE.clusterNamePrefix}${"x".repeat(NAME_CHARACTERS_KEPT)}-${"0".repeat(NAME_HASH_LENGTH)}-cluster`.length).toBeLessThanOrEqual(64);
    // The template hashes namespace and name with sha256 (sprig), as the render above does.
    expect(template).toContain(`{{- $id := printf "%s/%s" $xr.metadata.namespace $xr.metadata.name | sha256sum | trunc ${NAME_HASH_LENGTH} }}`);
  });

  test("the same composite name in two namespaces gives two AWS names, so one team cannot adopt another's cluster", () => {
    const other = parseAllDocuments(render(template, { ...xr, namespace: "team-b" })).map((d) => d.toJS() as any);
    const externalNames = (objects: any[]) => objects.filter((o) => o.kind === "Cluster" || o.kind === "Role").map((o) => o.metadata.annotations["crossplane.io/external-name"]);
    const mine = externalNames(rendered);
    externalNames(other).forEach((name) => expect(mine).not.toContain(name));
  });

  test("composes the namespaced v2 managed resources, in the composite's namespace, through the cluster-wide ProviderConfig", () => {
    rendered.forEach((o) => {
      expect(o.apiVersion).toMatch(/^(eks|iam)\.aws\.m\.upbound\.io\/v1beta1$/);
      expect(o.metadata).not.toHaveProperty("namespace");
      expect(o.spec.providerConfigRef).toEqual({ kind: "ClusterProviderConfig", name: "default" });
      expect(o.spec).not.toHaveProperty("deletionPolicy");
    });
  });

  test("the v2 API does not reuse the v1 hub's names, so both run side by side while a hub migrates", () => {
    const xrd = xClusterDefinition(XCLUSTER) as any;
    expect(xrd.metadata.name).not.toBe(`${LEGACY_XCLUSTER_API.plural}.${XCLUSTER.group}`);
    expect([xrd.spec.names.kind, xrd.spec.names.plural]).not.toEqual(expect.arrayContaining([LEGACY_XCLUSTER_API.kind, LEGACY_XCLUSTER_API.claimKind]));
    expect(composition.metadata.name).not.toBe(LEGACY_XCLUSTER_API.composition);
    expect(CLUSTER_API.composition).toBe(composition.metadata.name);
    expect(xrd.spec.defaultCompositionRef).toEqual({ name: CLUSTER_API.composition });
  });

  test("the cluster is private, API-authenticated without creator admin, and logs every control-plane type", () => {
    const { forProvider } = rendered.find((o) => o.kind === "Cluster").spec;
    expect(forProvider).toMatchObject({
      region: "eu-west-1",
      version: "1.33",
      vpcConfig: { subnetIds: xr.spec.subnetIds, endpointPrivateAccess: true, endpointPublicAccess: false },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    });
  });

  test("one node group per pool: sizes and instance types from the pool, desired size only at creation", () => {
    const groups = rendered.filter((o) => o.kind === "NodeGroup");
    expect(groups.map((g) => [g.metadata.annotations["crossplane.io/external-name"], g.spec.forProvider.instanceTypes, g.spec.forProvider.scalingConfig, g.spec.initProvider, g.spec.forProvider.capacityType])).toEqual([
      ["general", ["m6i.large", "m6a.large"], { minSize: 2, maxSize: 6 }, { scalingConfig: { desiredSize: 2 } }, "ON_DEMAND"],
      ["batch", ["c6i.xlarge"], { minSize: 0, maxSize: 10 }, { scalingConfig: { desiredSize: 0 } }, "SPOT"],
    ]);
    expect(new Set(groups.map((g) => g.metadata.annotations["gotemplating.fn.crossplane.io/composition-resource-name"])).size).toBe(2);
  });

  test("attaches only the EKS managed policies, and grants each admin role cluster admin through an access entry", () => {
    const policies = rendered.filter((o) => o.kind === "RolePolicyAttachment").map((o) => o.spec.forProvider.policyArn.split("/").pop());
    expect(policies).toEqual(["AmazonEKSClusterPolicy", "AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"]);
    const association = rendered.find((o) => o.kind === "AccessPolicyAssociation");
    expect(association.spec.forProvider).toMatchObject({ principalArn: xr.spec.adminRoleArns[0], accessScope: { type: "cluster" } });
  });

  test("the XRD requires the fields the template reads and validates node pools (min <= max, unique names)", () => {
    const spec = (xClusterDefinition(XCLUSTER) as any).spec.versions[0].schema.openAPIV3Schema.properties.spec;
    expect(spec.required).toEqual(["region", "version", "subnetIds", "nodePools", "adminRoleArns"]);
    expect(spec.properties.nodePools.items.required).toEqual(["name", "instanceTypes", "min", "max"]);
    expect(spec.properties.nodePools.items["x-kubernetes-validations"]).toEqual([{ rule: "self.min <= self.max", message: "min must not exceed max" }]);
    expect(spec.properties.nodePools["x-kubernetes-validations"][0].rule).toContain("exists_one");
    expect(spec.properties.subnetIds.minItems).toBe(2);
  });

  test("the XRD admits admin roles of the hub's account only", () => {
    const pattern = new RegExp((xClusterDefinition(XCLUSTER) as any).spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.adminRoleArns.items.pattern);
    expect(pattern.test("arn:aws:iam::333333333333:role/team-a-admin")).toBe(true);
    expect(pattern.test("arn:aws:iam::444444444444:role/team-a-admin")).toBe(false);
    expect(pattern.test("arn:aws:iam::333333333333:user/someone")).toBe(false);
  });

  test("the template carries no double quote inside an expression the YAML writer could have escaped", () => {
    expect(xClusterTemplate(xClusterComposedResources(XCLUSTER))).not.toMatch(/\\"/);
  });
});

// Crossplane's refusals (bad props) are tested in packages/constructs/src/platform/crossplane/test/.
