import { RegionalIngress, type RegionalIngressProps } from "@meridian/constructs";
import { awsStack, onlyResourceOf, synthJson } from "../helpers";

const props: RegionalIngressProps = {
  name: "meridian-production-use1",
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

const build = (overrides: Partial<RegionalIngressProps> = {}) => new RegionalIngress(awsStack().stack, "ingress", { ...props, ...overrides });
const healthCheckOf = (overrides: Partial<RegionalIngressProps> = {}) => {
  const ingress = build(overrides);
  return onlyResourceOf(synthJson(ingress.node.scope as never), "aws_lb_target_group").health_check as Record<string, unknown>;
};

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
    expect(() => build({ healthCheckPath: `/${"a".repeat(1024)}` })).toThrow("healthCheckPath");
    expect(() => build({ healthCheckPath: "/health check" })).toThrow('healthCheckPath "/health check" must be an absolute HTTP path');
  });
});

describe("RegionalIngress refuses names AWS refuses at apply time", () => {
  test("a name whose target group name (<name>-<target port>) could exceed 32 characters", () => {
    expect(() => build({ name: "x".repeat(27) })).toThrow(`name "${"x".repeat(27)}" is 27 characters; the target group "<name>-<target port>" must fit ELB's 32 for any port, so at most 26`);
    expect(() => build({ name: "x".repeat(26) })).not.toThrow();
  });

  test("a load balancer name starting with internal- (reserved by ELB)", () => {
    expect(() => build({ name: "internal-ingress" })).toThrow('name "internal-ingress" must not start with "internal-"');
  });

  test("a security group name starting with sg- (reserved by EC2)", () => {
    expect(() => build({ name: "sg-ingress" })).toThrow('name "sg-ingress" must not start with "sg-"');
  });
});

describe("RegionalIngress target port change", () => {
  const targetGroupOf = (targetPort: number) => {
    const ingress = build({ targetPort });
    return onlyResourceOf(synthJson(ingress.node.scope as never), "aws_lb_target_group");
  };

  test("GIVEN a new target port WHEN synthesized THEN the replacement group has its own name and is created before the old one is deleted", () => {
    // The port forces a new target group; the listener still forwards to the old one until it is
    // switched, so the old one can only go after the new one exists (DeleteTargetGroup: ResourceInUse).
    const before = targetGroupOf(8443);
    const after = targetGroupOf(9443);
    expect([before.name, after.name]).toEqual(["meridian-production-use1-8443", "meridian-production-use1-9443"]);
    expect(after.lifecycle).toEqual({ create_before_destroy: true });
  });
});
