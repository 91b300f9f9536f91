import type { WorkloadIdentity } from "../core/workload-identities";

/**
 * The observability agents that talk to AWS, and the identity each runs as. The AWS side (IRSA
 * trust policies) and the platform side (chart values naming the service accounts) both read this
 * one table, like the controllers' `CONTROLLER_IDENTITIES`.
 */
export type ObservabilityWorkload = WorkloadIdentity;

export const OBSERVABILITY_WORKLOADS = {
  /** Prometheus (kube-prometheus-stack) remote-writing to the region's AMP workspace. */
  prometheus: { roleId: "amp-remote-write", namespace: "monitoring", serviceAccount: "prometheus" },
  /** aws-for-fluent-bit shipping container logs to the region's workload log group. */
  fluentBit: { roleId: "fluent-bit", namespace: "logging", serviceAccount: "aws-for-fluent-bit" },
  /** Alertmanager (kube-prometheus-stack) publishing alerts to the region's alert topic. */
  alertmanager: { roleId: "alertmanager-sns", namespace: "monitoring", serviceAccount: "alertmanager" },
  /** OpenTelemetry collector exporting traces to X-Ray. */
  otelCollector: { roleId: "otel-collector", namespace: "opentelemetry", serviceAccount: "otel-collector" },
} as const satisfies Record<string, ObservabilityWorkload>;

export type ObservabilityWorkloadName = keyof typeof OBSERVABILITY_WORKLOADS;

/** The log group container logs of a cluster go to (pre-created with retention; Fluent Bit never creates groups). */
export function workloadLogGroupName(clusterName: string): string {
  return `/aws/eks/${clusterName}/workloads`;
}

/** The SNS topic Alertmanager publishes a cluster's alerts to. */
export function alertTopicName(clusterName: string): string {
  return `${clusterName}-alerts`;
}

/** The alert topic's ARN from its parts: both stacks know it at plan time without reading the other. */
export function alertTopicArn(partition: string, region: string, accountId: string, clusterName: string): string {
  return `arn:${partition}:sns:${region}:${accountId}:${alertTopicName(clusterName)}`;
}

/** The log group of the AMP workspace's own logs (rule evaluation, alert manager, ingestion errors). */
export function workspaceLogGroupName(clusterName: string): string {
  return `/aws/vendedlogs/prometheus/${clusterName}`;
}
