import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUILT_IN_CATALOGUE } from "../../src/config/catalogue";
import { loadCatalogue } from "../../src/config/load";
import { REGION_DOWN_BLOCK, regionDownMap, renderRegionDownMarkdown, stackDependencies } from "../../src/operations/region-evacuation/region-down-map";

const { start: REGION_DOWN_START, end: REGION_DOWN_END } = REGION_DOWN_BLOCK;
import { readSynthesizedStacks } from "../../src/verification/synthesized-stacks";
import { BUILT_IN_SYNTH_DIR_VARIABLE } from "../helpers";
import { REGION_DOWN_COMMAND } from "../../scripts/region-down";
import { runCapturing } from "../docs/run-marked-block-command";

const ROOT = join(__dirname, "..", "..");
const outdir = () => process.env[BUILT_IN_SYNTH_DIR_VARIABLE]!;
const catalogue = loadCatalogue(structuredClone(BUILT_IN_CATALOGUE)).catalogue;
const stacks = readSynthesizedStacks(outdir());
const sections = regionDownMap(stacks, catalogue);
const section = (environment: string, down: string) => sections.find((s) => s.environment === environment && s.downRegion === down)!;
const verdictOf = (environment: string, down: string, stack: string) => section(environment, down).stacks.find((s) => s.stack === stack)!.verdict;
const operation = (environment: string, down: string, prefix: string) => section(environment, down).operations.find((o) => o.operation.startsWith(prefix))!.verdict;

describe("the region-down map of the built-in catalogue", () => {
  test("one section per environment and region, each listing the environment's stacks and the shared ones", () => {
    expect(sections.map((s) => `${s.environment}/${s.downRegion}`)).toEqual(["staging/us-east-1", "staging/us-west-2", "production/us-east-1", "production/eu-west-1"]);
    expect(section("production", "eu-west-1").stacks.map((s) => s.stack)).toContain("state-bootstrap");
    expect(section("production", "eu-west-1").stacks.map((s) => s.stack)).not.toContain("staging-edge");
  });

  test("a stack's needs come from its providers, its resources' global services and the cluster its Kubernetes provider reaches", () => {
    const byName = new Map(stacks.map((s) => [s.name, s]));
    expect(stackDependencies(byName.get("production-edge")!)).toEqual([
      { service: "AWS regional APIs", region: "us-east-1" },
      { service: "Global Accelerator", region: "us-west-2" },
      { service: "Route 53", region: "us-east-1" },
    ]);
    expect(stackDependencies(byName.get("production-platform-eu-west-1")!)).toEqual([{ service: "Kubernetes API of meridian-production-eu-west-1", region: "eu-west-1" }]);
    expect(stackDependencies(byName.get("production-regional-eu-west-1")!)).toEqual([
      { service: "AWS regional APIs", region: "eu-west-1" },
      { service: "IAM", region: "us-east-1" },
    ]);
  });

  test("with the state region down a stack that needs nothing there is applied through the replica", () => {
    expect(verdictOf("production", "us-east-1", "production-platform-eu-west-1")).toBe(
      "yes, with `STATE_SITE=replica`: meridian-tfstate-111111111111-us-west-2 and the lock table's replica in us-west-2",
    );
    expect(verdictOf("production", "us-east-1", "production-regional-eu-west-1")).toBe("no: needs IAM in us-east-1");
    expect(verdictOf("production", "eu-west-1", "production-regional-us-east-1")).toBe("yes");
  });

  test("the evacuation's dependencies: Global Accelerator's control plane in us-west-2, Route 53's in us-east-1, the GitOps hub's region", () => {
    expect(operation("staging", "us-west-2", "`npm run evacuate")).toContain("traffic: NO dial change (Global Accelerator's control plane is in us-west-2)");
    expect(operation("staging", "us-east-1", "`npm run evacuate")).toContain("traffic: Global Accelerator in us-west-2");
    expect(operation("production", "us-east-1", "`npm run evacuate")).toContain("latency records: no change possible (Route 53's control plane is in us-east-1)");
    expect(operation("production", "us-east-1", "GitOps")).toBe("no: the hub runs in production us-east-1; no cluster syncs, running workloads are unaffected");
    expect(operation("production", "eu-west-1", "GitOps")).toBe("yes: the hub runs in production us-east-1");
    expect(operation("production", "us-east-1", "Aurora master secret")).toContain("from the replica secret and the replica key in eu-west-1");
  });
});

describe("docs/region-down.md", () => {
  test("its map is what the built-in catalogue synthesizes (else run `npm run region-down`)", () => {
    const document = readFileSync(join(ROOT, "docs", "region-down.md"), "utf8");
    const expected = REGION_DOWN_BLOCK.block(renderRegionDownMarkdown(sections));
    if (REGION_DOWN_BLOCK.current(document) !== expected) {
      throw new Error(`docs/region-down.md's map (between ${REGION_DOWN_START} and ${REGION_DOWN_END}) is out of date: run \`npm run region-down\` and commit it.\nexpected:\n${expected}`);
    }
  });

  test("npm run region-down -- --check --outdir <synth> --doc <file> fails on a stale page and names the fix", async () => {
    // The modes themselves are runMarkedBlockCommand's (__tests__/docs/marked-block-command.test.ts),
    // the script's glue runMarkedBlockScript's (run as a script by graph.test.ts); this is its command.
    const doc = join(mkdtempSync(join(tmpdir(), "region-down-")), "region-down.md");
    writeFileSync(doc, `# t\n${REGION_DOWN_START}\nstale\n${REGION_DOWN_END}\n`);
    const stale = await runCapturing(REGION_DOWN_COMMAND, "--check", "--outdir", outdir(), "--doc", doc);
    expect(stale).toEqual({ code: 1, stdout: "", stderr: `${doc}: the region-down map is out of date; run \`npm run region-down\` and commit the result\n` });
    expect(await runCapturing(REGION_DOWN_COMMAND, "--outdir", outdir(), "--doc", doc)).toMatchObject({ code: 0 });
    expect(REGION_DOWN_BLOCK.current(readFileSync(doc, "utf8"))).toBe(REGION_DOWN_BLOCK.block(renderRegionDownMarkdown(sections)));
    expect(REGION_DOWN_COMMAND.defaultDocument).toBe(join(ROOT, "docs", "region-down.md"));
  });
});
