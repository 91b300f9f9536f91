import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { awsStack, onlyResourceOf, resourcesOf, synthJson } from "../../../test-support/fixture";
import { policySuppressionsOf } from "../../core";
import {
  RegionalIngress,
  TLS_LISTENER_HEALTH_CHECK_PROTOCOLS,
  defaultHealthCheckProtocol,
  listenerHealthCheckProblems,
  networkLoadBalancerArnProblem,
  targetHealthCheckPathProblem,
  type RegionalIngressAttributes,
  type RegionalIngressProps,
} from "..";
import { RegionalIngressExample } from "./usage";

const props: RegionalIngressProps = {
  name: "meridian-production-use1",
  region: "us-east-1",
  vpcId: "vpc-1",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-a", "subnet-b"],
  targetSecurityGroupId: "sg-1",
  listenerPort: 443,
  targetPort: 8443,
  protocol: "TCP",
  healthCheckPath: "/healthz",
};
const CERTIFICATE = "arn:aws:acm:us-east-1:111111111111:certificate/abc";

/** GIVEN a stack with the AWS provider WHEN the ingress is built with `props` and `overrides` THEN the ingress (its stack is `node.scope`). */
const build = (overrides: Partial<RegionalIngressProps> = {}) => new RegionalIngress(awsStack().stack, "ingress", { ...props, ...overrides });
const synthOf = (ingress: RegionalIngress) => synthJson(ingress.node.scope as never);
const healthCheckOf = (overrides: Partial<RegionalIngressProps> = {}) => onlyResourceOf(synthOf(build(overrides)), "aws_lb_target_group").health_check as Record<string, unknown>;

describe("RegionalIngress with the required props", () => {
  const ingress = build();
  const json = synthOf(ingress);
  const handle = build();

  test("an internet-facing NLB over the public subnets: cross-zone, zonal shift, deletion protection, its own security group", () => {
    expect(onlyResourceOf(json, "aws_lb")).toMatchObject({
      name: "meridian-production-use1",
      load_balancer_type: "network",
      internal: false,
      subnets: ["subnet-a", "subnet-b"],
      enable_cross_zone_load_balancing: true,
      enable_deletion_protection: true,
      enable_zonal_shift: true,
    });
    expect(onlyResourceOf(json, "aws_security_group")).toMatchObject({ name: "meridian-production-use1-nlb", vpc_id: "vpc-1" });
  });

  test("the security groups admit the listener port from the internet, and only the target port from the NLB to the pods", () => {
    const ingressRules = resourcesOf(json, "aws_vpc_security_group_ingress_rule");
    expect(ingressRules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp" }),
        expect.objectContaining({ security_group_id: "sg-1", from_port: 8443, to_port: 8443, referenced_security_group_id: `\${aws_security_group.${ingress.securityGroup.friendlyUniqueId}.id}` }),
      ]),
    );
    expect(onlyResourceOf(json, "aws_vpc_security_group_egress_rule")).toMatchObject({ from_port: 8443, to_port: 8443, cidr_ipv4: "10.0.0.0/16" });
  });

  test("a TCP listener forwarding to an IP target group on the target port; no TLS policy", () => {
    const listener = onlyResourceOf(json, "aws_lb_listener");
    expect(listener).toMatchObject({ port: 443, protocol: "TCP" });
    expect(listener.ssl_policy).toBeUndefined();
    expect(onlyResourceOf(json, "aws_lb_target_group")).toMatchObject({ target_type: "ip", protocol: "TCP", port: 8443, deregistration_delay: "30", preserve_client_ip: "true" });
  });

  test("the no-healthy-targets alarm watches the group's minimum healthy hosts and treats missing data as breaching; no actions by default", () => {
    expect(onlyResourceOf(json, "aws_cloudwatch_metric_alarm")).toMatchObject({
      alarm_name: "meridian-production-use1-no-healthy-targets",
      namespace: "AWS/NetworkELB",
      metric_name: "HealthyHostCount",
      statistic: "Minimum",
      threshold: 1,
      comparison_operator: "LessThanThreshold",
      treat_missing_data: "breaching",
      alarm_actions: [],
      ok_actions: [],
    });
  });

  test("a TCP listener has no access logs to write, which the NLB's suppression of CKV_AWS_91 says", () => {
    expect(policySuppressionsOf(ingress.loadBalancer).map((s) => s.rule)).toEqual(["CKV_AWS_91"]);
    expect(policySuppressionsOf(build({ protocol: "TLS", certificateArn: CERTIFICATE }).loadBalancer)).toEqual([]);
  });

  test("it is an IRegionalIngress: region, listener and the NLB's ARN, DNS name and zone", () => {
    expect(handle).toMatchObject({ region: "us-east-1", listenerPort: 443, listenerProtocol: "TCP", listenerHealthCheckProtocols: TLS_LISTENER_HEALTH_CHECK_PROTOCOLS });
    const stack = handle.node.scope as TerraformStack;
    new TerraformOutput(stack, "handle", { value: [handle.loadBalancerArn, handle.dnsName, handle.zoneId] });
    const nlb = `aws_lb.${handle.loadBalancer.friendlyUniqueId}`;
    expect(synthJson(stack).output!.handle!.value).toEqual([`\${${nlb}.arn}`, `\${${nlb}.dns_name}`, `\${${nlb}.zone_id}`]);
  });
});

describe("RegionalIngress optional props", () => {
  test("certificateArn with a TLS listener: the listener ends TLS with a TLS 1.3 policy", () => {
    const listener = onlyResourceOf(synthOf(build({ protocol: "TLS", certificateArn: CERTIFICATE })), "aws_lb_listener");
    expect(listener).toMatchObject({ protocol: "TLS", certificate_arn: CERTIFICATE, ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
  });

  test("alarmActions are notified when the alarm fires and when it clears", () => {
    const alarm = onlyResourceOf(synthOf(build({ alarmActions: ["arn:aws:sns:us-east-1:111111111111:alerts"] })), "aws_cloudwatch_metric_alarm");
    expect([alarm.alarm_actions, alarm.ok_actions]).toEqual([["arn:aws:sns:us-east-1:111111111111:alerts"], ["arn:aws:sns:us-east-1:111111111111:alerts"]]);
  });

  test("deletionProtection false lets the API delete the NLB", () => {
    expect(onlyResourceOf(synthOf(build({ deletionProtection: false })), "aws_lb").enable_deletion_protection).toBe(false);
  });

  test("provider places every resource with that provider", () => {
    const { stack } = awsStack();
    const other = new AwsProvider(stack, "other", { region: "eu-west-1", alias: "other" });
    new RegionalIngress(stack, "ingress", { ...props, region: "eu-west-1", provider: other });
    const json = synthJson(stack);
    for (const type of Object.keys(json.resource)) {
      resourcesOf(json, type).forEach((r) => expect([type, r.provider]).toEqual([type, "aws.other"]));
    }
  });
});

describe("RegionalIngress target health check", () => {
  test("with TCP passthrough the pods serve TLS, so the check is HTTPS on the traffic port with the path", () => {
    // GIVEN a TCP listener (TLS ends at the pods)  WHEN synthesized
    // THEN the check speaks TLS to the pod, asks for the path and expects a 2xx
    expect(healthCheckOf()).toEqual({
      enabled: true,
      protocol: "HTTPS",
      port: "traffic-port",
      path: "/healthz",
      matcher: "200-299",
      interval: 10,
      timeout: 5,
      healthy_threshold: 3,
      unhealthy_threshold: 3,
    });
  });

  test("with a TLS listener the NLB forwards plain TCP, so the check is HTTP", () => {
    expect(healthCheckOf({ protocol: "TLS", certificateArn: CERTIFICATE })).toMatchObject({ protocol: "HTTP", path: "/healthz", matcher: "200-299" });
    expect([defaultHealthCheckProtocol("TCP"), defaultHealthCheckProtocol("TLS")]).toEqual(["HTTPS", "HTTP"]);
  });

  test("a TCP check (connection only) may be chosen, and then carries neither path nor matcher", () => {
    const check = healthCheckOf({ healthCheckProtocol: "TCP" });
    expect(check).toMatchObject({ protocol: "TCP", port: "traffic-port", interval: 10, timeout: 5 });
    expect(check.path).toBeUndefined();
    expect(check.matcher).toBeUndefined();
  });

  test("the timeout stays below the interval (ELB refuses a timeout equal to or above it)", () => {
    const check = healthCheckOf();
    expect(check.timeout as number).toBeLessThan(check.interval as number);
  });
});

describe("RegionalIngress refuses health checks that are unhealthy by construction", () => {
  test("HTTP against pods that serve TLS (TCP passthrough)", () => {
    expect(() => build({ healthCheckProtocol: "HTTP" })).toThrow(
      'RegionalIngress meridian-production-use1: healthCheckProtocol "HTTP" cannot succeed: with a TCP listener TLS passes through and the pods serve TLS on targetPort 8443; use HTTPS (or TCP)',
    );
  });

  test("HTTPS against pods that receive plain TCP (TLS ends on the NLB)", () => {
    expect(() => build({ protocol: "TLS", certificateArn: CERTIFICATE, healthCheckProtocol: "HTTPS" })).toThrow(
      'healthCheckProtocol "HTTPS" cannot succeed: with a TLS listener the NLB ends TLS and the pods receive plain TCP on targetPort 8443; use HTTP (or TCP)',
    );
  });

  test("a health check path AWS refuses", () => {
    expect(() => build({ healthCheckPath: `/${"a".repeat(1024)}` })).toThrow(`RegionalIngress meridian-production-use1: healthCheckPath "/${"a".repeat(39)}…" is 1025 characters; ELB allows at most 1024`);
    expect(() => build({ healthCheckPath: "/health check" })).toThrow('healthCheckPath "/health check" must be an absolute HTTP path');
  });
});

describe("RegionalIngress refuses settings AWS refuses at apply time", () => {
  test("a name whose target group name (<name>-<target port>) could exceed 32 characters", () => {
    expect(() => build({ name: "x".repeat(27) })).toThrow(`name "${"x".repeat(27)}" is 27 characters; the target group "<name>-<target port>" must fit ELB's 32 for any port, so at most 26`);
    expect(() => build({ name: "x".repeat(26) })).not.toThrow();
  });

  test("a load balancer name longer than ELB allows", () => {
    expect(() => build({ name: "x".repeat(33) })).toThrow("must be 1-32 letters");
  });

  test("a load balancer name starting with internal- (reserved by ELB)", () => {
    expect(() => build({ name: "internal-ingress" })).toThrow('name "internal-ingress" must not start with "internal-"');
  });

  test("a security group name starting with sg- (reserved by EC2)", () => {
    expect(() => build({ name: "sg-ingress" })).toThrow('name "sg-ingress" must not start with "sg-"');
  });

  test("a TLS listener without a certificate", () => {
    expect(() => new RegionalIngress(awsStack().stack, "ingress", { ...props, name: "test", protocol: "TLS" })).toThrow("RegionalIngress test: certificateArn undefined is required for a TLS listener");
  });

  test("a port out of range", () => {
    expect(() => build({ targetPort: 70000 })).toThrow("targetPort 70000 must be a port 1-65535");
    expect(() => build({ listenerPort: 0 })).toThrow("listenerPort 0 must be a port 1-65535");
  });

  test("fewer than two public subnets", () => {
    expect(() => build({ publicSubnetIds: ["subnet-a"] })).toThrow('RegionalIngress meridian-production-use1: publicSubnetIds ["subnet-a"] must name subnets in at least 2 AZs');
  });

  test("a region that is not a region name", () => {
    expect(() => build({ region: "us-east" })).toThrow('RegionalIngress meridian-production-use1: region "us-east" must be an AWS region name such as us-east-1');
  });
});

describe("RegionalIngress target port change", () => {
  const targetGroupOf = (targetPort: number) => onlyResourceOf(synthOf(build({ targetPort })), "aws_lb_target_group");

  test("GIVEN a new target port WHEN synthesized THEN the replacement group has its own name and is created before the old one is deleted", () => {
    // The port forces a new target group; the listener still forwards to the old one until it is
    // switched, so the old one can only go after the new one exists (DeleteTargetGroup: ResourceInUse).
    const before = targetGroupOf(8443);
    const after = targetGroupOf(9443);
    expect([before.name, after.name]).toEqual(["meridian-production-use1-8443", "meridian-production-use1-9443"]);
    expect(after.lifecycle).toEqual({ create_before_destroy: true });
  });
});

describe("RegionalIngress.fromIngressAttributes", () => {
  const attrs: RegionalIngressAttributes = {
    region: "eu-west-1",
    loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/team-a/0123456789abcdef",
    dnsName: "team-a-0123456789abcdef.elb.eu-west-1.amazonaws.com",
    zoneId: "Z2IFOLAFXWLO4F",
    listenerPort: 443,
  };
  const adopt = (overrides: Partial<RegionalIngressAttributes> = {}) => RegionalIngress.fromIngressAttributes(awsStack().stack, "nlb", { ...attrs, ...overrides });

  test("a handle with the attributes given; a TCP listener that speaks TLS by default; no resources", () => {
    const { stack } = awsStack();
    const handle = RegionalIngress.fromIngressAttributes(stack, "nlb", attrs);
    expect(handle).toMatchObject({ ...attrs, listenerProtocol: "TCP", listenerHealthCheckProtocols: ["TCP", "HTTPS"] });
    expect(synthJson(stack).resource ?? {}).toEqual({});
  });

  test("listenerProtocol and listenerHealthCheckProtocols describe another listener", () => {
    expect(adopt({ listenerProtocol: "TLS", listenerHealthCheckProtocols: ["TCP", "HTTP"] })).toMatchObject({ listenerProtocol: "TLS", listenerHealthCheckProtocols: ["TCP", "HTTP"] });
  });

  test("tokens (values read from another state) are taken as they are", () => {
    const { stack } = awsStack();
    const arn = new TerraformVariable(stack, "arn", { type: "string" }).stringValue;
    expect(RegionalIngress.fromIngressAttributes(stack, "nlb", { ...attrs, loadBalancerArn: arn }).loadBalancerArn).toBe(arn);
  });

  test.each([
    [{ region: "Ireland" }, 'region "Ireland" must be an AWS region name such as us-east-1'],
    [{ loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/team-a/0123456789abcdef" }, "must be a Network Load Balancer ARN"],
    [{ loadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/team-a/0123456789abcdef" }, "is in us-east-1; an endpoint group only takes load balancers of its own region"],
    [{ listenerPort: 0 }, "listenerPort 0 must be a port 1-65535"],
    [{ listenerHealthCheckProtocols: [] }, "listenerHealthCheckProtocols [] must name at least one protocol"],
  ] as const)("refuses %j", (overrides, message) => {
    expect(() => adopt(overrides as Partial<RegionalIngressAttributes>)).toThrow(`RegionalIngress.fromIngressAttributes "nlb": `);
    expect(() => adopt(overrides as Partial<RegionalIngressAttributes>)).toThrow(message);
  });
});

describe("the predicates the catalogue and the edge share", () => {
  test("targetHealthCheckPathProblem: an absolute path of at most 1024 characters", () => {
    expect(targetHealthCheckPathProblem("/healthz")).toBeUndefined();
    expect(targetHealthCheckPathProblem("healthz")).toMatch(/^must be an absolute HTTP path/);
    expect(targetHealthCheckPathProblem(`/${"a".repeat(1024)}`)).toBe("is 1025 characters; ELB allows at most 1024");
  });

  test("networkLoadBalancerArnProblem leaves tokens to AWS", () => {
    const { stack } = awsStack();
    expect(networkLoadBalancerArnProblem(new TerraformVariable(stack, "arn", { type: "string" }).stringValue, "us-east-1")).toBeUndefined();
  });

  test("listenerHealthCheckProblems: the listener's port and a protocol it answers", () => {
    const tls = { listenerPort: 443, listenerProtocol: "TCP" as const, listenerHealthCheckProtocols: TLS_LISTENER_HEALTH_CHECK_PROTOCOLS };
    expect(listenerHealthCheckProblems(tls, { protocol: "HTTPS", port: 443 })).toEqual([]);
    expect(listenerHealthCheckProblems(tls, { protocol: "HTTP", port: 80 }).map((p) => p.path[0])).toEqual(["port", "protocol"]);
    const plain = { ...tls, listenerHealthCheckProtocols: ["TCP", "HTTP"] as const };
    expect(listenerHealthCheckProblems(plain, { protocol: "HTTPS", port: 443 })[0]!.rule).toBe("cannot succeed: the NLB listener on 443 answers only TCP or HTTP health checks; use HTTP (or TCP)");
  });
});

test("the README's usage example synthesizes (snapshot)", () => {
  expect(synthJson(new RegionalIngressExample(Testing.app(), "example"))).toMatchSnapshot();
});
