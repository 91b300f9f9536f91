import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AppOfAppsBootstrap, ArgoCd, ArgoCdClusterSecret, BOOTSTRAP_SELECTOR, TeamProjects } from "@meridian/constructs";

/** Argo CD on a hub cluster, one registered spoke cluster, the app-of-apps bootstrap and one team project. */
export class ArgoCdExample extends TerraformStack {
  readonly argoCd: ArgoCd;
  readonly spoke: ArgoCdClusterSecret;
  readonly bootstrap: AppOfAppsBootstrap;
  readonly teamProjects: TeamProjects;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new KubernetesProvider(this, "kubernetes", { configPath: "~/.kube/config", configContext: "hub" });
    new HelmProvider(this, "helm", { kubernetes: { configPath: "~/.kube/config", configContext: "hub" } });
    this.argoCd = new ArgoCd(this, "argo-cd", { hubRoleArn: "arn:aws:iam::123456789012:role/hub-argocd" });
    this.spoke = new ArgoCdClusterSecret(this, "team-a", {
      name: "staging-eu-west-1",
      server: "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
      caData: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t",
      clusterName: "team-a-staging",
      roleArn: "arn:aws:iam::210987654321:role/team-a-staging-argocd-spoke",
      environment: "staging",
      region: "eu-west-1",
      labels: { ...BOOTSTRAP_SELECTOR },
      dependsOn: [this.argoCd.chart.release],
    });
    this.bootstrap = new AppOfAppsBootstrap(this, "bootstrap", {
      repository: { url: "https://github.com/example/gitops.git", path: "clusters", revision: "main" },
      dependsOn: [this.argoCd.chart.release],
    });
    this.teamProjects = new TeamProjects(this, "team-projects", {
      projects: [{ name: "payments", description: "Payments API", sourceRepos: ["https://github.com/example/payments.git"], environments: ["staging"], namespaces: ["payments"] }],
      clusters: [{ environment: "staging", argoCdName: "staging-eu-west-1" }],
      platformNamespaces: ["argocd", "kyverno"],
      // TeamProjects also renders a Kyverno ClusterPolicy: in a real hub, add the Kyverno release here.
      dependsOn: [this.argoCd.chart.release],
    });
  }
}
