import type { EvacuationRequest } from "./arguments";
import { GLOBAL_ACCELERATOR_API_REGION, ROUTE53_API_REGION } from "./clients";
import { receivingRegion, type StepId } from "./context";

/** One step of the plan, as printed before anything runs and listed in the report. */
export interface PlannedStep {
  readonly id: StepId;
  readonly title: string;
  /** The control planes (service and region) the step calls; the data planes it relies on are in the docs. */
  readonly controlPlanes: readonly ControlPlane[];
}

export interface ControlPlane {
  readonly service: string;
  readonly region: string;
  /** The step goes on without it (and the report says so). */
  readonly bestEffort?: boolean;
}

/**
 * The steps in order. An evacuation raises capacity before it moves traffic (the surviving region
 * must hold the load the moment the dial drops), then moves the writer; a fail-back moves the
 * writer back first, then traffic, and lowers the surviving region last, once the load has left it.
 */
export function planSteps(request: EvacuationRequest): PlannedStep[] {
  const { environment, fromRegion, survivingRegion } = request;
  const receiving = receivingRegion(request);
  const edge = environment.edge;
  const preflight: PlannedStep = {
    id: "preflight",
    title: `check ${receiving}'s NLB targets, cluster and node groups${request.direction === "evacuation" ? ", its headroom for what " + fromRegion + " carries" : ""}, Aurora's state and lag, and that no operation is in progress`,
    controlPlanes: [
      { service: "ELBv2", region: receiving },
      { service: "EKS", region: receiving },
      ...(request.direction === "evacuation" ? [{ service: "EKS (what it carried)", region: fromRegion, bestEffort: true }] : []),
      ...(environment.database ? [{ service: "RDS and CloudWatch", region: receiving }] : []),
      ...(edge ? [{ service: "Global Accelerator", region: GLOBAL_ACCELERATOR_API_REGION }] : []),
    ],
  };
  const capacity: PlannedStep = {
    id: "capacity",
    title:
      request.direction === "evacuation"
        ? `raise ${survivingRegion}'s node groups${environment.cluster.autoscaler === "karpenter" ? " and Karpenter pool limits" : ""} to the catalogue's evacuation sizes`
        : `lower ${survivingRegion}'s node groups${environment.cluster.autoscaler === "karpenter" ? " and Karpenter pool limits" : ""} back to the catalogue's sizes`,
    controlPlanes: [{ service: environment.cluster.autoscaler === "karpenter" ? "EKS and the cluster's Kubernetes API" : "EKS", region: survivingRegion }],
  };
  const traffic: PlannedStep = {
    id: "traffic",
    title: edge
      ? `set ${fromRegion}'s Global Accelerator traffic dial to ${request.direction === "evacuation" ? "0" : "its catalogue value"} and wait until DEPLOYED` +
        (edge.dns?.latencyRecordName ? `; ${request.direction === "evacuation" ? "invert" : "restore"} the Route 53 health check of its latency record` : "")
      : "no edge in the catalogue: skipped",
    controlPlanes: edge
      ? [
          { service: "Global Accelerator", region: GLOBAL_ACCELERATOR_API_REGION },
          ...(edge.dns?.latencyRecordName ? [{ service: "Route 53", region: ROUTE53_API_REGION, bestEffort: true }] : []),
        ]
      : [],
  };
  const data: PlannedStep = {
    id: "data",
    title: environment.database
      ? `move the Aurora writer to ${receiving}: switchover (no data loss)${request.allowDataLoss && request.direction === "evacuation" ? ", or failover with data loss if a switchover cannot run" : ""}`
      : "no database in the catalogue: skipped",
    controlPlanes: environment.database ? [{ service: "RDS and CloudWatch", region: receiving }] : [],
  };
  const verification: PlannedStep = {
    id: "verification",
    title: "smoke check through the accelerator's address for the whole run; at the end it must answer",
    controlPlanes: [],
  };
  return request.direction === "evacuation" ? [preflight, capacity, traffic, data, verification] : [preflight, data, traffic, capacity, verification];
}

/** The plan as printed: one line per step and the control planes it needs, flagging any in the evacuated region. */
export function planLines(request: EvacuationRequest, steps: readonly PlannedStep[]): string[] {
  const lines = [
    `${request.rehearsal ? "REHEARSAL " : ""}${request.direction} of environment ${request.environment.name}: ${request.direction === "evacuation" ? `${request.fromRegion} → ${request.survivingRegion}` : `${request.fromRegion} returns`}${request.execute ? "" : " [dry run]"}`,
    "plan:",
  ];
  steps.forEach((step, index) => {
    lines.push(`  ${index + 1}. ${step.id}: ${step.title}`);
    const planes = step.controlPlanes.map((plane) => {
      const flags = [plane.bestEffort ? "best effort" : "", plane.region === request.fromRegion && request.direction === "evacuation" ? "IN THE EVACUATED REGION" : ""].filter(Boolean);
      return `${plane.service} in ${plane.region}${flags.length > 0 ? ` (${flags.join(", ")})` : ""}`;
    });
    lines.push(`     control planes: ${planes.join("; ") || "none (data planes only)"}`);
  });
  return lines;
}
