import { UpdateEndpointGroupCommand } from "@aws-sdk/client-global-accelerator";
import { GetHealthCheckCommand, ListResourceRecordSetsCommand, UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { messageOf } from "../command-line/output";
import { acceleratorStatus, readAccelerator } from "./accelerator";
import { GLOBAL_ACCELERATOR_API_REGION, ROUTE53_API_REGION } from "./clients";
import { targetDialFor } from "./dials";
import { acceleratorName, StepFailure, waitFor, type StepContext, type StepResult } from "./context";

/** Evacuating the region that hosts Global Accelerator's control plane: its API may be down with the region. */
export function acceleratorControlPlaneEvacuated(request: { readonly direction: string; readonly fromRegion: string }): boolean {
  return request.direction === "evacuation" && request.fromRegion === GLOBAL_ACCELERATOR_API_REGION;
}

/**
 * Sets the traffic dial of every endpoint group of `--from` (one per listener) and waits until the
 * accelerator reports DEPLOYED. Global Accelerator's control plane is in us-west-2; its data plane
 * moves new connections within seconds of the deployment, existing ones finish on their endpoint.
 * Then, where the catalogue has latency records, inverts (evacuation) or restores (fail-back) the
 * Route 53 health check of `--from`'s record, so resolvers stop (or resume) answering with it.
 */
export async function trafficStep(ctx: StepContext): Promise<StepResult> {
  const { request } = ctx;
  const edge = request.environment.edge;
  if (!edge) {
    return { status: "skipped", summary: `environment ${request.environment.name} has no edge` };
  }
  const dial = targetDialFor(request);
  let accelerator;
  try {
    accelerator = await readAccelerator(ctx.clients, acceleratorName(request.project, request.environment.name));
  } catch (error) {
    const message = `cannot read the accelerator through Global Accelerator's control plane in ${GLOBAL_ACCELERATOR_API_REGION}: ${messageOf(error)}`;
    if (acceleratorControlPlaneEvacuated(request)) {
      return {
        status: "skipped",
        summary: `${message}. It is in the evacuated region: the dial stays as it is and the accelerator's health checks keep clients off the failed region; resume once ${GLOBAL_ACCELERATOR_API_REGION} answers to set it`,
      };
    }
    throw new StepFailure(message);
  }
  const groups = accelerator.endpointGroups.filter((g) => g.region === request.fromRegion);
  if (groups.length === 0) {
    throw new StepFailure(`the accelerator has no endpoint group in ${request.fromRegion}`);
  }
  const pending = groups.filter((g) => g.trafficDial !== dial);
  const changes: string[] = [];
  for (const group of pending) {
    const what = `traffic dial of ${group.arn} (${request.fromRegion}): ${group.trafficDial}% → ${dial}%`;
    if (!request.execute) {
      changes.push(`would set ${what}`);
      continue;
    }
    try {
      await ctx.clients.globalAccelerator.send(new UpdateEndpointGroupCommand({ EndpointGroupArn: group.arn, TrafficDialPercentage: dial }));
    } catch (error) {
      throw new StepFailure(`UpdateEndpointGroup failed for ${group.arn}: ${messageOf(error)}`);
    }
    ctx.changed(`set ${what}`);
    changes.push(what);
  }
  if (request.execute) {
    const waited = ctx.clock.now();
    await waitFor(ctx, `accelerator ${accelerator.dnsName} to be DEPLOYED`, async () => {
      const status = await acceleratorStatus(ctx.clients, accelerator.arn).catch((error: unknown) => `unreadable (${messageOf(error)})`);
      ctx.log(`accelerator status: ${status}`);
      return status === "DEPLOYED" ? status : undefined;
    });
    if (pending.length > 0) {
      ctx.log(`dial change deployed after ${Math.round((ctx.clock.now() - waited) / 1000)} s`);
    }
  }

  const route53 = edge.dns?.latencyRecordName ? await latencyRecordStep(ctx, edge.dns.hostedZoneId, edge.dns.latencyRecordName) : [];
  // Route 53 is best effort: when it could not be changed, the step still succeeds and says so.
  const all = [...changes, ...route53, ...(ctx.facts.route53NotChanged ? [`${ctx.facts.route53NotChanged} (its health checks follow the region's health by themselves)`] : [])];
  if (!request.execute) {
    return { status: "would-change", summary: all.length > 0 ? all.join("; ") : `dials already ${dial}%; nothing to change` };
  }
  return all.length > 0 ? { status: "done", summary: all.join("; ") } : { status: "already-done", summary: `every endpoint group in ${request.fromRegion} already has dial ${dial}%` };
}

/**
 * Route 53 changes go through its control plane in us-east-1. When it does not answer, the step
 * goes on and the report says so: the record's health check withdraws a failed region by itself,
 * and the accelerator, not DNS, is the path users take.
 */
async function latencyRecordStep(ctx: StepContext, hostedZoneId: string, recordName: string): Promise<string[]> {
  const { request } = ctx;
  const invert = request.direction === "evacuation";
  try {
    const records = await ctx.clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, StartRecordName: recordName, StartRecordType: "A" }));
    const record = (records.ResourceRecordSets ?? []).find((r) => r.Name?.replace(/\.$/, "") === recordName && r.Region === request.fromRegion);
    if (!record?.HealthCheckId) {
      throw new Error(`no latency record ${recordName} for ${request.fromRegion} with a health check in zone ${hostedZoneId}`);
    }
    const check = await ctx.clients.route53.send(new GetHealthCheckCommand({ HealthCheckId: record.HealthCheckId }));
    const inverted = check.HealthCheck?.HealthCheckConfig?.Inverted === true;
    const what = `Route 53 health check ${record.HealthCheckId} of ${recordName} (${request.fromRegion}): inverted ${inverted} → ${invert}`;
    if (inverted === invert) {
      return [];
    }
    if (!request.execute) {
      return [`would set ${what}`];
    }
    // The version read above: Route 53 refuses the update if someone changed the check in between.
    await ctx.clients.route53.send(new UpdateHealthCheckCommand({ HealthCheckId: record.HealthCheckId, HealthCheckVersion: check.HealthCheck?.HealthCheckVersion, Inverted: invert }));
    ctx.changed(`set ${what}`);
    return [what];
  } catch (error) {
    const message = `Route 53 (control plane in ${ROUTE53_API_REGION}) could not be changed: ${messageOf(error)}`;
    ctx.facts.route53NotChanged = message;
    ctx.log(`note: ${message}; going on (the latency record's health check follows the region's health by itself)`);
    return [];
  }
}
