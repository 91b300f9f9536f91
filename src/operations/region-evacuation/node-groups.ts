import { DescribeClusterCommand, DescribeNodegroupCommand, ListNodegroupsCommand } from "@aws-sdk/client-eks";
import type { NodeGroupConfig } from "@meridian/constructs";
import type { EvacuationClients } from "./clients";

/** A live managed node group, matched to its catalogue group. */
export interface LiveNodeGroup {
  /** The live name (the catalogue name, the zone for per-AZ groups, and Terraform's unique suffix). */
  readonly name: string;
  /** The catalogue group it was built from. */
  readonly group: NodeGroupConfig;
  readonly status: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
}

/** The EKS cluster's status (`ACTIVE` when it serves). */
export async function clusterStatus(clients: EvacuationClients, region: string, cluster: string): Promise<string> {
  return (await clients.eks(region).send(new DescribeClusterCommand({ name: cluster }))).cluster?.status ?? "unknown";
}

/**
 * The cluster's managed node groups that belong to catalogue groups. Live names carry a unique
 * suffix, so each is matched by the `Name` tag the node-group construct sets:
 * `<cluster>-<group>` or, per AZ, `<cluster>-<group>-<zone>`.
 */
export async function liveNodeGroups(clients: EvacuationClients, region: string, cluster: string, groups: readonly NodeGroupConfig[], zones: readonly string[]): Promise<LiveNodeGroup[]> {
  const eks = clients.eks(region);
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await eks.send(new ListNodegroupsCommand({ clusterName: cluster, nextToken: token }));
    names.push(...(page.nodegroups ?? []));
    token = page.nextToken;
  } while (token);
  const tagToGroup = new Map<string, NodeGroupConfig>();
  for (const group of groups) {
    for (const suffix of group.perAvailabilityZone ? zones.map((zone) => `-${zone}`) : [""]) {
      tagToGroup.set(`${cluster}-${group.name}${suffix}`, group);
    }
  }
  const live: LiveNodeGroup[] = [];
  for (const name of names) {
    const nodegroup = (await eks.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: name }))).nodegroup;
    const group = tagToGroup.get(nodegroup?.tags?.Name ?? "");
    if (!nodegroup || !group) {
      continue;
    }
    const scaling = nodegroup.scalingConfig ?? {};
    live.push({ name, group, status: nodegroup.status ?? "unknown", minSize: scaling.minSize ?? 0, maxSize: scaling.maxSize ?? 0, desiredSize: scaling.desiredSize ?? 0 });
  }
  return live;
}
