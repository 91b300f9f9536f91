import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gateVerdict, runReplacementGate, type GateResult, type StackReview } from "../../src/plan-review/replacement-gate";
import { buildPlatformApp } from "../../stacks/platform-app";
import { BUILT_IN_SYNTH_DIR_VARIABLE, validCatalogue } from "../helpers";

/**
 * The gate against real Terraform and the real provider, offline. The base is the built-in
 * catalogue; the head changes four stacks at once (each reviewed on its own):
 * - staging-regional-us-east-1: the system node group's size (min 2 → 3, max 6 → 8);
 * - staging-regional-us-west-2: the same, and its VPC CIDR (10.65.0.0/16 → 10.66.0.0/16);
 * - production-regional-eu-west-1: the EKS cluster's name;
 * - production-global-database: `storage_encrypted` on the global cluster.
 * Several minutes of planning: one gate run serves every assertion.
 */
const STACKS = ["staging-regional-us-east-1", "staging-regional-us-west-2", "production-regional-eu-west-1", "production-global-database"];

let result: GateResult;
let approved: GateResult;
const work = mkdtempSync(join(tmpdir(), "gate-test-"));

function review(stack: string): Extract<StackReview, { status: "reviewed" }> {
  const found = result.stacks.find((s) => s.stack === stack);
  if (found?.status !== "reviewed") {
    throw new Error(`${stack} was not reviewed: ${JSON.stringify(found)}`);
  }
  return found;
}

function editStack(outdir: string, stack: string, edit: (config: { resource: Record<string, Record<string, Record<string, unknown>>> }) => void): void {
  const file = join(outdir, "stacks", stack, "cdk.tf.json");
  const config = JSON.parse(readFileSync(file, "utf8"));
  edit(config);
  writeFileSync(file, JSON.stringify(config, null, 2));
}

beforeAll(async () => {
  // GIVEN the built-in catalogue as base, and a head with the four changes
  const base = process.env[BUILT_IN_SYNTH_DIR_VARIABLE]!;
  const changed = join(work, "changed");
  buildPlatformApp(
    validCatalogue((raw) => {
      const staging = raw.environments[0]!;
      Object.assign(staging.nodeGroups[0]!, { minSize: 3, maxSize: 8 });
      staging.regions[1]!.vpcCidr = "10.66.0.0/16";
    }),
    { outdir: changed },
  ).synth();
  const head = join(work, "head");
  cpSync(base, head, { recursive: true });
  for (const stack of ["staging-regional-us-east-1", "staging-regional-us-west-2"]) {
    cpSync(join(changed, "stacks", stack, "cdk.tf.json"), join(head, "stacks", stack, "cdk.tf.json"));
  }
  editStack(head, "production-regional-eu-west-1", (config) => {
    const [cluster] = Object.values(config.resource.aws_eks_cluster!);
    cluster!.name = "meridian-production-eu-west-1-renamed";
  });
  editStack(head, "production-global-database", (config) => {
    const [globalCluster] = Object.values(config.resource.aws_rds_global_cluster!);
    globalCluster!.storage_encrypted = false;
  });
  // WHEN the gate reviews them
  result = await runReplacementGate({ baseOutdir: base, headOutdir: head, workRoot: join(work, "review"), stacks: STACKS });
  approved = gateVerdict(result.stacks, true);
}, 900_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("offline replacement gate", () => {
  test("every changed stack passes the self-check (a stack whose base still plans changes against its simulated state fails instead)", () => {
    expect(result.stacks.map((s) => `${s.stack}: ${s.status}`)).toEqual(STACKS.map((s) => `${s}: reviewed`).sort());
    for (const stack of STACKS) {
      expect(review(stack).selfCheckPlans).toBeLessThanOrEqual(4);
    }
  });

  test("changing a node group's size plans in place, replacing nothing", () => {
    const { changes, counts } = review("staging-regional-us-east-1");
    expect(counts).toEqual({ create: 0, update: 1, replace: 0, delete: 0 });
    expect(changes).toEqual([expect.objectContaining({ type: "aws_eks_node_group", kind: "update", forcedBy: [] })]);
  });

  test("changing the VPC CIDR is caught as a replacement of the VPC, forced by cidr_block, and of every subnet", () => {
    const { changes } = review("staging-regional-us-west-2");
    expect(changes).toEqual(expect.arrayContaining([expect.objectContaining({ type: "aws_vpc", kind: "replace", forcedBy: ["cidr_block"] })]));
    const subnets = changes.filter((c) => c.type === "aws_subnet");
    expect(subnets).toHaveLength(9);
    expect(subnets.every((c) => c.kind === "replace" && c.forcedBy.includes("cidr_block"))).toBe(true);
    expect(result.blocking.filter((c) => c.stack === "staging-regional-us-west-2").map((c) => c.type)).toContain("aws_vpc");
  });

  test("changing the cluster name is caught as a replacement of the EKS cluster, forced by name", () => {
    const cluster = review("production-regional-eu-west-1").changes.find((c) => c.type === "aws_eks_cluster");
    expect(cluster).toEqual(expect.objectContaining({ kind: "replace", forcedBy: ["name"], loses: expect.stringMatching(/EKS cluster/) }));
  });

  test("changing storage_encrypted is caught as a replacement of the global cluster, forced by storage_encrypted", () => {
    const { changes } = review("production-global-database");
    expect(changes).toEqual([expect.objectContaining({ type: "aws_rds_global_cluster", kind: "replace", forcedBy: ["storage_encrypted"] })]);
  });

  test("fails on unapproved guarded replacements and passes once approved", () => {
    expect(result.passed).toBe(false);
    expect(result.blocking.map((c) => `${c.stack} ${c.type}`)).toEqual(expect.arrayContaining(["production-global-database aws_rds_global_cluster", "production-regional-eu-west-1 aws_eks_cluster"]));
    expect(result.blocking.some((c) => c.stack === "staging-regional-us-east-1")).toBe(false);
    expect(approved).toEqual(expect.objectContaining({ approved: true, passed: true, blocking: result.blocking }));
  });
});
