import type { TerraformStack } from "cdktf";
import type { ControllerName } from "@meridian/constructs";
import type { Catalogue, EnvironmentConfig, RegionConfig } from "../../src/config/schema";
import type { RegionalHandles } from "../regional-stack";

/** What every part of a platform stack (add-ons, autoscaling, observability, GitOps) is given. */
export interface PlatformContext {
  /** The platform stack the parts add their resources to (its kubernetes and helm providers are the defaults). */
  readonly stack: TerraformStack;
  readonly catalogue: Catalogue;
  readonly environment: EnvironmentConfig;
  readonly region: RegionConfig;
  /** This cluster's region: IRSA role ARNs, queue, file system, target group (cross-stack references when it is a RegionalStack). */
  readonly regional: RegionalHandles;
  /** The EKS cluster's name (deterministic, so usable in chart values without a cross-stack read). */
  readonly clusterName: string;
  /** This cluster runs the GitOps hub (Argo CD, Crossplane). */
  readonly isHub: boolean;
  /** On the hub: the region of every cluster it manages, itself included. Empty elsewhere. */
  readonly managedClusters: readonly RegionalHandles[];
}

/**
 * The ARN of the IRSA role the regional stack made for `controller` (a cross-stack reference).
 * Throws when the regional stack made none (the environment does not use that controller there):
 * the chart would start without AWS access.
 */
export function controllerRoleArn(context: PlatformContext, controller: ControllerName): string {
  const role = context.regional.controllerRoles[controller];
  if (!role) {
    throw new Error(`${context.stack.node.id}: regional stack ${context.regional.stackName} has no controllerRoles.${controller}; it creates the IRSA role the platform stack's chart uses`);
  }
  return role.arn;
}
