import { Testing, type TerraformStack } from "cdktf";
import { parse } from "yaml";
import { type Block, emptyStack, resourcesOf, synthJson } from "../../../../test-support/fixture";
import { helmRelease, helmStack, helmValues } from "../../../../test-support/helm";
import { validateManifest } from "../../../../test-support/manifests";
import { EXTERNAL_DNS_CHART, EXTERNAL_DNS_NAMESPACE, ExternalDns, type ExternalDnsProps } from "..";
import { ExternalDnsExample } from "./usage";

const stack = () => emptyStack();
const synth = (s: TerraformStack) => synthJson(s);
const valuesOf = (release: Block) => parse((release.values as string[])[0]!) as Record<string, unknown>;

/** A Pod that carries a values fragment, so the Kubernetes schema checks the fragment's fields. */
function podWith(spec: Record<string, unknown>): Parameters<typeof validateManifest>[0] {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "probe" }, spec: { containers: [{ name: "probe", image: "probe" }], ...spec } };
}

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


/** GIVEN a stack with a helm provider WHEN external-dns is built with the required props and `overrides` THEN its release and values. */
function synthExternalDns(overrides: Partial<ExternalDnsProps> = {}) {
  const scope = helmStack();
  new ExternalDns(scope, "dns", { ...dnsProps, ...overrides });
  const release = helmRelease(synthJson(scope), "external-dns");
  return { release, values: helmValues(release) };
}

describe("ExternalDns with explicit props", () => {
  test("with the required props: the pinned chart in its namespace, the IRSA annotation, upsert-only, TXT ownership and the zone filter", () => {
    const { release, values } = synthExternalDns();
    expect(release).toMatchObject({ ...EXTERNAL_DNS_CHART, namespace: EXTERNAL_DNS_NAMESPACE });
    expect(values).toMatchObject({
      provider: { name: "aws" },
      serviceAccount: { create: true, name: "external-dns", annotations: { "eks.amazonaws.com/role-arn": dnsProps.roleArn } },
      env: [{ name: "AWS_DEFAULT_REGION", value: "us-east-1" }],
      sources: ["service", "ingress"],
      policy: "upsert-only",
      registry: "txt",
      txtOwnerId: dnsProps.txtOwnerId,
      domainFilters: [],
      extraArgs: ["--zone-id-filter=Z0STAGINGEXAMPLE000001"],
      priorityClassName: "platform-critical",
    });
  });

  test("sources and priorityClassName are rendered as given", () => {
    expect(synthExternalDns({ sources: ["service", "gateway-httproute"], priorityClassName: "workload-high" }).values).toMatchObject({ sources: ["service", "gateway-httproute"], priorityClassName: "workload-high" });
  });

  test("chart replaces the pin; values are deep-merged (objects merge, arrays replace)", () => {
    const chart = { repository: "https://charts.example.com", chart: "external-dns", version: "9.9.9" };
    const { release, values } = synthExternalDns({ chart, values: { serviceAccount: { labels: { team: "a" } }, sources: ["ingress"], interval: "5m" } });
    expect(release).toMatchObject(chart);
    expect(values.serviceAccount).toEqual({ create: true, name: "external-dns", annotations: { "eks.amazonaws.com/role-arn": dnsProps.roleArn }, labels: { team: "a" } });
    expect(values).toMatchObject({ sources: ["ingress"], interval: "5m" });
  });

  test("throws when the role is not a role ARN", () => {
    expect(() => new ExternalDns(helmStack(), "dns", { ...dnsProps, roleArn: "arn:aws:iam::222222222222:user/dns" })).toThrow(
      'ExternalDns meridian-staging-us-east-1: roleArn "arn:aws:iam::222222222222:user/dns" must be an IAM role ARN',
    );
  });

  test("the README's usage example synthesizes (snapshot)", () => {
    expect(synthJson(new ExternalDnsExample(Testing.app(), "example"))).toMatchSnapshot();
  });
});
