import { globalAcceleratorEndpointGroupPerRegion, globalAcceleratorFlowLogs, globalAcceleratorHealthCheck, route53HealthCheckTiming } from "../../src/policy/rules/edge";
import { albDropInvalidHeaders, lbAccessLogs, lbDeletionProtection } from "../../src/policy/rules/load-balancers";
import { fixtureStack, messages, ref, single, type FixtureStack } from "./fixtures";

const group = (region: string, extra: Record<string, unknown> = {}) => ({
  listener_arn: ref("aws_globalaccelerator_listener.tcp-443"),
  endpoint_group_region: region,
  health_check_protocol: "TCP",
  health_check_port: 443,
  health_check_interval_seconds: 10,
  threshold_count: 3,
  endpoint_configuration: [{ endpoint_id: `arn:aws:elasticloadbalancing:${region}:123456789012:loadbalancer/net/x/1`, weight: 128 }],
  ...extra,
});
/** The edge stack: one accelerator, one listener, endpoint groups by name. */
const edge = (groups: Record<string, Record<string, unknown>>, attributes: Record<string, unknown> = { flow_logs_enabled: true, flow_logs_s3_bucket: "flow-logs", flow_logs_s3_prefix: "ga" }) =>
  fixtureStack("production-edge", {
    aws_globalaccelerator_accelerator: { accelerator: { name: "meridian", attributes } },
    aws_globalaccelerator_listener: { "tcp-443": { accelerator_arn: ref("aws_globalaccelerator_accelerator.accelerator"), protocol: "TCP", port_range: [{ from_port: 443, to_port: 443 }] } },
    aws_globalaccelerator_endpoint_group: groups,
  });
/** A regional stack of the environment: where it runs a cluster. */
const regional = (region: string): FixtureStack => fixtureStack(`production-regional-${region}`, { aws_eks_cluster: { cluster: { name: `c-${region}` } } }, { region });

describe("global-accelerator-flow-logs", () => {
  test("flags flow logs off, and flow logs without a bucket", () => {
    expect(messages(globalAcceleratorFlowLogs, edge({}, { flow_logs_enabled: false }))).toEqual([
      "aws_globalaccelerator_accelerator.accelerator: attributes.flow_logs_enabled = false: traffic through the accelerator is not recorded",
    ]);
    expect(messages(globalAcceleratorFlowLogs, edge({}, { flow_logs_enabled: true }))).toEqual(["aws_globalaccelerator_accelerator.accelerator: attributes.flow_logs_s3_bucket is not set: flow logs have nowhere to go"]);
  });

  test("passes flow logs into a bucket", () => {
    expect(messages(globalAcceleratorFlowLogs, edge({}))).toEqual([]);
  });
});

describe("global-accelerator-endpoint-group-per-region", () => {
  test("flags a region of the environment without an endpoint group", () => {
    const stacks = [edge({ east: group("us-east-1") }), regional("us-east-1"), regional("eu-west-1")];
    expect(messages(globalAcceleratorEndpointGroupPerRegion, stacks)).toEqual([
      "aws_globalaccelerator_listener.tcp-443: endpoint groups cover us-east-1 but environment production also runs in eu-west-1: that region gets no traffic and cannot take over",
    ]);
  });

  test("flags two endpoint groups for one region", () => {
    expect(messages(globalAcceleratorEndpointGroupPerRegion, edge({ a: group("us-east-1"), b: group("us-east-1") }))).toEqual([
      "aws_globalaccelerator_listener.tcp-443: two endpoint groups serve us-east-1: a listener takes one endpoint group per region",
    ]);
  });

  test("passes one endpoint group per region the environment runs in", () => {
    const stacks = [edge({ east: group("us-east-1"), west: group("eu-west-1") }), regional("us-east-1"), regional("eu-west-1")];
    expect(messages(globalAcceleratorEndpointGroupPerRegion, stacks)).toEqual([]);
  });
});

describe("global-accelerator-health-check", () => {
  test("flags the 30 s default interval, a threshold above 3, and HTTPS without a path", () => {
    const slow = group("us-east-1", { health_check_interval_seconds: undefined, threshold_count: 5, health_check_protocol: "HTTPS" });
    expect(messages(globalAcceleratorHealthCheck, edge({ east: slow }))).toEqual([
      "aws_globalaccelerator_endpoint_group.east: health_check_interval_seconds = not set (defaults to 30): needs 10 to detect a failed region quickly",
      "aws_globalaccelerator_endpoint_group.east: threshold_count = 5: more than 3 failed checks before failing over",
      'aws_globalaccelerator_endpoint_group.east: health_check_protocol = "HTTPS" with health_check_path not set: the check probes "/" instead of the service\'s health endpoint',
    ]);
  });

  test("passes 10 s, threshold 3, and an HTTPS check of /healthz", () => {
    expect(messages(globalAcceleratorHealthCheck, edge({ east: group("us-east-1", { health_check_protocol: "HTTPS", health_check_path: "/healthz" }) }))).toEqual([]);
  });
});

describe("route53-health-check-timing", () => {
  test("flags an interval Route 53 does not offer and a threshold outside 1-10", () => {
    expect(messages(route53HealthCheckTiming, single("aws_route53_health_check", { type: "HTTPS", request_interval: 60, failure_threshold: 12 }))).toEqual([
      "aws_route53_health_check.subject: request_interval = 60: Route 53 checks every 10 or 30 s",
      "aws_route53_health_check.subject: failure_threshold = 12: must be 1-10",
    ]);
  });

  test("passes 10 s with threshold 3, and calculated checks", () => {
    expect(messages(route53HealthCheckTiming, single("aws_route53_health_check", { type: "HTTPS", request_interval: 10, failure_threshold: 3 }))).toEqual([]);
    expect(messages(route53HealthCheckTiming, single("aws_route53_health_check", { type: "CALCULATED", child_health_threshold: 1 }))).toEqual([]);
  });
});

describe("alb-drop-invalid-headers", () => {
  test("flags an Application Load Balancer (the default type) that forwards invalid headers", () => {
    expect(messages(albDropInvalidHeaders, single("aws_lb", { name: "alb", internal: false }))).toEqual([
      "aws_lb.subject: drop_invalid_header_fields = not set: malformed headers reach the targets (request smuggling)",
    ]);
  });

  test("passes an ALB that drops them, and NLBs (which have no HTTP headers)", () => {
    expect(messages(albDropInvalidHeaders, single("aws_lb", { load_balancer_type: "application", drop_invalid_header_fields: true }))).toEqual([]);
    expect(messages(albDropInvalidHeaders, single("aws_lb", { load_balancer_type: "network" }))).toEqual([]);
  });
});

describe("lb-deletion-protection", () => {
  test("flags a production load balancer without deletion protection", () => {
    expect(messages(lbDeletionProtection, single("aws_lb", { load_balancer_type: "network" }, { stack: "production-regional-us-east-1" }), ["production"])).toEqual([
      "aws_lb.subject: enable_deletion_protection = not set: an API call can delete a production entry point (and its addresses)",
    ]);
  });

  test("passes a protected production load balancer, and an unprotected one outside production", () => {
    expect(messages(lbDeletionProtection, single("aws_lb", { enable_deletion_protection: true }, { stack: "production-regional-us-east-1" }), ["production"])).toEqual([]);
    expect(messages(lbDeletionProtection, single("aws_lb", { load_balancer_type: "network" }, { stack: "staging-regional-us-east-1" }), ["production"])).toEqual([]);
  });
});

describe("lb-access-logs", () => {
  test("flags a load balancer without access logs", () => {
    expect(messages(lbAccessLogs, single("aws_lb", { load_balancer_type: "network" }))).toEqual([
      "aws_lb.subject: access_logs.enabled = not set (defaults to false): requests through the load balancer are not recorded",
    ]);
  });

  test("passes access logs into a bucket", () => {
    expect(messages(lbAccessLogs, single("aws_lb", { access_logs: { enabled: true, bucket: "lb-logs" } }))).toEqual([]);
  });
});
