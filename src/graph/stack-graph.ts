import { SHARED_ENVIRONMENT } from "../config/naming";
import { readSynthesizedStacks, type SynthesizedStack, type TerraformJson } from "../verification/synthesized-stacks";
import { describeStack, isArgoCdClusterSecret } from "./resource-labels";

/**
 * The architecture picture as data, derived only from a synthesized output (`cdktf.out`): which
 * stacks exist, what each holds and what each builds on. `renderMermaid` draws it.
 */
export interface StackGraph {
  /** Every stack, in deploy order: by depth (longest chain of edges leading to it), then by name. */
  readonly nodes: readonly StackNode[];
  /** Sorted by the deploy order of `from`, then of `to`, then by kind. */
  readonly edges: readonly StackEdge[];
  /** Environments that have stacks, in the order their first stack deploys (ties by name). */
  readonly environments: readonly string[];
}

export interface StackNode {
  /** Mermaid node id derived from the stack name: stable across runs, unique in the graph. */
  readonly id: string;
  readonly name: string;
  /** From the stack's state key (`<project>/<environment>/<stack>.tfstate`) or its AWS default tags; undefined for shared stacks. */
  readonly environment: string | undefined;
  /** What the stack is in the system, when its resources say so: `writer`, `reader`, `GitOps hub`. */
  readonly roles: readonly string[];
  /** Its main resources, e.g. `["VPC", "EKS", "3 node groups"]` (see `resource-labels.ts`). */
  readonly features: readonly string[];
}

/**
 * `from` comes first, `to` builds on it.
 * - `dependency`: `to` reads `from`'s outputs (cdktf's manifest `dependencies`); cdktf deploys `from` first.
 * - `gitops-cluster`: the GitOps hub's platform stack (`to`) registers the cluster of the regional stack `from` with Argo CD.
 * - `state`: `from` creates the bucket `to` keeps its Terraform state in.
 */
export interface StackEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
}

export type EdgeKind = "dependency" | "gitops-cluster" | "state";
const EDGE_KINDS: readonly EdgeKind[] = ["dependency", "gitops-cluster", "state"];

/** The graph of the stacks synthesized into `outdir` (a `cdktf.out`). */
export function readStackGraph(outdir: string): StackGraph {
  return buildStackGraph(readSynthesizedStacks(outdir));
}

/** The graph of synthesized stacks; the result does not depend on the order of `stacks`. */
export function buildStackGraph(stacks: readonly SynthesizedStack[]): StackGraph {
  const byName = new Map(stacks.map((stack) => [stack.name, stack]));
  if (byName.size !== stacks.length) {
    throw new Error(`stack names must be unique: ${stacks.map((s) => s.name).join(", ")}`);
  }
  const edges = [...dependencyEdges(stacks, byName), ...gitopsClusterEdges(stacks), ...stateEdges(stacks)];
  const order = deployOrder([...byName.keys()], edges);
  const rank = new Map(order.map((name, index) => [name, index]));
  const ids = nodeIds(order);
  const nodes = order.map((name): StackNode => {
    const stack = byName.get(name)!;
    const { roles, features } = describeStack(stack.config);
    return { id: ids.get(name)!, name, environment: environmentOf(stack), roles, features };
  });
  const environments = [...new Set(nodes.flatMap((node) => (node.environment === undefined ? [] : [node.environment])))];
  const unique = new Map(edges.map((edge) => [`${edge.from}\u0000${edge.to}\u0000${edge.kind}`, edge]));
  const sortedEdges = [...unique.values()].sort(
    (a, b) => rank.get(a.from)! - rank.get(b.from)! || rank.get(a.to)! - rank.get(b.to)! || EDGE_KINDS.indexOf(a.kind) - EDGE_KINDS.indexOf(b.kind),
  );
  return { nodes, edges: sortedEdges, environments };
}

function dependencyEdges(stacks: readonly SynthesizedStack[], byName: ReadonlyMap<string, SynthesizedStack>): StackEdge[] {
  return stacks.flatMap((stack) =>
    stack.dependencies.map((dependency): StackEdge => {
      if (!byName.has(dependency)) {
        throw new Error(`${stack.name} depends on ${dependency}, which is not in the synthesized output`);
      }
      return { from: dependency, to: stack.name, kind: "dependency" };
    }),
  );
}

/** Where each stack keeps its state, as `<bucket>/<key>`, for the stacks with an S3 backend. */
function stateLocation(config: TerraformJson): string | undefined {
  const s3 = config.terraform?.backend?.s3;
  return typeof s3?.bucket === "string" && typeof s3.key === "string" ? `${s3.bucket}/${s3.key}` : undefined;
}

const REMOTE_STATE_REFERENCE = /\bdata\.terraform_remote_state\.([A-Za-z0-9_-]+)\./g;

/**
 * Argo CD cluster secrets (`kubernetes_secret_v1` labelled `argocd.argoproj.io/secret-type:
 * cluster`) name the cluster's API server through a remote-state read of the stack that owns
 * the cluster; that read's bucket and key identify the stack.
 */
function gitopsClusterEdges(stacks: readonly SynthesizedStack[]): StackEdge[] {
  const stackAt = new Map(stacks.flatMap((stack) => {
    const location = stateLocation(stack.config);
    return location === undefined ? [] : [[location, stack.name] as const];
  }));
  return stacks.flatMap((hub) => {
    const remoteStates = hub.config.data?.terraform_remote_state ?? {};
    const secrets = Object.values(hub.config.resource?.kubernetes_secret_v1 ?? {}).filter(isArgoCdClusterSecret);
    return secrets.flatMap((secret) => {
      const server = (secret.data as Record<string, unknown> | undefined)?.server;
      const reads = typeof server === "string" ? [...server.matchAll(REMOTE_STATE_REFERENCE)].map((match) => match[1]!) : [];
      return reads.flatMap((read) => {
        const config = remoteStates[read]?.config as { bucket?: unknown; key?: unknown } | undefined;
        const owner = typeof config?.bucket === "string" && typeof config.key === "string" ? stackAt.get(`${config.bucket}/${config.key}`) : undefined;
        return owner === undefined || owner === hub.name ? [] : [{ from: owner, to: hub.name, kind: "gitops-cluster" } as const];
      });
    });
  });
}

/** The stack that creates a bucket (`aws_s3_bucket.bucket`) precedes every stack whose S3 backend uses it. */
function stateEdges(stacks: readonly SynthesizedStack[]): StackEdge[] {
  const bucketOwner = new Map(
    stacks.flatMap((stack) =>
      Object.values(stack.config.resource?.aws_s3_bucket ?? {}).flatMap((bucket) => (typeof bucket.bucket === "string" ? [[bucket.bucket, stack.name] as const] : [])),
    ),
  );
  return stacks.flatMap((stack) => {
    const bucket = stack.config.terraform?.backend?.s3?.bucket;
    const owner = typeof bucket === "string" ? bucketOwner.get(bucket) : undefined;
    return owner === undefined || owner === stack.name ? [] : [{ from: owner, to: stack.name, kind: "state" } as const];
  });
}

/**
 * Deploy order, readable: every stack after all it builds on, grouped by depth (the longest chain
 * of edges of any kind leading to it), by name within a depth.
 */
function deployOrder(names: readonly string[], edges: readonly StackEdge[]): string[] {
  const incoming = new Map(names.map((name) => [name, new Set<string>()]));
  for (const edge of edges) {
    incoming.get(edge.to)!.add(edge.from);
  }
  const depth = new Map<string, number>();
  const remaining = new Set(names);
  while (remaining.size > 0) {
    const ready = [...remaining].filter((name) => [...incoming.get(name)!].every((from) => depth.has(from)));
    if (ready.length === 0) {
      throw new Error(`the stacks depend on each other in a cycle: ${[...remaining].sort().join(", ")}`);
    }
    for (const name of ready) {
      depth.set(name, Math.max(-1, ...[...incoming.get(name)!].map((from) => depth.get(from)!)) + 1);
      remaining.delete(name);
    }
  }
  return [...names].sort((a, b) => depth.get(a)! - depth.get(b)! || (a < b ? -1 : a > b ? 1 : 0));
}

/** Mermaid ids: the stack name with every character outside `[A-Za-z0-9_]` replaced by `_`. */
function nodeIds(names: readonly string[]): Map<string, string> {
  const ids = new Map(names.map((name) => [name, mermaidId(name)]));
  const seen = new Map<string, string>();
  for (const [name, id] of ids) {
    const other = seen.get(id);
    if (other !== undefined) {
      throw new Error(`stacks ${other} and ${name} would share the diagram id ${id}`);
    }
    seen.set(id, name);
  }
  return ids;
}

/** A Mermaid-safe id; never a keyword (`end`, `subgraph`, …), never starting with a digit. */
export function mermaidId(text: string): string {
  const id = text.replace(/[^A-Za-z0-9_]/g, "_");
  return /^[A-Za-z]/.test(id) && !MERMAID_KEYWORDS.has(id.toLowerCase()) ? id : `n_${id}`;
}

const MERMAID_KEYWORDS = new Set(["end", "graph", "flowchart", "subgraph", "style", "classdef", "class", "click", "linkstyle", "direction", "default"]);

/** The environment from the state key `<project>/<environment>/<stack>.tfstate`, else from the AWS providers' `environment` default tag. */
function environmentOf(stack: SynthesizedStack): string | undefined {
  const key = stack.config.terraform?.backend?.s3?.key;
  const fromKey = typeof key === "string" ? key.split("/").slice(-2, -1)[0] : undefined;
  const fromTags = (stack.config.provider?.aws ?? [])
    .map((provider) => (provider.default_tags as { tags?: Record<string, unknown> }[] | undefined)?.[0]?.tags?.environment)
    .find((value): value is string => typeof value === "string");
  const environment = fromKey ?? fromTags;
  return environment === SHARED_ENVIRONMENT ? undefined : environment;
}
