import { GlobalacceleratorAccelerator } from "@cdktf/provider-aws/lib/globalaccelerator-accelerator";
import { GlobalacceleratorEndpointGroup } from "@cdktf/provider-aws/lib/globalaccelerator-endpoint-group";
import { GlobalacceleratorListener } from "@cdktf/provider-aws/lib/globalaccelerator-listener";
import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { globalAcceleratorHealthCheckPathProblem } from "../core/aws-limits";
import { propertyPath } from "../core/property-path";
import { listenerHealthCheckProblems, networkLoadBalancerArnProblem, type IRegionalIngress, type SettingProblem } from "../regional-ingress/regional-ingress";

export interface AcceleratorListener {
  readonly port: number;
  /** @default "TCP" */
  readonly protocol?: "TCP" | "UDP";
  /** @default "NONE" */
  readonly clientAffinity?: "NONE" | "SOURCE_IP";
}

export interface AcceleratorHealthCheck {
  /** @default "TCP" */
  readonly protocol?: "TCP" | "HTTP" | "HTTPS";
  /** @default - the first listener's port */
  readonly port?: number;
  /** Required for HTTP and HTTPS. @default - none */
  readonly path?: string;
  /** 10 or 30. @default 10 */
  readonly intervalSeconds?: number;
  /** 1-10. @default 3 */
  readonly thresholdCount?: number;
}

/** One region's entry point: its NLB, with the share of traffic it takes. */
export interface RegionalEndpoint {
  /** The region's NLB: a {@link RegionalIngress}, or one adopted with `RegionalIngress.fromIngressAttributes`. */
  readonly ingress: IRegionalIngress;
  /** 0-100; 0 drains the region. @default 100 */
  readonly trafficDialPercentage?: number;
  /** 0-255. @default 128 */
  readonly weight?: number;
}

export interface GlobalAcceleratorProps {
  /** Accelerator name (1-64 letters, digits, hyphens). */
  readonly name: string;
  /** `DUAL_STACK` adds IPv6 anycast addresses (and a dual-stack DNS name). @default "IPV4" */
  readonly ipAddressType?: "IPV4" | "DUAL_STACK";
  /** Listeners, one per port; each port must be every endpoint's NLB listener port. */
  readonly listeners: readonly AcceleratorListener[];
  /** The endpoint groups' health check (for NLB endpoints Global Accelerator follows the NLB's target health instead). @default TCP on the first listener's port, every 10 s, threshold 3 */
  readonly healthCheck?: AcceleratorHealthCheck;
  /** One endpoint per region (the region of its ingress); every region in `requiredRegions` must be present. */
  readonly endpoints: readonly RegionalEndpoint[];
  /**
   * Regions that must each have an endpoint group, and the only ones that may: a guard against
   * leaving a region out (or adding a stray one) when the endpoints are computed.
   * @default - the regions of `endpoints`
   */
  readonly requiredRegions?: readonly string[];
  /** Keep the client's source IP on the way to the NLB. @default true */
  readonly clientIpPreservation?: boolean;
  /**
   * Flow logs destination, always on (Global Accelerator logs each flow to S3; {@link FlowLogBucket}
   * makes a bucket it may write to). `ready` is what must exist before delivery starts (the bucket policy).
   */
  readonly flowLogs: { readonly bucketName: string; readonly prefix: string; readonly ready?: ITerraformDependable[] };
  /** The AWS provider (account) of the accelerator; any region, as the provider sends Global Accelerator calls to us-west-2. @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * What an accelerator in front of `ingress` cannot do, with paths below {@link GlobalAcceleratorProps}:
 * without port overrides Global Accelerator sends a listener's traffic to the endpoint on the
 * listener's own port (API reference, PortOverride), so each listener port must be the NLB's
 * listener port and speak its protocol (TCP for a TCP or TLS listener); the endpoint group's
 * health check must reach the NLB's listener with a protocol it answers.
 */
export function acceleratorIngressProblems(
  props: { readonly listeners: readonly AcceleratorListener[]; readonly healthCheck?: Pick<AcceleratorHealthCheck, "protocol" | "port"> },
  ingress: Pick<IRegionalIngress, "listenerPort" | "listenerProtocol" | "listenerHealthCheckProtocols">,
): SettingProblem[] {
  const problems: SettingProblem[] = [];
  props.listeners.forEach((listener, i) => {
    if (listener.port !== ingress.listenerPort) {
      problems.push({
        path: ["listeners", i, "port"],
        value: listener.port,
        rule: `must equal the regional NLB's listener port (${ingress.listenerPort}): the accelerator forwards to its endpoints on the listener's port`,
      });
    }
    const protocol = listener.protocol ?? "TCP";
    if (protocol !== "TCP") {
      problems.push({ path: ["listeners", i, "protocol"], value: protocol, rule: `cannot reach the regional NLB, which listens on ${ingress.listenerProtocol}` });
    }
  });
  const first = props.listeners[0];
  if (first) {
    const check = { protocol: props.healthCheck?.protocol ?? "TCP", port: props.healthCheck?.port ?? first.port };
    // Only the settings given: a defaulted port follows the first listener, which is checked above.
    const given = listenerHealthCheckProblems(ingress, check).filter((p) => p.path[0] === "protocol" || props.healthCheck?.port !== undefined);
    problems.push(...given.map((p) => ({ ...p, path: ["healthCheck", ...p.path] })));
  }
  return problems;
}

/**
 * Why an endpoint-group health check's protocol and path do not go together (a path for HTTP and
 * HTTPS only, and required there), or why Global Accelerator refuses the path; `undefined` when
 * they are fine.
 */
export function acceleratorHealthCheckPathProblem(protocol: "TCP" | "HTTP" | "HTTPS", path: string | undefined): string | undefined {
  if ((protocol === "HTTP" || protocol === "HTTPS") && !path) {
    return `is required for an ${protocol} health check`;
  }
  if (protocol === "TCP" && path !== undefined) {
    return "only applies to HTTP and HTTPS health checks";
  }
  return path === undefined ? undefined : globalAcceleratorHealthCheckPathProblem(path);
}

/** Whether these traffic dials (0-100 per endpoint group) close every group, so the accelerator would accept no traffic. */
export function everyTrafficDialClosed(dials: readonly number[]): boolean {
  return dials.length > 0 && dials.every((dial) => dial === 0);
}

/**
 * An AWS Global Accelerator in front of regional NLBs: two static anycast addresses, listeners,
 * and per listener one endpoint group per region pointing at that region's NLB (an
 * {@link IRegionalIngress}), with health checks, traffic dials and weights.
 *
 * The Global Accelerator API lives only in us-west-2; the AWS provider sends its calls there
 * whatever the provider's region, so any provider works. An endpoint group's region, however,
 * defaults to the *provider's* region and forces replacement, so it is always set explicitly.
 * For NLB endpoints the accelerator follows the load balancer's own target health (Global
 * Accelerator developer guide, "Endpoint groups": health check settings apply to EC2 instance and
 * Elastic IP endpoints; for load balancers they are configured on the load balancer). A region is
 * healthy here exactly when its NLB target group is, so the target group's check must match what
 * the pods serve (RegionalIngress); the group's own settings stay valid and satisfy the policy rules.
 */
export class GlobalAccelerator extends Construct {
  readonly accelerator: GlobalacceleratorAccelerator;
  readonly listeners: GlobalacceleratorListener[];
  /** By listener port, then region. */
  readonly endpointGroups: Map<number, Map<string, GlobalacceleratorEndpointGroup>>;

  constructor(scope: Construct, id: string, props: GlobalAcceleratorProps) {
    super(scope, id);
    validate(props);
    const provider = props.provider;
    const health = props.healthCheck ?? {};
    this.accelerator = new GlobalacceleratorAccelerator(this, "accelerator", {
      provider,
      name: props.name,
      ipAddressType: props.ipAddressType ?? "IPV4",
      enabled: true,
      attributes: { flowLogsEnabled: true, flowLogsS3Bucket: props.flowLogs.bucketName, flowLogsS3Prefix: props.flowLogs.prefix },
      dependsOn: props.flowLogs.ready,
    });
    this.endpointGroups = new Map();
    this.listeners = props.listeners.map((spec) => {
      const listener = new GlobalacceleratorListener(this, `listener-${spec.port}`, {
        provider,
        acceleratorArn: this.accelerator.id,
        protocol: spec.protocol ?? "TCP",
        clientAffinity: spec.clientAffinity ?? "NONE",
        portRange: [{ fromPort: spec.port, toPort: spec.port }],
      });
      const groups = new Map<string, GlobalacceleratorEndpointGroup>();
      for (const endpoint of props.endpoints) {
        const protocol = health.protocol ?? "TCP";
        const region = endpoint.ingress.region;
        groups.set(
          region,
          new GlobalacceleratorEndpointGroup(this, `listener-${spec.port}-${region}`, {
            provider,
            listenerArn: listener.id,
            // Without it the group lands in the provider's region, and moving it replaces the group.
            endpointGroupRegion: region,
            healthCheckProtocol: protocol,
            healthCheckPort: health.port ?? props.listeners[0]!.port,
            healthCheckPath: protocol === "TCP" ? undefined : health.path,
            healthCheckIntervalSeconds: health.intervalSeconds ?? 10,
            thresholdCount: health.thresholdCount ?? 3,
            trafficDialPercentage: endpoint.trafficDialPercentage ?? 100,
            endpointConfiguration: [
              {
                endpointId: endpoint.ingress.loadBalancerArn,
                weight: endpoint.weight ?? 128,
                clientIpPreservationEnabled: props.clientIpPreservation ?? true,
              },
            ],
          }),
        );
      }
      this.endpointGroups.set(spec.port, groups);
      return listener;
    });
  }
}

function validate(props: GlobalAcceleratorProps): void {
  const fail = (setting: string, value: unknown, rule: string): never => {
    throw new Error(`GlobalAccelerator ${props.name}: ${setting} ${JSON.stringify(value)} ${rule}`);
  };
  if (!/^[a-zA-Z0-9][a-zA-Z0-9-]{0,63}$/.test(props.name) || props.name.endsWith("-")) {
    fail("name", props.name, "must be 1-64 letters, digits or hyphens, not starting or ending with a hyphen");
  }
  if (props.listeners.length === 0) {
    fail("listeners", props.listeners, "must name at least one listener");
  }
  const regions = props.endpoints.map((e) => e.ingress.region);
  regions.forEach((region, i) => {
    if (regions.indexOf(region) !== i) {
      fail("endpoints", region, "appears twice; each region has exactly one endpoint group per listener");
    }
  });
  const required = props.requiredRegions ?? regions;
  for (const region of required) {
    if (!regions.includes(region)) {
      fail("endpoints", regions, `has no endpoint group for ${region}; requiredRegions lists it`);
    }
  }
  for (const region of regions) {
    if (!required.includes(region)) {
      fail("endpoints", region, `is not one of requiredRegions (${required.join(", ")})`);
    }
  }
  for (const endpoint of props.endpoints) {
    const region = endpoint.ingress.region;
    const dial = endpoint.trafficDialPercentage ?? 100;
    if (!Number.isInteger(dial) || dial < 0 || dial > 100) {
      fail(`endpoints[${region}].trafficDialPercentage`, dial, "must be 0-100");
    }
    const weight = endpoint.weight ?? 128;
    if (!Number.isInteger(weight) || weight < 0 || weight > 255) {
      fail(`endpoints[${region}].weight`, weight, "must be 0-255");
    }
    const arnProblem = networkLoadBalancerArnProblem(endpoint.ingress.loadBalancerArn, region);
    if (arnProblem) {
      fail(`endpoints[${region}].ingress.loadBalancerArn`, endpoint.ingress.loadBalancerArn, arnProblem);
    }
  }
  if (everyTrafficDialClosed(props.endpoints.map((e) => e.trafficDialPercentage ?? 100))) {
    fail("endpoints", props.endpoints.map((e) => `${e.ingress.region}=0`), "set every traffic dial to 0: the accelerator would accept no traffic");
  }
  const health = props.healthCheck ?? {};
  const pathProblem = acceleratorHealthCheckPathProblem(health.protocol ?? "TCP", health.path);
  if (pathProblem) {
    fail("healthCheck.path", health.path, pathProblem);
  }
  if (health.intervalSeconds !== undefined && ![10, 30].includes(health.intervalSeconds)) {
    fail("healthCheck.intervalSeconds", health.intervalSeconds, "must be 10 or 30");
  }
  if (health.thresholdCount !== undefined && (!Number.isInteger(health.thresholdCount) || health.thresholdCount < 1 || health.thresholdCount > 10)) {
    fail("healthCheck.thresholdCount", health.thresholdCount, "must be 1-10");
  }
  const ports = props.listeners.map((l) => l.port);
  if (health.port !== undefined && !ports.includes(health.port)) {
    fail("healthCheck.port", health.port, `must be one of the listener ports (${ports.join(", ")}): the endpoints are only reachable there`);
  }
  ports.forEach((port, i) => {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      fail(`listeners[${i}].port`, port, "must be 1-65535");
    }
    if (ports.indexOf(port) !== i) {
      fail(`listeners[${i}].port`, port, "is used by another listener; endpoint groups are keyed by port");
    }
  });
  for (const endpoint of props.endpoints) {
    const problem = acceleratorIngressProblems(props, endpoint.ingress)[0];
    if (problem) {
      fail(propertyPath(problem.path), problem.value, `${problem.rule} (endpoints[${endpoint.ingress.region}])`);
    }
  }
}
