import { createHash } from "node:crypto";
import type { JsonValue } from "./plan-json";

/**
 * Provider schemas as `terraform providers schema -json` prints them, and placeholder values
 * shaped by them: what a resource's computed attributes would hold once applied.
 */

/** A Terraform type in JSON form: `"string"`, `["list","string"]`, `["object",{...}]`. */
export type TypeJson = string | [string, TypeJson | Record<string, TypeJson>];

export interface SchemaAttribute {
  readonly type?: TypeJson;
  readonly nested_type?: { readonly attributes: Record<string, SchemaAttribute>; readonly nesting_mode: "single" | "list" | "set" | "map" };
  readonly computed?: boolean;
  readonly optional?: boolean;
  readonly required?: boolean;
  readonly write_only?: boolean;
}

export interface SchemaBlock {
  readonly attributes?: Record<string, SchemaAttribute>;
  readonly block_types?: Record<string, { readonly nesting_mode: "single" | "list" | "set" | "map" | "group"; readonly block: SchemaBlock }>;
}

export interface ProviderSchemas {
  readonly provider_schemas: Record<string, { readonly resource_schemas?: Record<string, { readonly version: number; readonly block: SchemaBlock }> }>;
}

/** The schema of one resource type, or undefined when the provider does not have it. */
export function resourceSchema(schemas: ProviderSchemas, provider: string, type: string): { version: number; block: SchemaBlock } | undefined {
  return schemas.provider_schemas[provider]?.resource_schemas?.[type];
}

/** Where a placeholder stands: which resource, which attribute path. */
export interface PlaceholderContext {
  readonly type: string;
  readonly address: string;
  readonly path: readonly (string | number)[];
  readonly region: string;
}

const SIMULATED_ACCOUNT = "000000000000";

/** Eight stable hex digits per address and attribute: the same base always yields the same state. */
function digest(context: PlaceholderContext): string {
  return createHash("sha256").update(`${context.address}/${context.path.join(".")}`).digest("hex").slice(0, 16);
}

/** An ARN the provider's validators accept for this resource type. */
function arnFor(context: PlaceholderContext): string {
  const id = `sim-${digest(context)}`;
  const [, service = "resource", ...rest] = context.type.split("_");
  switch (context.type) {
    case "aws_iam_role":
      return `arn:aws:iam::${SIMULATED_ACCOUNT}:role/${id}`;
    case "aws_iam_policy":
      return `arn:aws:iam::${SIMULATED_ACCOUNT}:policy/${id}`;
    case "aws_iam_instance_profile":
      return `arn:aws:iam::${SIMULATED_ACCOUNT}:instance-profile/${id}`;
    case "aws_iam_openid_connect_provider":
      return `arn:aws:iam::${SIMULATED_ACCOUNT}:oidc-provider/oidc.eks.${context.region}.amazonaws.com/id/${digest(context).toUpperCase()}`;
    case "aws_kms_key":
    case "aws_kms_replica_key":
      return `arn:aws:kms:${context.region}:${SIMULATED_ACCOUNT}:key/mrk-${digest(context)}${digest({ ...context, path: ["key"] })}`;
    case "aws_s3_bucket":
      return `arn:aws:s3:::${id}`;
    case "aws_sqs_queue":
      return `arn:aws:sqs:${context.region}:${SIMULATED_ACCOUNT}:${id}`;
    case "aws_lb":
      return `arn:aws:elasticloadbalancing:${context.region}:${SIMULATED_ACCOUNT}:loadbalancer/net/${id.slice(0, 32)}/${digest(context)}`;
    case "aws_lb_target_group":
      return `arn:aws:elasticloadbalancing:${context.region}:${SIMULATED_ACCOUNT}:targetgroup/${id.slice(0, 32)}/${digest(context)}`;
    default:
      return `arn:aws:${service}:${context.region}:${SIMULATED_ACCOUNT}:${rest.join("-") || "resource"}/${id}`;
  }
}

/** EC2-style id prefixes, by resource type (for `id`) and by attribute name (for `*_id`). Providers validate some of them. */
const ID_PREFIX_BY_TYPE: Readonly<Record<string, string>> = {
  aws_vpc: "vpc",
  aws_subnet: "subnet",
  aws_security_group: "sg",
  aws_default_security_group: "sg",
  aws_vpc_security_group_ingress_rule: "sgr",
  aws_vpc_security_group_egress_rule: "sgr",
  aws_route_table: "rtb",
  aws_internet_gateway: "igw",
  aws_nat_gateway: "nat",
  aws_eip: "eipalloc",
  aws_vpc_endpoint: "vpce",
  aws_vpc_peering_connection: "pcx",
  aws_vpc_peering_connection_accepter: "pcx",
  aws_flow_log: "fl",
  aws_launch_template: "lt",
  aws_efs_file_system: "fs",
  aws_efs_access_point: "fsap",
  aws_efs_mount_target: "fsmt",
  aws_network_acl: "acl",
};
const ID_PREFIX_BY_ATTRIBUTE: readonly [RegExp, string][] = [
  [/security_group_id$/, "sg"],
  [/(^|_)vpc_id$/, "vpc"],
  [/subnet_id$/, "subnet"],
  [/route_table_id$/, "rtb"],
  [/launch_template_id$/, "lt"],
  [/allocation_id$/, "eipalloc"],
  [/network_interface_id$/, "eni"],
  [/vpc_peering_connection_id$/, "pcx"],
  [/file_system_id$/, "fs"],
];

/** A string shaped like what the provider validates for this attribute: EC2-style ids, ARNs, zone ids, URLs, DNS names. */
export function placeholderString(context: PlaceholderContext): string {
  const attribute = String(context.path[context.path.length - 1] ?? "");
  const prefix = attribute === "id" && context.path.length === 1 ? ID_PREFIX_BY_TYPE[context.type] : ID_PREFIX_BY_ATTRIBUTE.find(([pattern]) => pattern.test(attribute))?.[1];
  if (prefix) {
    return `${prefix}-${digest(context).slice(0, 17)}`;
  }
  if (/(^|_)arn$/.test(attribute)) {
    return arnFor(context);
  }
  if (/zone_id$/.test(attribute)) {
    return `Z${digest(context).toUpperCase()}`;
  }
  if (/(^|_)(url|issuer)$/.test(attribute) || (attribute === "endpoint" && context.type === "aws_eks_cluster")) {
    return `https://sim-${digest(context)}.${context.region}.example.internal`;
  }
  if (/(dns_name|endpoint)$/.test(attribute)) {
    return `sim-${digest(context)}.${context.region}.example.internal`;
  }
  if (/(^|_)account_id$|owner_id$/.test(attribute)) {
    return SIMULATED_ACCOUNT;
  }
  return `sim-${digest(context)}`;
}

/** A placeholder of a Terraform type: one element for collections of objects (so `x[0].y` resolves), empty otherwise. */
export function placeholderOfType(type: TypeJson, context: PlaceholderContext): JsonValue {
  if (typeof type === "string") {
    return type === "string" ? placeholderString(context) : type === "number" ? 0 : type === "bool" ? false : null;
  }
  const [kind, inner] = type;
  if (kind === "object") {
    const attributes = inner as Record<string, TypeJson>;
    return Object.fromEntries(Object.entries(attributes).map(([name, t]) => [name, placeholderOfType(t, { ...context, path: [...context.path, name] })]));
  }
  if (kind === "list" || kind === "set") {
    const element = inner as TypeJson;
    return Array.isArray(element) && element[0] === "object" ? [placeholderOfType(element, { ...context, path: [...context.path, 0] })] : [];
  }
  return kind === "map" ? {} : null;
}

/** A placeholder for an attribute given by its schema (a `type` or a framework `nested_type`). */
export function placeholderOfAttribute(attribute: SchemaAttribute, context: PlaceholderContext): JsonValue {
  if (attribute.type !== undefined) {
    return placeholderOfType(attribute.type, context);
  }
  if (attribute.nested_type) {
    const object = (path: readonly (string | number)[]) =>
      Object.fromEntries(Object.entries(attribute.nested_type!.attributes).map(([name, a]) => [name, placeholderOfAttribute(a, { ...context, path: [...path, name] })]));
    const mode = attribute.nested_type.nesting_mode;
    return mode === "single" ? object(context.path) : mode === "map" ? {} : [object([...context.path, 0])];
  }
  return null;
}

/** A placeholder for a whole nested block. */
export function placeholderOfBlock(block: SchemaBlock, context: PlaceholderContext): Record<string, JsonValue> {
  const result: Record<string, JsonValue> = {};
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    result[name] = attribute.computed && !attribute.optional ? placeholderOfAttribute(attribute, { ...context, path: [...context.path, name] }) : null;
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    result[name] = nested.nesting_mode === "single" || nested.nesting_mode === "group" ? null : [];
  }
  return result;
}
