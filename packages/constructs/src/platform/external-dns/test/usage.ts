import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { ExternalDns } from "@meridian/constructs";

/** external-dns for one cluster, managing only names under team-a.example.com in one hosted zone. */
export class ExternalDnsExample extends TerraformStack {
  readonly externalDns: ExternalDns;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new HelmProvider(this, "helm", { kubernetes: { configPath: "~/.kube/config", configContext: "team-a" } });
    this.externalDns = new ExternalDns(this, "external-dns", {
      txtOwnerId: "team-a-eu-west-1",
      region: "eu-west-1",
      roleArn: "arn:aws:iam::123456789012:role/team-a-eu-west-1-external-dns",
      hostedZoneIds: ["Z0123456789ABCDEFGHIJ"],
      domainFilters: ["team-a.example.com"],
    });
  }
}
