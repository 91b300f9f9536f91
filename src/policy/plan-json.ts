import { plannedResources as plannedInstances, type PlanJson } from "../terraform/plan-json";
import { withUnknowns } from "./terraform-values";

export type { PlanJson };

/** A managed resource as the plan says it will be after apply; unknown attributes are `UNKNOWN`. */
export interface PlanResourceValues {
  readonly address: string;
  readonly type: string;
  /** The configuration name (without any `[index]`). */
  readonly name: string;
  readonly values: Record<string, unknown>;
}

/** Every managed resource in the plan's planned values, with unknowns marked. */
export function plannedResources(plan: PlanJson): PlanResourceValues[] {
  const unknownByAddress = new Map((plan.resource_changes ?? []).map((change) => [change.address, change.change.after_unknown]));
  return plannedInstances(plan).map((resource) => ({
    address: resource.address,
    type: resource.type,
    name: resource.name,
    values: withUnknowns(resource.values, unknownByAddress.get(resource.address)) as Record<string, unknown>,
  }));
}
