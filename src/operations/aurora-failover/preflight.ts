import { DescribeDBClustersCommand } from "@aws-sdk/client-rds";
import { auroraClusterIdentifier, globalClusterIdentifier } from "../../config/naming";
import type { Clock } from "../command-line/clock";
import { messageOf } from "../command-line/output";
import type { FailoverRequest } from "./arguments";
import type { ClientFactory } from "./clients";
import { describeGlobalCluster, describeMember, memberClusterArn, type GlobalClusterState, type MemberState } from "./global-cluster";
import { recentReplicationLag } from "./replication-lag";

/**
 * One finding of the pre-flight checks. `refuse` stops the command (exit 1); `note` is printed
 * for the operator to weigh but does not stop it.
 */
export interface Check {
  readonly outcome: "ok" | "note" | "refuse";
  readonly message: string;
}

/** What the checks found, and the names the action and the wait loop need. */
export interface PreflightResult {
  readonly checks: readonly Check[];
  /** True when no check refused. */
  readonly passed: boolean;
  readonly globalClusterIdentifier: string;
  readonly targetClusterIdentifier: string;
  readonly targetArn: string;
  /** The writer before the operation, when the global cluster could be read. */
  readonly writer: MemberState | undefined;
}

/**
 * Reads live state and decides whether the requested switchover or failover may start.
 * Read-only: it sends Describe* and GetMetricData calls and nothing else.
 *
 * Every check that can run does run, so one dry run lists every problem at once; only a
 * missing global cluster, a target that is not a member, or no writer stop the checks early.
 */
export async function runPreflight(request: FailoverRequest, clientsFor: ClientFactory, clock: Clock): Promise<PreflightResult> {
  const { project, environment, targetRegion, otherRegion, mode } = request;
  const checks: Check[] = [];
  const ok = (message: string) => checks.push({ outcome: "ok", message });
  const note = (message: string) => checks.push({ outcome: "note", message });
  const refuse = (message: string) => checks.push({ outcome: "refuse", message });

  const globalId = globalClusterIdentifier(project, environment.name);
  const targetId = auroraClusterIdentifier(project, environment.name, targetRegion);
  const targetArn = memberClusterArn(targetRegion, environment.accountId, targetId);
  const result = (writer?: MemberState): PreflightResult => ({
    checks,
    passed: !checks.some((c) => c.outcome === "refuse"),
    globalClusterIdentifier: globalId,
    targetClusterIdentifier: targetId,
    targetArn,
    writer,
  });
  // Global-cluster calls go to the target region: it is the region that must answer for the
  // operation to succeed at all, while the old primary's region may be down.
  const targetClients = clientsFor(targetRegion);

  // (a) The global cluster: members, writer, synchronization, operations already running.
  let global: GlobalClusterState;
  try {
    global = await describeGlobalCluster(targetClients, globalId);
  } catch (error) {
    refuse(`cannot describe global cluster ${globalId} through ${targetRegion}: ${messageOf(error)}`);
    return result();
  }
  ok(
    `global cluster ${globalId}: status ${global.status ?? "unknown"}, engine ${global.engineVersion ?? "unknown"}; members: ` +
      (global.members.map((m) => `${describeMember(m)} ${m.isWriter ? "writer" : "reader"}, sync ${m.synchronizationStatus ?? "n/a"}`).join("; ") || "none"),
  );
  if (global.failover) {
    const kind = global.failover.dataLossAllowed ? "failover" : "switchover";
    refuse(
      `a ${kind} is already in progress (status ${global.failover.status}, from ${global.failover.fromArn ?? "?"} to ${global.failover.toArn ?? "?"}); ` +
        "wait for it to finish, or cancel it, before starting another",
    );
  }

  const target = global.members.find((m) => m.arn === targetArn);
  if (!target) {
    refuse(`${targetArn} is not a member of global cluster ${globalId}; members: ${global.members.map((m) => m.arn).join(", ") || "none"}`);
    return result();
  }
  if (target.isWriter) {
    refuse(`${describeMember(target)} is already the writer; nothing to do (the other region is ${otherRegion})`);
    return result(target);
  }
  const writer = global.members.find((m) => m.isWriter);
  if (!writer) {
    refuse(`global cluster ${globalId} reports no writer member; inspect it with describe-global-clusters before promoting anything`);
    return result();
  }
  if (writer.region !== otherRegion) {
    // A writer outside the catalogue's two regions means live state and configuration disagree
    // in a way the printed config change would not fix.
    refuse(`the writer is ${describeMember(writer)}, but environment ${environment.name} lists ${targetRegion} and ${otherRegion}; reconcile the catalogue first`);
  }
  if (target.synchronizationStatus === "pending-resync") {
    const message = `${describeMember(target)} is pending-resync: it is not receiving changes from the writer`;
    if (mode === "switchover") {
      refuse(`${message}; a switchover cannot synchronize it`);
    } else {
      note(`${message}; a failover promotes whatever it holds now`);
    }
  }

  // (b) Each member, in its own region: status and engine version.
  const versions: { member: MemberState; version: string }[] = [];
  let writerAvailable = false;
  for (const member of global.members) {
    const described = await describeMemberCluster(member, clientsFor);
    if ("error" in described) {
      const isOldPrimaryInFailover = mode === "failover" && member === writer;
      if (isOldPrimaryInFailover && global.engineVersion) {
        // The outage a failover answers may be this very region; the global cluster still
        // records the version its members run, which is what parity needs.
        note(
          `${describeMember(member)} did not answer (${described.error}); treating it as unreachable and using ` +
            `the engine version the global cluster reports, ${global.engineVersion}`,
        );
        versions.push({ member, version: global.engineVersion });
      } else {
        refuse(`cannot describe ${describeMember(member)}: ${described.error}; its engine version must be known to match`);
      }
      continue;
    }
    const status = described.status ?? "unknown";
    versions.push({ member, version: described.engineVersion ?? "unknown" });
    const line = `${describeMember(member)}: ${member.isWriter ? "writer" : "reader"}, status ${status}, engine ${described.engineVersion ?? "unknown"}`;
    if (status === "available") {
      writerAvailable ||= member === writer;
      ok(line);
    } else if (mode === "switchover" && (member === target || member === writer)) {
      // A switchover demotes the writer and promotes the target; both must be able to take part.
      refuse(`${line}; a switchover needs it available`);
    } else {
      note(`${line}; not available`);
    }
  }
  const distinct = [...new Set(versions.map((v) => v.version))];
  if (distinct.length > 1 || distinct.includes("unknown")) {
    refuse(
      `engine versions differ: ${versions.map((v) => `${describeMember(v.member)} runs ${v.version}`).join(", ")}; ` +
        "Aurora cannot switch over or fail over while members run different engine versions: finish the upgrade through the global cluster first",
    );
  } else if (distinct.length === 1) {
    ok(`every member runs engine version ${distinct[0]}`);
  }
  if (mode === "failover" && writerAvailable) {
    note(`the writer ${describeMember(writer)} answers and is available: a switchover would lose no data`);
  }

  // (c) Replication lag of the target: what a switchover has to catch up, what a failover loses.
  try {
    const lag = await recentReplicationLag(targetClients, targetId, new Date(clock.now()));
    const source = `AuroraGlobalDBReplicationLag of ${targetId}, max over the last 5 minutes`;
    if (lag.maxMs === undefined) {
      if (mode === "switchover") {
        refuse(`no lag datapoints (${source}): cannot show the secondary is keeping up`);
      } else {
        note(`no lag datapoints (${source}): expected data loss (RPO) unknown`);
      }
    } else if (mode === "failover") {
      note(`expected data loss (RPO): about ${lag.maxMs} ms of the latest commits (${source})`);
    } else if (lag.maxMs > request.maxLagMs) {
      refuse(`replication lag ${lag.maxMs} ms is above --max-lag-ms ${request.maxLagMs} (${source})`);
    } else {
      ok(`replication lag ${lag.maxMs} ms is within --max-lag-ms ${request.maxLagMs} (${source})`);
    }
  } catch (error) {
    const message = `cannot read replication lag of ${targetId} in ${targetRegion}: ${messageOf(error)}`;
    if (mode === "switchover") {
      refuse(message);
    } else {
      note(`${message}; expected data loss (RPO) unknown`);
    }
  }

  return result(writer);
}

async function describeMemberCluster(
  member: MemberState,
  clientsFor: ClientFactory,
): Promise<{ status: string | undefined; engineVersion: string | undefined } | { error: string }> {
  if (!member.region || !member.identifier) {
    return { error: `"${member.arn}" is not a DB cluster ARN` };
  }
  try {
    const response = await clientsFor(member.region).rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: member.identifier }));
    const cluster = response.DBClusters?.[0];
    if (!cluster) {
      return { error: "DescribeDBClusters returned no cluster" };
    }
    return { status: cluster.Status, engineVersion: cluster.EngineVersion };
  } catch (error) {
    return { error: messageOf(error) };
  }
}
