import type { TerraformStack } from "cdktf";
import type { Catalogue, EnvironmentConfig, RegionConfig } from "../../src/config/schema";
import type { RegionalStack } from "../regional-stack";

/** What every part of a platform stack (add-ons, autoscaling, observability, GitOps) is given. */
export interface PlatformContext {
  /** The platform stack the parts add their resources to (its kubernetes and helm providers are the defaults). */
  readonly stack: TerraformStack;
  readonly catalogue: Catalogue;
  readonly environment: EnvironmentConfig;
  readonly region: RegionConfig;
  /** This cluster's regional stack: IRSA role ARNs, queue, file system, target group (cross-stack references). */
  readonly regional: RegionalStack;
  /** The EKS cluster's name (deterministic, so usable in chart values without a cross-stack read). */
  readonly clusterName: string;
  /** This cluster runs the GitOps hub (Argo CD, Crossplane). */
  readonly isHub: boolean;
  /** On the hub: the regional stacks of every cluster it manages, itself included. Empty elsewhere. */
  readonly managedClusters: readonly RegionalStack[];
}
