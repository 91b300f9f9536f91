import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { RegionalIngress } from "@meridian/constructs";

/**
 * A region's public front door in an existing VPC: TLS passes through to ingress pods on 8443
 * (registered by the AWS Load Balancer Controller's TargetGroupBinding into `targetGroupArn`).
 */
export class RegionalIngressExample extends TerraformStack {
  readonly ingress: RegionalIngress;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    this.ingress = new RegionalIngress(this, "ingress", {
      name: "team-a-euw1",
      region: "eu-west-1",
      vpcId: "vpc-0123456789abcdef0",
      vpcCidr: "10.40.0.0/16",
      publicSubnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb", "subnet-0cccccccccccccccc"],
      targetSecurityGroupId: "sg-0123456789abcdef0",
      listenerPort: 443,
      targetPort: 8443,
      protocol: "TCP",
      healthCheckPath: "/healthz",
      alarmActions: ["arn:aws:sns:eu-west-1:123456789012:team-a-alerts"],
    });
    new TerraformOutput(this, "target_group_arn", { value: this.ingress.targetGroup.arn });
  }
}
