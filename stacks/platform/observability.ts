import type { ITerraformDependable } from "cdktf";
import { ObservabilityAws } from "../../src/constructs/observability-aws/observability-aws";
import { OBSERVABILITY_WORKLOADS, type ObservabilityWorkloadName } from "../../src/constructs/observability-aws/workloads";
import { ObservabilityPlatform } from "../../src/constructs/platform/observability/observability-platform";
import { PRIORITY_CLASSES } from "../../src/constructs/platform/resilience";
import { PriorityClasses } from "../../src/constructs/platform/workload-defaults/priority-classes";
import type { PlatformContext } from "./platform-context";

/**
 * Metrics, logs and traces of one cluster (issue 6): the in-cluster agents, wired to the AWS side
 * the regional stack created (AMP workspace, workload log group, IRSA roles). Metrics go to the
 * region's AMP workspace, logs to the region's CloudWatch Logs, traces to the region's X-Ray;
 * docs/observability.md shows how one Amazon Managed Grafana reads every region.
 */
export function installObservability(context: PlatformContext): ObservabilityPlatform {
  const aws = ObservabilityAws.of(context.regional);
  const roleArns = Object.fromEntries(
    (Object.keys(OBSERVABILITY_WORKLOADS) as ObservabilityWorkloadName[]).map((name) => {
      const roleId = OBSERVABILITY_WORKLOADS[name].roleId;
      const arn = context.regional.workloadRoleArns[roleId];
      if (!arn) {
        throw new Error(`installObservability ${context.clusterName}: regional stack ${context.regional.node.id} records no workloadRoleArns["${roleId}"] (IRSA role of ${name})`);
      }
      return [name, arn];
    }),
  ) as Record<ObservabilityWorkloadName, string>;

  // The platform's PriorityClasses, when the cluster add-ons created them in this stack: the
  // releases must wait for them, or the API server rejects pods naming a missing class.
  const priorityClasses = context.stack.node.findAll().filter((c): c is PriorityClasses => c instanceof PriorityClasses);
  const platformCritical = priorityClasses.flatMap((p) => (p.classes[PRIORITY_CLASSES.platformCritical.name] ? [p.classes[PRIORITY_CLASSES.platformCritical.name]!] : []));
  const dependsOn: ITerraformDependable[] = platformCritical;

  return new ObservabilityPlatform(context.stack, "observability", {
    clusterName: context.clusterName,
    region: context.region.region,
    environment: context.environment.name,
    remoteWriteUrl: aws.remoteWriteUrl,
    logGroupName: aws.workloadLogGroupName,
    roleArns,
    priorityClassName: platformCritical.length > 0 ? PRIORITY_CLASSES.platformCritical.name : undefined,
    dependsOn,
  });
}
