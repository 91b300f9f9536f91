import { DescribeGlobalClustersCommand, type GlobalCluster } from "@aws-sdk/client-rds";
import { partitionOf } from "@meridian/constructs";
import type { RegionalClients } from "./clients";

/** One member cluster of the global cluster, as DescribeGlobalClusters reports it. */
export interface MemberState {
  readonly arn: string;
  /** From the ARN; undefined only if AWS returned something that is not a cluster ARN. */
  readonly region: string | undefined;
  readonly identifier: string | undefined;
  readonly isWriter: boolean;
  /** `connected` or `pending-resync`; AWS may leave it out (for the writer, for one). */
  readonly synchronizationStatus: string | undefined;
}

/** A switchover or failover that AWS has accepted and not finished. */
export interface FailoverInProgress {
  /** `pending`, `switching-over`, `failing-over` or `cancelling`. */
  readonly status: string;
  readonly fromArn: string | undefined;
  readonly toArn: string | undefined;
  readonly dataLossAllowed: boolean;
}

/** The parts of the global cluster the checks and the wait loop look at. */
export interface GlobalClusterState {
  readonly identifier: string;
  readonly status: string | undefined;
  /** The global cluster's own engine version; used when a member cannot be described. */
  readonly engineVersion: string | undefined;
  readonly members: readonly MemberState[];
  readonly failover: FailoverInProgress | undefined;
}

/**
 * Describes the global cluster through the given region's RDS endpoint. Callers pass the target
 * region: in an unplanned failover the old primary's region may not answer at all.
 * Throws when the call fails or the global cluster does not exist.
 */
export async function describeGlobalCluster(clients: RegionalClients, identifier: string): Promise<GlobalClusterState> {
  const response = await clients.rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: identifier }));
  const cluster = response.GlobalClusters?.find((c) => c.GlobalClusterIdentifier === identifier) ?? response.GlobalClusters?.[0];
  if (!cluster) {
    throw new Error(`global cluster ${identifier} was not found`);
  }
  return toState(identifier, cluster);
}

/** `arn:<partition>:rds:<region>:<account>:cluster:<identifier>`: how AWS names a member cluster. */
export function memberClusterArn(region: string, accountId: string, identifier: string): string {
  return `arn:${partitionOf(region)}:rds:${region}:${accountId}:cluster:${identifier}`;
}

/** Region and identifier of a DB cluster ARN, or undefined for anything else. */
export function parseClusterArn(arn: string): { region: string; identifier: string } | undefined {
  const match = /^arn:[a-z-]+:rds:([a-z0-9-]+):\d{12}:cluster:(.+)$/.exec(arn);
  return match ? { region: match[1]!, identifier: match[2]! } : undefined;
}

function toState(identifier: string, cluster: GlobalCluster): GlobalClusterState {
  const members = (cluster.GlobalClusterMembers ?? []).map((member): MemberState => {
    const arn = member.DBClusterArn ?? "";
    const parsed = parseClusterArn(arn);
    return {
      arn,
      region: parsed?.region,
      identifier: parsed?.identifier,
      isWriter: member.IsWriter === true,
      synchronizationStatus: member.SynchronizationStatus,
    };
  });
  // AWS documents FailoverState as empty unless an operation is pending or running, so a state
  // without a status counts as none.
  const state = cluster.FailoverState;
  const failover: FailoverInProgress | undefined = state?.Status
    ? { status: state.Status, fromArn: state.FromDbClusterArn, toArn: state.ToDbClusterArn, dataLossAllowed: state.IsDataLossAllowed === true }
    : undefined;
  return { identifier, status: cluster.Status, engineVersion: cluster.EngineVersion, members, failover };
}

/** `meridian-production-us-east-1 (us-east-1)`: how output names a member. */
export function describeMember(member: MemberState): string {
  return member.region && member.identifier ? `${member.identifier} (${member.region})` : member.arn;
}
