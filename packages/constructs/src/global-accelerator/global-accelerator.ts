import { GlobalacceleratorAccelerator } from "@cdktf/provider-aws/lib/globalaccelerator-accelerator";
import { GlobalacceleratorEndpointGroup } from "@cdktf/provider-aws/lib/globalaccelerator-endpoint-group";
import { GlobalacceleratorListener } from "@cdktf/provider-aws/lib/globalaccelerator-listener";
import { Token, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { globalAcceleratorHealthCheckPathProblem } from "../core/aws-limits";

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

/** One region's entry point: its NLB. */
export interface RegionalEndpoint {
  readonly region: string;
  /** ARN of the region's Network Load Balancer (a token across stacks is fine). */
  readonly loadBalancerArn: string;
  /** 0-100; 0 drains the region. @default 100 */
  readonly trafficDialPercentage?: number;
  /** 0-255. @default 128 */
  readonly weight?: number;
}

export interface GlobalAcceleratorProps {
  /** Accelerator name (1-64 letters, digits, hyphens). */
  readonly name: string;
  /** @default "IPV4" */
  readonly ipAddressType?: "IPV4" | "DUAL_STACK";
  readonly listeners: readonly AcceleratorListener[];
  /** @default TCP on the first listener's port, every 10 s, threshold 3 */
  readonly healthCheck?: AcceleratorHealthCheck;
  /** One endpoint per region; every region in `requiredRegions` must be present. */
  readonly endpoints: readonly RegionalEndpoint[];
  /** Regions that must each have an endpoint group (the environment's regions). */
  readonly requiredRegions: readonly string[];
  /** Keep the client's source IP on the way to the NLB. @default true */
  readonly clientIpPreservation?: boolean;
  /** Flow logs destination (rule 43: always on). `ready` is what must exist before delivery starts (the bucket policy). */
  readonly flowLogs: { readonly bucketName: string; readonly prefix: string; readonly ready?: ITerraformDependable[] };
  /** @default - the stack's default AWS provider (any region: the provider sends Global Accelerator calls to us-west-2) */
  readonly provider?: TerraformProvider;
}

/**
 * An AWS Global Accelerator in front of the platform's regions: two static anycast addresses,
 * listeners, and per listener one endpoint group per region pointing at that region's
 * Terraform-owned NLB, with health checks, traffic dials and weights.
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
        groups.set(
          endpoint.region,
          new GlobalacceleratorEndpointGroup(this, `listener-${spec.port}-${endpoint.region}`, {
            provider,
            listenerArn: listener.id,
            // Without it the group lands in the provider's region, and moving it replaces the group.
            endpointGroupRegion: endpoint.region,
            healthCheckProtocol: protocol,
            healthCheckPort: health.port ?? props.listeners[0]!.port,
            healthCheckPath: protocol === "TCP" ? undefined : health.path,
            healthCheckIntervalSeconds: health.intervalSeconds ?? 10,
            thresholdCount: health.thresholdCount ?? 3,
            trafficDialPercentage: endpoint.trafficDialPercentage ?? 100,
            endpointConfiguration: [
              {
                endpointId: endpoint.loadBalancerArn,
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
  const regions = props.endpoints.map((e) => e.region);
  regions.forEach((region, i) => {
    if (regions.indexOf(region) !== i) {
      fail("endpoints", region, "appears twice; each region has exactly one endpoint group per listener");
    }
  });
  for (const region of props.requiredRegions) {
    if (!regions.includes(region)) {
      fail("endpoints", regions, `has no endpoint group for ${region}; every region of the environment needs one`);
    }
  }
  for (const region of regions) {
    if (!props.requiredRegions.includes(region)) {
      fail("endpoints", region, `is not one of the environment's regions (${props.requiredRegions.join(", ")})`);
    }
  }
  for (const endpoint of props.endpoints) {
    const dial = endpoint.trafficDialPercentage ?? 100;
    if (!Number.isInteger(dial) || dial < 0 || dial > 100) {
      fail(`endpoints[${endpoint.region}].trafficDialPercentage`, dial, "must be 0-100");
    }
    const weight = endpoint.weight ?? 128;
    if (!Number.isInteger(weight) || weight < 0 || weight > 255) {
      fail(`endpoints[${endpoint.region}].weight`, weight, "must be 0-255");
    }
    if (!Token.isUnresolved(endpoint.loadBalancerArn)) {
      const arn = /^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):\d{12}:loadbalancer\/net\/.+$/.exec(endpoint.loadBalancerArn);
      if (!arn) {
        fail(`endpoints[${endpoint.region}].loadBalancerArn`, endpoint.loadBalancerArn, "must be a Network Load Balancer ARN");
      } else if (arn[1] !== endpoint.region) {
        fail(`endpoints[${endpoint.region}].loadBalancerArn`, endpoint.loadBalancerArn, `is in ${arn[1]}; an endpoint group only takes load balancers of its own region`);
      }
    }
  }
  if (props.endpoints.length > 0 && props.endpoints.every((e) => (e.trafficDialPercentage ?? 100) === 0)) {
    fail("endpoints", props.endpoints.map((e) => `${e.region}=0`), "set every traffic dial to 0: the accelerator would accept no traffic");
  }
  const health = props.healthCheck ?? {};
  const protocol = health.protocol ?? "TCP";
  if ((protocol === "HTTP" || protocol === "HTTPS") && !health.path) {
    fail("healthCheck.path", health.path, `is required for an ${protocol} health check`);
  }
  if (protocol === "TCP" && health.path !== undefined) {
    fail("healthCheck.path", health.path, "only applies to HTTP and HTTPS health checks");
  }
  const pathProblem = health.path === undefined ? undefined : globalAcceleratorHealthCheckPathProblem(health.path);
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
}
