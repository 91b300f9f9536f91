import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsLoadBalancerController } from "@meridian/constructs";

/** The controller in one cluster, keeping a Terraform-owned NLB's target group filled with the pods of a Service. */
export class AwsLoadBalancerControllerExample extends TerraformStack {
  readonly controller: AwsLoadBalancerController;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new HelmProvider(this, "helm", { kubernetes: { configPath: "~/.kube/config", configContext: "team-a" } });
    this.controller = new AwsLoadBalancerController(this, "lbc", {
      clusterName: "team-a",
      region: "eu-west-1",
      vpcId: "vpc-0123456789abcdef0",
      roleArn: "arn:aws:iam::123456789012:role/team-a-load-balancer-controller",
    });
    this.controller.bindTargetGroup("web", {
      targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/team-a-web/0123456789abcdef",
      service: { namespace: "web", name: "web", port: 8443 },
    });
  }
}
