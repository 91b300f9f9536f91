import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { ObservabilityAws } from "@meridian/constructs";

/** Metrics, logs, traces and alerts of one existing EKS cluster, AWS side. */
export class ObservabilityAwsExample extends TerraformStack {
  readonly observability: ObservabilityAws;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    this.observability = new ObservabilityAws(this, "observability", {
      clusterName: "team-a-euw1",
      region: "eu-west-1",
      accountId: "123456789012",
      partition: "aws",
      issuer: {
        providerArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE0123456789",
        host: "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE0123456789",
      },
      alertEmails: ["oncall@example.com"],
      logRetentionDays: 90,
    });
    // What the in-cluster agents' chart values need.
    new TerraformOutput(this, "remote_write_url", { value: this.observability.remoteWriteUrl });
    new TerraformOutput(this, "role_arns", { value: this.observability.roleArns });
  }
}
