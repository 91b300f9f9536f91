import { TerraformStack, TerraformVariable } from "cdktf";
import { EdgeDns, type EdgeDnsProps } from "@meridian/constructs";
import { GlobalAccelerator, type GlobalAcceleratorProps, type RegionalEndpoint } from "@meridian/constructs";
import { awsStack, resourcesOf, synthJson, type Block, type SynthesizedJson } from "../helpers";

const nlbArn = (region: string) => `arn:aws:elasticloadbalancing:${region}:123456789012:loadbalancer/net/meridian-test/0123456789abcdef`;
const REGIONS = ["us-east-1", "eu-west-1"];

const acceleratorProps: GlobalAcceleratorProps = {
  name: "meridian-test",
  listeners: [{ port: 443 }],
  requiredRegions: REGIONS,
  endpoints: REGIONS.map((region) => ({ region, loadBalancerArn: nlbArn(region) })),
  flowLogs: { bucketName: "meridian-test-flow-logs", prefix: "global-accelerator" },
};

/** The accelerator built in `scope` (a stack with the AWS provider). */
function accelerator(overrides: Partial<GlobalAcceleratorProps> = {}, scope: TerraformStack = awsStack().stack): TerraformStack {
  new GlobalAccelerator(scope, "accelerator", { ...acceleratorProps, ...overrides });
  return scope;
}

/** The default endpoints with one region's endpoint changed. */
function endpointsWith(region: string, change: Partial<RegionalEndpoint>): RegionalEndpoint[] {
  return acceleratorProps.endpoints.map((e) => (e.region === region ? { ...e, ...change } : e));
}

describe("GlobalAccelerator rejects bad settings", () => {
  test.each(["meridian_test", "-meridian", "meridian-", "", "x".repeat(65)])("throws when the name is %j", (name) => {
    expect(() => accelerator({ name })).toThrow(
      `GlobalAccelerator ${name}: name ${JSON.stringify(name)} must be 1-64 letters, digits or hyphens, not starting or ending with a hyphen`,
    );
  });

  test("accepts a 64-character name", () => {
    expect(() => accelerator({ name: "x".repeat(64) })).not.toThrow();
  });

  test("throws when there is no listener", () => {
    expect(() => accelerator({ listeners: [] })).toThrow("GlobalAccelerator meridian-test: listeners [] must name at least one listener");
  });

  test("throws when a required region has no endpoint", () => {
    expect(() => accelerator({ endpoints: acceleratorProps.endpoints.slice(0, 1) })).toThrow(
      'GlobalAccelerator meridian-test: endpoints ["us-east-1"] has no endpoint group for eu-west-1; every region of the environment needs one',
    );
  });

  test("throws when a region has two endpoints", () => {
    expect(() => accelerator({ endpoints: [...acceleratorProps.endpoints, { region: "us-east-1", loadBalancerArn: nlbArn("us-east-1") }] })).toThrow(
      'GlobalAccelerator meridian-test: endpoints "us-east-1" appears twice; each region has exactly one endpoint group per listener',
    );
  });

  test.each([-1, 101, 12.5])("throws when a traffic dial is %p", (dial) => {
    expect(() => accelerator({ endpoints: endpointsWith("eu-west-1", { trafficDialPercentage: dial }) })).toThrow(
      `GlobalAccelerator meridian-test: endpoints[eu-west-1].trafficDialPercentage ${dial} must be 0-100`,
    );
  });

  test.each([256, -1])("throws when an endpoint weight is %p", (weight) => {
    expect(() => accelerator({ endpoints: endpointsWith("us-east-1", { weight }) })).toThrow(
      `GlobalAccelerator meridian-test: endpoints[us-east-1].weight ${weight} must be 0-255`,
    );
  });

  test("throws when every traffic dial is 0", () => {
    expect(() => accelerator({ endpoints: acceleratorProps.endpoints.map((e) => ({ ...e, trafficDialPercentage: 0 })) })).toThrow(
      'GlobalAccelerator meridian-test: endpoints ["us-east-1=0","eu-west-1=0"] set every traffic dial to 0: the accelerator would accept no traffic',
    );
  });

  test.each(["HTTP", "HTTPS"] as const)("throws when an %s health check has no path", (protocol) => {
    expect(() => accelerator({ healthCheck: { protocol } })).toThrow(`GlobalAccelerator meridian-test: healthCheck.path undefined is required for an ${protocol} health check`);
  });

  test("throws when the health check path is relative", () => {
    expect(() => accelerator({ healthCheck: { protocol: "HTTPS", path: "healthz" } })).toThrow(
      'GlobalAccelerator meridian-test: healthCheck.path "healthz" must be an absolute HTTP path such as /healthz',
    );
  });

  test("throws when the health check path has characters or a length Global Accelerator refuses", () => {
    expect(() => accelerator({ healthCheck: { protocol: "HTTPS", path: "/health(z)" } })).toThrow('healthCheck.path "/health(z)" must be an absolute HTTP path such as /healthz that Global Accelerator accepts: at most 255 characters');
    expect(() => accelerator({ healthCheck: { protocol: "HTTPS", path: `/${"a".repeat(255)}` } })).toThrow("at most 255 characters");
  });

  test("throws when the health check interval is 20 seconds", () => {
    expect(() => accelerator({ healthCheck: { intervalSeconds: 20 } })).toThrow("GlobalAccelerator meridian-test: healthCheck.intervalSeconds 20 must be 10 or 30");
  });

  test.each([0, 11])("throws when the health check threshold is %p", (thresholdCount) => {
    expect(() => accelerator({ healthCheck: { thresholdCount } })).toThrow(`GlobalAccelerator meridian-test: healthCheck.thresholdCount ${thresholdCount} must be 1-10`);
  });

  test("throws when the health check port is not a listener port", () => {
    expect(() => accelerator({ listeners: [{ port: 443 }, { port: 8443 }], healthCheck: { port: 80 } })).toThrow(
      "GlobalAccelerator meridian-test: healthCheck.port 80 must be one of the listener ports (443, 8443): the endpoints are only reachable there",
    );
  });

  test.each([
    ["an Application Load Balancer ARN", "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/meridian-test/0123456789abcdef"],
    ["not an ARN", "meridian-test-nlb"],
    ["an NLB ARN without an account id", "arn:aws:elasticloadbalancing:us-east-1::loadbalancer/net/meridian-test/0123456789abcdef"],
  ])("throws when the load balancer ARN is %s", (_what, arn) => {
    expect(() => accelerator({ endpoints: endpointsWith("us-east-1", { loadBalancerArn: arn }) })).toThrow(
      `GlobalAccelerator meridian-test: endpoints[us-east-1].loadBalancerArn ${JSON.stringify(arn)} must be a Network Load Balancer ARN`,
    );
  });

  test.each([0, 65536])("throws when a listener port is %p", (port) => {
    expect(() => accelerator({ listeners: [{ port }] })).toThrow(`GlobalAccelerator meridian-test: listeners[0].port ${port} must be 1-65535`);
  });
});

describe("GlobalAccelerator accepts", () => {
  test("a token (a Terraform variable's value) as a load balancer ARN, passed through unchanged", () => {
    // GIVEN an endpoint whose ARN is only known at apply time
    const { stack: scope } = awsStack();
    const arn = new TerraformVariable(scope, "nlb_arn", { type: "string" });

    // WHEN the accelerator is built and synthesized
    const json = synthJson(accelerator({ endpoints: endpointsWith("us-east-1", { loadBalancerArn: arn.stringValue }) }, scope));

    // THEN the us-east-1 endpoint refers to the variable, the other keeps its literal ARN
    const groups = resourcesOf(json, "aws_globalaccelerator_endpoint_group");
    const endpointOf = (region: string) => (groups.find((g) => g.endpoint_group_region === region)!.endpoint_configuration as Block[])[0]!.endpoint_id;
    expect(endpointOf("us-east-1")).toBe("${var.nlb_arn}");
    expect(endpointOf("eu-west-1")).toBe(nlbArn("eu-west-1"));
  });

  test("draining one region: its dial is 0, the other's stays 100", () => {
    const json = synthJson(accelerator({ endpoints: endpointsWith("eu-west-1", { trafficDialPercentage: 0 }) }));
    const dials = Object.fromEntries(resourcesOf(json, "aws_globalaccelerator_endpoint_group").map((g) => [g.endpoint_group_region, g.traffic_dial_percentage]));
    expect(dials).toEqual({ "us-east-1": 100, "eu-west-1": 0 });
  });
});

const dnsProps: EdgeDnsProps = {
  hostedZoneId: "Z0PRODUCTIONEXAMPLE001",
  recordName: "app.example.com",
  accelerator: { dnsName: "a0123456789abcdef.awsglobalaccelerator.com", hostedZoneId: "Z2BJ6XQ5FK7U4H" },
};

type Latency = NonNullable<EdgeDnsProps["latency"]>;
const latencyProps: Latency = {
  recordName: "direct.app.example.com",
  loadBalancers: [
    { region: "us-east-1", dnsName: "nlb-use1.elb.us-east-1.amazonaws.com", zoneId: "Z26RNL4JYFTOTI" },
    { region: "eu-west-1", dnsName: "nlb-euw1.elb.eu-west-1.amazonaws.com", zoneId: "Z2IFOLAFXWLO4F" },
  ],
  protocol: "HTTPS",
  port: 443,
  path: "/healthz",
};

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
      expect(Object.values(checks).map((c) => c.fqdn).sort()).toEqual(latencyProps.loadBalancers.map((lb) => lb.dnsName).sort());
      expect(latencyRecords.map((r) => r.set_identifier).sort()).toEqual(["eu-west-1", "us-east-1"]);
    });

    test.each(latencyProps.loadBalancers.map((lb) => [lb.region, lb]))("the %s record routes by latency to its NLB and is guarded by its own health check", (region, lb) => {
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
});

describe("GlobalAccelerator rejects inconsistent endpoints and listeners", () => {
  test("throws when an endpoint's NLB lives in another region than its group", () => {
    expect(() => accelerator({ endpoints: endpointsWith("eu-west-1", { loadBalancerArn: nlbArn("us-east-1") }) })).toThrow(
      `GlobalAccelerator meridian-test: endpoints[eu-west-1].loadBalancerArn "${nlbArn("us-east-1")}" is in us-east-1; an endpoint group only takes load balancers of its own region`,
    );
  });

  test("throws when an endpoint names a region outside the environment", () => {
    const endpoints = [...acceleratorProps.endpoints, { region: "ap-south-1", loadBalancerArn: nlbArn("ap-south-1") }];
    expect(() => accelerator({ endpoints })).toThrow('endpoints "ap-south-1" is not one of the environment\'s regions (us-east-1, eu-west-1)');
  });

  test("throws when a TCP health check is given a path", () => {
    expect(() => accelerator({ healthCheck: { protocol: "TCP", path: "/healthz" } })).toThrow('healthCheck.path "/healthz" only applies to HTTP and HTTPS health checks');
  });

  test("throws when two listeners share a port", () => {
    expect(() => accelerator({ listeners: [{ port: 443 }, { port: 443, protocol: "UDP" }] })).toThrow("listeners[1].port 443 is used by another listener");
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
});
