import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { ObservabilityPlatform } from "@meridian/constructs";

/** One cluster's metrics (to AMP), logs (to CloudWatch Logs), traces (to X-Ray) and alerts (to SNS). */
export class ObservabilityExample extends TerraformStack {
  readonly observability: ObservabilityPlatform;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new HelmProvider(this, "helm", { kubernetes: { configPath: "~/.kube/config", configContext: "team-a" } });
    const role = (name: string) => `arn:aws:iam::123456789012:role/team-a-${name}`;
    this.observability = new ObservabilityPlatform(this, "observability", {
      clusterName: "team-a",
      region: "eu-west-1",
      environment: "staging",
      remoteWriteUrl: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-0123/api/v1/remote_write",
      logGroupName: "/aws/eks/team-a/workloads",
      alertTopicArn: "arn:aws:sns:eu-west-1:123456789012:team-a-alerts",
      roleArns: { prometheus: role("amp-remote-write"), fluentBit: role("fluent-bit"), otelCollector: role("otel-collector"), alertmanager: role("alertmanager-sns") },
      retention: "1d",
    });
  }
}
