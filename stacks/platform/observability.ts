import type { ITerraformDependable } from "cdktf";
import { partitionOf } from "@meridian/constructs";
import { alertTopicArn } from "@meridian/constructs";
import { ObservabilityPlatform } from "@meridian/constructs";
import { PRIORITY_CLASSES } from "@meridian/constructs";
import type { PriorityClasses } from "@meridian/constructs";
import type { PlatformContext } from "./platform-context";

/**
 * Metrics, logs and traces of one cluster (issue 6): the in-cluster agents, wired to the AWS side
 * the regional stack created (AMP workspace, workload log group, IRSA roles). Metrics go to the
 * region's AMP workspace, logs to the region's CloudWatch Logs, traces to the region's X-Ray;
 * docs/observability.md shows how one Amazon Managed Grafana reads every region.
 */
export function installObservability(context: PlatformContext, priorityClasses?: PriorityClasses): ObservabilityPlatform {
  const aws = context.regional.observability;

  // The releases wait for the platform's PriorityClass, or the API server rejects pods naming it.
  const platformCritical = priorityClasses?.classes[PRIORITY_CLASSES.platformCritical.name];
  const dependsOn: ITerraformDependable[] = platformCritical ? [platformCritical] : [];

  return new ObservabilityPlatform(context.stack, "observability", {
    clusterName: context.clusterName,
    region: context.region.region,
    environment: context.environment.name,
    remoteWriteUrl: aws.remoteWriteUrl,
    // From its parts, like the regional stack names it: no cross-stack read for a name.
    alertTopicArn: alertTopicArn(partitionOf(context.region.region), context.region.region, context.environment.accountId, context.clusterName),
    logGroupName: aws.workloadLogGroupName,
    roleArns: aws.roleArns,
    priorityClassName: platformCritical ? PRIORITY_CLASSES.platformCritical.name : undefined,
    dependsOn,
  });
}
