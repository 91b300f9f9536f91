import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import type { RegionalClients } from "./clients";

/** How far back the lag check looks; long enough for a few one-minute datapoints. */
export const LAG_WINDOW_MS = 5 * 60_000;

/** The target's recent replication lag. */
export interface ReplicationLag {
  /** Highest lag seen in the window (ms), or undefined when CloudWatch returned no datapoints. */
  readonly maxMs: number | undefined;
  readonly datapoints: number;
}

/**
 * Highest `AWS/RDS` `AuroraGlobalDBReplicationLag` (milliseconds) of a secondary cluster over the
 * last five minutes. Aurora publishes it for the secondary, in the secondary's region, so pass
 * that region's clients. The maximum, not the average: a switchover waits for the worst of it.
 */
export async function recentReplicationLag(clients: RegionalClients, clusterIdentifier: string, now: Date): Promise<ReplicationLag> {
  const response = await clients.cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(now.getTime() - LAG_WINDOW_MS),
      EndTime: now,
      MetricDataQueries: [
        {
          Id: "lag",
          MetricStat: {
            Metric: {
              Namespace: "AWS/RDS",
              MetricName: "AuroraGlobalDBReplicationLag",
              Dimensions: [{ Name: "DBClusterIdentifier", Value: clusterIdentifier }],
            },
            Period: 60,
            Stat: "Maximum",
          },
          ReturnData: true,
        },
      ],
    }),
  );
  const values = response.MetricDataResults?.find((r) => r.Id === "lag")?.Values ?? [];
  return { maxMs: values.length > 0 ? Math.max(...values) : undefined, datapoints: values.length };
}
