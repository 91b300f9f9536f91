import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Token, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { REGION_NAME } from "../core/aws-formats";
import { HTTP_PATH } from "../core/aws-limits";
import { suppressPolicy } from "../core/policy-suppressions";

/**
 * The target group is `<name>-<target port>`: a port change replaces the group (the port forces a
 * new one), and with the port in its name the new group can be created before the old one is
 * deleted, which the listener still forwards to ("ResourceInUse" on DeleteTargetGroup otherwise).
 * ELB names are at most 32 characters; a port takes at most 5 digits.
 */
const TARGET_GROUP_SUFFIX_MAX = "-65535".length;

function targetGroupName(name: string, targetPort: number): string {
  return `${name}-${targetPort}`;
}
const ELB_NAME_LIMIT = 32;
/** ELB's HealthCheckPath is 1-1024 characters. */
const HEALTH_CHECK_PATH_LIMIT = 1024;

/** What the target health check speaks to each pod on the traffic port. */
export type TargetHealthCheckProtocol = "HTTP" | "HTTPS" | "TCP";

/**
 * What the pods serve on the target port, given the listener: a `TCP` listener passes TLS through
 * (the pods serve TLS, so HTTPS), a `TLS` listener ends TLS on the NLB and forwards plain TCP
 * (so HTTP). NLB HTTPS health checks do not validate the pod's certificate, but fail against a
 * target that offers only TLS 1.3, and cannot present a client certificate (an mTLS pod takes a
 * TCP check) (ELB guide, "Health checks for Network Load Balancer target groups").
 */
export function defaultHealthCheckProtocol(listenerProtocol: "TCP" | "TLS"): TargetHealthCheckProtocol {
  return listenerProtocol === "TCP" ? "HTTPS" : "HTTP";
}

/** Protocols a health check can speak to a load balancer's listener. */
export type ListenerHealthCheckProtocol = "HTTP" | "HTTPS" | "TCP";

/**
 * Health checks that can succeed on the listener port of a {@link RegionalIngress}: clients, and
 * checks that arrive the way clients do (Route 53's, Global Accelerator's), meet TLS there
 * either way, ended by the NLB (`TLS` listener) or passed through to the pods (`TCP`). A TCP
 * check only opens a connection.
 */
export const TLS_LISTENER_HEALTH_CHECK_PROTOCOLS: readonly ListenerHealthCheckProtocol[] = ["TCP", "HTTPS"];

/**
 * A region's public entry point as the edge needs it: Global Accelerator adds it to the
 * region's endpoint group by ARN, Route 53 aliases and health-checks it by DNS name, and both
 * reach it on its listener port. {@link RegionalIngress} implements it; an NLB made elsewhere
 * comes in through {@link RegionalIngress.fromIngressAttributes}.
 */
export interface IRegionalIngress {
  /** The load balancer's region: its endpoint group and latency record are that region's. */
  readonly region: string;
  /** ARN of the Network Load Balancer (a token is fine). */
  readonly loadBalancerArn: string;
  /** The load balancer's DNS name (a token is fine). */
  readonly dnsName: string;
  /** The load balancer's canonical hosted zone id, for Route 53 alias records (a token is fine). */
  readonly zoneId: string;
  /** The port clients (and edge health checks) connect to. */
  readonly listenerPort: number;
  /** The listener's protocol: `TCP` passes TLS through, `TLS` ends it on the load balancer. */
  readonly listenerProtocol: "TCP" | "TLS";
  /** Health-check protocols that can succeed on the listener port. */
  readonly listenerHealthCheckProtocols: readonly ListenerHealthCheckProtocol[];
}

/** An existing Network Load Balancer, for {@link RegionalIngress.fromIngressAttributes}. */
export interface RegionalIngressAttributes {
  /** The load balancer's region, e.g. `eu-west-1`. */
  readonly region: string;
  /** ARN of the Network Load Balancer, in `region` (a token, e.g. read from another state, is fine). */
  readonly loadBalancerArn: string;
  /** The load balancer's DNS name (a token is fine). */
  readonly dnsName: string;
  /** The load balancer's canonical hosted zone id (a token is fine). */
  readonly zoneId: string;
  /** The listener port the edge sends traffic and health checks to. */
  readonly listenerPort: number;
  /** The listener's protocol. @default "TCP" */
  readonly listenerProtocol?: "TCP" | "TLS";
  /**
   * Health-check protocols that can succeed on the listener port; a listener whose targets
   * serve plain HTTP takes `["TCP", "HTTP"]`.
   * @default - TCP and HTTPS ({@link TLS_LISTENER_HEALTH_CHECK_PROTOCOLS}): the listener speaks TLS
   */
  readonly listenerHealthCheckProtocols?: readonly ListenerHealthCheckProtocol[];
}

/** A Network Load Balancer's ARN; group 1 is its region. */
const NLB_ARN = /^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):\d{12}:loadbalancer\/net\/.+$/;

/**
 * Why `arn` cannot be the Network Load Balancer of `region` (a Global Accelerator endpoint group
 * takes only load balancers of its own region), or `undefined`; tokens are left to AWS.
 */
export function networkLoadBalancerArnProblem(arn: string, region: string): string | undefined {
  if (Token.isUnresolved(arn)) {
    return undefined;
  }
  const match = NLB_ARN.exec(arn);
  if (!match) {
    return "must be a Network Load Balancer ARN";
  }
  return match[1] === region || Token.isUnresolved(region) ? undefined : `is in ${match[1]}; an endpoint group only takes load balancers of its own region`;
}

/** ELB's HealthCheckPath: an absolute path, 1-1024 characters. Why `path` is not one, or `undefined`. */
export function targetHealthCheckPathProblem(path: string): string | undefined {
  if (!HTTP_PATH.test(path)) {
    return "must be an absolute HTTP path such as /healthz (no spaces or control characters)";
  }
  return path.length > HEALTH_CHECK_PATH_LIMIT ? `is ${path.length} characters; ELB allows at most ${HEALTH_CHECK_PATH_LIMIT}` : undefined;
}

/** One reason a setting cannot work, for the caller to word with its own names. */
export interface SettingProblem {
  /** The setting's path below the caller's props, e.g. `["healthCheck", "port"]`. */
  readonly path: readonly (string | number)[];
  readonly value: unknown;
  /** Follows the value: `must be …`, `cannot …`. */
  readonly rule: string;
}

/**
 * Why a health check sent to an ingress's listener (as Route 53's and Global Accelerator's
 * are) cannot succeed: it must use the listener port, where the load balancer forwards to its
 * targets, and a protocol the listener answers. Paths are `["port"]` and `["protocol"]`.
 */
export function listenerHealthCheckProblems(
  ingress: Pick<IRegionalIngress, "listenerPort" | "listenerProtocol" | "listenerHealthCheckProtocols">,
  check: { readonly protocol: ListenerHealthCheckProtocol; readonly port: number },
): SettingProblem[] {
  const problems: SettingProblem[] = [];
  if (check.port !== ingress.listenerPort) {
    problems.push({ path: ["port"], value: check.port, rule: `must be the NLB's listener port ${ingress.listenerPort}: health checks reach the endpoint through the same listener as traffic` });
  }
  const answered = ingress.listenerHealthCheckProtocols;
  if (!answered.includes(check.protocol)) {
    const why = !answered.includes("HTTPS")
      ? `the NLB listener on ${ingress.listenerPort} answers only ${answered.join(" or ")} health checks`
      : ingress.listenerProtocol === "TLS"
        ? "the NLB listener terminates TLS"
        : "the NLB listener passes TLS through to the pods, so the listener port speaks TLS";
    const requests = answered.filter((p) => p !== "TCP");
    const instead = requests.length > 0 && answered.includes("TCP") ? `${requests.join(" or ")} (or TCP)` : answered.join(" or ");
    problems.push({ path: ["protocol"], value: check.protocol, rule: `cannot succeed: ${why}; use ${instead}` });
  }
  return problems;
}

export interface RegionalIngressProps {
  /** Load balancer name (at most 32 characters) and tag prefix. */
  readonly name: string;
  /** The region the load balancer is created in (the provider's): the edge keys its endpoint group and latency record by it. */
  readonly region: string;
  /** The VPC of the public subnets and the pods. */
  readonly vpcId: string;
  /** The VPC's CIDR: the NLB's security group reaches the pods only inside it. */
  readonly vpcCidr: string;
  /** Public subnets, one per AZ. */
  readonly publicSubnetIds: readonly string[];
  /** Security group of the pods behind the target group (the cluster's); it gets an ingress rule from the NLB. */
  readonly targetSecurityGroupId: string;
  /** Port clients connect to (and the edge, Global Accelerator and Route 53, reaches). */
  readonly listenerPort: number;
  /** Port the ingress pods listen on. */
  readonly targetPort: number;
  /** `TCP` passes TLS through; `TLS` terminates it here. */
  readonly protocol: "TCP" | "TLS";
  /** Required for `TLS`. @default - none */
  readonly certificateArn?: string;
  /** HTTP path of the health check the NLB sends to each pod (HTTP and HTTPS checks). */
  readonly healthCheckPath: string;
  /**
   * Protocol of the target health check; only what the pods serve can succeed (HTTPS for TCP
   * passthrough, HTTP behind a TLS listener), or TCP, which only opens a connection.
   * @default - what the pods serve ({@link defaultHealthCheckProtocol})
   */
  readonly healthCheckProtocol?: TargetHealthCheckProtocol;
  /** SNS topics the no-healthy-targets alarm notifies when it fires and when it clears. @default [] */
  readonly alarmActions?: readonly string[];
  /** Refuse deletion through the API (production). @default true */
  readonly deletionProtection?: boolean;
  /** The AWS provider (account and region) of the NLB's region. @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * The region's front door, owned by Terraform so Global Accelerator knows its ARN at plan time:
 * an internet-facing NLB over the public subnets, a listener, and an IP target group that the
 * AWS Load Balancer Controller fills through a TargetGroupBinding. The NLB's security group
 * admits only the listener port from the internet and reaches only the target port in the VPC.
 * An alarm fires when no healthy target is left; the AZ fault experiment stops on it.
 */
export class RegionalIngress extends Construct implements IRegionalIngress {
  /**
   * A handle on a Network Load Balancer made elsewhere (another stack, another tool), so Global
   * Accelerator and Route 53 can be put in front of it. Literal values are checked here; tokens
   * are left to AWS.
   */
  static fromIngressAttributes(scope: Construct, id: string, attrs: RegionalIngressAttributes): IRegionalIngress {
    return new ImportedRegionalIngress(scope, id, attrs);
  }

  readonly region: string;
  readonly listenerPort: number;
  readonly listenerProtocol: "TCP" | "TLS";
  readonly listenerHealthCheckProtocols: readonly ListenerHealthCheckProtocol[] = TLS_LISTENER_HEALTH_CHECK_PROTOCOLS;
  readonly loadBalancer: Lb;
  readonly targetGroup: LbTargetGroup;
  readonly listener: LbListener;
  readonly securityGroup: SecurityGroup;
  readonly noHealthyTargetsAlarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: RegionalIngressProps) {
    super(scope, id);
    const healthCheckProtocol = validate(props);
    const provider = props.provider;
    this.region = props.region;
    this.listenerPort = props.listenerPort;
    this.listenerProtocol = props.protocol;
    this.securityGroup = new SecurityGroup(this, "security-group", {
      provider,
      name: `${props.name}-nlb`,
      description: `Public ingress NLB ${props.name}`,
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-nlb` },
    });
    new VpcSecurityGroupIngressRule(this, "listener-from-internet", {
      provider,
      securityGroupId: this.securityGroup.id,
      description: `Clients on the public listener port ${props.listenerPort}`,
      ipProtocol: "tcp",
      fromPort: props.listenerPort,
      toPort: props.listenerPort,
      cidrIpv4: "0.0.0.0/0",
    });
    new VpcSecurityGroupEgressRule(this, "to-targets", {
      provider,
      securityGroupId: this.securityGroup.id,
      description: `Forwarded traffic and health checks to pods on ${props.targetPort}`,
      ipProtocol: "tcp",
      fromPort: props.targetPort,
      toPort: props.targetPort,
      cidrIpv4: props.vpcCidr,
    });
    new VpcSecurityGroupIngressRule(this, "targets-from-nlb", {
      provider,
      securityGroupId: props.targetSecurityGroupId,
      description: `Traffic and health checks from the ingress NLB ${props.name}`,
      ipProtocol: "tcp",
      fromPort: props.targetPort,
      toPort: props.targetPort,
      referencedSecurityGroupId: this.securityGroup.id,
    });

    this.loadBalancer = new Lb(this, "nlb", {
      provider,
      name: props.name,
      loadBalancerType: "network",
      internal: false,
      subnets: [...props.publicSubnetIds],
      securityGroups: [this.securityGroup.id],
      // Spread every connection over healthy targets in any AZ, so one AZ's loss drains cleanly.
      enableCrossZoneLoadBalancing: true,
      enableDeletionProtection: props.deletionProtection ?? true,
      enableZonalShift: true,
      tags: { Name: props.name },
    });
    if (props.protocol === "TCP") {
      suppressPolicy(
        this.loadBalancer,
        "CKV_AWS_91",
        "An NLB writes access logs only for TLS listeners; this one passes TCP through to the pods (TLS ends there), so access logs would stay empty. VPC flow logs record the connections.",
      );
    }
    this.targetGroup = new LbTargetGroup(this, "targets", {
      provider,
      name: targetGroupName(props.name, props.targetPort),
      vpcId: props.vpcId,
      targetType: "ip",
      protocol: "TCP",
      port: props.targetPort,
      deregistrationDelay: "30",
      preserveClientIp: "true",
      // Global Accelerator and the no-healthy-targets alarm follow this check for NLB endpoints.
      // NLB limits (ELB target group health check settings): interval 5-300 s, timeout 2-120 s and
      // below the interval ("Health check interval must be greater than the timeout"), thresholds
      // 2-10, HTTP codes 200-599. The TCP target group's default timeout is 10 s, equal to this
      // interval, hence the explicit 5 s.
      healthCheck: {
        enabled: true,
        protocol: healthCheckProtocol,
        port: "traffic-port",
        path: healthCheckProtocol === "TCP" ? undefined : props.healthCheckPath,
        matcher: healthCheckProtocol === "TCP" ? undefined : "200-299",
        interval: 10,
        timeout: 5,
        healthyThreshold: 3,
        unhealthyThreshold: 3,
      },
      tags: { Name: `${props.name}-pods` },
      lifecycle: { createBeforeDestroy: true },
    });
    suppressPolicy(
      this.targetGroup,
      "fixed-name-create-before-destroy",
      "The name carries the target port, the only argument of this group that varies and forces a replacement (protocol and target type are fixed), so a replacement is created under a new name before the old group, still in use by the listener, is deleted.",
    );
    this.listener = new LbListener(this, "listener", {
      provider,
      loadBalancerArn: this.loadBalancer.arn,
      port: props.listenerPort,
      protocol: props.protocol,
      certificateArn: props.certificateArn,
      sslPolicy: props.protocol === "TLS" ? "ELBSecurityPolicy-TLS13-1-2-2021-06" : undefined,
      defaultAction: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
    });
    this.noHealthyTargetsAlarm = new CloudwatchMetricAlarm(this, "no-healthy-targets", {
      provider,
      alarmName: `${props.name}-no-healthy-targets`,
      alarmDescription: `No healthy ingress pod behind ${props.name}: the region serves no traffic`,
      namespace: "AWS/NetworkELB",
      metricName: "HealthyHostCount",
      dimensions: { LoadBalancer: this.loadBalancer.arnSuffix, TargetGroup: this.targetGroup.arnSuffix },
      statistic: "Minimum",
      period: 60,
      evaluationPeriods: 2,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
      alarmActions: [...(props.alarmActions ?? [])],
      okActions: [...(props.alarmActions ?? [])],
    });
  }

  /** The NLB's ARN. */
  get loadBalancerArn(): string {
    return this.loadBalancer.arn;
  }

  /** The NLB's DNS name. */
  get dnsName(): string {
    return this.loadBalancer.dnsName;
  }

  /** The NLB's canonical hosted zone id. */
  get zoneId(): string {
    return this.loadBalancer.zoneId;
  }
}

class ImportedRegionalIngress extends Construct implements IRegionalIngress {
  readonly region: string;
  readonly loadBalancerArn: string;
  readonly dnsName: string;
  readonly zoneId: string;
  readonly listenerPort: number;
  readonly listenerProtocol: "TCP" | "TLS";
  readonly listenerHealthCheckProtocols: readonly ListenerHealthCheckProtocol[];

  constructor(scope: Construct, id: string, attrs: RegionalIngressAttributes) {
    super(scope, id);
    const fail = (setting: string, value: unknown, rule: string): never => {
      throw new Error(`RegionalIngress.fromIngressAttributes "${id}": ${setting} ${JSON.stringify(value)} ${rule}`);
    };
    if (!Token.isUnresolved(attrs.region) && !REGION_NAME.test(attrs.region)) {
      fail("region", attrs.region, "must be an AWS region name such as us-east-1");
    }
    const arnProblem = networkLoadBalancerArnProblem(attrs.loadBalancerArn, attrs.region);
    if (arnProblem) {
      fail("loadBalancerArn", attrs.loadBalancerArn, arnProblem);
    }
    if (!Number.isInteger(attrs.listenerPort) || attrs.listenerPort < 1 || attrs.listenerPort > 65535) {
      fail("listenerPort", attrs.listenerPort, "must be a port 1-65535");
    }
    const protocols = attrs.listenerHealthCheckProtocols ?? TLS_LISTENER_HEALTH_CHECK_PROTOCOLS;
    if (protocols.length === 0) {
      fail("listenerHealthCheckProtocols", protocols, "must name at least one protocol (TCP only opens a connection)");
    }
    this.region = attrs.region;
    this.loadBalancerArn = attrs.loadBalancerArn;
    this.dnsName = attrs.dnsName;
    this.zoneId = attrs.zoneId;
    this.listenerPort = attrs.listenerPort;
    this.listenerProtocol = attrs.listenerProtocol ?? "TCP";
    this.listenerHealthCheckProtocols = [...protocols];
  }
}

function validate(props: RegionalIngressProps): TargetHealthCheckProtocol {
  const fail = (setting: string, value: unknown, rule: string): never => {
    throw new Error(`RegionalIngress ${props.name}: ${setting} ${JSON.stringify(value)} ${rule}`);
  };
  if (!/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/.test(props.name)) {
    fail("name", props.name, "must be 1-32 letters, digits and '-' (an ELB name), not starting or ending with '-'");
  }
  const nameLimit = ELB_NAME_LIMIT - TARGET_GROUP_SUFFIX_MAX;
  if (props.name.length > nameLimit) {
    fail("name", props.name, `is ${props.name.length} characters; the target group "<name>-<target port>" must fit ELB's ${ELB_NAME_LIMIT} for any port, so at most ${nameLimit}`);
  }
  // CreateLoadBalancer: a name must not begin with "internal-"; CreateSecurityGroup: a group name cannot start with "sg-".
  if (props.name.toLowerCase().startsWith("internal-")) {
    fail("name", props.name, 'must not start with "internal-": ELB reserves it for internal load balancers\' DNS names');
  }
  if (props.name.toLowerCase().startsWith("sg-")) {
    fail("name", props.name, 'must not start with "sg-": EC2 refuses security group names with that prefix (the NLB\'s group is "<name>-nlb")');
  }
  for (const [setting, port] of [["listenerPort", props.listenerPort], ["targetPort", props.targetPort]] as const) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      fail(setting, port, "must be a port 1-65535");
    }
  }
  if (props.protocol === "TLS" && !props.certificateArn) {
    fail("certificateArn", props.certificateArn, "is required for a TLS listener");
  }
  if (props.publicSubnetIds.length < 2) {
    fail("publicSubnetIds", props.publicSubnetIds, "must name subnets in at least 2 AZs");
  }
  const pathProblem = targetHealthCheckPathProblem(props.healthCheckPath);
  if (pathProblem) {
    fail("healthCheckPath", props.healthCheckPath.length > 40 ? `${props.healthCheckPath.slice(0, 40)}…` : props.healthCheckPath, pathProblem);
  }
  if (!Token.isUnresolved(props.region) && !REGION_NAME.test(props.region)) {
    fail("region", props.region, "must be an AWS region name such as us-east-1");
  }
  const served = defaultHealthCheckProtocol(props.protocol);
  const protocol = props.healthCheckProtocol ?? served;
  if (protocol !== "TCP" && protocol !== served) {
    const what =
      props.protocol === "TCP"
        ? `with a TCP listener TLS passes through and the pods serve TLS on targetPort ${props.targetPort}`
        : `with a TLS listener the NLB ends TLS and the pods receive plain TCP on targetPort ${props.targetPort}`;
    fail("healthCheckProtocol", protocol, `cannot succeed: ${what}; use ${served} (or TCP)`);
  }
  return protocol;
}
