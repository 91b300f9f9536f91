import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { globalDatabaseStackName, platformStackName, regionalStackName, STATE_BOOTSTRAP_STACK } from "../../src/config/naming";
import { renderMermaid, wrap } from "../../src/graph/mermaid";
import { GRAPH_BLOCK } from "../../src/graph/graph-block";

const { start: GRAPH_START, end: GRAPH_END } = GRAPH_BLOCK;
const graphBlock = GRAPH_BLOCK.block;
const currentGraphBlock = GRAPH_BLOCK.current;
const withGraphBlock = GRAPH_BLOCK.replace;
import { describeStack } from "../../src/graph/resource-labels";
import { buildStackGraph, mermaidId, readStackGraph, type StackGraph } from "../../src/graph/stack-graph";
import { readSynthesizedStacks, type SynthesizedStack, type TerraformJson } from "../../src/verification/synthesized-stacks";
import { BUILT_IN_SYNTH_DIR_VARIABLE, validCatalogue } from "../helpers";
import { GRAPH_COMMAND } from "../../scripts/graph";
import { runCapturing } from "../docs/run-marked-block-command";

const ROOT = resolve(__dirname, "..", "..");

/** The built-in catalogue, synthesized once by the jest global setup. */
function builtInSynthDir(): string {
  const dir = process.env[BUILT_IN_SYNTH_DIR_VARIABLE];
  if (!dir) {
    throw new Error(`${BUILT_IN_SYNTH_DIR_VARIABLE} is not set: run the tests with jest's global setup (npx jest)`);
  }
  return dir;
}

const catalogue = validCatalogue();
const stacks = readSynthesizedStacks(builtInSynthDir());
const graph = readStackGraph(builtInSynthDir());
const node = (name: string) => graph.nodes.find((n) => n.name === name)!;
const edgesOf = (kind: string) => graph.edges.filter((e) => e.kind === kind);
const countOf = (stack: SynthesizedStack, type: string) => Object.keys(stack.config.resource?.[type] ?? {}).length;

/** A synthesized stack made up for a test. */
function fakeStack(name: string, config: TerraformJson, dependencies: string[] = []): SynthesizedStack {
  return { name, directory: `/nowhere/${name}`, config, providers: Object.keys(config.terraform?.required_providers ?? {}), dependencies };
}
const s3Backend = (key: string, bucket = "state") => ({ backend: { s3: { bucket, key } } });
const resources = (type: string, n: number, block: Record<string, unknown> = {}) => ({ [type]: Object.fromEntries(Array.from({ length: n }, (_, i) => [`${type}_${i}`, block])) });

describe("the stack graph of the built-in catalogue", () => {
  test("every synthesized stack is a node, once", () => {
    expect(graph.nodes.map((n) => n.name).sort()).toEqual(stacks.map((s) => s.name).sort());
    expect(new Set(graph.nodes.map((n) => n.id)).size).toBe(graph.nodes.length);
  });

  test("every manifest dependency is a dependency edge, and there are no others", () => {
    const expected = stacks.flatMap((s) => s.dependencies.map((d) => `${d} -> ${s.name}`)).sort();
    expect(expected.length).toBeGreaterThan(10);
    expect(edgesOf("dependency").map((e) => `${e.from} -> ${e.to}`).sort()).toEqual(expected);
  });

  test("nodes are in deploy order: every edge leads from an earlier stack to a later one", () => {
    const index = new Map(graph.nodes.map((n, i) => [n.name, i]));
    for (const edge of graph.edges) {
      expect([edge.from, index.get(edge.from)! < index.get(edge.to)!]).toEqual([edge.from, true]);
    }
    expect(graph.nodes[0]!.name).toBe(STATE_BOOTSTRAP_STACK);
  });

  test("each environment's stacks are in its subgraph; the state bootstrap is shared", () => {
    expect([...graph.environments].sort()).toEqual(catalogue.environments.map((e) => e.name).sort());
    expect(node(STATE_BOOTSTRAP_STACK).environment).toBeUndefined();
    for (const n of graph.nodes.filter((x) => x.name !== STATE_BOOTSTRAP_STACK)) {
      expect([n.name, n.environment && n.name.startsWith(`${n.environment}-`)]).toEqual([n.name, true]);
    }
  });

  test("the GitOps hub's platform stack has an Argo CD cluster edge from the regional stack of every cluster it registers", () => {
    const hub = platformStackName(catalogue.gitopsHub.environment, catalogue.gitopsHub.region);
    const clusters = catalogue.environments.flatMap((env) => env.regions.map((r) => regionalStackName(env.name, r.region)));
    expect(edgesOf("gitops-cluster").map((e) => `${e.from} -> ${e.to}`).sort()).toEqual(clusters.map((c) => `${c} -> ${hub}`).sort());
    expect(node(hub).roles).toEqual(["GitOps hub"]);
    expect(node(hub).features).toContain(`${clusters.length} Argo CD clusters`);
  });

  test("the state bootstrap precedes every stack that keeps its state in its bucket", () => {
    const withS3State = stacks.filter((s) => s.config.terraform?.backend?.s3 !== undefined).map((s) => s.name);
    expect(withS3State.length).toBe(stacks.length - 1);
    expect(edgesOf("state").map((e) => `${e.from} -> ${e.to}`).sort()).toEqual(withS3State.map((name) => `${STATE_BOOTSTRAP_STACK} -> ${name}`).sort());
  });

  test("labels derive from the resource types of each stack, counted", () => {
    for (const env of catalogue.environments) {
      for (const { region } of env.regions) {
        const stack = stacks.find((s) => s.name === regionalStackName(env.name, region))!;
        const groups = countOf(stack, "aws_eks_node_group");
        const nats = countOf(stack, "aws_nat_gateway");
        const role = region === env.primaryRegion ? "writer" : "reader";
        expect(node(stack.name).roles).toEqual([role]);
        expect(node(stack.name).features).toEqual(
          expect.arrayContaining(["VPC", "EKS", "NLB", nats === 1 ? "NAT gateway" : `${nats} NAT gateways`, `${groups} node groups`, `Aurora ${role} (${countOf(stack, "aws_rds_cluster_instance")} instances)`]),
        );
      }
      expect(node(globalDatabaseStackName(env.name)).features).toEqual(expect.arrayContaining(["Aurora global cluster", "multi-Region KMS key"]));
    }
    const autoscalers = catalogue.environments.map((env) => [env.name, node(platformStackName(env.name, env.secondaryRegion)).features.filter((f) => /Karpenter|Cluster Autoscaler/.test(f))]);
    expect(autoscalers).toEqual(catalogue.environments.map((env) => [env.name, [env.cluster.autoscaler === "karpenter" ? "Karpenter" : "Cluster Autoscaler"]]));
  });
});

describe("labels from resource types", () => {
  test("a table row per type, singular or counted, in the table's order; unknown types show nothing", () => {
    const { features, roles } = describeStack({
      resource: { ...resources("aws_eks_node_group", 3), ...resources("aws_vpc", 1), ...resources("aws_made_up_thing", 4), ...resources("aws_lb", 2, { load_balancer_type: "network" }) },
    });
    expect(features).toEqual(["VPC", "3 node groups", "2 NLBs"]);
    expect(roles).toEqual([]);
    expect(describeStack({ resource: resources("aws_eks_node_group", 1) }).features).toEqual(["node group"]);
    expect(describeStack({ resource: resources("aws_made_up_thing", 1) }).features).toEqual([]);
  });

  test("Aurora members are writer or reader by source_region; only multi-Region keys and remote charts appear", () => {
    expect(describeStack({ resource: { ...resources("aws_rds_cluster", 1, { global_cluster_identifier: "g", source_region: "us-east-1" }), ...resources("aws_rds_cluster_instance", 3) } })).toEqual({
      roles: ["reader"],
      features: ["Aurora reader (3 instances)"],
    });
    expect(describeStack({ resource: resources("aws_rds_cluster", 1, { global_cluster_identifier: "g" }) }).roles).toEqual(["writer"]);
    expect(describeStack({ resource: resources("aws_kms_key", 2) }).features).toEqual([]);
    expect(describeStack({ resource: resources("aws_kms_key", 2, { multi_region: true }) }).features).toEqual(["2 multi-Region KMS keys"]);
    const helm = {
      helm_release: {
        a: { chart: "argo-cd", repository: "https://argoproj.github.io/argo-helm" },
        b: { chart: "assets/platform-manifests-chart/X" },
        c: { chart: "zz-new-chart", repository: "oci://example" },
        d: { chart: "karpenter", repository: "oci://public.ecr.aws/karpenter" },
      },
    };
    expect(describeStack({ resource: helm }).features).toEqual(["Karpenter", "Argo CD", "zz-new-chart"]);
  });
});

describe("building the graph", () => {
  const made = [
    fakeStack("shared-state", { terraform: {}, resource: resources("aws_s3_bucket", 1, { bucket: "state" }), provider: { aws: [{ default_tags: [{ tags: { environment: "shared" } }] }] } }),
    fakeStack("dev-network", { terraform: s3Backend("p/dev/dev-network.tfstate"), resource: resources("aws_vpc", 1) }),
    fakeStack("dev-app", { terraform: s3Backend("p/dev/dev-app.tfstate") }, ["dev-network"]),
    fakeStack("tagged", { terraform: { backend: { local: {} } }, provider: { aws: [{ default_tags: [{ tags: { environment: "qa" } }] }] } }),
  ];

  test("environments come from the state key, else the AWS default tags; shared stacks have none", () => {
    const g = buildStackGraph(made);
    expect(Object.fromEntries(g.nodes.map((n) => [n.name, n.environment]))).toEqual({ "shared-state": undefined, "dev-network": "dev", "dev-app": "dev", tagged: "qa" });
    expect(g.edges).toEqual([
      { from: "shared-state", to: "dev-network", kind: "state" },
      { from: "shared-state", to: "dev-app", kind: "state" },
      { from: "dev-network", to: "dev-app", kind: "dependency" },
    ]);
  });

  test("a dependency on a stack that is not there, a cycle, or two stacks with one diagram id fail loudly", () => {
    expect(() => buildStackGraph([fakeStack("a", {}, ["ghost"])])).toThrow(/a depends on ghost/);
    expect(() => buildStackGraph([fakeStack("a", {}, ["b"]), fakeStack("b", {}, ["a"])])).toThrow(/cycle: a, b/);
    expect(() => buildStackGraph([fakeStack("a-b", {}), fakeStack("a_b", {})])).toThrow(/share the diagram id a_b/);
  });

  test("ids are Mermaid-safe", () => {
    expect(mermaidId("production-regional-us-east-1")).toBe("production_regional_us_east_1");
    expect(mermaidId("end")).toBe("n_end");
    expect(mermaidId("1st")).toBe("n_1st");
  });
});

describe("the Mermaid rendering", () => {
  const text = renderMermaid(graph);

  test("is byte-identical across runs and whatever order the manifest lists the stacks in", () => {
    const shuffled = [...stacks].reverse().map((s) => ({ ...s, dependencies: [...s.dependencies].reverse() }));
    expect(renderMermaid(buildStackGraph(shuffled))).toBe(text);
    expect(renderMermaid(readStackGraph(builtInSynthDir()))).toBe(text);
  });

  test("declares every node once, inside its environment's subgraph, and every edge joins declared ids", () => {
    const declared = [...text.matchAll(/^\s*([A-Za-z][A-Za-z0-9_]*)\["/gm)].map((m) => m[1]!);
    expect(declared.sort()).toEqual(graph.nodes.map((n) => n.id).sort());
    const subgraphs = [...text.matchAll(/^ {2}subgraph (\S+) \["([^"]+)"\]$/gm)].map((m) => [m[1], m[2]]);
    expect(subgraphs).toEqual(graph.environments.map((env) => [`environment_${env}`, env]));
    const known = new Set([...declared, ...subgraphs.map(([id]) => id)]);
    const edges = [...text.matchAll(/^ {2}(\S+) (-->|-\.->)(\|"[^"]+"\|)? (\S+)$/gm)];
    expect(edges.length).toBeGreaterThan(0);
    for (const edge of edges) {
      expect([edge[1], edge[4]].filter((id) => !known.has(id!))).toEqual([]);
    }
    expect(text.split("\n").filter((line) => /\S/.test(line) && !/^(flowchart TD|\s+end|\s+subgraph |\s+\S+\[")/.test(line)).length).toBe(edges.length);
  });

  test("escapes what would break a quoted label, and wraps features", () => {
    const g: StackGraph = { nodes: [{ id: "x", name: 'say "hi" <b>#1', environment: undefined, roles: [], features: [] }], edges: [], environments: [] };
    expect(renderMermaid(g)).toBe('flowchart TD\n  x["say #quot;hi#quot; #lt;b#gt;#35;1"]\n');
    expect(wrap(["aaaa", "bb", "cc", "dddddddddd"], " · ", 10)).toEqual(["aaaa · bb", "cc", "dddddddddd"]);
  });
});

describe("docs/stacks.md", () => {
  test("its stack graph is what the built-in catalogue synthesizes (else run `npm run graph`)", () => {
    const page = readFileSync(join(ROOT, "docs", "stacks.md"), "utf8");
    const expected = graphBlock(renderMermaid(graph));
    if (currentGraphBlock(page) !== expected) {
      throw new Error(
        `docs/stacks.md's stack graph (between ${GRAPH_START} and ${GRAPH_END}) is out of date: run \`npm run graph\` and commit docs/stacks.md.\n` +
          `expected:\n${expected}`,
      );
    }
  });

  test("the block is replaced between the markers and nothing else changes; missing markers fail", () => {
    const before = `# x\n\ntext\n${GRAPH_START}\nold\n${GRAPH_END}\nafter\n`;
    expect(withGraphBlock(before, "flowchart TD\n")).toBe(`# x\n\ntext\n${GRAPH_START}\n\`\`\`mermaid\nflowchart TD\n\`\`\`\n${GRAPH_END}\nafter\n`);
    expect(() => currentGraphBlock("# no markers\n")).toThrow(/must contain/);
    expect(() => currentGraphBlock(`${GRAPH_END}\n${GRAPH_START}\n`)).toThrow(/must contain/);
  });
});

describe("npm run graph (scripts/graph.ts)", () => {
  // Its modes, exit codes and messages are runMarkedBlockCommand's (__tests__/docs/marked-block-command.test.ts);
  // here its command in-process, and the script once as `npm run graph` runs it.
  const run = (...args: string[]) => spawnSync(process.execPath, [require.resolve("tsx/cli"), join(ROOT, "scripts", "graph.ts"), ...args], { cwd: ROOT, encoding: "utf8" });
  const staleReadme = () => {
    const readme = join(dir, `README-${Math.random().toString(36).slice(2)}.md`);
    writeFileSync(readme, `# t\n${GRAPH_START}\n\`\`\`mermaid\nflowchart TD\n  stale\n\`\`\`\n${GRAPH_END}\ntail\n`);
    return readme;
  };
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "graph-readme-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("--check --outdir <synth> --doc <file> exits 1 on a stale block and names the fix", async () => {
    const readme = staleReadme();
    const stale = await runCapturing(GRAPH_COMMAND, "--check", "--outdir", builtInSynthDir(), "--doc", readme);
    expect(stale).toEqual({ code: 1, stdout: "", stderr: `${readme}: the stack graph is out of date; run \`npm run graph\` and commit the result\n` });
  });

  test("its default document is docs/stacks.md", () => {
    expect(GRAPH_COMMAND.defaultDocument).toBe(join(ROOT, "docs", "stacks.md"));
  });

  test("without --outdir it synthesizes the built-in catalogue itself and draws what the shared synth draws", async () => {
    // withFreshSynth switches to lean traces (process-wide): keep this file's own formatter.
    const format = Error.prepareStackTrace;
    try {
      expect(await GRAPH_COMMAND.render(undefined)).toBe(renderMermaid(graph));
    } finally {
      Error.prepareStackTrace = format;
    }
  }, 60_000);

  test("as `npm run graph` runs it, the script rewrites the block it is given", () => {
    const readme = staleReadme();
    const written = run("--outdir", builtInSynthDir(), "--doc", readme);
    expect(written.stderr).toBe("");
    expect(written.status).toBe(0);
    expect(readFileSync(readme, "utf8")).toBe(`# t\n${GRAPH_START}${graphBlock(renderMermaid(graph))}${GRAPH_END}\ntail\n`);
  }, 60_000);
});
