/**
 * Reading attribute values the way Terraform means them, whether they come from a plan
 * (`planned_values`, nested blocks as lists) or from synthesized JSON (single blocks as objects,
 * `${...}` interpolations for anything computed).
 *
 * A value Terraform cannot know before apply is {@link UNKNOWN}. Rules treat it as "cannot
 * tell", never as a failure.
 */

/** A value known only after apply. */
export const UNKNOWN: unique symbol = Symbol("known after apply");
export type Unknown = typeof UNKNOWN;

export function isUnknown(value: unknown): value is Unknown {
  return value === UNKNOWN;
}

/** A synthesized string that Terraform evaluates (`${...}`), so its value is not in the configuration. */
export function isInterpolated(value: unknown): value is string {
  return typeof value === "string" && value.includes("${");
}

/** Plain JSON object (not an array, not null, not {@link UNKNOWN}). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Walks `value` along `path`. A numeric step into an object returns the object itself at index 0:
 * synthesized JSON writes a single nested block as an object, a plan as a one-element list, so
 * `dig(values, "vpc_config", 0, "subnet_ids")` reads both. Unknown anywhere on the way is unknown.
 */
export function dig(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const step of path) {
    if (isUnknown(current)) {
      return UNKNOWN;
    }
    if (typeof step === "number") {
      if (Array.isArray(current)) {
        current = current[step];
      } else if (isObject(current) && step === 0) {
        // a single block written as an object
      } else {
        return undefined;
      }
    } else if (isObject(current)) {
      current = current[step];
    } else {
      return undefined;
    }
  }
  return current;
}

/** The nested blocks under a key as a list: `[]` when absent, {@link UNKNOWN} when unknown. */
export function blocks(value: unknown): Record<string, unknown>[] | Unknown {
  if (isUnknown(value)) {
    return UNKNOWN;
  }
  if (Array.isArray(value)) {
    return value.filter(isObject);
  }
  return isObject(value) ? [value] : [];
}

/**
 * A boolean attribute: `true`/`"true"` → true, `false`/`"false"` → false (some AWS provider
 * attributes, e.g. launch template `ebs.encrypted`, are strings), unset → undefined.
 */
export function asBoolean(value: unknown): boolean | undefined | Unknown {
  if (isUnknown(value)) {
    return UNKNOWN;
  }
  if (value === true || value === "true") {
    return true;
  }
  if (value === false || value === "false") {
    return false;
  }
  return undefined;
}

/** A number attribute (numbers in strings included); unset or not a number → undefined. */
export function asNumber(value: unknown): number | undefined | Unknown {
  if (isUnknown(value)) {
    return UNKNOWN;
  }
  if (typeof value === "number") {
    return value;
  }
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return undefined;
}

/** A list of strings; {@link UNKNOWN} if the list or any element is unknown, `[]` when unset. */
export function asStrings(value: unknown): string[] | Unknown {
  if (isUnknown(value)) {
    return UNKNOWN;
  }
  if (value === undefined || value === null) {
    return [];
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.some(isUnknown)) {
    return UNKNOWN;
  }
  return list.filter((item): item is string => typeof item === "string");
}

/** True when the attribute is set to something (unknown counts as set). */
export function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === "") {
    return false;
  }
  return !(Array.isArray(value) && value.length === 0);
}

/** A value as a finding message shows it: `not set`, `(known after apply)` or JSON. */
export function show(value: unknown): string {
  if (isUnknown(value)) {
    return "(known after apply)";
  }
  if (value === undefined || value === null) {
    return "not set";
  }
  return JSON.stringify(value, (_key, v: unknown) => (isUnknown(v) ? "(known after apply)" : v));
}

/** Meta-arguments and comments in synthesized JSON that are not resource attributes. */
const META_ARGUMENTS = new Set(["//", "count", "depends_on", "for_each", "lifecycle", "provider", "provisioner", "connection"]);

/**
 * Attribute values as configured in synthesized JSON: interpolations become {@link UNKNOWN},
 * meta-arguments (`lifecycle`, `depends_on`, the `//` comment, …) are dropped.
 */
export function configuredValues(config: Record<string, unknown>): Record<string, unknown> {
  const convert = (value: unknown): unknown => {
    if (isInterpolated(value)) {
      return UNKNOWN;
    }
    if (Array.isArray(value)) {
      return value.map(convert);
    }
    if (isObject(value)) {
      return Object.fromEntries(Object.entries(value).filter(([key]) => key !== "//").map(([key, v]) => [key, convert(v)]));
    }
    return value;
  };
  return Object.fromEntries(Object.entries(config).filter(([key]) => !META_ARGUMENTS.has(key)).map(([key, value]) => [key, convert(value)]));
}

/**
 * Planned values with every attribute `after_unknown` marks replaced by {@link UNKNOWN}.
 * `terraform show -json` leaves unknown attributes out of `planned_values`; the marks put them back.
 */
export function withUnknowns(values: unknown, unknownMarks: unknown): unknown {
  if (unknownMarks === true) {
    return UNKNOWN;
  }
  if (Array.isArray(unknownMarks)) {
    const list = Array.isArray(values) ? [...values] : [];
    unknownMarks.forEach((mark, index) => {
      list[index] = withUnknowns(list[index], mark);
    });
    return values === undefined && list.length === 0 ? values : list;
  }
  if (isObject(unknownMarks)) {
    const object: Record<string, unknown> = isObject(values) ? { ...values } : {};
    for (const [key, mark] of Object.entries(unknownMarks)) {
      const merged = withUnknowns(object[key], mark);
      if (merged !== undefined) {
        object[key] = merged;
      }
    }
    return values === undefined && Object.keys(object).length === 0 ? values : object;
  }
  return values;
}

/**
 * An attribute's value where a plan leaves it unknown only because it is computed: the configured
 * value when the configuration sets it literally, undefined when the configuration leaves it to
 * the provider (e.g. a security group's `egress` that no block declares).
 */
export function plannedOrConfigured(resource: { readonly values: Readonly<Record<string, unknown>>; readonly config: Readonly<Record<string, unknown>> }, attribute: string): unknown {
  const planned = resource.values[attribute];
  if (!isUnknown(planned)) {
    return planned;
  }
  const configured = resource.config[attribute];
  return configured === undefined ? undefined : configuredValues({ [attribute]: configured })[attribute];
}
