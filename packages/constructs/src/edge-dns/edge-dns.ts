import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { HTTP_PATH } from "../core/aws-limits";
import { listenerHealthCheckProblems, type IRegionalIngress } from "../regional-ingress/regional-ingress";

/** A region's NLB as a latency record's target. */
export interface LatencyEndpoint {
  /** The region's NLB: a {@link RegionalIngress}, or one adopted with `RegionalIngress.fromIngressAttributes`. */
  readonly ingress: IRegionalIngress;
  /**
   * The region is drained (its accelerator dial is 0): its health check is inverted, so Route 53
   * stops answering with its latency record while the NLB stays healthy. @default false
   */
  readonly drained?: boolean;
}

export interface EdgeDnsProps {
  /** The public hosted zone the records go in. */
  readonly hostedZoneId: string;
  /** Alias to the accelerator, e.g. `app.example.com`. */
  readonly recordName: string;
  /** The accelerator the alias points at: its DNS name and hosted zone id (a `GlobalacceleratorAccelerator` resource has both). */
  readonly accelerator: { readonly dnsName: string; readonly hostedZoneId: string };
  /** Also publish an AAAA alias (dual-stack accelerator). @default false */
  readonly ipv6?: boolean;
  /**
   * The second path: latency-based alias records under this name to each region's NLB, each
   * tied to a Route 53 health check of that NLB. @default - none
   */
  readonly latency?: {
    readonly recordName: string;
    readonly loadBalancers: readonly LatencyEndpoint[];
    /** What the health check sends: TCP connect, or an HTTP(S) request for `path`. */
    readonly protocol: "TCP" | "HTTP" | "HTTPS";
    readonly port: number;
    /** Required for HTTP(S). @default - none */
    readonly path?: string;
    /** 10 or 30. @default 30 */
    readonly intervalSeconds?: number;
    /** 1-10. @default 3 */
    readonly failureThreshold?: number;
  };
  /** The AWS provider (account) of the hosted zone; Route 53 is global, so any region. @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * Route 53 in front of the accelerator: an alias record (A, and AAAA when dual-stack) to the
 * accelerator's DNS name, and optionally a second path that does not depend on the accelerator:
 * latency-routed aliases straight to each region's NLB, each withdrawn when its Route 53 health
 * check fails.
 */
export class EdgeDns extends Construct {
  readonly records: Route53Record[] = [];
  readonly healthChecks: Map<string, Route53HealthCheck> = new Map();

  constructor(scope: Construct, id: string, props: EdgeDnsProps) {
    super(scope, id);
    validate(props);
    const provider = props.provider;
    for (const type of props.ipv6 ? ["A", "AAAA"] : ["A"]) {
      this.records.push(
        new Route53Record(this, `accelerator-${type.toLowerCase()}`, {
          provider,
          zoneId: props.hostedZoneId,
          name: props.recordName,
          type,
          alias: { name: props.accelerator.dnsName, zoneId: props.accelerator.hostedZoneId, evaluateTargetHealth: true },
        }),
      );
    }
    const latency = props.latency;
    if (!latency) {
      return;
    }
    for (const { ingress, drained } of latency.loadBalancers) {
      const lb = { region: ingress.region, dnsName: ingress.dnsName, zoneId: ingress.zoneId, drained };
      const check = new Route53HealthCheck(this, `health-${lb.region}`, {
        provider,
        type: latency.protocol,
        fqdn: lb.dnsName,
        port: latency.port,
        resourcePath: latency.protocol === "TCP" ? undefined : latency.path,
        // The NLB passes TLS through; the check needs SNI to reach the right certificate.
        enableSni: latency.protocol === "HTTPS" ? true : undefined,
        requestInterval: latency.intervalSeconds ?? 30,
        failureThreshold: latency.failureThreshold ?? 3,
        measureLatency: true,
        // What `npm run evacuate` sets live; declared here so the next apply keeps it.
        invertHealthcheck: lb.drained ? true : undefined,
        tags: { Name: `${latency.recordName}-${lb.region}` },
      });
      this.healthChecks.set(lb.region, check);
      this.records.push(
        new Route53Record(this, `latency-${lb.region}`, {
          provider,
          zoneId: props.hostedZoneId,
          name: latency.recordName,
          type: "A",
          setIdentifier: lb.region,
          latencyRoutingPolicy: { region: lb.region },
          healthCheckId: check.id,
          alias: { name: lb.dnsName, zoneId: lb.zoneId, evaluateTargetHealth: true },
        }),
      );
    }
  }
}

function validate(props: EdgeDnsProps): void {
  const fail = (setting: string, value: unknown, rule: string): never => {
    throw new Error(`EdgeDns ${props.recordName}: ${setting} ${JSON.stringify(value)} ${rule}`);
  };
  const latency = props.latency;
  if (!latency) {
    return;
  }
  if (latency.recordName === props.recordName) {
    fail("latency.recordName", latency.recordName, "must differ from recordName: one name cannot be both an alias and latency records");
  }
  if ((latency.protocol === "HTTP" || latency.protocol === "HTTPS") && !latency.path) {
    fail("latency.path", latency.path, `is required for ${latency.protocol} health checks`);
  }
  const interval = latency.intervalSeconds ?? 30;
  if (interval !== 10 && interval !== 30) {
    fail("latency.intervalSeconds", interval, "must be 10 or 30 (Route 53 health check intervals)");
  }
  const threshold = latency.failureThreshold ?? 3;
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > 10) {
    fail("latency.failureThreshold", threshold, "must be 1-10");
  }
  if (latency.loadBalancers.length === 0) {
    fail("latency.loadBalancers", latency.loadBalancers, "must list at least one regional NLB");
  }
  const regions = latency.loadBalancers.map((lb) => lb.ingress.region);
  regions.forEach((region, i) => {
    if (regions.indexOf(region) !== i) {
      fail("latency.loadBalancers", region, "appears twice; a latency record set has one record per region");
    }
  });
  if (latency.path !== undefined && !HTTP_PATH.test(latency.path)) {
    fail("latency.path", latency.path, "must be an absolute HTTP path such as /healthz");
  }
  if (!Number.isInteger(latency.port) || latency.port < 1 || latency.port > 65535) {
    fail("latency.port", latency.port, "must be 1-65535");
  }
  // Route 53 checks each NLB the way clients reach it: through its listener.
  for (const { ingress } of latency.loadBalancers) {
    const problem = listenerHealthCheckProblems(ingress, { protocol: latency.protocol, port: latency.port })[0];
    if (problem) {
      fail(`latency.${problem.path.join(".")}`, problem.value, `${problem.rule} (latency.loadBalancers[${ingress.region}])`);
    }
  }
}
