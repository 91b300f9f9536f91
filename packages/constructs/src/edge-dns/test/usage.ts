import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { EdgeDns, RegionalIngress } from "@meridian/constructs";

/**
 * `app.example.com` aliased to an accelerator, and `direct.app.example.com` routed by latency
 * straight to two regions' NLBs, each record withdrawn when its Route 53 health check fails.
 */
export class EdgeDnsExample extends TerraformStack {
  readonly dns: EdgeDns;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "us-east-1" });
    const nlb = (region: string, zoneId: string) =>
      RegionalIngress.fromIngressAttributes(this, `nlb-${region}`, {
        region,
        loadBalancerArn: `arn:aws:elasticloadbalancing:${region}:123456789012:loadbalancer/net/team-a/0123456789abcdef`,
        dnsName: `team-a-0123456789abcdef.elb.${region}.amazonaws.com`,
        zoneId,
        listenerPort: 443,
      });
    this.dns = new EdgeDns(this, "dns", {
      hostedZoneId: "Z0123456789EXAMPLE",
      recordName: "app.example.com",
      // GlobalAccelerator's `accelerator` resource has both attributes.
      accelerator: { dnsName: "a0123456789abcdef.awsglobalaccelerator.com", hostedZoneId: "Z2BJ6XQ5FK7U4H" },
      latency: {
        recordName: "direct.app.example.com",
        loadBalancers: [{ ingress: nlb("us-east-1", "Z26RNL4JYFTOTI") }, { ingress: nlb("eu-west-1", "Z2IFOLAFXWLO4F") }],
        protocol: "HTTPS",
        port: 443,
        path: "/healthz",
      },
    });
  }
}
