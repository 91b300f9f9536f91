import { plannedResources, type ConfigExpressions, type ConfigResource, type JsonValue, type PlanJson, type UnknownMarks } from "../terraform/plan-json";
import { placeholderOfAttribute, placeholderOfBlock, placeholderOfType, resourceSchema, type PlaceholderContext, type ProviderSchemas, type SchemaAttribute, type SchemaBlock, type TypeJson } from "../terraform/provider-schema";

/**
 * A Terraform state that represents a plan as if it had been applied, without AWS: every
 * planned resource with its planned values; what was unknown until apply (ids, ARNs, computed
 * attributes) becomes a placeholder shaped by the provider schema, or — where the configuration
 * sets it from another resource's attribute — that attribute's simulated value, so references
 * stay consistent (a route's `route_table_id` is its route table's simulated `id`).
 */

export interface SimulatedResource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly index?: number | string;
  readonly provider: string;
  /** `aws` or `aws.<alias>`. */
  readonly providerConfigKey: string;
  readonly schemaVersion: number;
  attributes: Record<string, JsonValue>;
}

type Path = (string | number)[];

/** Where in a schema a value sits. */
type Cursor =
  | { readonly kind: "block"; readonly block: SchemaBlock }
  | { readonly kind: "blocks"; readonly nesting: string; readonly block: SchemaBlock }
  | { readonly kind: "attribute"; readonly attribute: SchemaAttribute }
  | { readonly kind: "type"; readonly type: TypeJson }
  | { readonly kind: "none" };

function child(cursor: Cursor, key: string | number): Cursor {
  switch (cursor.kind) {
    case "block": {
      const attribute = cursor.block.attributes?.[String(key)];
      if (attribute) {
        return { kind: "attribute", attribute };
      }
      const nested = cursor.block.block_types?.[String(key)];
      return nested ? { kind: "blocks", nesting: nested.nesting_mode, block: nested.block } : { kind: "none" };
    }
    case "blocks":
      return cursor.nesting === "single" || cursor.nesting === "group" ? child({ kind: "block", block: cursor.block }, key) : { kind: "block", block: cursor.block };
    case "attribute": {
      const { type, nested_type: nestedType } = cursor.attribute;
      if (type !== undefined) {
        return child({ kind: "type", type }, key);
      }
      if (nestedType) {
        const object: Cursor = { kind: "block", block: { attributes: nestedType.attributes } };
        return nestedType.nesting_mode === "single" ? child(object, key) : object;
      }
      return { kind: "none" };
    }
    case "type": {
      if (typeof cursor.type === "string") {
        return { kind: "none" };
      }
      const [kind, inner] = cursor.type;
      if (kind === "object") {
        const attribute = (inner as Record<string, TypeJson>)[String(key)];
        return attribute === undefined ? { kind: "none" } : { kind: "type", type: attribute };
      }
      return { kind: "type", type: inner as TypeJson };
    }
    default:
      return cursor;
  }
}

function placeholder(cursor: Cursor, context: PlaceholderContext): JsonValue {
  switch (cursor.kind) {
    case "attribute":
      return placeholderOfAttribute(cursor.attribute, context);
    case "type":
      return placeholderOfType(cursor.type, context);
    case "block":
      return placeholderOfBlock(cursor.block, context);
    case "blocks":
      return cursor.nesting === "single" || cursor.nesting === "group" ? placeholderOfBlock(cursor.block, context) : [placeholderOfBlock(cursor.block, { ...context, path: [...context.path, 0] })];
    default:
      return null;
  }
}

/** Replaces what `marks` says is unknown with placeholders; records the paths it filled. */
function fillUnknown(value: JsonValue | undefined, marks: UnknownMarks | undefined, cursor: Cursor, context: PlaceholderContext, filled: Path[]): JsonValue {
  if (marks === true) {
    filled.push([...context.path]);
    return placeholder(cursor, context);
  }
  if (Array.isArray(marks)) {
    const list = Array.isArray(value) ? [...value] : [];
    marks.forEach((mark, i) => {
      list[i] = fillUnknown(list[i], mark, child(cursor, i), { ...context, path: [...context.path, i] }, filled);
    });
    return list;
  }
  if (marks && typeof marks === "object") {
    const object: Record<string, JsonValue> = value && typeof value === "object" && !Array.isArray(value) ? { ...value } : {};
    for (const [key, mark] of Object.entries(marks)) {
      object[key] = fillUnknown(object[key], mark, child(cursor, key), { ...context, path: [...context.path, key] }, filled);
    }
    return object;
  }
  return value ?? null;
}

/** The raw configuration value (cdktf's `${...}` templates included) at an attribute path, or undefined. */
export function expressionAt(expressions: ConfigExpressions | undefined, path: readonly (string | number)[]): JsonValue | undefined {
  let node: unknown = expressions;
  for (let i = 0; i < path.length; i++) {
    if (node && typeof node === "object" && !Array.isArray(node) && "constant_value" in (node as object)) {
      node = (node as { constant_value: JsonValue }).constant_value;
    }
    const key = path[i]!;
    if (Array.isArray(node)) {
      node = node[Number(key)];
    } else if (node && typeof node === "object") {
      node = (node as Record<string, unknown>)[String(key)];
    } else {
      return undefined;
    }
  }
  if (node && typeof node === "object" && !Array.isArray(node) && "constant_value" in (node as object)) {
    return (node as { constant_value: JsonValue }).constant_value;
  }
  return node === undefined ? undefined : (node as JsonValue);
}

const REFERENCE = /^(aws_[a-z0-9_]+\.[\w-]+)((?:\.[\w-]+|\[\d+\])*)$/;

function parseReference(text: string): { address: string; path: Path } | undefined {
  const match = REFERENCE.exec(text.trim());
  if (!match) {
    return undefined;
  }
  const path: Path = [];
  for (const part of match[2]!.matchAll(/\.([\w-]+)|\[(\d+)\]/g)) {
    path.push(part[1] !== undefined ? part[1] : Number(part[2]));
  }
  return { address: match[1]!, path };
}

function valueAt(value: JsonValue | undefined, path: Path): JsonValue | undefined {
  let node: JsonValue | undefined = value;
  for (const key of path) {
    if (Array.isArray(node)) {
      node = node[Number(key)];
    } else if (node && typeof node === "object") {
      node = node[String(key)];
    } else {
      return undefined;
    }
  }
  return node;
}

/**
 * The value a configuration fragment evaluates to when it only interpolates plain references
 * to resources of this stack; undefined when it needs anything else (functions, data sources).
 */
function evaluate(raw: JsonValue, lookup: (address: string, path: Path) => JsonValue | undefined): JsonValue | undefined {
  if (typeof raw === "string") {
    if (!raw.includes("${")) {
      return raw;
    }
    const whole = /^\$\{([^{}]+)\}$/.exec(raw);
    if (whole) {
      const reference = parseReference(whole[1]!);
      return reference ? lookup(reference.address, reference.path) : undefined;
    }
    let failed = false;
    const text = raw.replace(/\$\{([^{}]+)\}/g, (_, inner: string) => {
      const reference = parseReference(inner);
      const value = reference ? lookup(reference.address, reference.path) : undefined;
      if (typeof value !== "string" && typeof value !== "number") {
        failed = true;
        return "";
      }
      return String(value);
    });
    return failed || text.includes("${") ? undefined : text;
  }
  if (Array.isArray(raw)) {
    const items = raw.map((item) => evaluate(item, lookup));
    return items.some((item) => item === undefined) ? undefined : (items as JsonValue[]);
  }
  if (raw && typeof raw === "object") {
    const entries = Object.entries(raw).map(([key, value]) => [key, evaluate(value, lookup)] as const);
    return entries.some(([, value]) => value === undefined) ? undefined : (Object.fromEntries(entries) as { [key: string]: JsonValue });
  }
  return raw;
}

function setAt(target: Record<string, JsonValue>, path: Path, value: JsonValue): void {
  let node: JsonValue = target;
  for (let i = 0; i < path.length - 1; i++) {
    node = Array.isArray(node) ? node[Number(path[i])]! : (node as Record<string, JsonValue>)[String(path[i])]!;
  }
  const last = path[path.length - 1]!;
  if (Array.isArray(node)) {
    node[Number(last)] = value;
  } else {
    (node as Record<string, JsonValue>)[String(last)] = value;
  }
}

/** Resources in an order where each comes after the resources its configuration refers to. */
function referenceOrder(addresses: readonly string[], configs: ReadonlyMap<string, ConfigResource>): string[] {
  const ordered: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (address: string) => {
    if (state.get(address)) {
      return;
    }
    state.set(address, "visiting");
    const references = JSON.stringify(configs.get(baseAddress(address))?.expressions ?? {}).match(/aws_[a-z0-9_]+\.[\w-]+/g) ?? [];
    for (const reference of new Set(references)) {
      for (const candidate of addresses.filter((a) => baseAddress(a) === reference)) {
        visit(candidate);
      }
    }
    state.set(address, "done");
    ordered.push(address);
  };
  addresses.forEach(visit);
  return ordered;
}

/** `aws_x.y` of `aws_x.y[0]` / `aws_x.y["k"]`. */
function baseAddress(address: string): string {
  return address.replace(/\[[^\]]*\]$/, "");
}

/** Resource types whose `id` is their ARN. */
const ID_IS_ARN = new Set([
  "aws_globalaccelerator_accelerator",
  "aws_globalaccelerator_listener",
  "aws_globalaccelerator_endpoint_group",
  "aws_lb",
  "aws_lb_listener",
  "aws_lb_target_group",
  "aws_iam_policy",
  "aws_iam_openid_connect_provider",
  "aws_secretsmanager_secret",
  "aws_sns_topic",
]);

/** Resource types whose `id` is one of their own arguments. */
const ID_IS_ARGUMENT: Readonly<Record<string, string>> = {
  aws_s3_bucket: "bucket",
  aws_iam_role: "name",
  aws_iam_instance_profile: "name",
  aws_cloudwatch_log_group: "name",
  aws_kms_alias: "name",
  aws_dynamodb_table: "name",
  aws_eks_cluster: "name",
  aws_rds_cluster: "cluster_identifier",
  aws_rds_cluster_instance: "identifier",
  aws_rds_global_cluster: "global_cluster_identifier",
  aws_db_subnet_group: "name",
  aws_rds_cluster_parameter_group: "name",
  aws_db_parameter_group: "name",
};

/**
 * Makes simulated identifiers agree with each other the way AWS's do (a listener's `id` is its
 * ARN, a bucket's `id` its name, a bucket's ARN is built from its name), so configuration that
 * passes one where another is expected — and the provider validates — still plans.
 */
function alignIdentifiers(type: string, attributes: Record<string, JsonValue>, filled: readonly Path[], region: string): void {
  const wasFilled = (name: string) => filled.some((path) => path.length === 1 && path[0] === name);
  if (type === "aws_s3_bucket" && wasFilled("arn") && typeof attributes.bucket === "string") {
    attributes.arn = `arn:aws:s3:::${attributes.bucket}`;
  }
  if (!wasFilled("id")) {
    return;
  }
  if (ID_IS_ARN.has(type) && typeof attributes.arn === "string") {
    attributes.id = attributes.arn;
  } else if (ID_IS_ARGUMENT[type] && typeof attributes[ID_IS_ARGUMENT[type]!] === "string") {
    attributes.id = attributes[ID_IS_ARGUMENT[type]!]!;
  } else if (type === "aws_sqs_queue" && typeof attributes.name === "string") {
    attributes.id = `https://sqs.${region}.amazonaws.com/000000000000/${attributes.name}`;
  }
}

/**
 * Computed attributes AWS leaves empty unless they are configured. A placeholder there is a value
 * the real state never holds, and the provider's plan-time checks refuse it (an SNS topic with a
 * FIFO throughput scope must be a FIFO topic).
 */
const EMPTY_UNLESS_CONFIGURED: Readonly<Record<string, readonly string[]>> = {
  aws_sns_topic: ["fifo_throughput_scope"],
};

function clearEmptyUnlessConfigured(type: string, attributes: Record<string, JsonValue>, filled: Path[]): void {
  for (const attribute of EMPTY_UNLESS_CONFIGURED[type] ?? []) {
    const index = filled.findIndex((path) => path.length === 1 && path[0] === attribute);
    if (index >= 0) {
      attributes[attribute] = null;
      filled.splice(index, 1);
    }
  }
}

/** The plan's resources as applied; see the file comment. Throws for a resource type the schema lacks. */
export function simulateAppliedResources(plan: PlanJson, schemas: ProviderSchemas): SimulatedResource[] {
  const changes = new Map((plan.resource_changes ?? []).map((c) => [c.address, c]));
  const configs = new Map((plan.configuration?.root_module.resources ?? []).map((r) => [r.address, r]));
  const providers = plan.configuration?.provider_config ?? {};
  const regionOf = (key: string) => {
    const expressions = (providers[key] as { expressions?: { region?: { constant_value?: string } } } | undefined)?.expressions;
    return expressions?.region?.constant_value ?? "us-east-1";
  };
  const filledPaths = new Map<string, Path[]>();
  const resources = new Map<string, SimulatedResource>();
  for (const planned of plannedResources(plan)) {
    const schema = resourceSchema(schemas, planned.provider_name, planned.type);
    if (!schema) {
      throw new Error(`${planned.address}: the provider schema of ${planned.provider_name} has no resource type ${planned.type}`);
    }
    const config = configs.get(baseAddress(planned.address));
    const providerConfigKey = config?.provider_config_key ?? planned.provider_name.split("/").pop()!;
    const filled: Path[] = [];
    const context: PlaceholderContext = { type: planned.type, address: planned.address, path: [], region: regionOf(providerConfigKey) };
    const marks = changes.get(planned.address)?.change.after_unknown ?? {};
    const attributes = fillUnknown(structuredClone(planned.values), marks, { kind: "block", block: schema.block }, context, filled) as Record<string, JsonValue>;
    alignIdentifiers(planned.type, attributes, filled, context.region);
    clearEmptyUnlessConfigured(planned.type, attributes, filled);
    filledPaths.set(planned.address, filled);
    resources.set(planned.address, {
      address: planned.address,
      type: planned.type,
      name: planned.name,
      ...(planned.index !== undefined ? { index: planned.index } : {}),
      provider: planned.provider_name,
      providerConfigKey,
      schemaVersion: planned.schema_version,
      attributes,
    });
  }

  const lookup = (address: string, path: Path) => {
    const target = resources.get(address);
    return target ? valueAt(target.attributes, path) : undefined;
  };
  for (const address of referenceOrder([...resources.keys()], configs)) {
    const resource = resources.get(address)!;
    const expressions = configs.get(baseAddress(address))?.expressions;
    for (const path of filledPaths.get(address) ?? []) {
      const raw = expressionAt(expressions, path);
      const value = raw === undefined ? undefined : evaluate(raw, lookup);
      if (value !== undefined && value !== null) {
        setAt(resource.attributes, path, value);
      }
    }
  }
  return [...resources.values()];
}

/**
 * Folds a plan made against the simulated state back into it: each changed resource takes the
 * values Terraform planned (what applying would have stored), keeping its simulated value where
 * the plan still says "known after apply", so ids stay stable. Returns how many changed.
 */
export function foldPlannedChanges(resources: readonly SimulatedResource[], plan: PlanJson): number {
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  let changed = 0;
  for (const change of plan.resource_changes ?? []) {
    const resource = byAddress.get(change.address);
    if (change.mode !== "managed" || !resource || !change.change.after || change.change.actions.every((a) => a === "no-op" || a === "read")) {
      continue;
    }
    resource.attributes = keepUnknown(change.change.after, change.change.after_unknown, resource.attributes) as Record<string, JsonValue>;
    changed++;
  }
  return changed;
}

function keepUnknown(after: JsonValue | undefined, marks: UnknownMarks | undefined, previous: JsonValue | undefined): JsonValue {
  if (marks === true) {
    return previous ?? null;
  }
  if (Array.isArray(marks)) {
    const list = Array.isArray(after) ? [...after] : [];
    const before = Array.isArray(previous) ? previous : [];
    marks.forEach((mark, i) => (list[i] = keepUnknown(list[i], mark, before[i])));
    return list;
  }
  if (marks && typeof marks === "object") {
    const object: Record<string, JsonValue> = after && typeof after === "object" && !Array.isArray(after) ? { ...after } : {};
    const before = previous && typeof previous === "object" && !Array.isArray(previous) ? previous : {};
    for (const [key, mark] of Object.entries(marks)) {
      object[key] = keepUnknown(object[key], mark, (before as Record<string, JsonValue>)[key]);
    }
    return object;
  }
  return after ?? null;
}

/** A version-4 state file holding the simulated resources. */
export function stateFile(resources: readonly SimulatedResource[], terraformVersion: string, lineage: string): unknown {
  const groups = new Map<string, SimulatedResource[]>();
  for (const resource of resources) {
    const key = `${resource.type}.${resource.name}`;
    groups.set(key, [...(groups.get(key) ?? []), resource]);
  }
  return {
    version: 4,
    terraform_version: terraformVersion,
    serial: 1,
    lineage,
    outputs: {},
    resources: [...groups.values()].map((instances) => {
      const first = instances[0]!;
      const alias = first.providerConfigKey.includes(".") ? `.${first.providerConfigKey.split(".").slice(1).join(".")}` : "";
      return {
        mode: "managed",
        type: first.type,
        name: first.name,
        provider: `provider["${first.provider}"]${alias}`,
        instances: instances.map((instance) => ({
          ...(instance.index !== undefined ? { index_key: instance.index } : {}),
          schema_version: instance.schemaVersion,
          attributes: instance.attributes,
          sensitive_attributes: [],
        })),
      };
    }),
    check_results: null,
  };
}
