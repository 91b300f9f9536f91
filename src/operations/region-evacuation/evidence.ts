import { findOutages, type Outage, type Probe } from "../smoke-check/analysis";
import type { RunFacts } from "./context";

/** The recovery time the smoke check measured. */
export interface RecoveryTime {
  /** First failed probe to the first good probe of the lasting recovery; undefined when not recovered. */
  readonly ms: number | undefined;
  readonly firstFailedProbeAt: number | undefined;
  readonly firstGoodProbeAt: number | undefined;
  readonly basis: string;
}

/** The data loss the data step accepted. */
export interface RecoveryPoint {
  readonly ms: number | undefined;
  readonly basis: string;
}

/**
 * RTO from the probes: the outages still open when the run began to disrupt (the first of the
 * traffic and data steps) or beginning after it count, from the first failed probe of the first of them to the first good probe that ended the
 * last. No such outage: 0 (clients saw no failure). An outage not recovered by the end: unknown.
 */
export function measureRto(probes: readonly Probe[], disruptionStartedAt: number | undefined, recoveredAfter: number, endedAt: number): RecoveryTime {
  if (probes.length === 0) {
    return { ms: undefined, firstFailedProbeAt: undefined, firstGoodProbeAt: undefined, basis: "the smoke check sent no probe" };
  }
  const from = disruptionStartedAt ?? probes[0]!.at;
  const relevant = findOutages(probes, recoveredAfter, endedAt).filter((o) => o.end === undefined || o.end > from);
  if (relevant.length === 0) {
    return { ms: 0, firstFailedProbeAt: undefined, firstGoodProbeAt: undefined, basis: `no failed probe from the first traffic or data step on (${probes.length} probes)` };
  }
  const first = relevant[0]!;
  const last = relevant.at(-1)!;
  if (!last.recovered || last.end === undefined) {
    return {
      ms: undefined,
      firstFailedProbeAt: first.start,
      firstGoodProbeAt: undefined,
      basis: `not recovered: failing since ${new Date(first.start).toISOString()} (at least ${endedAt - first.start} ms)`,
    };
  }
  const lowerBound = first.beganAtFirstProbe ? " (a lower bound: the first probe already failed)" : "";
  return {
    ms: last.end - first.start,
    firstFailedProbeAt: first.start,
    firstGoodProbeAt: last.end,
    basis: `first failed probe to first good probe of the recovery, ${relevant.length} outage${relevant.length === 1 ? "" : "s"}${lowerBound}`,
  };
}

/** RPO: a switchover synchronizes before promoting (0); a failover loses what the target lagged behind. */
export function measureRpo(facts: RunFacts): RecoveryPoint {
  const action = facts.dataAction;
  if (!action) {
    return { ms: undefined, basis: facts.writerRegionAfter ? "the writer was already in place; this run moved no data" : "no switchover or failover ran" };
  }
  const lag = action.lagMs === undefined ? "unknown" : `${action.lagMs} ms`;
  if (action.operation === "SwitchoverGlobalCluster") {
    return { ms: 0, basis: `switchover: Aurora synchronizes the target before promoting it (replication lag just before: ${lag})` };
  }
  return {
    ms: action.lagMs,
    basis: `failover with data loss: AuroraGlobalDBReplicationLag of the target, maximum over the 5 minutes before ${new Date(action.at).toISOString()} (${lag})`,
  };
}

export type { Outage };
