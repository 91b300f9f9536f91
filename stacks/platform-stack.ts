import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { isGitOpsHub } from "../src/config/gitops-hub";
import { clusterName, platformStackName } from "../src/config/naming";
import type { RegionConfig } from "../src/config/schema";
import { useEnvironmentBackend } from "../src/state/s3-backend";
import type { EnvironmentStackProps } from "./environment-stack";
import { installAutoscaling } from "./platform/autoscaling";
import { installClusterAddons } from "./platform/cluster-addons";
import { installGitOps } from "./platform/gitops";
import { installObservability } from "./platform/observability";
import type { PlatformContext } from "./platform/platform-context";
import type { RegionalHandles } from "./regional-stack";

export interface PlatformStackProps extends EnvironmentStackProps {
  readonly region: RegionConfig;
  /** The cluster's region (its `RegionalStack`). */
  readonly regional: RegionalHandles;
  /** On the GitOps hub: the region of every cluster it manages (their `RegionalStack`s). @default [] */
  readonly managedClusters?: readonly RegionalHandles[];
}

/** The exec credential plugin both providers use: a fresh token per run, never one read at plan time. */
export function eksTokenExec(cluster: string, region: string) {
  return {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    args: ["eks", "get-token", "--cluster-name", cluster, "--region", region, "--output", "json"],
  };
}

/**
 * Everything that runs *in* one cluster, installed with the helm and kubernetes providers and
 * kept apart from the AWS stacks (which plan offline and must not need a reachable cluster).
 * Both providers reach the API server named by the regional stack's outputs and authenticate
 * with `aws eks get-token`, so a plan never depends on a token captured earlier.
 */
export class PlatformStack extends TerraformStack {
  readonly context: PlatformContext;

  constructor(scope: Construct, props: PlatformStackProps) {
    const { catalogue, environment, region, regional } = props;
    const id = platformStackName(environment.name, region.region);
    super(scope, id);
    useEnvironmentBackend(this, catalogue, environment.name, props.stateSite);
    const name = clusterName(catalogue.project, environment.name, region.region);
    const host = regional.cluster.endpoint;
    const clusterCaCertificate = Fn.base64decode(regional.cluster.certificateAuthorityData);
    const exec = eksTokenExec(name, region.region);
    new KubernetesProvider(this, "kubernetes", { host, clusterCaCertificate, exec: [exec] });
    new HelmProvider(this, "helm", { kubernetes: { host, clusterCaCertificate, exec } });

    this.context = {
      stack: this,
      catalogue,
      environment,
      region,
      regional,
      clusterName: name,
      isHub: isGitOpsHub(catalogue, environment.name, region.region),
      managedClusters: props.managedClusters ?? [],
    };
    const addons = installClusterAddons(this.context);
    installAutoscaling(this.context);
    installObservability(this.context, addons.priorityClasses);
    installGitOps(this.context, addons.workloadDefaults.kyverno.release);
  }
}
