import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { EphemeralResource, nodeGroupLabelProblem, planSubnets, suppressPolicy } from "@meridian/constructs";

/** The shared helpers: a subnet plan, a secret read without storing it, a suppression with its reason. */
export class CoreExample extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    // Subnet blocks per zone, the same as Terraform's cidrsubnet would give.
    const plan = planSubnets("10.20.0.0/16", ["eu-west-1a", "eu-west-1b"]);
    new TerraformOutput(this, "private_blocks", { value: plan.map((p) => p.private) });

    // Opened in every run, never written to the plan or the state.
    const secret = new EphemeralResource(this, "password", {
      type: "aws_secretsmanager_secret_version",
      config: { secret_id: "team-a/db" },
    });
    new TerraformOutput(this, "password_address", { value: secret.address });

    const group = new SecurityGroup(this, "bastion", { name: "bastion", description: "Bastion host", vpcId: "vpc-0abc1234def567890" });
    suppressPolicy(group, "CKV2_AWS_5", "The bastion group is attached by an autoscaling group made in another stack");

    // The predicates constructs and configuration schemas share: undefined means EKS accepts the label.
    if (nodeGroupLabelProblem("node.example.com/team", "payments") !== undefined) {
      throw new Error("unreachable: a valid label");
    }
  }
}
