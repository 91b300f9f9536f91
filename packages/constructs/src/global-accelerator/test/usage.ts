import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { FlowLogBucket, GlobalAccelerator, RegionalIngress } from "@meridian/constructs";

/** Global Accelerator in front of two Network Load Balancers a team already runs, with flow logs. */
export class GlobalAcceleratorExample extends TerraformStack {
  readonly accelerator: GlobalAccelerator;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Any region: the provider sends Global Accelerator calls to us-west-2 itself.
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    const partition = new DataAwsPartition(this, "partition").partition;
    const flowLogs = new FlowLogBucket(this, "flow-logs", {
      bucketName: "team-a-accelerator-flow-logs-123456789012",
      prefix: "global-accelerator",
      accountId: "123456789012",
      partition,
    });
    const nlb = (region: string, name: string, hash: string) =>
      RegionalIngress.fromIngressAttributes(this, `nlb-${region}`, {
        region,
        loadBalancerArn: `arn:aws:elasticloadbalancing:${region}:123456789012:loadbalancer/net/${name}/${hash}`,
        dnsName: `${name}-${hash}.elb.${region}.amazonaws.com`,
        zoneId: region === "eu-west-1" ? "Z2IFOLAFXWLO4F" : "Z26RNL4JYFTOTI",
        listenerPort: 443,
      });
    this.accelerator = new GlobalAccelerator(this, "accelerator", {
      name: "team-a",
      listeners: [{ port: 443 }],
      endpoints: [
        { ingress: nlb("eu-west-1", "team-a-euw1", "0123456789abcdef") },
        // Half the weight of eu-west-1's NLB, and drained to 50% of its region's share.
        { ingress: nlb("us-east-1", "team-a-use1", "fedcba9876543210"), weight: 64, trafficDialPercentage: 50 },
      ],
      flowLogs: { bucketName: flowLogs.bucket.bucket.bucket, prefix: "global-accelerator", ready: [flowLogs.bucket.policy] },
    });
    new TerraformOutput(this, "static_ips", { value: this.accelerator.accelerator.ipSets.get(0).ipAddresses });
  }
}
