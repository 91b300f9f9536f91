import { runPreflight as runAuroraPreflight } from "../aurora-failover/preflight";
import { messageOf } from "../command-line/output";
import { readAccelerator } from "./accelerator";
import { GLOBAL_ACCELERATOR_API_REGION } from "./clients";
import { acceleratorControlPlaneEvacuated } from "./traffic";
import { acceleratorName, eksClusterName, failoverRequestFor, loadBalancerName, receivingRegion, StepFailure, type StepContext, type StepResult } from "./context";
import { loadBalancerHealth } from "./load-balancer";
import { clusterStatus, liveNodeGroups, type LiveNodeGroup } from "./node-groups";
import { smokeUrlOf } from "./verification";

/** One finding; any `refuse` stops the run before anything changes. */
export interface Finding {
  readonly outcome: "ok" | "note" | "refuse";
  readonly message: string;
}

/**
 * Read-only checks of the region that is to carry the traffic, the Aurora global database, the
 * accelerator and the address the smoke check probes. Every check runs, so one dry run lists
 * every problem; the step fails when any refuses.
 */
export async function preflightStep(ctx: StepContext): Promise<StepResult> {
  const findings = await runEvacuationPreflight(ctx);
  for (const finding of findings) {
    ctx.log(`${finding.outcome === "ok" ? "ok    " : finding.outcome === "note" ? "note  " : "REFUSE"} ${finding.message}`);
  }
  const refusals = findings.filter((f) => f.outcome === "refuse");
  if (refusals.length > 0) {
    throw new StepFailure(`${refusals.length} check${refusals.length === 1 ? "" : "s"} refused: ${refusals.map((r) => r.message).join("; ")}`);
  }
  return { status: "checked", summary: `${findings.length} checks passed (${findings.filter((f) => f.outcome === "note").length} notes)` };
}

export async function runEvacuationPreflight(ctx: StepContext): Promise<Finding[]> {
  const { request } = ctx;
  const findings: Finding[] = [];
  const ok = (message: string) => findings.push({ outcome: "ok", message });
  const note = (message: string) => findings.push({ outcome: "note", message });
  const refuse = (message: string) => findings.push({ outcome: "refuse", message });
  const receiving = receivingRegion(request);
  const { environment } = request;

  // (a) The receiving region's ingress: the NLB answers and has healthy targets.
  const nlb = loadBalancerName(request.project, environment.name, receiving);
  try {
    const health = await loadBalancerHealth(ctx.clients, receiving, nlb);
    const line = `${nlb} (${receiving}): ${health.state}, ${health.healthy}/${health.total} targets healthy`;
    if (health.state !== "active" || health.healthy === 0) {
      refuse(`${line}; it must be active with healthy targets before it takes all the traffic`);
    } else {
      ok(line);
    }
  } catch (error) {
    refuse(`cannot read ${nlb} in ${receiving}: ${messageOf(error)}`);
  }

  // (b) Its cluster and node groups, and (evacuation) its headroom for what the other region carried.
  const cluster = eksClusterName(request, receiving);
  const zones = environment.regions.find((r) => r.region === receiving)!.availabilityZones;
  let receivingGroups: LiveNodeGroup[] | undefined;
  try {
    const status = await clusterStatus(ctx.clients, receiving, cluster);
    if (status === "ACTIVE") {
      ok(`EKS cluster ${cluster}: ${status}`);
    } else {
      refuse(`EKS cluster ${cluster}: ${status}; it must be ACTIVE`);
    }
    receivingGroups = await liveNodeGroups(ctx.clients, receiving, cluster, environment.nodeGroups, zones);
    for (const group of receivingGroups) {
      const line = `node group ${group.name}: ${group.status}, ${group.desiredSize} nodes (min ${group.minSize}, max ${group.maxSize})`;
      if (group.status === "ACTIVE") {
        ok(line);
      } else {
        // UPDATING means another change is in flight; DEGRADED or CREATE_FAILED cannot be scaled.
        refuse(`${line}; it must be ACTIVE (no other operation in progress) before it is scaled`);
      }
    }
    const missing = environment.nodeGroups.filter((g) => !receivingGroups!.some((live) => live.group === g));
    if (missing.length > 0) {
      refuse(`catalogue node groups without a live managed node group in ${cluster}: ${missing.map((g) => g.name).join(", ")}`);
    }
  } catch (error) {
    refuse(`cannot read EKS cluster ${cluster} in ${receiving}: ${messageOf(error)}`);
  }
  if (request.direction === "evacuation" && receivingGroups) {
    await headroom(ctx, receivingGroups, { ok, note, refuse });
  }

  // (c) Aurora: the switchover (or, only with --allow-data-loss, failover) the data step will run.
  if (environment.database) {
    await auroraFindings(ctx, { ok, note, refuse });
  } else {
    note(`environment ${environment.name} has no database: the data step is skipped`);
  }

  // (d) The accelerator: its control plane (us-west-2) answers, no change is propagating, and the receiving region's endpoints are healthy.
  if (environment.edge) {
    try {
      const accelerator = await readAccelerator(ctx.clients, acceleratorName(request.project, environment.name));
      ctx.facts.accelerator = { arn: accelerator.arn, dnsName: accelerator.dnsName, firstListenerPort: accelerator.firstListenerPort };
      if (accelerator.status !== "DEPLOYED") {
        refuse(`accelerator ${accelerator.dnsName} is ${accelerator.status}: a change is still propagating; wait for DEPLOYED`);
      } else {
        ok(`accelerator ${accelerator.dnsName}: DEPLOYED, ${accelerator.endpointGroups.length} endpoint groups`);
      }
      for (const region of environment.regions.map((r) => r.region)) {
        const groups = accelerator.endpointGroups.filter((g) => g.region === region);
        if (groups.length === 0) {
          refuse(`accelerator has no endpoint group in ${region}`);
          continue;
        }
        const dials = groups.map((g) => g.trafficDial).join("/");
        const health = groups.flatMap((g) => g.endpointHealth);
        const line = `endpoint groups in ${region}: dial ${dials}%, endpoints ${health.join(", ") || "none"}`;
        if (region === receiving && !health.includes("HEALTHY")) {
          refuse(`${line}; the receiving region needs a HEALTHY endpoint`);
        } else {
          ok(line);
        }
      }
    } catch (error) {
      const message = `cannot read the accelerator through Global Accelerator's control plane in ${GLOBAL_ACCELERATOR_API_REGION}: ${messageOf(error)}`;
      if (acceleratorControlPlaneEvacuated(request)) {
        // Its data plane still routes clients away from the failed region; the other steps must not wait for it.
        note(`${message}; it is in the evacuated region, so the traffic step leaves the dial to its health checks`);
      } else {
        refuse(`${message}; the traffic step cannot change dials without it`);
      }
    }
  } else {
    note(`environment ${environment.name} has no edge: the traffic step is skipped and clients must be moved another way`);
  }

  // (e) The address the smoke check will probe answers now (one probe).
  const url = smokeUrlOf(ctx);
  if (url) {
    const response = await ctx.probe({ url, timeoutMs: ctx.smoke.timeoutMs, insecure: request.smokeUrl === undefined, regionHeader: undefined })(new AbortController().signal);
    const what = response.kind === "response" ? `HTTP ${response.status}` : response.error;
    (response.kind === "response" && response.status === 200 ? ok : note)(`smoke check target ${url.href}: ${what}`);
  }
  return findings;
}

type Sinks = Record<"ok" | "note" | "refuse", (message: string) => void>;

/**
 * Each catalogue group must be able to hold, in the surviving region, its own nodes plus what the
 * evacuated region runs in that group, within `evacuation.maxSize` (or `maxSize` without one).
 * The evacuated region is read live; when it does not answer its catalogue desired size stands in.
 */
async function headroom(ctx: StepContext, surviving: readonly LiveNodeGroup[], { ok, note, refuse }: Sinks): Promise<void> {
  const { request } = ctx;
  const from = request.fromRegion;
  const cluster = eksClusterName(request, from);
  const zones = request.environment.regions.find((r) => r.region === from)!.availabilityZones;
  let evacuated: LiveNodeGroup[] | undefined;
  try {
    evacuated = await liveNodeGroups(ctx.clients, from, cluster, request.environment.nodeGroups, zones);
  } catch (error) {
    note(`cannot read the node groups of ${cluster} in ${from} (${messageOf(error)}): using the catalogue's desired sizes for what it carried`);
  }
  for (const group of request.environment.nodeGroups) {
    const own = sum(surviving.filter((g) => g.group === group).map((g) => g.desiredSize));
    const carried = evacuated ? sum(evacuated.filter((g) => g.group === group).map((g) => g.desiredSize)) : group.desiredSize;
    const needed = own + carried;
    const ceiling = group.evacuation?.maxSize ?? group.maxSize;
    const setting = group.evacuation ? "evacuation.maxSize" : "maxSize (no evacuation setting)";
    const line = `headroom of node group ${group.name}: ${own} nodes here + ${carried} from ${from} = ${needed}, ${setting} ${ceiling}`;
    if (needed > ceiling) {
      refuse(`${line}; the surviving region cannot take the load: raise nodeGroups[${request.environment.nodeGroups.indexOf(group)}].evacuation.maxSize in the catalogue and apply it`);
    } else {
      ok(line);
    }
  }
  if (request.environment.cluster.autoscaler === "karpenter") {
    note("nodes Karpenter launched outside the managed node groups are not counted; the capacity step raises each pool's CPU limit to its evacuation.maxSize");
  }
}

async function auroraFindings(ctx: StepContext, { ok, note, refuse }: Sinks): Promise<void> {
  const { request } = ctx;
  const target = receivingRegion(request);
  const switchover = await runAuroraPreflight(failoverRequestFor(request, target, "switchover"), ctx.clients.aurora, ctx.clock);
  if (switchover.writer?.region === target) {
    ok(`Aurora: the writer is already ${switchover.targetClusterIdentifier} in ${target}; the data step has nothing to do`);
    return;
  }
  if (switchover.passed) {
    for (const check of switchover.checks) {
      (check.outcome === "note" ? note : ok)(`Aurora: ${check.message}`);
    }
    ok(`Aurora: a switchover to ${target} can run (no data loss)`);
    return;
  }
  const reasons = switchover.checks.filter((c) => c.outcome === "refuse").map((c) => c.message);
  if (!request.allowDataLoss || request.direction === "fail-back") {
    refuse(
      `Aurora: a switchover to ${target} cannot run: ${reasons.join("; ")}` +
        (request.direction === "evacuation" ? ". If the writer's region is down, --allow-data-loss fails over instead, losing up to the replication lag" : ""),
    );
    return;
  }
  const failover = await runAuroraPreflight(failoverRequestFor(request, target, "failover"), ctx.clients.aurora, ctx.clock);
  for (const check of failover.checks) {
    (check.outcome === "refuse" ? refuse : check.outcome === "note" ? note : ok)(`Aurora (failover): ${check.message}`);
  }
  if (failover.passed) {
    note(`Aurora: a switchover cannot run (${reasons.join("; ")}); with --allow-data-loss the data step fails over to ${target}`);
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
