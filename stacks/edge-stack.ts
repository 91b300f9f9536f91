import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { edgeStackName, resourcePrefix } from "../src/config/naming";
import { environmentBackendAndProviders, type EnvironmentStackProps } from "./environment-stack";
import { EdgeDns } from "@meridian/constructs";
import { FlowLogBucket } from "@meridian/constructs";
import { GlobalAccelerator, type IRegionalIngress } from "@meridian/constructs";

export interface EdgeStackProps extends EnvironmentStackProps {
  /** The environment's regional ingress load balancers, one per region: the accelerator's endpoints and the latency records' targets. */
  readonly ingresses: readonly IRegionalIngress[];
}

/** Prefix under which Global Accelerator writes flow logs. */
const FLOW_LOG_PREFIX = "global-accelerator";

/**
 * How users reach an environment: a Global Accelerator with one endpoint group per region on
 * the regional NLBs, its flow-log bucket, and Route 53 names. Draining a region is a change of
 * its traffic dial in the catalogue, which updates one endpoint group in place.
 *
 * The stack's provider sits in `homeRegion` (flow-log bucket); Global Accelerator and Route 53
 * are global services that the provider addresses on their own endpoints.
 */
export class EdgeStack extends TerraformStack {
  readonly accelerator: GlobalAccelerator;
  readonly dns?: EdgeDns;

  constructor(scope: Construct, props: EdgeStackProps) {
    const { catalogue, environment } = props;
    const edge = environment.edge;
    const id = edgeStackName(environment.name);
    if (!edge) {
      throw new Error(`EdgeStack ${id}: environment ${environment.name} has no edge settings`);
    }
    super(scope, id);
    const providers = environmentBackendAndProviders(this, props, { homeRegion: environment.homeRegion });
    const partition = new DataAwsPartition(this, "partition").partition;
    const prefix = resourcePrefix(catalogue.project, environment.name);
    const byRegion = new Map(props.ingresses.map((ingress) => [ingress.region, ingress]));

    const flowLogs = new FlowLogBucket(this, "flow-logs", {
      provider: providers.home,
      bucketName: `${prefix}-accelerator-flow-logs-${environment.accountId}`,
      prefix: FLOW_LOG_PREFIX,
      accountId: environment.accountId,
      partition,
    });

    this.accelerator = new GlobalAccelerator(this, "accelerator", {
      provider: providers.home,
      name: prefix,
      ipAddressType: edge.ipAddressType,
      listeners: edge.listeners,
      healthCheck: edge.healthCheck,
      clientIpPreservation: edge.clientIpPreservation,
      requiredRegions: environment.regions.map((r) => r.region),
      endpoints: environment.regions.map((r) => ({
        ingress: ingressOf(byRegion, r.region, id),
        // A region the catalogue leaves out takes the construct's defaults (dial 100, weight 128).
        trafficDialPercentage: edge.trafficDials[r.region],
        weight: edge.endpointWeights[r.region],
      })),
      // Global Accelerator checks that it may write to the bucket when flow logs are switched on.
      flowLogs: { bucketName: flowLogs.bucket.bucket.bucket, prefix: FLOW_LOG_PREFIX, ready: [flowLogs.bucket.policy] },
    });

    if (edge.dns) {
      const dns = edge.dns;
      this.dns = new EdgeDns(this, "dns", {
        provider: providers.home,
        hostedZoneId: dns.hostedZoneId,
        recordName: dns.recordName,
        ipv6: edge.ipAddressType === "DUAL_STACK",
        accelerator: { dnsName: this.accelerator.accelerator.dnsName, hostedZoneId: this.accelerator.accelerator.hostedZoneId },
        latency: dns.latencyRecordName
          ? {
              recordName: dns.latencyRecordName,
              loadBalancers: environment.regions.map((r) => ({ ingress: ingressOf(byRegion, r.region, id), drained: edge.trafficDials[r.region] === 0 })),
              protocol: edge.healthCheck.protocol,
              port: edge.healthCheck.port ?? edge.listeners[0]!.port,
              path: edge.healthCheck.path,
              intervalSeconds: dns.healthCheckIntervalSeconds,
              failureThreshold: dns.healthCheckFailureThreshold,
            }
          : undefined,
      });
    }

    new TerraformOutput(this, "accelerator_dns_name", { value: this.accelerator.accelerator.dnsName, description: "Accelerator DNS name" });
    new TerraformOutput(this, "accelerator_static_ips", {
      value: this.accelerator.accelerator.ipSets.get(0).ipAddresses,
      description: "The accelerator's two static anycast IPv4 addresses",
    });
    if (edge.ipAddressType === "DUAL_STACK") {
      new TerraformOutput(this, "accelerator_dual_stack_dns_name", { value: this.accelerator.accelerator.dualStackDnsName, description: "Dual-stack DNS name" });
    }
    if (edge.dns) {
      new TerraformOutput(this, "dns_name", { value: edge.dns.recordName, description: "Name users resolve" });
    }
  }
}

function ingressOf(byRegion: Map<string, IRegionalIngress>, region: string, stack: string): IRegionalIngress {
  const found = byRegion.get(region);
  if (!found) {
    throw new Error(`${stack}: no ingress in ${region}; pass one ingress per region of the environment`);
  }
  return found;
}
