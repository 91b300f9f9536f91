import { evaluatePolicy, type Finding, type PolicyEvaluation } from "../../src/policy/engine";
import type { PlanJson } from "../../src/policy/plan-json";
import type { JsonValue, UnknownMarks } from "../../src/terraform/plan-json";
import { policyStacks } from "../../src/policy/read-stacks";
import type { Rule } from "../../src/policy/rule";
import type { TerraformJson } from "../../src/verification/synthesized-stacks";

/** Resource blocks by type, then name, as synthesized JSON holds them. */
export type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** A hand-written synthesized stack. */
export interface FixtureStack {
  readonly name: string;
  readonly config: TerraformJson;
}

export interface FixtureOptions {
  /** Region of the default `aws` provider. @default "us-east-1" */
  readonly region?: string;
  /** The providers' `environment` default tag. @default the stack name up to the first hyphen */
  readonly environment?: string;
  /** Extra aliased AWS providers: alias → region. */
  readonly aliases?: Record<string, string>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { value: unknown }>;
  /** S3 backend bucket (state). @default - a local backend */
  readonly stateBucket?: string;
}

/** A synthesized stack with an AWS provider (and aliases) tagged with its environment. */
export function fixtureStack(name: string, resources: Resources, options: FixtureOptions = {}): FixtureStack {
  const environment = options.environment ?? name.split("-")[0]!;
  const tags = [{ tags: { environment } }];
  return {
    name,
    config: {
      terraform: {
        backend: options.stateBucket ? { s3: { bucket: options.stateBucket, key: `test/${name}.tfstate` } } : { local: { path: "terraform.tfstate" } },
        required_providers: { aws: { source: "aws", version: "5.100.0" } },
      },
      provider: {
        aws: [
          { region: options.region ?? "us-east-1", default_tags: tags },
          ...Object.entries(options.aliases ?? {}).map(([alias, region]) => ({ alias, region, default_tags: tags })),
        ],
      },
      resource: resources,
      data: options.data,
      output: options.output,
    },
  };
}

/** `${type.name.attribute}`: a reference as cdktf writes it. */
export const ref = (address: string, attribute = "id") => `\${${address}.${attribute}}`;

/** A cross-stack reference as cdktf writes it: the consumer reads the producer's output through remote state. */
export function remoteRef(producer: string, output: string): string {
  return `\${data.terraform_remote_state.cross-stack-reference-input-${producer}.outputs.${output}}`;
}

/** The remote-state data source a consumer of `producer` holds. */
export function remoteState(producer: string): Record<string, Record<string, unknown>> {
  return { [`cross-stack-reference-input-${producer}`]: { backend: "s3", config: { bucket: "state", key: `test/${producer}.tfstate` } } };
}

/** Runs one rule (or all) over the stacks; every environment counts as production unless listed otherwise. */
export function evaluate(
  stacks: readonly FixtureStack[],
  options: { rule?: Rule; productionEnvironments?: readonly string[]; plans?: ReadonlyMap<string, PlanJson> } = {},
): PolicyEvaluation {
  return evaluatePolicy(policyStacks(stacks, options.plans), {
    rules: options.rule ? [options.rule] : undefined,
    productionEnvironments: options.productionEnvironments,
  });
}

/** Every finding (suppressed or not) of one rule over the stacks. */
export function findings(rule: Rule, stacks: FixtureStack | readonly FixtureStack[], productionEnvironments?: readonly string[]): Finding[] {
  const list = Array.isArray(stacks) ? stacks : [stacks as FixtureStack];
  return evaluate(list, { rule, productionEnvironments }).stacks.flatMap((s) => s.findings);
}

/** The messages of one rule's findings: what a failing test shows. */
export function messages(rule: Rule, stacks: FixtureStack | readonly FixtureStack[], productionEnvironments?: readonly string[]): string[] {
  return findings(rule, stacks, productionEnvironments).map((f) => `${f.address}: ${f.message}`);
}

/** Checks one rule undecided (values known only after apply) over the stacks. */
export function undecided(rule: Rule, stacks: FixtureStack | readonly FixtureStack[]): string[] {
  const list = Array.isArray(stacks) ? stacks : [stacks as FixtureStack];
  return evaluate(list, { rule }).stacks.flatMap((s) => s.undecided.map((u) => `${u.address}: ${u.message}`));
}

/** A single resource in a stack of its own. */
export function single(type: string, block: Record<string, unknown>, options: FixtureOptions & { stack?: string } = {}): FixtureStack {
  return fixtureStack(options.stack ?? "production-test", { [type]: { subject: block } }, options);
}

/** Deep copy with changes: `tweak(base, (b) => { b.x = 1 })`. */
export function tweak<T>(base: T, change: (copy: T) => void): T {
  const copy = structuredClone(base);
  change(copy);
  return copy;
}

/**
 * A regional network as the Network construct builds it: a VPC over three AZs with public,
 * private and database subnets, an internet gateway, one NAT per AZ (or a single one), private
 * route tables per AZ, a flow log and the adopted default security group.
 */
export function regionalNetwork(options: { nat?: "per-az" | "single"; zones?: readonly string[] } = {}): Resources {
  const zones = options.zones ?? ["us-east-1a", "us-east-1b", "us-east-1c"];
  const resources: Resources = {
    aws_vpc: { vpc: { cidr_block: "10.0.0.0/16" } },
    aws_internet_gateway: { igw: { vpc_id: ref("aws_vpc.vpc") } },
    aws_route_table: { public: { vpc_id: ref("aws_vpc.vpc") } },
    aws_route: { "public-default": { route_table_id: ref("aws_route_table.public"), destination_cidr_block: "0.0.0.0/0", gateway_id: ref("aws_internet_gateway.igw") } },
    aws_subnet: {},
    aws_route_table_association: {},
    aws_nat_gateway: {},
    aws_flow_log: { "flow-log": { vpc_id: ref("aws_vpc.vpc"), traffic_type: "ALL", log_destination: "arn:aws:logs:us-east-1:123456789012:log-group:flow" } },
    aws_default_security_group: { default: { vpc_id: ref("aws_vpc.vpc") } },
  };
  zones.forEach((zone, index) => {
    resources.aws_subnet![`public-${zone}`] = { vpc_id: ref("aws_vpc.vpc"), availability_zone: zone, cidr_block: `10.0.${index}.0/24`, map_public_ip_on_launch: false };
    resources.aws_subnet![`private-${zone}`] = { vpc_id: ref("aws_vpc.vpc"), availability_zone: zone, cidr_block: `10.0.${index + 10}.0/24`, map_public_ip_on_launch: false };
    resources.aws_route_table_association![`public-${zone}`] = { subnet_id: ref(`aws_subnet.public-${zone}`), route_table_id: ref("aws_route_table.public") };
    if (options.nat !== "single" || index === 0) {
      resources.aws_nat_gateway![`nat-${zone}`] = { subnet_id: ref(`aws_subnet.public-${zone}`), allocation_id: "eipalloc-1" };
    }
    const nat = options.nat === "single" ? `nat-${zones[0]}` : `nat-${zone}`;
    resources.aws_route_table![`private-${zone}`] = { vpc_id: ref("aws_vpc.vpc") };
    resources.aws_route![`private-${zone}-default`] = { route_table_id: ref(`aws_route_table.private-${zone}`), destination_cidr_block: "0.0.0.0/0", nat_gateway_id: ref(`aws_nat_gateway.${nat}`) };
    resources.aws_route_table_association![`private-${zone}`] = { subnet_id: ref(`aws_subnet.private-${zone}`), route_table_id: ref(`aws_route_table.private-${zone}`) };
  });
  return resources;
}

/** Adds resource blocks to a set of resources (a new copy). */
export function withResources(base: Resources, extra: Resources): Resources {
  const merged = structuredClone(base);
  for (const [type, byName] of Object.entries(extra)) {
    merged[type] = { ...(merged[type] ?? {}), ...byName };
  }
  return merged;
}

/** A `terraform show -json` plan of the given managed resources (values), with unknown attributes marked. */
export function planOf(resources: { address: string; type: string; name: string; values: Record<string, unknown>; unknown?: Record<string, unknown> }[]): PlanJson {
  const provider_name = "registry.terraform.io/hashicorp/aws";
  return {
    format_version: "1.2",
    terraform_version: "1.11.4",
    planned_values: {
      root_module: { resources: resources.map((r) => ({ address: r.address, mode: "managed", type: r.type, name: r.name, provider_name, schema_version: 0, values: r.values as Record<string, JsonValue> })) },
    },
    resource_changes: resources.map((r) => ({
      address: r.address,
      mode: "managed",
      type: r.type,
      name: r.name,
      provider_name,
      change: { actions: ["create"], before: null, after: r.values as Record<string, JsonValue>, after_unknown: (r.unknown ?? {}) as Record<string, UnknownMarks> },
    })),
  };
}
