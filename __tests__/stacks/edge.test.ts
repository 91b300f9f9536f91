import { App } from "cdktf";
import { RegionalIngress } from "@meridian/constructs";
import { EdgeStack } from "../../stacks/edge-stack";
import { RegionalStack } from "../../stacks/regional-stack";
import { REPLACEMENT_ARGUMENTS } from "../../src/verification/replacement-attributes";
import { diffStacks, onlyResourceOf, resourcesOf, synthStacks, validCatalogue, type Block } from "../helpers";

const stacks = synthStacks();
const production = stacks.get("production-edge")!;
const staging = stacks.get("staging-edge")!;

const only = onlyResourceOf;
const remoteNlb = (stack: string, attribute: string) =>
  new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${stack}\\.outputs\\.cross-stack-output-aws_lbingress_nlb_[0-9A-F]+${attribute}\\}$`);

describe("edge stack: the accelerator", () => {
  test("has flow logs on, into the hardened flow-log bucket (rule 43)", () => {
    const accelerator = only(production, "aws_globalaccelerator_accelerator");
    expect(accelerator).toMatchObject({
      name: "meridian-production",
      ip_address_type: "IPV4",
      enabled: true,
      attributes: { flow_logs_enabled: true, flow_logs_s3_prefix: "global-accelerator" },
    });
    expect((accelerator.attributes as Block).flow_logs_s3_bucket).toMatch(/^\$\{aws_s3_bucket\.flow-logs_bucket_[\w]+\.bucket\}$/);
    expect(accelerator.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_policy\.flow-logs_bucket_policy/)]);
  });

  test("listens on TCP 443 without client affinity by default", () => {
    expect(only(production, "aws_globalaccelerator_listener")).toMatchObject({ protocol: "TCP", client_affinity: "NONE", port_range: [{ from_port: 443, to_port: 443 }] });
  });

  test("has one endpoint group per region, each in its own region on that region's NLB (rule 44)", () => {
    const groups = resourcesOf(production, "aws_globalaccelerator_endpoint_group");
    expect(groups.map((g) => g.endpoint_group_region).sort()).toEqual(["eu-west-1", "us-east-1"]);
    for (const group of groups) {
      const region = group.endpoint_group_region as string;
      expect(group).toMatchObject({
        health_check_protocol: "HTTPS",
        health_check_path: "/healthz",
        health_check_port: 443,
        health_check_interval_seconds: 10,
        threshold_count: 3,
        traffic_dial_percentage: 100,
      });
      expect(group.endpoint_configuration).toEqual([
        { endpoint_id: expect.stringMatching(remoteNlb(`production-regional-${region}`, "arn")), weight: 128, client_ip_preservation_enabled: true },
      ]);
    }
  });

  test("a TCP health check carries no path", () => {
    const groups = resourcesOf(staging, "aws_globalaccelerator_endpoint_group");
    expect(groups.map((g) => g.endpoint_group_region).sort()).toEqual(["us-east-1", "us-west-2"]);
    for (const group of groups) {
      expect(group).toMatchObject({ health_check_protocol: "TCP", health_check_port: 443 });
      expect(group.health_check_path).toBeUndefined();
    }
  });

  test("outputs the static IPs and the DNS name", () => {
    expect(production.output!.accelerator_dns_name!.value).toMatch(/aws_globalaccelerator_accelerator\.[\w-]+\.dns_name/);
    expect(production.output!.accelerator_static_ips!.value).toMatch(/aws_globalaccelerator_accelerator\.[\w-]+\.ip_sets\[0\]\.ip_addresses/);
    expect(production.output!.dns_name!.value).toBe("app.meridian.example.com");
  });
});

describe("edge stack: the flow-log bucket", () => {
  test("is hardened and admits only log delivery for this account under the prefix", () => {
    const bucket = only(production, "aws_s3_bucket");
    expect(bucket.bucket).toBe("meridian-production-accelerator-flow-logs-333333333333");
    expect(only(production, "aws_s3_bucket_public_access_block")).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    const policy = Object.entries(production.data!.aws_iam_policy_document!).find(([id]) => id.startsWith("flow-logs_bucket_policy"))![1];
    const write = (policy.statement as Block[]).find((s) => s.sid === "LogDeliveryWritesFlowLogs")!;
    expect(write.resources).toEqual(["arn:${data.aws_partition.partition.partition}:s3:::meridian-production-accelerator-flow-logs-333333333333/global-accelerator/AWSLogs/333333333333/*"]);
    expect(write.condition).toEqual(
      expect.arrayContaining([
        { test: "StringEquals", variable: "aws:SourceAccount", values: ["333333333333"] },
        { test: "StringEquals", variable: "s3:x-amz-acl", values: ["bucket-owner-full-control"] },
      ]),
    );
    expect(only(production, "aws_kms_key")).toMatchObject({ enable_key_rotation: true });
  });
});

describe("edge stack: Route 53", () => {
  test("an alias record points the configured name at the accelerator", () => {
    const alias = resourcesOf(production, "aws_route53_record").find((r) => r.name === "app.meridian.example.com")!;
    expect(alias).toMatchObject({ zone_id: "Z0PRODUCTIONEXAMPLE001", type: "A" });
    expect(alias.alias).toEqual({
      name: expect.stringMatching(/aws_globalaccelerator_accelerator\.[\w-]+\.dns_name/),
      zone_id: expect.stringMatching(/aws_globalaccelerator_accelerator\.[\w-]+\.hosted_zone_id\}$/),
      evaluate_target_health: true,
    });
  });

  test("latency records reach each region's NLB directly, each behind its own health check (rule 45)", () => {
    const records = resourcesOf(production, "aws_route53_record").filter((r) => r.name === "direct.app.meridian.example.com");
    expect(records.map((r) => r.set_identifier).sort()).toEqual(["eu-west-1", "us-east-1"]);
    const checks = resourcesOf(production, "aws_route53_health_check");
    expect(checks).toHaveLength(2);
    for (const check of checks) {
      expect(check).toMatchObject({ type: "HTTPS", port: 443, resource_path: "/healthz", request_interval: 10, failure_threshold: 3, enable_sni: true, measure_latency: true });
    }
    for (const record of records) {
      const region = record.set_identifier as string;
      expect(record.latency_routing_policy).toEqual({ region });
      expect(record.alias).toEqual({
        name: expect.stringMatching(remoteNlb(`production-regional-${region}`, "dns_name")),
        zone_id: expect.stringMatching(remoteNlb(`production-regional-${region}`, "zone_id")),
        evaluate_target_health: true,
      });
      expect(record.health_check_id).toMatch(new RegExp(`aws_route53_health_check\\.dns_health-${region}_`));
    }
  });

  test("staging has the alias only", () => {
    expect(resourcesOf(staging, "aws_route53_record").map((r) => r.name)).toEqual(["staging.meridian.example.com"]);
    expect(resourcesOf(staging, "aws_route53_health_check")).toEqual([]);
  });
});

describe("draining a region is configuration", () => {
  // GIVEN production with eu-west-1's dial at 0
  const drained = synthStacks(validCatalogue((raw) => (raw.environments[1]!.edge!.trafficDials["eu-west-1"] = 0)));

  test("changes two arguments: the drained region's traffic dial and the inversion of its latency record's health check", () => {
    // THEN the only differences anywhere are that endpoint group's dial and that health check's inversion
    // (resources and data sources both ways, outputs, providers and the backend)
    expect(diffStacks(production, drained.get("production-edge")!)).toEqual([
      "resource.aws_globalaccelerator_endpoint_group.accelerator_listener-443-eu-west-1.traffic_dial_percentage",
      "resource.aws_route53_health_check.dns_health-eu-west-1.invert_healthcheck",
    ]);
    const group = resourcesOf(drained.get("production-edge")!, "aws_globalaccelerator_endpoint_group").find((g) => g.endpoint_group_region === "eu-west-1")!;
    expect(group.traffic_dial_percentage).toBe(0);
    // the check of the drained region is inverted (Route 53 stops answering with its record); the other is not
    const checks = resourcesOf(drained.get("production-edge")!, "aws_route53_health_check");
    expect(Object.fromEntries(checks.map((c) => [(c.tags as Block).Name, c.invert_healthcheck ?? false]))).toEqual({
      "direct.app.meridian.example.com-us-east-1": false,
      "direct.app.meridian.example.com-eu-west-1": true,
    });
  });

  test("the replacement table does not list invert_healthcheck: it updates in place", () => {
    expect(REPLACEMENT_ARGUMENTS.aws_route53_health_check).not.toContain("invert_healthcheck");
  });

  test("the replacement table does not list traffic_dial_percentage", () => {
    expect(REPLACEMENT_ARGUMENTS.aws_globalaccelerator_endpoint_group).not.toContain("traffic_dial_percentage");
  });

  test("no other stack changes", () => {
    expect([...drained.keys()].sort()).toEqual([...stacks.keys()].sort());
    for (const [name, json] of stacks) {
      if (name !== "production-edge") {
        expect([name, diffStacks(json, drained.get(name)!)]).toEqual([name, []]);
      }
    }
  });
});

describe("the primary flip", () => {
  test("leaves the edge stacks untouched", () => {
    const flipped = synthStacks(
      validCatalogue((raw) => {
        for (const env of raw.environments) {
          [env.primaryRegion, env.secondaryRegion] = [env.secondaryRegion, env.primaryRegion];
        }
      }),
    );
    expect(flipped.get("production-edge")).toEqual(production);
    expect(flipped.get("staging-edge")).toEqual(staging);
  });
});

describe("the stacks take handles", () => {
  const catalogue = validCatalogue();
  const production = catalogue.environments.find((e) => e.name === "production")!;

  test("GIVEN an ingress for only one of production's regions WHEN the edge stack is built THEN it names the region without one", () => {
    const ingress = RegionalIngress.fromIngressAttributes(new App(), "nlb", {
      region: production.regions[0]!.region,
      loadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/ingress/0123456789abcdef",
      dnsName: "ingress-0123456789abcdef.elb.us-east-1.amazonaws.com",
      zoneId: "Z26RNL4JYFTOTI",
      listenerPort: 443,
      listenerProtocol: "TCP",
    });
    expect(() => new EdgeStack(new App(), { catalogue, environment: production, ingresses: [ingress] })).toThrow(
      `production-edge: no ingress in ${production.regions[1]!.region}; pass one ingress per region of the environment`,
    );
  });

  test("GIVEN an environment with a database WHEN a regional stack is built without its global data THEN it is refused", () => {
    expect(() => new RegionalStack(new App(), { catalogue, environment: production, region: production.regions[0]! })).toThrow(
      /environment production has a database, so globalData must hold its global database/,
    );
  });
});
