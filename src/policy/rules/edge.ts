import type { PolicyInput, PolicyResource } from "../policy-input";
import { cannotTell, fail, type CheckOutcome, type Rule } from "../rule";
import { asBoolean, asNumber, dig, isSet, isUnknown, show } from "../terraform-values";

export const globalAcceleratorFlowLogs: Rule = {
  id: "global-accelerator-flow-logs",
  title: "Global Accelerator writes flow logs to S3",
  publicIds: ["CKV_AWS_75"],
  severity: "low",
  kind: "security",
  resourceTypes: ["aws_globalaccelerator_accelerator"],
  fix: "Set attributes { flow_logs_enabled = true, flow_logs_s3_bucket = <bucket>, flow_logs_s3_prefix = <prefix> }.",
  check(accelerator) {
    const enabled = asBoolean(dig(accelerator.values, "attributes", 0, "flow_logs_enabled"));
    if (isUnknown(enabled)) {
      return [cannotTell("attributes.flow_logs_enabled is known only after apply")];
    }
    if (enabled !== true) {
      return [fail(`attributes.flow_logs_enabled = ${show(enabled)}: traffic through the accelerator is not recorded`)];
    }
    const bucket = dig(accelerator.values, "attributes", 0, "flow_logs_s3_bucket");
    return isSet(bucket) || isSet(dig(accelerator.config, "attributes", 0, "flow_logs_s3_bucket")) ? [] : [fail("attributes.flow_logs_s3_bucket is not set: flow logs have nowhere to go")];
  },
};

/** Region an endpoint group serves: `endpoint_group_region`, else its provider's region. */
function endpointGroupRegion(input: PolicyInput, group: PolicyResource): string | undefined {
  const region = group.values.endpoint_group_region;
  return typeof region === "string" ? region : isSet(group.config.endpoint_group_region) ? undefined : input.regionOf(group);
}

/** Regions the environment runs in: where its stacks have an EKS cluster or a load balancer. */
function environmentRegions(input: PolicyInput, environment: string): Set<string> {
  const regions = new Set<string>();
  for (const type of ["aws_eks_cluster", "aws_lb"]) {
    for (const resource of input.allResourcesOf(type).filter((r) => input.environmentOf(r.stack) === environment)) {
      const region = input.regionOf(resource);
      if (region) {
        regions.add(region);
      }
    }
  }
  return regions;
}

export const globalAcceleratorEndpointGroupPerRegion: Rule = {
  id: "global-accelerator-endpoint-group-per-region",
  title: "Every Global Accelerator listener has exactly one endpoint group per region of the environment",
  publicIds: [],
  guidance: "Global Accelerator guide: one endpoint group per region, so traffic fails over between regions",
  severity: "high",
  kind: "reliability",
  resourceTypes: ["aws_globalaccelerator_listener"],
  fix: "Create one aws_globalaccelerator_endpoint_group per listener and region (endpoint_group_region set explicitly), pointing at that region's load balancer.",
  check(listener, { input }) {
    const groups = input.referrers(listener, "aws_globalaccelerator_endpoint_group", "listener_arn");
    const regions = groups.map((group) => endpointGroupRegion(input, group));
    if (regions.some((r) => r === undefined)) {
      return [cannotTell("endpoint_group_region of some endpoint group is known only after apply")];
    }
    const outcomes: CheckOutcome[] = [];
    const seen = new Set<string>();
    for (const region of regions as string[]) {
      if (seen.has(region)) {
        outcomes.push(fail(`two endpoint groups serve ${region}: a listener takes one endpoint group per region`));
      }
      seen.add(region);
    }
    const environment = input.environmentOf(listener.stack);
    const missing = [...environmentRegions(input, environment)].filter((region) => !seen.has(region)).sort();
    if (missing.length > 0) {
      outcomes.push(fail(`endpoint groups cover ${[...seen].sort().join(", ") || "no region"} but environment ${environment} also runs in ${missing.join(", ")}: that region gets no traffic and cannot take over`));
    }
    return outcomes;
  },
};

export const globalAcceleratorHealthCheck: Rule = {
  id: "global-accelerator-health-check",
  title: "Endpoint groups check health every 10 s with a threshold of at most 3 (and a path for HTTP(S))",
  publicIds: [],
  guidance: "Global Accelerator guide: 10 s interval and threshold <= 3 detect a failed region in about 30 s",
  severity: "medium",
  kind: "reliability",
  resourceTypes: ["aws_globalaccelerator_endpoint_group"],
  fix: "Set health_check_interval_seconds = 10, threshold_count <= 3, and health_check_path for HTTP/HTTPS health checks.",
  check(group) {
    const outcomes: CheckOutcome[] = [];
    const interval = asNumber(group.values.health_check_interval_seconds);
    if (!isUnknown(interval) && (interval ?? 30) !== 10) {
      outcomes.push(fail(`health_check_interval_seconds = ${show(interval)}${interval === undefined ? " (defaults to 30)" : ""}: needs 10 to detect a failed region quickly`));
    }
    const threshold = asNumber(group.values.threshold_count);
    if (!isUnknown(threshold) && (threshold ?? 3) > 3) {
      outcomes.push(fail(`threshold_count = ${show(threshold)}: more than 3 failed checks before failing over`));
    }
    const protocol = group.values.health_check_protocol;
    if ((protocol === "HTTP" || protocol === "HTTPS") && !isSet(group.config.health_check_path) && !isSet(group.values.health_check_path)) {
      outcomes.push(fail(`health_check_protocol = "${protocol}" with health_check_path not set: the check probes "/" instead of the service's health endpoint`));
    }
    return outcomes;
  },
};

const ROUTE53_INTERVALS = [10, 30];

export const route53HealthCheckTiming: Rule = {
  id: "route53-health-check-timing",
  title: "Route 53 health checks use a 10 or 30 s interval and a failure threshold of 1-10",
  publicIds: [],
  guidance: "Route 53 guide: request_interval 10 or 30, failure_threshold 1-10",
  severity: "low",
  kind: "reliability",
  resourceTypes: ["aws_route53_health_check"],
  fix: "Set request_interval to 10 or 30 and failure_threshold to 1-10.",
  check(check) {
    if (check.values.type === "CALCULATED" || check.values.type === "CLOUDWATCH_METRIC") {
      return [];
    }
    const outcomes: CheckOutcome[] = [];
    const interval = asNumber(check.values.request_interval);
    if (!isUnknown(interval) && interval !== undefined && !ROUTE53_INTERVALS.includes(interval)) {
      outcomes.push(fail(`request_interval = ${interval}: Route 53 checks every 10 or 30 s`));
    }
    const threshold = asNumber(check.values.failure_threshold);
    if (!isUnknown(threshold) && threshold !== undefined && (threshold < 1 || threshold > 10)) {
      outcomes.push(fail(`failure_threshold = ${threshold}: must be 1-10`));
    }
    return outcomes;
  },
};

export const EDGE_RULES: readonly Rule[] = [globalAcceleratorFlowLogs, globalAcceleratorEndpointGroupPerRegion, globalAcceleratorHealthCheck, route53HealthCheckTiming];
