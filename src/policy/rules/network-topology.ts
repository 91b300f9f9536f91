import type { PolicyInput, PolicyResource } from "../policy-input";
import { blocks, isUnknown } from "../terraform-values";

/** The availability zones of the subnets a configured value refers to. */
export interface SubnetZones {
  readonly zones: ReadonlySet<string>;
  readonly subnets: readonly PolicyResource[];
  /** Subnets whose AZ cannot be read (literal ids, AZ known after apply). */
  readonly undetermined: number;
}

/**
 * The AZs of the subnets a configured value lists (e.g. `dig(resource.config, "vpc_config", 0, "subnet_ids")`):
 * each entry must refer to an `aws_subnet` of the input whose AZ is configured.
 */
export function subnetZones(input: PolicyInput, resource: PolicyResource, configured: unknown): SubnetZones {
  const entries = Array.isArray(configured) ? configured : configured === undefined || configured === null ? [] : [configured];
  const zones = new Set<string>();
  const subnets: PolicyResource[] = [];
  let undetermined = 0;
  for (const entry of entries) {
    const subnet = input.referencedResources(resource, entry, ["aws_subnet"])[0];
    const zone = subnet?.values.availability_zone;
    if (subnet && typeof zone === "string") {
      zones.add(zone);
      subnets.push(subnet);
    } else {
      undetermined++;
    }
  }
  return { zones, subnets, undetermined };
}

/** AZ of a subnet, when configured. */
export function subnetZone(subnet: PolicyResource): string | undefined {
  const zone = subnet.values.availability_zone;
  return typeof zone === "string" ? zone : undefined;
}

/** Route tables a subnet is associated with (`aws_route_table_association`). */
export function routeTablesOf(input: PolicyInput, subnet: PolicyResource): PolicyResource[] {
  return input
    .referrers(subnet, "aws_route_table_association", "subnet_id")
    .flatMap((association) => input.referencedResources(association, association.config.route_table_id, ["aws_route_table"]));
}

/** A default route of a route table, as an `aws_route` resource or an inline `route` block. */
export interface DefaultRoute {
  /** The configured target value (`gateway_id`, `nat_gateway_id`, …), interpolations intact. */
  readonly target: unknown;
  readonly targetKind: "gateway_id" | "nat_gateway_id" | "other";
  /** The resource holding the route (the `aws_route` or the route table). */
  readonly holder: PolicyResource;
}

/** The IPv4/IPv6 default routes (`0.0.0.0/0`, `::/0`) of a route table. */
export function defaultRoutes(input: PolicyInput, routeTable: PolicyResource): DefaultRoute[] {
  const found: DefaultRoute[] = [];
  const isDefault = (block: Record<string, unknown>) =>
    block.destination_cidr_block === "0.0.0.0/0" || block.cidr_block === "0.0.0.0/0" || block.destination_ipv6_cidr_block === "::/0" || block.ipv6_cidr_block === "::/0";
  const kindOf = (block: Record<string, unknown>): DefaultRoute["targetKind"] =>
    block.nat_gateway_id ? "nat_gateway_id" : block.gateway_id ? "gateway_id" : "other";
  for (const route of input.referrers(routeTable, "aws_route", "route_table_id")) {
    if (isDefault(route.config)) {
      const kind = kindOf(route.config);
      found.push({ target: kind === "other" ? undefined : route.config[kind], targetKind: kind, holder: route });
    }
  }
  const inline = blocks(routeTable.config.route);
  if (!isUnknown(inline)) {
    for (const block of inline.filter(isDefault)) {
      const kind = kindOf(block);
      found.push({ target: kind === "other" ? undefined : block[kind], targetKind: kind, holder: routeTable });
    }
  }
  return found;
}

/** True when a default route goes to an internet gateway. */
export function routesToInternetGateway(input: PolicyInput, route: DefaultRoute): boolean {
  if (route.targetKind !== "gateway_id") {
    return false;
  }
  if (typeof route.target === "string" && route.target.startsWith("igw-")) {
    return true;
  }
  return input.referencedResources(route.holder, route.target, ["aws_internet_gateway"]).length > 0;
}

/**
 * Whether a subnet is public: it routes `0.0.0.0/0` to an internet gateway. Without any route
 * table association in the input, the load-balancer tags tell (`kubernetes.io/role/elb`, `tier = public`).
 */
export function isPublicSubnet(input: PolicyInput, subnet: PolicyResource): boolean {
  const tables = routeTablesOf(input, subnet);
  if (tables.length > 0) {
    return tables.some((table) => defaultRoutes(input, table).some((route) => routesToInternetGateway(input, route)));
  }
  const tags = subnet.values.tags;
  const tagList = tags && typeof tags === "object" ? (tags as Record<string, unknown>) : {};
  return tagList["kubernetes.io/role/elb"] === "1" || tagList.tier === "public";
}
