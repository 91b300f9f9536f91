import { Testing } from "cdktf";
import { emptyStack, synthJson } from "../../../../test-support/fixture";
import { helmRelease, helmStack, helmValues } from "../../../../test-support/helm";
import { CROSSPLANE_CHART, Crossplane, crossplaneValues, type CrossplaneProps, type XClusterApiProps } from "..";
import { CrossplaneExample } from "./usage";

const XCLUSTER: XClusterApiProps = { group: "platform.meridian.io", regions: ["eu-west-1", "us-east-1", "us-west-2"], kubernetesVersions: ["1.32", "1.33"], partition: "aws", accountId: "333333333333" };
const PROPS: CrossplaneProps = {
  providerRoleArns: { eks: "arn:aws:iam::333333333333:role/x-crossplane-eks", iam: "arn:aws:iam::333333333333:role/x-crossplane-iam" },
  xcluster: XCLUSTER,
};

/** GIVEN a stack with a helm provider WHEN Crossplane is built with `props` THEN its three releases. */
function synthCrossplane(props: Partial<CrossplaneProps> = {}) {
  const stack = helmStack();
  const crossplane = new Crossplane(stack, "c", { ...PROPS, ...props });
  const json = synthJson(stack);
  return { crossplane, chart: helmRelease(json, "crossplane"), packages: helmRelease(json, "crossplane-packages"), apis: helmRelease(json, "crossplane-apis") };
}

describe("Crossplane", () => {
  test("with the required props: the pinned chart with 2 replicas, then the packages (900 s wait job), then the APIs", () => {
    const { crossplane, chart, packages, apis } = synthCrossplane();
    expect(chart).toMatchObject({ ...CROSSPLANE_CHART, namespace: "crossplane-system" });
    expect(helmValues(chart)).toMatchObject({ replicas: 2, rbacManager: { replicas: 2 }, provider: { defaultActivations: [] } });
    expect(packages).toMatchObject({ wait_for_jobs: true, timeout: 1200 });
    expect(packages.depends_on).toEqual([expect.stringMatching(/^helm_release\.c_chart_release_/)]);
    expect(apis.depends_on).toEqual([expect.stringMatching(/^helm_release\.c_packages_/)]);
    expect(crossplane.values).toEqual(helmValues(chart));
  });

  test("each service provider's runtime config carries its IRSA role", () => {
    const manifests = helmValues(synthCrossplane().packages).manifests as { kind: string; metadata: { name: string }; spec?: unknown }[];
    const runtimeConfigs = manifests.filter((m) => m.kind === "DeploymentRuntimeConfig");
    expect(JSON.stringify(runtimeConfigs)).toContain(PROPS.providerRoleArns.eks);
    expect(JSON.stringify(runtimeConfigs)).toContain(PROPS.providerRoleArns.iam);
  });

  test("replicas, packageTimeoutSeconds, chart and values are rendered as given", () => {
    const chartPin = { repository: "https://charts.example.com", chart: "crossplane", version: "9.9.9" };
    const { chart, packages } = synthCrossplane({ replicas: 3, packageTimeoutSeconds: 120, chart: chartPin, values: { metrics: { enabled: true } } });
    expect(chart).toMatchObject(chartPin);
    expect(helmValues(chart)).toMatchObject({ replicas: 3, rbacManager: { replicas: 3 }, metrics: { enabled: true } });
    expect(packages.timeout).toBe(420);
  });

  test("the xcluster group names the KubernetesCluster definition", () => {
    const manifests = helmValues(synthCrossplane({ xcluster: { ...XCLUSTER, group: "platform.example.com" } }).apis).manifests as { kind: string; metadata: { name: string } }[];
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toContain("CompositeResourceDefinition/kubernetesclusters.platform.example.com");
  });
});

describe("Crossplane: bad props", () => {
  const stack = () => emptyStack();

  test("throws when a service provider has no IRSA role, naming the provider", () => {
    expect(() => new Crossplane(stack(), "c", { ...PROPS, providerRoleArns: { eks: PROPS.providerRoleArns.eks! } })).toThrow(/providerRoleArns\.iam "" must be the literal IRSA role ARN of provider-aws-iam/);
  });

  test("throws when fewer than 2 replicas are asked for", () => {
    expect(() => new Crossplane(stack(), "c", { ...PROPS, replicas: 1 })).toThrow('Crossplane "c": replicas is 1; at least 2');
  });

  test("throws when the KubernetesCluster account id is not a literal account id", () => {
    expect(() => new Crossplane(stack(), "c", { ...PROPS, xcluster: { ...XCLUSTER, accountId: "hub" } })).toThrow('KubernetesCluster API: accountId "hub" must be a literal 12-digit AWS account id');
  });

  test("throws when the KubernetesCluster group is not a DNS subdomain with a dot", () => {
    expect(() => new Crossplane(stack(), "c", { ...PROPS, xcluster: { ...XCLUSTER, group: "platform" } })).toThrow(/KubernetesCluster API: group "platform" must be a DNS subdomain/);
  });

  test("throws when the package timeout is too short to pull a provider", () => {
    expect(() => new Crossplane(stack(), "c", { ...PROPS, packageTimeoutSeconds: 10 })).toThrow(/packageTimeoutSeconds is 10/);
  });

  test("crossplaneValues spreads core and RBAC manager by their own pod labels", () => {
    const values = crossplaneValues(3) as { rbacManager: { topologySpreadConstraints: { labelSelector: { matchLabels: unknown } }[] } };
    expect(values.rbacManager.topologySpreadConstraints[0]!.labelSelector.matchLabels).toEqual({ app: "crossplane-rbac-manager", release: "crossplane" });
  });
});

test("the README's usage example synthesizes (snapshot)", () => {
  expect(synthJson(new CrossplaneExample(Testing.app(), "example"))).toMatchSnapshot();
});
