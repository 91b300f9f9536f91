import { DescribeUpdateCommand, UpdateNodegroupConfigCommand } from "@aws-sdk/client-eks";
import type { NodeGroupConfig } from "@meridian/constructs";
import { perZoneSizes } from "@meridian/constructs";
import { cpuLimitOf } from "@meridian/constructs";
import { messageOf } from "../command-line/output";
import { commandLine, type Command } from "../teardown/runner";
import { eksClusterName, StepFailure, waitFor, type StepContext, type StepResult } from "./context";
import { liveNodeGroups, type LiveNodeGroup } from "./node-groups";

const KUBECTL_TIMEOUT_MS = 90_000;

/** Sizes of a catalogue group in the surviving region: its evacuation level, or (fail-back) its normal one. */
export function capacityLevel(group: NodeGroupConfig, direction: "evacuation" | "fail-back"): { minSize: number; maxSize: number } {
  return direction === "evacuation" && group.evacuation ? group.evacuation : { minSize: group.minSize, maxSize: group.maxSize };
}

/**
 * Raises (evacuation) or lowers again (fail-back) the surviving region's managed node groups to the
 * catalogue's `evacuation` sizes (split per zone as the node-group construct splits them) and, with
 * Karpenter, each pool's CPU limit to match. Needs the EKS control plane of the surviving region only.
 * Desired size is raised to the new minimum but never cut: the autoscaler owns it.
 */
export async function capacityStep(ctx: StepContext): Promise<StepResult> {
  const { request } = ctx;
  const region = request.survivingRegion;
  const cluster = eksClusterName(request, region);
  const zones = request.environment.regions.find((r) => r.region === region)!.availabilityZones;
  const groups = request.environment.nodeGroups.filter((g) => g.evacuation);
  if (groups.length === 0) {
    return { status: "skipped", summary: "no node group of the catalogue names an evacuation size" };
  }
  let live: LiveNodeGroup[];
  try {
    live = await liveNodeGroups(ctx.clients, region, cluster, groups, zones);
  } catch (error) {
    throw new StepFailure(`cannot read the node groups of ${cluster} in ${region}: ${messageOf(error)}`);
  }
  const changes: string[] = [];
  const updates: { nodegroup: string; id: string }[] = [];
  for (const node of live) {
    const level = capacityLevel(node.group, request.direction);
    const split = node.group.perAvailabilityZone ? perZoneSizes({ ...node.group, ...level, desiredSize: level.minSize }, zones.length) : level;
    const desiredSize = Math.min(split.maxSize, Math.max(split.minSize, node.desiredSize));
    if (node.minSize === split.minSize && node.maxSize === split.maxSize && node.desiredSize === desiredSize) {
      continue;
    }
    const what = `node group ${node.name}: min ${node.minSize} → ${split.minSize}, max ${node.maxSize} → ${split.maxSize}, desired ${node.desiredSize} → ${desiredSize}`;
    if (!request.execute) {
      changes.push(`would set ${what}`);
      continue;
    }
    try {
      const response = await ctx.clients.eks(region).send(
        new UpdateNodegroupConfigCommand({ clusterName: cluster, nodegroupName: node.name, scalingConfig: { minSize: split.minSize, maxSize: split.maxSize, desiredSize } }),
      );
      updates.push({ nodegroup: node.name, id: response.update?.id ?? "" });
    } catch (error) {
      throw new StepFailure(`UpdateNodegroupConfig of ${node.name} failed: ${messageOf(error)}`);
    }
    ctx.changed(`set ${what}`);
    changes.push(what);
  }
  for (const update of updates) {
    await waitFor(ctx, `the scaling update of ${update.nodegroup}`, async () => {
      const status = (await ctx.clients.eks(region).send(new DescribeUpdateCommand({ name: cluster, nodegroupName: update.nodegroup, updateId: update.id }))).update?.status;
      ctx.log(`update ${update.id} of ${update.nodegroup}: ${status ?? "unknown"}`);
      if (status === "Failed" || status === "Cancelled") {
        throw new StepFailure(`the scaling update of ${update.nodegroup} ended ${status}`);
      }
      return status === "Successful" ? status : undefined;
    });
  }
  if (request.environment.cluster.autoscaler === "karpenter") {
    changes.push(...(await karpenterLimits(ctx, cluster, region, groups)));
  }
  if (!request.execute) {
    return { status: "would-change", summary: changes.length > 0 ? changes.join("; ") : "already at the catalogue's level; nothing to change" };
  }
  return changes.length > 0 ? { status: "done", summary: changes.join("; ") } : { status: "already-done", summary: `${cluster} is already at the catalogue's ${request.direction} level` };
}

/** Each group's NodePool limit follows its max size, as the Karpenter construct derives it. */
async function karpenterLimits(ctx: StepContext, cluster: string, region: string, groups: readonly NodeGroupConfig[]): Promise<string[]> {
  const kube = (args: readonly string[]): Command => ({
    program: "kubectl",
    args: ["--kubeconfig", ctx.kubeconfig, "--context", cluster, "--request-timeout=60s", ...args],
    timeoutMs: KUBECTL_TIMEOUT_MS,
  });
  const run = async (command: Command): Promise<string> => {
    const result = await ctx.clients.run(command);
    if (result.exitCode !== 0) {
      throw new StepFailure(`\`${commandLine(command)}\` failed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`);
    }
    return result.stdout;
  };
  // The command's own kubeconfig file and context, named after the cluster.
  await run({
    program: "aws",
    args: ["eks", "update-kubeconfig", "--name", cluster, "--region", region, "--kubeconfig", ctx.kubeconfig, "--alias", cluster],
    timeoutMs: KUBECTL_TIMEOUT_MS,
  });
  const changes: string[] = [];
  for (const group of groups) {
    const limit = String(cpuLimitOf({ ...group, maxSize: capacityLevel(group, ctx.request.direction).maxSize }));
    const pool = JSON.parse(await run(kube(["get", "nodepool", group.name, "-o", "json"]))) as { spec?: { limits?: { cpu?: string | number } } };
    const current = String(pool.spec?.limits?.cpu ?? "none");
    if (current === limit) {
      continue;
    }
    const what = `Karpenter NodePool ${group.name} CPU limit: ${current} → ${limit}`;
    if (!ctx.request.execute) {
      changes.push(`would set ${what}`);
      continue;
    }
    await run(kube(["patch", "nodepool", group.name, "--type", "merge", "-p", JSON.stringify({ spec: { limits: { cpu: limit } } })]));
    ctx.changed(`set ${what}`);
    changes.push(what);
  }
  return changes;
}
