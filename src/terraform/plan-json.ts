/**
 * The parts of Terraform's machine-readable plan (`terraform show -json <plan>`, format 1.x) the
 * plan review reads. https://developer.hashicorp.com/terraform/internals/json-format
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** `true` where a value is unknown until apply; mirrors the value's shape where partly unknown. */
export type UnknownMarks = boolean | UnknownMarks[] | { [key: string]: UnknownMarks };

export interface PlannedResource {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: number | string;
  readonly provider_name: string;
  readonly schema_version: number;
  readonly values: Record<string, JsonValue>;
  readonly sensitive_values?: Record<string, unknown>;
}

export interface PlannedModule {
  readonly resources?: readonly PlannedResource[];
  readonly child_modules?: readonly PlannedModule[];
}

export type ChangeAction = "no-op" | "create" | "read" | "update" | "delete";

export interface ResourceChange {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: number | string;
  readonly provider_name: string;
  readonly change: {
    readonly actions: readonly ChangeAction[];
    readonly before: Record<string, JsonValue> | null;
    readonly after: Record<string, JsonValue> | null;
    readonly after_unknown?: Record<string, UnknownMarks>;
    /** Attribute paths that force the replacement, as Terraform reports them. */
    readonly replace_paths?: readonly (readonly (string | number)[])[];
  };
  readonly action_reason?: string;
}

/** An expression of the configuration: a literal (cdktf writes references as `${...}` templates) and what it refers to. */
export interface ConfigExpression {
  readonly constant_value?: JsonValue;
  readonly references?: readonly string[];
}

/** Attribute expressions, and nested blocks as arrays of expression objects. */
export type ConfigExpressions = { readonly [attribute: string]: ConfigExpression | readonly ConfigExpressions[] };

export interface ConfigResource {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  /** `aws` or `aws.<alias>`. */
  readonly provider_config_key: string;
  readonly expressions?: ConfigExpressions;
}

export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version: string;
  readonly planned_values?: { readonly root_module: PlannedModule };
  readonly resource_changes?: readonly ResourceChange[];
  readonly configuration?: {
    readonly provider_config?: Record<string, { readonly full_name?: string; readonly name: string; readonly alias?: string }>;
    readonly root_module: { readonly resources?: readonly ConfigResource[] };
  };
}

/** Every planned managed resource instance, modules flattened. */
export function plannedResources(plan: PlanJson): PlannedResource[] {
  const walk = (module: PlannedModule | undefined): PlannedResource[] =>
    module ? [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap(walk)] : [];
  return walk(plan.planned_values?.root_module).filter((r) => r.mode === "managed");
}

/** How a change reads to a reviewer. */
export type ChangeKind = "create" | "update" | "replace" | "delete" | "no-op" | "read";

export function changeKind(actions: readonly ChangeAction[]): ChangeKind {
  if (actions.includes("create") && actions.includes("delete")) {
    return "replace";
  }
  return (actions.find((a) => a !== "no-op") ?? "no-op") as ChangeKind;
}

/** How many resources a plan creates, updates in place, replaces and deletes. */
export interface ActionCounts {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
}

/** Counts changes by kind; reads, no-ops and anything else are not counted. */
export function countByKind(kinds: Iterable<string>): ActionCounts {
  const counts = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const kind of kinds) {
    if (Object.hasOwn(counts, kind)) {
      counts[kind as keyof ActionCounts]++;
    }
  }
  return counts;
}

/** `a.b[0].c` for a Terraform attribute path. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}
