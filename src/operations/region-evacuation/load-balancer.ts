import { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { EvacuationClients } from "./clients";

/** The regional NLB's state and how many of its targets pass their health checks. */
export interface LoadBalancerHealth {
  readonly state: string;
  readonly healthy: number;
  readonly total: number;
}

/** Reads the NLB by name and the health of every target of its target groups (ELBv2 in `region`). */
export async function loadBalancerHealth(clients: EvacuationClients, region: string, name: string): Promise<LoadBalancerHealth> {
  const elbv2 = clients.elbv2(region);
  const balancer = (await elbv2.send(new DescribeLoadBalancersCommand({ Names: [name] }))).LoadBalancers?.[0];
  if (!balancer?.LoadBalancerArn) {
    throw new Error(`no load balancer named ${name} in ${region}`);
  }
  const groups = (await elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: balancer.LoadBalancerArn }))).TargetGroups ?? [];
  let healthy = 0;
  let total = 0;
  for (const group of groups) {
    const targets = (await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: group.TargetGroupArn }))).TargetHealthDescriptions ?? [];
    total += targets.length;
    healthy += targets.filter((t) => t.TargetHealth?.State === "healthy").length;
  }
  return { state: balancer.State?.Code ?? "unknown", healthy, total };
}
