/**
 * AWS Global Accelerator in front of two Network Load Balancers that already exist, one per
 * region: two static anycast addresses, a TCP listener on 443, one endpoint group per region
 * with health checks, and flow logs into an encrypted bucket. Shifting traffic between the
 * regions is a change of `trafficDialPercentage`; nothing about the NLBs changes.
 */
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { FlowLogBucket, GlobalAccelerator, RegionalIngress } from "@meridian/constructs";

const ACCOUNT_ID = "123456789012";
const FLOW_LOG_PREFIX = "global-accelerator";

/**
 * The existing NLBs, e.g. from `aws elbv2 describe-load-balancers --names storefront`: ARN, DNS
 * name, canonical hosted zone and the listener port the accelerator forwards to.
 */
const NLBS = [
  {
    region: "us-east-1",
    loadBalancerArn: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT_ID}:loadbalancer/net/storefront/0a1b2c3d4e5f6071`,
    dnsName: "storefront-0a1b2c3d4e5f6071.elb.us-east-1.amazonaws.com",
    zoneId: "Z26RNL4JYFTOTI",
    listenerPort: 443,
    trafficDialPercentage: 100,
  },
  {
    region: "eu-west-1",
    loadBalancerArn: `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT_ID}:loadbalancer/net/storefront/0a1b2c3d4e5f6072`,
    dnsName: "storefront-0a1b2c3d4e5f6072.elb.eu-west-1.amazonaws.com",
    zoneId: "Z2IFOLAFXWLO4F",
    listenerPort: 443,
    // Half of eu-west-1's share while the region is being brought in.
    trafficDialPercentage: 50,
  },
] as const;

class AcceleratorStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Global Accelerator is a global service; the provider sends its calls to us-west-2 from any region.
    new AwsProvider(this, "aws", { region: "us-east-1", allowedAccountIds: [ACCOUNT_ID] });
    const partition = new DataAwsPartition(this, "partition").partition;

    const flowLogs = new FlowLogBucket(this, "flow-logs", {
      bucketName: `storefront-accelerator-flow-logs-${ACCOUNT_ID}`,
      prefix: FLOW_LOG_PREFIX,
      accountId: ACCOUNT_ID,
      partition,
    });
    const accelerator = new GlobalAccelerator(this, "accelerator", {
      name: "storefront",
      listeners: [{ port: 443, protocol: "TCP", clientAffinity: "NONE" }],
      healthCheck: { protocol: "TCP", intervalSeconds: 10, thresholdCount: 3 },
      // Adopted, not created: each handle carries what the accelerator needs to know of its NLB.
      endpoints: NLBS.map(({ trafficDialPercentage, ...nlb }) => ({
        ingress: RegionalIngress.fromIngressAttributes(this, `nlb-${nlb.region}`, nlb),
        trafficDialPercentage,
      })),
      // Global Accelerator checks that it may write to the bucket when flow logs are switched on.
      flowLogs: { bucketName: flowLogs.bucket.bucket.bucket, prefix: FLOW_LOG_PREFIX, ready: [flowLogs.bucket.policy] },
    });

    new TerraformOutput(this, "dns_name", { value: accelerator.accelerator.dnsName });
    new TerraformOutput(this, "static_addresses", { value: accelerator.accelerator.ipSets.get(0).ipAddresses });
  }
}

const app = new App();
new AcceleratorStack(app, "accelerator-existing-nlbs");
app.synth();
