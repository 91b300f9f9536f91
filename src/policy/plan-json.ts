import { withUnknowns } from "./terraform-values";

/** The parts of `terraform show -json <plan>` the policy engine reads. */
export interface PlanJson {
  readonly format_version?: string;
  readonly planned_values?: { readonly root_module?: PlanModule };
  readonly resource_changes?: readonly PlanResourceChange[];
}

export interface PlanModule {
  readonly resources?: readonly PlannedResource[];
  readonly child_modules?: readonly PlanModule[];
}

export interface PlannedResource {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: number | string;
  readonly values?: Record<string, unknown>;
}

export interface PlanResourceChange {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly change: { readonly actions: readonly string[]; readonly after_unknown?: unknown };
}

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
  const found: PlanResourceValues[] = [];
  const visit = (module: PlanModule | undefined) => {
    for (const resource of module?.resources ?? []) {
      if (resource.mode !== "managed") {
        continue;
      }
      const values = withUnknowns(resource.values ?? {}, unknownByAddress.get(resource.address)) as Record<string, unknown>;
      found.push({ address: resource.address, type: resource.type, name: resource.name, values });
    }
    module?.child_modules?.forEach(visit);
  };
  visit(plan.planned_values?.root_module);
  return found;
}
