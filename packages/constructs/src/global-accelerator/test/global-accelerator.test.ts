import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { awsStack, onlyResourceOf, policyStatements, resourcesOf, synthJson, type Block } from "../../../test-support/fixture";
import { RegionalIngress, type IRegionalIngress, type RegionalIngressAttributes } from "../../regional-ingress";
import { FlowLogBucket, GlobalAccelerator, acceleratorHealthCheckPathProblem, acceleratorIngressProblems, everyTrafficDialClosed, type GlobalAcceleratorProps, type RegionalEndpoint } from "..";
import { GlobalAcceleratorExample } from "./usage";

const nlbArn = (region: string) => `arn:aws:elasticloadbalancing:${region}:123456789012:loadbalancer/net/meridian-test/0123456789abcdef`;
const REGIONS = ["us-east-1", "eu-west-1"];

/** An NLB adopted by its attributes: a TLS-speaking listener on 443 unless `overrides` say otherwise. */
function nlb(region: string, overrides: Partial<RegionalIngressAttributes> = {}, scope: TerraformStack = awsStack().stack): IRegionalIngress {
  return RegionalIngress.fromIngressAttributes(scope, `nlb-${region}-${Math.random()}`, {
    region,
    loadBalancerArn: nlbArn(region),
    dnsName: `meridian-test.elb.${region}.amazonaws.com`,
    zoneId: "Z26RNL4JYFTOTI",
    listenerPort: 443,
    ...overrides,
  });
}

const acceptedProps: GlobalAcceleratorProps = {
  name: "meridian-test",
  listeners: [{ port: 443 }],
  requiredRegions: REGIONS,
  endpoints: REGIONS.map((region) => ({ ingress: nlb(region) })),
  flowLogs: { bucketName: "meridian-test-flow-logs", prefix: "global-accelerator" },
};

/** GIVEN a stack with the AWS provider WHEN the accelerator is built with the accepted props and `overrides` THEN the stack. */
function accelerator(overrides: Partial<GlobalAcceleratorProps> = {}, scope: TerraformStack = awsStack().stack): TerraformStack {
  new GlobalAccelerator(scope, "accelerator", { ...acceptedProps, ...overrides });
  return scope;
}

/** The default endpoints with one region's endpoint changed. */
function endpointsWith(region: string, change: Partial<RegionalEndpoint>): RegionalEndpoint[] {
  return acceptedProps.endpoints.map((e) => (e.ingress.region === region ? { ...e, ...change } : e));
}

const groupsOf = (stack: TerraformStack) => resourcesOf(synthJson(stack), "aws_globalaccelerator_endpoint_group");

describe("GlobalAccelerator builds", () => {
  test("with the required props: an enabled IPv4 accelerator with flow logs, a TCP listener and one endpoint group per region", () => {
    const json = synthJson(accelerator());
    expect(onlyResourceOf(json, "aws_globalaccelerator_accelerator")).toMatchObject({
      name: "meridian-test",
      ip_address_type: "IPV4",
      enabled: true,
      attributes: { flow_logs_enabled: true, flow_logs_s3_bucket: "meridian-test-flow-logs", flow_logs_s3_prefix: "global-accelerator" },
    });
    expect(onlyResourceOf(json, "aws_globalaccelerator_listener")).toMatchObject({ protocol: "TCP", client_affinity: "NONE", port_range: [{ from_port: 443, to_port: 443 }] });
    const groups = resourcesOf(json, "aws_globalaccelerator_endpoint_group");
    expect(groups.map((g) => g.endpoint_group_region).sort()).toEqual(["eu-west-1", "us-east-1"]);
    for (const group of groups) {
      expect(group).toMatchObject({
        health_check_protocol: "TCP",
        health_check_port: 443,
        health_check_interval_seconds: 10,
        threshold_count: 3,
        traffic_dial_percentage: 100,
        endpoint_configuration: [{ endpoint_id: nlbArn(String(group.endpoint_group_region)), weight: 128, client_ip_preservation_enabled: true }],
      });
      expect(group.health_check_path).toBeUndefined();
    }
  });

  test("ipAddressType DUAL_STACK makes a dual-stack accelerator", () => {
    expect(onlyResourceOf(synthJson(accelerator({ ipAddressType: "DUAL_STACK" })), "aws_globalaccelerator_accelerator").ip_address_type).toBe("DUAL_STACK");
  });

  test("a listener's clientAffinity is passed through", () => {
    expect(onlyResourceOf(synthJson(accelerator({ listeners: [{ port: 443, clientAffinity: "SOURCE_IP" }] })), "aws_globalaccelerator_listener").client_affinity).toBe("SOURCE_IP");
  });

  test("healthCheck sets every group's protocol, port, path, interval and threshold", () => {
    const groups = groupsOf(accelerator({ healthCheck: { protocol: "HTTPS", port: 443, path: "/healthz", intervalSeconds: 30, thresholdCount: 5 } }));
    groups.forEach((g) => expect(g).toMatchObject({ health_check_protocol: "HTTPS", health_check_port: 443, health_check_path: "/healthz", health_check_interval_seconds: 30, threshold_count: 5 }));
  });

  test("clientIpPreservation false turns preservation off on every endpoint", () => {
    groupsOf(accelerator({ clientIpPreservation: false })).forEach((g) => expect((g.endpoint_configuration as Block[])[0]!.client_ip_preservation_enabled).toBe(false));
  });

  test("an endpoint's weight is its NLB's weight within the group", () => {
    const weights = Object.fromEntries(groupsOf(accelerator({ endpoints: endpointsWith("us-east-1", { weight: 200 }) })).map((g) => [g.endpoint_group_region, (g.endpoint_configuration as Block[])[0]!.weight]));
    expect(weights).toEqual({ "us-east-1": 200, "eu-west-1": 128 });
  });

  test("requiredRegions defaults to the endpoints' regions", () => {
    const stack = awsStack().stack;
    new GlobalAccelerator(stack, "accelerator", { ...acceptedProps, requiredRegions: undefined, endpoints: acceptedProps.endpoints.slice(0, 1) });
    expect(groupsOf(stack).map((g) => g.endpoint_group_region)).toEqual(["us-east-1"]);
  });

  test("flowLogs.ready orders the accelerator after what it names", () => {
    const { stack } = awsStack();
    const bucket = new FlowLogBucket(stack, "flow-logs", { bucketName: "meridian-test-flow-logs", prefix: "global-accelerator", accountId: "123456789012", partition: "aws" });
    new GlobalAccelerator(stack, "accelerator", { ...acceptedProps, flowLogs: { ...acceptedProps.flowLogs, ready: [bucket.bucket.policy] } });
    expect(onlyResourceOf(synthJson(stack), "aws_globalaccelerator_accelerator").depends_on).toEqual([`aws_s3_bucket_policy.${bucket.bucket.policy.friendlyUniqueId}`]);
  });

  test("provider places the accelerator, listeners and groups with that provider; groups keep their own regions", () => {
    const { stack } = awsStack();
    const other = new AwsProvider(stack, "other", { region: "us-west-2", alias: "other" });
    accelerator({ provider: other }, stack);
    const json = synthJson(stack);
    for (const type of ["aws_globalaccelerator_accelerator", "aws_globalaccelerator_listener", "aws_globalaccelerator_endpoint_group"]) {
      resourcesOf(json, type).forEach((r) => expect(r.provider).toBe("aws.other"));
    }
    expect(resourcesOf(json, "aws_globalaccelerator_endpoint_group").map((g) => g.endpoint_group_region).sort()).toEqual(["eu-west-1", "us-east-1"]);
  });

  test("endpointGroups is keyed by listener port, then region", () => {
    const built = new GlobalAccelerator(awsStack().stack, "accelerator", acceptedProps);
    expect([...built.endpointGroups.keys()]).toEqual([443]);
    expect([...built.endpointGroups.get(443)!.keys()]).toEqual(REGIONS);
    expect(built.listeners).toHaveLength(1);
  });

  test("a RegionalIngress is an endpoint: its NLB's ARN and its region", () => {
    const { stack } = awsStack("eu-west-1");
    const ingress = new RegionalIngress(stack, "ingress", {
      name: "meridian-test-euw1",
      region: "eu-west-1",
      vpcId: "vpc-1",
      vpcCidr: "10.0.0.0/16",
      publicSubnetIds: ["subnet-a", "subnet-b"],
      targetSecurityGroupId: "sg-1",
      listenerPort: 443,
      targetPort: 8443,
      protocol: "TCP",
      healthCheckPath: "/healthz",
    });
    new GlobalAccelerator(stack, "accelerator", { ...acceptedProps, requiredRegions: undefined, endpoints: [{ ingress }] });
    const group = onlyResourceOf(synthJson(stack), "aws_globalaccelerator_endpoint_group");
    expect(group.endpoint_group_region).toBe("eu-west-1");
    expect((group.endpoint_configuration as Block[])[0]!.endpoint_id).toBe(`\${aws_lb.${ingress.loadBalancer.friendlyUniqueId}.arn}`);
  });
});

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
    expect(() => accelerator({ endpoints: acceptedProps.endpoints.slice(0, 1) })).toThrow(
      'GlobalAccelerator meridian-test: endpoints ["us-east-1"] has no endpoint group for eu-west-1; requiredRegions lists it',
    );
  });

  test("throws when a region has two endpoints", () => {
    expect(() => accelerator({ endpoints: [...acceptedProps.endpoints, { ingress: nlb("us-east-1") }] })).toThrow(
      'GlobalAccelerator meridian-test: endpoints "us-east-1" appears twice; each region has exactly one endpoint group per listener',
    );
  });

  test.each([-1, 101, 12.5])("throws when a traffic dial is %p", (dial) => {
    expect(() => accelerator({ endpoints: endpointsWith("eu-west-1", { trafficDialPercentage: dial }) })).toThrow(
      `GlobalAccelerator meridian-test: endpoints[eu-west-1].trafficDialPercentage ${dial} must be 0-100`,
    );
  });

  test.each([256, -1])("throws when an endpoint weight is %p", (weight) => {
    expect(() => accelerator({ endpoints: endpointsWith("us-east-1", { weight }) })).toThrow(`GlobalAccelerator meridian-test: endpoints[us-east-1].weight ${weight} must be 0-255`);
  });

  test("throws when every traffic dial is 0", () => {
    expect(() => accelerator({ endpoints: acceptedProps.endpoints.map((e) => ({ ...e, trafficDialPercentage: 0 })) })).toThrow(
      'GlobalAccelerator meridian-test: endpoints ["us-east-1=0","eu-west-1=0"] set every traffic dial to 0: the accelerator would accept no traffic',
    );
  });

  test.each(["HTTP", "HTTPS"] as const)("throws when an %s health check has no path", (protocol) => {
    expect(() => accelerator({ healthCheck: { protocol } })).toThrow(`GlobalAccelerator meridian-test: healthCheck.path undefined is required for an ${protocol} health check`);
  });

  test("throws when the health check path is relative", () => {
    expect(() => accelerator({ healthCheck: { protocol: "HTTPS", path: "healthz" } })).toThrow('GlobalAccelerator meridian-test: healthCheck.path "healthz" must be an absolute HTTP path such as /healthz');
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
  ])("throws when an endpoint's load balancer ARN is %s", (_what, arn) => {
    const ingress: IRegionalIngress = { ...nlb("us-east-1"), region: "us-east-1", loadBalancerArn: arn, listenerPort: 443, listenerProtocol: "TCP", listenerHealthCheckProtocols: ["TCP", "HTTPS"] };
    expect(() => accelerator({ endpoints: endpointsWith("us-east-1", { ingress }) })).toThrow(
      `GlobalAccelerator meridian-test: endpoints[us-east-1].ingress.loadBalancerArn ${JSON.stringify(arn)} must be a Network Load Balancer ARN`,
    );
  });

  test.each([0, 65536])("throws when a listener port is %p", (port) => {
    expect(() => accelerator({ listeners: [{ port }] })).toThrow(`GlobalAccelerator meridian-test: listeners[0].port ${port} must be 1-65535`);
  });
});

describe("GlobalAccelerator rejects inconsistent endpoints and listeners", () => {
  test("throws when an endpoint's NLB lives in another region than its ingress says", () => {
    const ingress: IRegionalIngress = { region: "eu-west-1", loadBalancerArn: nlbArn("us-east-1"), dnsName: "x", zoneId: "Z", listenerPort: 443, listenerProtocol: "TCP", listenerHealthCheckProtocols: ["TCP", "HTTPS"] };
    expect(() => accelerator({ endpoints: endpointsWith("eu-west-1", { ingress }) })).toThrow(
      `GlobalAccelerator meridian-test: endpoints[eu-west-1].ingress.loadBalancerArn "${nlbArn("us-east-1")}" is in us-east-1; an endpoint group only takes load balancers of its own region`,
    );
  });

  test("throws when an endpoint names a region outside requiredRegions", () => {
    const endpoints = [...acceptedProps.endpoints, { ingress: nlb("ap-south-1") }];
    expect(() => accelerator({ endpoints })).toThrow('GlobalAccelerator meridian-test: endpoints "ap-south-1" is not one of requiredRegions (us-east-1, eu-west-1)');
  });

  test("throws when a TCP health check is given a path", () => {
    expect(() => accelerator({ healthCheck: { protocol: "TCP", path: "/healthz" } })).toThrow('healthCheck.path "/healthz" only applies to HTTP and HTTPS health checks');
  });

  test("throws when two listeners share a port", () => {
    expect(() => accelerator({ listeners: [{ port: 443 }, { port: 443, protocol: "UDP" }] })).toThrow("listeners[1].port 443 is used by another listener");
  });

  test("throws when a listener port is not the NLBs' listener port (no port overrides: traffic arrives on the listener's port)", () => {
    expect(() => accelerator({ listeners: [{ port: 8443 }] })).toThrow(
      "GlobalAccelerator meridian-test: listeners[0].port 8443 must equal the regional NLB's listener port (443): the accelerator forwards to its endpoints on the listener's port (endpoints[us-east-1])",
    );
  });

  test("throws when a listener is UDP in front of a TCP NLB listener", () => {
    expect(() => accelerator({ listeners: [{ port: 443, protocol: "UDP" }] })).toThrow('GlobalAccelerator meridian-test: listeners[0].protocol "UDP" cannot reach the regional NLB, which listens on TCP (endpoints[us-east-1])');
  });

  test("throws when the health check speaks HTTP to a listener that speaks TLS", () => {
    expect(() => accelerator({ healthCheck: { protocol: "HTTP", path: "/healthz" } })).toThrow(
      'GlobalAccelerator meridian-test: healthCheck.protocol "HTTP" cannot succeed: the NLB listener passes TLS through to the pods, so the listener port speaks TLS; use HTTPS (or TCP) (endpoints[us-east-1])',
    );
  });

  test("accepts an HTTP health check where the NLB's listener answers HTTP", () => {
    const endpoints = REGIONS.map((region) => ({ ingress: nlb(region, { listenerHealthCheckProtocols: ["TCP", "HTTP"] }) }));
    expect(groupsOf(accelerator({ endpoints, healthCheck: { protocol: "HTTP", path: "/healthz" } }))[0]!.health_check_protocol).toBe("HTTP");
  });
});

describe("GlobalAccelerator accepts", () => {
  test("a token (a Terraform variable's value) as a load balancer ARN, passed through unchanged", () => {
    // GIVEN an endpoint whose ARN is only known at apply time
    const { stack: scope } = awsStack();
    const arn = new TerraformVariable(scope, "nlb_arn", { type: "string" });

    // WHEN the accelerator is built and synthesized
    const json = synthJson(accelerator({ endpoints: endpointsWith("us-east-1", { ingress: nlb("us-east-1", { loadBalancerArn: arn.stringValue }, scope) }) }, scope));

    // THEN the us-east-1 endpoint refers to the variable, the other keeps its literal ARN
    const groups = resourcesOf(json, "aws_globalaccelerator_endpoint_group");
    const endpointOf = (region: string) => (groups.find((g) => g.endpoint_group_region === region)!.endpoint_configuration as Block[])[0]!.endpoint_id;
    expect(endpointOf("us-east-1")).toBe("${var.nlb_arn}");
    expect(endpointOf("eu-west-1")).toBe(nlbArn("eu-west-1"));
  });

  test("draining one region: its dial is 0, the other's stays 100", () => {
    const dials = Object.fromEntries(groupsOf(accelerator({ endpoints: endpointsWith("eu-west-1", { trafficDialPercentage: 0 }) })).map((g) => [g.endpoint_group_region, g.traffic_dial_percentage]));
    expect(dials).toEqual({ "us-east-1": 100, "eu-west-1": 0 });
  });
});

describe("the predicates the catalogue shares", () => {
  const ingress = { listenerPort: 443, listenerProtocol: "TLS" as const, listenerHealthCheckProtocols: ["TCP", "HTTPS"] as const };

  test("acceleratorIngressProblems names each setting below the props, and a defaulted health-check port is not reported twice", () => {
    expect(acceleratorIngressProblems({ listeners: [{ port: 8443 }] }, ingress).map((p) => p.path)).toEqual([["listeners", 0, "port"]]);
    expect(acceleratorIngressProblems({ listeners: [{ port: 443, protocol: "UDP" }], healthCheck: { protocol: "HTTP", port: 80 } }, ingress).map((p) => [p.path.join("."), p.value])).toEqual([
      ["listeners.0.protocol", "UDP"],
      ["healthCheck.port", 80],
      ["healthCheck.protocol", "HTTP"],
    ]);
    expect(acceleratorIngressProblems({ listeners: [{ port: 443 }], healthCheck: { protocol: "HTTP" } }, ingress)[0]!.rule).toBe("cannot succeed: the NLB listener terminates TLS; use HTTPS (or TCP)");
  });

  test("acceleratorHealthCheckPathProblem pairs protocol and path", () => {
    expect(acceleratorHealthCheckPathProblem("TCP", undefined)).toBeUndefined();
    expect(acceleratorHealthCheckPathProblem("HTTPS", "/healthz")).toBeUndefined();
    expect(acceleratorHealthCheckPathProblem("HTTP", undefined)).toBe("is required for an HTTP health check");
    expect(acceleratorHealthCheckPathProblem("TCP", "/healthz")).toBe("only applies to HTTP and HTTPS health checks");
  });

  test("everyTrafficDialClosed", () => {
    expect(everyTrafficDialClosed([0, 0])).toBe(true);
    expect(everyTrafficDialClosed([0, 1])).toBe(false);
    expect(everyTrafficDialClosed([])).toBe(false);
  });
});

describe("FlowLogBucket", () => {
  const build = (overrides: Partial<ConstructorParameters<typeof FlowLogBucket>[2]> = {}) => {
    const { stack } = awsStack("us-east-1");
    const bucket = new FlowLogBucket(stack, "flow-logs", { bucketName: "meridian-test-flow-logs", prefix: "global-accelerator", accountId: "123456789012", partition: "aws", ...overrides });
    return { json: synthJson(stack), bucket };
  };

  test("a hardened bucket with its own key; log delivery may write only under the prefix, for this account", () => {
    const { json } = build();
    expect(onlyResourceOf(json, "aws_s3_bucket").bucket).toBe("meridian-test-flow-logs");
    expect(onlyResourceOf(json, "aws_kms_alias").name).toBe("alias/meridian-test-flow-logs");
    const bucketStatements = policyStatements(json, "bucket_policy-document");
    const write = bucketStatements.find((s) => s.sid === "LogDeliveryWritesFlowLogs")!;
    expect(write).toMatchObject({ actions: ["s3:PutObject"], resources: ["arn:aws:s3:::meridian-test-flow-logs/global-accelerator/AWSLogs/123456789012/*"], principals: [{ type: "Service", identifiers: ["delivery.logs.amazonaws.com"] }] });
    expect(write.condition).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] },
      { test: "StringEquals", variable: "s3:x-amz-acl", values: ["bucket-owner-full-control"] },
    ]);
    expect(bucketStatements.find((s) => s.sid === "LogDeliveryChecksBucketAcl")).toMatchObject({ actions: ["s3:GetBucketAcl", "s3:ListBucket"], resources: ["arn:aws:s3:::meridian-test-flow-logs"] });
    const keyStatements = policyStatements(json, "key_policy");
    expect(keyStatements.find((s) => s.sid === "LogDeliveryEncryptsFlowLogs")).toMatchObject({ principals: [{ type: "Service", identifiers: ["delivery.logs.amazonaws.com"] }] });
  });

  test("noncurrentVersionRetentionDays bounds how long replaced log objects are kept", () => {
    const rules = onlyResourceOf(build({ noncurrentVersionRetentionDays: 30 }).json, "aws_s3_bucket_lifecycle_configuration").rule as Block[];
    expect(JSON.stringify(rules)).toContain('"noncurrent_days":30');
  });

  test("refuses a prefix with characters outside lower-case letters, digits and '-'", () => {
    expect(() => build({ prefix: "Global_Accelerator" })).toThrow(`FlowLogBucket meridian-test-flow-logs: prefix "Global_Accelerator" must be lower-case letters, digits and '-'`);
  });
});

test("the README's usage example synthesizes (snapshot)", () => {
  const example = new GlobalAcceleratorExample(Testing.app(), "example");
  expect(synthJson(example)).toMatchSnapshot();
});
