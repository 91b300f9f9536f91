import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { PriorityClasses, WorkloadDefaults } from "@meridian/constructs";

/** The platform's priority classes, then Kyverno with the zone-spread and disruption-budget defaults (batch namespace left alone). */
export class WorkloadDefaultsExample extends TerraformStack {
  readonly priorityClasses: PriorityClasses;
  readonly workloadDefaults: WorkloadDefaults;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new KubernetesProvider(this, "kubernetes", { configPath: "~/.kube/config", configContext: "team-a" });
    new HelmProvider(this, "helm", { kubernetes: { configPath: "~/.kube/config", configContext: "team-a" } });
    this.priorityClasses = new PriorityClasses(this, "priority-classes");
    this.workloadDefaults = new WorkloadDefaults(this, "workload-defaults", {
      excludedNamespaces: ["batch"],
      dependsOn: this.priorityClasses.all,
    });
  }
}
