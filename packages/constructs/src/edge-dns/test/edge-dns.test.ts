import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { awsStack, resourcesOf, synthJson, type SynthesizedJson } from "../../../test-support/fixture";
import { RegionalIngress, type IRegionalIngress } from "../../regional-ingress";
import { EdgeDns, type EdgeDnsProps } from "..";
import { EdgeDnsExample } from "./usage";

const dnsProps: EdgeDnsProps = {
  hostedZoneId: "Z0PRODUCTIONEXAMPLE001",
  recordName: "app.example.com",
  accelerator: { dnsName: "a0123456789abcdef.awsglobalaccelerator.com", hostedZoneId: "Z2BJ6XQ5FK7U4H" },
};

/** An NLB with a TLS-speaking listener on 443. */
const nlb = (region: string, dnsName: string, zoneId: string): IRegionalIngress => ({
  region,
  loadBalancerArn: `arn:aws:elasticloadbalancing:${region}:123456789012:loadbalancer/net/meridian-test/0123456789abcdef`,
  dnsName,
  zoneId,
  listenerPort: 443,
  listenerProtocol: "TCP",
  listenerHealthCheckProtocols: ["TCP", "HTTPS"],
});

type Latency = NonNullable<EdgeDnsProps["latency"]>;
const latencyProps: Latency = {
  recordName: "direct.app.example.com",
  loadBalancers: [{ ingress: nlb("us-east-1", "nlb-use1.elb.us-east-1.amazonaws.com", "Z26RNL4JYFTOTI") }, { ingress: nlb("eu-west-1", "nlb-euw1.elb.eu-west-1.amazonaws.com", "Z2IFOLAFXWLO4F") }],
  protocol: "HTTPS",
  port: 443,
  path: "/healthz",
};

/** GIVEN a stack with the AWS provider WHEN EdgeDns is built with `overrides` (and latency records with `latency`) THEN the stack's JSON. */
function edgeDns(overrides: Partial<EdgeDnsProps> = {}, latency?: Partial<Latency>): SynthesizedJson {
  const { stack: scope } = awsStack();
  new EdgeDns(scope, "dns", { ...dnsProps, ...overrides, ...(latency ? { latency: { ...latencyProps, ...latency } } : {}) });
  return synthJson(scope);
}

describe("EdgeDns rejects bad settings", () => {
  test("throws when the latency record name equals the record name", () => {
    expect(() => edgeDns({}, { recordName: "app.example.com" })).toThrow(
      'EdgeDns app.example.com: latency.recordName "app.example.com" must differ from recordName: one name cannot be both an alias and latency records',
    );
  });

  test.each(["HTTP", "HTTPS"] as const)("throws when an %s latency health check has no path", (protocol) => {
    expect(() => edgeDns({}, { protocol, path: undefined })).toThrow(`EdgeDns app.example.com: latency.path undefined is required for ${protocol} health checks`);
  });

  test("throws when the health check interval is 20 seconds", () => {
    expect(() => edgeDns({}, { intervalSeconds: 20 })).toThrow("EdgeDns app.example.com: latency.intervalSeconds 20 must be 10 or 30 (Route 53 health check intervals)");
  });

  test.each([0, 11])("throws when the failure threshold is %p", (failureThreshold) => {
    expect(() => edgeDns({}, { failureThreshold })).toThrow(`EdgeDns app.example.com: latency.failureThreshold ${failureThreshold} must be 1-10`);
  });

  test("throws when no load balancer is given", () => {
    expect(() => edgeDns({}, { loadBalancers: [] })).toThrow("EdgeDns app.example.com: latency.loadBalancers [] must list at least one regional NLB");
  });
});

describe("EdgeDns rejects inconsistent latency settings", () => {
  test("throws when a region appears twice", () => {
    expect(() => edgeDns({}, { loadBalancers: [latencyProps.loadBalancers[0]!, latencyProps.loadBalancers[0]!] })).toThrow('latency.loadBalancers "us-east-1" appears twice');
  });

  test("throws when the health check path is relative", () => {
    expect(() => edgeDns({}, { path: "healthz" })).toThrow('latency.path "healthz" must be an absolute HTTP path');
  });

  test("throws when the health check port is 0", () => {
    expect(() => edgeDns({}, { port: 0 })).toThrow("latency.port 0 must be 1-65535");
  });

  test("throws when the health check port is not the NLB's listener port (Route 53 reaches it through its listener)", () => {
    expect(() => edgeDns({}, { port: 8443 })).toThrow(
      "EdgeDns app.example.com: latency.port 8443 must be the NLB's listener port 443: health checks reach the endpoint through the same listener as traffic (latency.loadBalancers[us-east-1])",
    );
  });

  test("throws when an HTTP check would meet TLS at the listener", () => {
    expect(() => edgeDns({}, { protocol: "HTTP" })).toThrow(
      'EdgeDns app.example.com: latency.protocol "HTTP" cannot succeed: the NLB listener passes TLS through to the pods, so the listener port speaks TLS; use HTTPS (or TCP) (latency.loadBalancers[us-east-1])',
    );
  });
});

describe("EdgeDns records", () => {
  const aliasTo = { name: dnsProps.accelerator.dnsName, zone_id: dnsProps.accelerator.hostedZoneId, evaluate_target_health: true };

  test("a dual-stack accelerator (ipv6) gets an A and an AAAA alias", () => {
    const records = resourcesOf(edgeDns({ ipv6: true }), "aws_route53_record");
    expect(records.map((r) => r.type).sort()).toEqual(["A", "AAAA"]);
    records.forEach((r) => expect(r).toMatchObject({ zone_id: dnsProps.hostedZoneId, name: "app.example.com", alias: aliasTo }));
  });

  test("an IPv4 accelerator gets only an A alias", () => {
    expect(resourcesOf(edgeDns(), "aws_route53_record")).toEqual([expect.objectContaining({ type: "A", name: "app.example.com", alias: aliasTo })]);
  });

  test("without latency there are no health checks and no latency records", () => {
    const json = edgeDns({ ipv6: true });
    expect(resourcesOf(json, "aws_route53_health_check")).toEqual([]);
    expect(resourcesOf(json, "aws_route53_record").filter((r) => r.set_identifier !== undefined)).toEqual([]);
  });

  describe("with latency", () => {
    const json = edgeDns({}, {});
    const checks = json.resource.aws_route53_health_check ?? {};
    const latencyRecords = resourcesOf(json, "aws_route53_record").filter((r) => r.name === latencyProps.recordName);
    /** Logical id of the health check of the NLB with this DNS name. */
    const checkIdOf = (fqdn: string) => Object.entries(checks).find(([, c]) => c.fqdn === fqdn)?.[0];

    test("one health check and one latency record per region", () => {
      expect(Object.values(checks).map((c) => c.fqdn).sort()).toEqual(latencyProps.loadBalancers.map((lb) => lb.ingress.dnsName).sort());
      expect(latencyRecords.map((r) => r.set_identifier).sort()).toEqual(["eu-west-1", "us-east-1"]);
    });

    test.each(latencyProps.loadBalancers.map((lb) => [lb.ingress.region, lb.ingress]))("the %s record routes by latency to its NLB and is guarded by its own health check", (region, lb) => {
      const record = latencyRecords.find((r) => r.set_identifier === region)!;
      const checkId = checkIdOf(lb.dnsName);
      expect(checkId).toBeDefined();
      expect(record).toMatchObject({
        zone_id: dnsProps.hostedZoneId,
        type: "A",
        set_identifier: region,
        latency_routing_policy: { region },
        health_check_id: `\${aws_route53_health_check.${checkId}.id}`,
        alias: { name: lb.dnsName, zone_id: lb.zoneId, evaluate_target_health: true },
      });
    });

    test("HTTPS health checks send SNI and request the path", () => {
      expect(Object.values(checks)).toHaveLength(latencyProps.loadBalancers.length);
      Object.values(checks).forEach((c) =>
        expect(c).toMatchObject({ type: "HTTPS", port: 443, resource_path: "/healthz", enable_sni: true, request_interval: 30, failure_threshold: 3, measure_latency: true }),
      );
    });

    test("a region that is not drained keeps its health check as is", () => {
      Object.values(checks).forEach((c) => expect(c.invert_healthcheck).toBeUndefined());
    });
  });

  test("TCP health checks have neither a resource path nor SNI", () => {
    const checks = resourcesOf(edgeDns({}, { protocol: "TCP", path: "/ignored", intervalSeconds: 10, failureThreshold: 2 }), "aws_route53_health_check");
    expect(checks).toHaveLength(2);
    checks.forEach((c) => {
      expect(c).toMatchObject({ type: "TCP", port: 443, request_interval: 10, failure_threshold: 2 });
      expect(c.resource_path).toBeUndefined();
      expect(c.enable_sni).toBeUndefined();
    });
  });

  test("a drained region's health check is inverted, so Route 53 stops answering with its record", () => {
    const [first, second] = latencyProps.loadBalancers;
    const checks = resourcesOf(edgeDns({}, { loadBalancers: [{ ...first!, drained: true }, second!] }), "aws_route53_health_check");
    const inverted = Object.fromEntries(checks.map((c) => [c.fqdn, c.invert_healthcheck]));
    expect(inverted).toEqual({ [first!.ingress.dnsName]: true, [second!.ingress.dnsName]: undefined });
  });

  test("a RegionalIngress.fromIngressAttributes handle is a latency target", () => {
    const { stack } = awsStack();
    const ingress = RegionalIngress.fromIngressAttributes(stack, "nlb", { region: "eu-west-1", loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/x/1", dnsName: "x.elb.eu-west-1.amazonaws.com", zoneId: "Z2IFOLAFXWLO4F", listenerPort: 443 });
    new EdgeDns(stack, "dns", { ...dnsProps, latency: { ...latencyProps, loadBalancers: [{ ingress }] } });
    const record = resourcesOf(synthJson(stack), "aws_route53_record").find((r) => r.set_identifier === "eu-west-1");
    expect(record).toMatchObject({ alias: { name: "x.elb.eu-west-1.amazonaws.com", zone_id: "Z2IFOLAFXWLO4F" } });
  });

  test("provider places the records and health checks with that provider", () => {
    const { stack } = awsStack();
    const other = new AwsProvider(stack, "dns-account", { region: "us-east-1", alias: "dns" });
    new EdgeDns(stack, "dns", { ...dnsProps, latency: latencyProps, provider: other });
    const json = synthJson(stack);
    [...resourcesOf(json, "aws_route53_record"), ...resourcesOf(json, "aws_route53_health_check")].forEach((r) => expect(r.provider).toBe("aws.dns"));
  });
});

test("the README's usage example synthesizes (snapshot)", () => {
  expect(synthJson(new EdgeDnsExample(Testing.app(), "example"))).toMatchSnapshot();
});
