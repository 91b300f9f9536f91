import { clusterName, resourcePrefix, shortRegion } from "../../config/naming";
import type { DatabaseEnvironment, FailoverMode, FailoverRequest } from "../aurora-failover/arguments";
import type { Clock } from "../command-line/clock";
import type { Output } from "../command-line/output";
import type { ProbeFactory } from "../smoke-check/probe";
import type { EvacuationRequest } from "./arguments";
import type { EvacuationClients } from "./clients";

/** The steps of a run, in the words of the plan and the report. */
export type StepId = "preflight" | "capacity" | "traffic" | "data" | "verification";

/**
 * How a step ended. `done`: it changed live state. `already-done`: live state was already what the
 * step makes it (a resumed run, or an outage that did part of it). `would-change`: a dry run.
 * `checked`: a read-only step passed. `skipped`: not applicable to this environment.
 */
export type StepStatus = "done" | "already-done" | "would-change" | "checked" | "skipped";

export interface StepResult {
  readonly status: StepStatus;
  readonly summary: string;
}

/** A step stops the run: `message` says why; what it changed before failing is in the step's changes. */
export class StepFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StepFailure";
  }
}

/** What one step learns that a later step or the report needs. */
export interface RunFacts {
  accelerator?: { readonly arn: string; readonly dnsName: string; readonly firstListenerPort: number };
  /** The Aurora writer's region after the data step. */
  writerRegionAfter?: string;
  /** The request the data step sent and the target's replication lag just before it (RPO). */
  dataAction?: { readonly operation: "SwitchoverGlobalCluster" | "FailoverGlobalCluster"; readonly at: number; readonly lagMs: number | undefined };
  /** Set when Route 53 could not be changed: the run goes on (its health checks act by themselves) and the traffic step's summary says so. */
  route53NotChanged?: string;
}

/** Smoke-check settings of a run; tests shorten them. */
export interface SmokeSettings {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly recoveredAfter: number;
}

export const DEFAULT_SMOKE: SmokeSettings = { intervalMs: 1000, timeoutMs: 2000, recoveredAfter: 5 };

/** Everything a step works with. */
export interface StepContext {
  readonly request: EvacuationRequest;
  readonly clients: EvacuationClients;
  readonly clock: Clock;
  readonly output: Output;
  readonly probe: ProbeFactory;
  readonly smoke: SmokeSettings;
  /** The kubeconfig file the command writes its own context to (never the operator's). */
  readonly kubeconfig: string;
  readonly facts: RunFacts;
  /** Prints a progress line and adds it to the step's timeline. */
  log(message: string): void;
  /** Records a change the step made to live state (listed as done if a later part fails). */
  changed(message: string): void;
}

/** The region that takes the traffic: the surviving one in an evacuation, the returning one in a fail-back. */
export function receivingRegion(request: EvacuationRequest): string {
  return request.direction === "evacuation" ? request.survivingRegion : request.fromRegion;
}

/** The regional NLB's name, as the regional stack names it (`<project>-<environment>-<short region>` + `-nlb`). */
export function loadBalancerName(project: string, environment: string, region: string): string {
  return `${resourcePrefix(project, environment)}-${shortRegion(region)}-nlb`;
}

/** The accelerator's name, as the edge stack names it. */
export function acceleratorName(project: string, environment: string): string {
  return resourcePrefix(project, environment);
}

export function eksClusterName(request: EvacuationRequest, region: string): string {
  return clusterName(request.project, request.environment.name, region);
}

/** The request the Aurora failover command's checks and actions take, for a writer moving to `target`. */
export function failoverRequestFor(request: EvacuationRequest, target: string, mode: FailoverMode): FailoverRequest {
  return {
    project: request.project,
    environment: request.environment as DatabaseEnvironment,
    targetRegion: target,
    otherRegion: request.environment.regions.map((r) => r.region).find((r) => r !== target)!,
    mode,
    execute: request.execute,
    maxLagMs: request.maxLagMs,
    timeoutMs: request.timeoutMs,
    pollMs: request.pollMs,
  };
}

/** Polls `check` every `pollMs` until it returns a value, or throws {@link StepFailure} after `timeoutMs`. */
export async function waitFor<T>(ctx: StepContext, what: string, check: () => Promise<T | undefined>): Promise<T> {
  const started = ctx.clock.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (ctx.clock.now() - started + ctx.request.pollMs > ctx.request.timeoutMs) {
      throw new StepFailure(`timed out after ${Math.round((ctx.clock.now() - started) / 1000)} s waiting for ${what} (--timeout-minutes)`);
    }
    await ctx.clock.sleep(ctx.request.pollMs);
  }
}
