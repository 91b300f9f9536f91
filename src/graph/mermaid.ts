import { mermaidId, type StackEdge, type StackGraph, type StackNode } from "./stack-graph";

/** Longest line of features in a node's label, in characters (the stack name is never wrapped). */
const LABEL_WIDTH = 46;

/** Edge labels: what a non-dependency edge means. */
const GITOPS_CLUSTER_LABEL = "Argo CD cluster";
const STATE_LABEL = "Terraform state";

/**
 * The graph as a Mermaid flowchart: shared stacks at the top, one subgraph per environment with
 * its stacks in deploy order, then the edges. Solid arrows are stack dependencies (cdktf deploys
 * the arrow's tail first); an arrow labelled "Argo CD cluster" also registers the tail's cluster
 * with the GitOps hub; dotted arrows say where the Terraform state lives. The same graph always
 * renders to the same text, ending with a newline.
 */
export function renderMermaid(graph: StackGraph): string {
  const byName = new Map(graph.nodes.map((node) => [node.name, node]));
  const environmentIds = new Map(graph.environments.map((environment) => [environment, mermaidId(`environment_${environment}`)]));
  const taken = new Set(graph.nodes.map((node) => node.id));
  for (const [environment, id] of environmentIds) {
    if (taken.has(id)) {
      throw new Error(`environment ${environment} would share the diagram id ${id} with a stack`);
    }
  }
  const lines = ["flowchart TD"];
  for (const node of graph.nodes.filter((n) => n.environment === undefined)) {
    lines.push(`  ${nodeLine(node)}`);
  }
  for (const environment of graph.environments) {
    lines.push(`  subgraph ${environmentIds.get(environment)!} ["${escape(environment)}"]`);
    for (const node of graph.nodes.filter((n) => n.environment === environment)) {
      lines.push(`    ${nodeLine(node)}`);
    }
    lines.push("  end");
  }
  lines.push(...edgeLines(graph, byName, environmentIds).map((line) => `  ${line}`));
  return `${lines.join("\n")}\n`;
}

function nodeLine(node: StackNode): string {
  const title = node.roles.length > 0 ? `${node.name} (${node.roles.join(", ")})` : node.name;
  return `${node.id}["${[title, ...wrap(node.features, " · ", LABEL_WIDTH)].map(escape).join("<br/>")}"]`;
}

/** Joins items with `separator` into lines of at most `width` characters (an item longer than that gets its own line). */
export function wrap(items: readonly string[], separator: string, width: number): string[] {
  const lines: string[] = [];
  for (const item of items) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + separator.length + item.length <= width) {
      lines[lines.length - 1] = `${last}${separator}${item}`;
    } else {
      lines.push(item);
    }
  }
  return lines;
}

function edgeLines(graph: StackGraph, byName: ReadonlyMap<string, StackNode>, environmentIds: ReadonlyMap<string, string>): string[] {
  const id = (name: string) => byName.get(name)!.id;
  const kindsOf = new Map<string, Set<StackEdge["kind"]>>();
  const pairs: [string, string][] = [];
  for (const edge of graph.edges.filter((e) => e.kind !== "state")) {
    const key = `${edge.from}\u0000${edge.to}`;
    if (!kindsOf.has(key)) {
      kindsOf.set(key, new Set());
      pairs.push([edge.from, edge.to]);
    }
    kindsOf.get(key)!.add(edge.kind);
  }
  const lines = pairs.map(([from, to]) => {
    const kinds = kindsOf.get(`${from}\u0000${to}`)!;
    const arrow = kinds.has("dependency") ? "-->" : "-.->";
    return kinds.has("gitops-cluster") ? `${id(from)} ${arrow}|"${GITOPS_CLUSTER_LABEL}"| ${id(to)}` : `${id(from)} ${arrow} ${id(to)}`;
  });
  // State: one arrow to an environment whose every stack keeps its state in the same place.
  const stateEdges = graph.edges.filter((e) => e.kind === "state");
  for (const from of [...new Set(stateEdges.map((e) => e.from))]) {
    const targets = new Set(stateEdges.filter((e) => e.from === from).map((e) => e.to));
    const whole = graph.environments.filter((environment) => graph.nodes.filter((n) => n.environment === environment).every((n) => targets.has(n.name)));
    for (const environment of whole) {
      lines.push(`${id(from)} -.->|"${STATE_LABEL}"| ${environmentIds.get(environment)!}`);
    }
    for (const to of graph.nodes.filter((n) => targets.has(n.name) && (n.environment === undefined || !whole.includes(n.environment)))) {
      lines.push(`${id(from)} -.->|"${STATE_LABEL}"| ${to.id}`);
    }
  }
  return lines;
}

/** Mermaid entity codes for the characters that would end or break a quoted label. */
function escape(text: string): string {
  return text.replace(/#/g, "#35;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}
