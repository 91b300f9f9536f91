import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GUARDED_RESOURCE_TYPES } from "../../src/plan-review/guarded-resources";
import { gateVerdict, reviewedChanges, runReplacementGate, type GateResult, type StackReview } from "../../src/plan-review/replacement-gate";
import type { PlanJson } from "../../src/terraform/plan-json";
import { FIXTURE_STACKS, pinnedAwsVersion, writeGateFixture, type FixtureStack, type RecordedGatePlans } from "./gate-fixture";

/**
 * The gate's own logic — plan the base, simulate it as applied, self-check it, plan the head
 * against it, classify the changes, decide — on a two-stack fixture (gate-fixture.ts), with
 * Terraform replaced by the plans the real Terraform and provider made of that fixture
 * (recorded/gate-plans.json, `npx tsx scripts/record-gate-plans.ts`). The real gate over every
 * AWS stack of the catalogue runs in CI (`npm run gate -- --include-unchanged`, .ci/run).
 */
const recorded = JSON.parse(readFileSync(join(__dirname, "recorded", "gate-plans.json"), "utf8")) as RecordedGatePlans;

interface Call {
  readonly args: readonly string[];
  readonly cwd: string;
  /** The workspace's state file when the command ran. */
  readonly state?: { resources: { type: string; name: string; instances: { attributes: Record<string, unknown> }[] }[] };
}

/** What the fake Terraform answers to the nth `show` in a base workspace after the first (the self-check plans), per stack. */
type SelfCheckPlans = (stack: string, selfCheck: number) => unknown;

const mockTerraform = { calls: [] as Call[], selfCheck: (() => recorded.basePlans[1]) as SelfCheckPlans };

jest.mock("../../src/verification/terraform-cli", () => {
  const actual = jest.requireActual("../../src/verification/terraform-cli");
  const fs = jest.requireActual("node:fs");
  const path = jest.requireActual("node:path");
  const plans = JSON.parse(fs.readFileSync(path.join(__dirname, "recorded", "gate-plans.json"), "utf8"));
  const shown = new Map<string, number>();
  return {
    ...actual,
    terraformVersion: async () => plans.terraformVersion,
    runTerraform: async (args: string[], cwd: string) => {
      const stateFile = path.join(cwd, "terraform.tfstate");
      mockTerraform.calls.push({ args, cwd, ...(fs.existsSync(stateFile) ? { state: JSON.parse(fs.readFileSync(stateFile, "utf8")) } : {}) });
      const ok = (stdout = "") => ({ code: 0, stdout, stderr: "" });
      if (args[0] === "init") {
        fs.writeFileSync(path.join(cwd, ".terraform.lock.hcl"), "# fake lock file\n");
        return ok();
      }
      if (args[0] === "providers") {
        return ok(JSON.stringify(plans.schema));
      }
      if (args[0] === "plan") {
        return args.includes("-refresh=false") ? ok() : { code: 1, stdout: "", stderr: "Error: the gate must not refresh" };
      }
      if (args[0] === "show") {
        const [side, stack] = path.relative(path.join(cwd, "..", ".."), cwd).split(path.sep);
        if (side === "head") {
          return ok(JSON.stringify(plans.headPlans[stack]));
        }
        const count = shown.get(cwd) ?? 0;
        shown.set(cwd, count + 1);
        return ok(JSON.stringify(count === 0 ? plans.basePlans[0] : mockTerraform.selfCheck(stack, count)));
      }
      return { code: 1, stdout: "", stderr: `Error: the fake Terraform does not know ${args.join(" ")}` };
    },
  };
});

const AWS_VERSION = pinnedAwsVersion();
const root = mkdtempSync(join(tmpdir(), "gate-test-"));
const { base, head } = writeGateFixture(root, AWS_VERSION);
afterAll(() => rmSync(root, { recursive: true, force: true }));

let runs = 0;
async function gate(selfCheck: SelfCheckPlans = () => recorded.basePlans[1]): Promise<{ result: GateResult; calls: Call[] }> {
  mockTerraform.calls = [];
  mockTerraform.selfCheck = selfCheck;
  const result = await runReplacementGate({ baseOutdir: base, headOutdir: head, workRoot: join(root, `review-${runs++}`), concurrency: 2 });
  return { result, calls: mockTerraform.calls };
}

function reviewOf(result: GateResult, stack: FixtureStack): Extract<StackReview, { status: "reviewed" }> {
  const found = result.stacks.find((s) => s.stack === stack);
  if (found?.status !== "reviewed") {
    throw new Error(`${stack} was not reviewed: ${JSON.stringify(found)}`);
  }
  return found;
}

describe("the recording", () => {
  test("was made with the AWS provider the stacks pin (re-record with `npx tsx scripts/record-gate-plans.ts` after a provider upgrade)", () => {
    expect(recorded.awsVersion).toBe(AWS_VERSION);
  });

  test("is of the fixture as it is now: each head plan's configuration is the head's", () => {
    for (const stack of FIXTURE_STACKS) {
      const config = JSON.parse(readFileSync(join(head, "stacks", stack, "cdk.tf.json"), "utf8")) as { resource: Record<string, Record<string, Record<string, unknown>>> };
      const planned = (recorded.headPlans[stack] as PlanJson).configuration!.root_module.resources!;
      for (const [type, blocks] of Object.entries(config.resource)) {
        for (const [name, block] of Object.entries(blocks)) {
          const expressions = planned.find((r) => r.address === `${type}.${name}`)!.expressions as Record<string, { constant_value?: unknown }>;
          expect({ [`${type}.${name}`]: { cidr_block: expressions.cidr_block?.constant_value } }).toEqual({ [`${type}.${name}`]: { cidr_block: block.cidr_block } });
        }
      }
    }
  });
});

describe("offline replacement gate", () => {
  let result: GateResult;
  let calls: Call[];
  beforeAll(async () => ({ result, calls } = await gate()));

  test("reviews every changed stack after a self-check of its base (one plan when the simulated state already matches)", () => {
    expect(result.stacks.map((s) => `${s.stack}: ${s.status}`)).toEqual(["renumbered: reviewed", "retagged: reviewed"]);
    expect(FIXTURE_STACKS.map((s) => reviewOf(result, s).selfCheckPlans)).toEqual([1, 1]);
  });

  test("plans the head against the base's settled simulated state, never refreshing", () => {
    const plans = calls.filter((c) => c.args[0] === "plan");
    expect(plans.every((c) => c.args.includes("-refresh=false"))).toBe(true);
    for (const stack of FIXTURE_STACKS) {
      const [basePlan, selfCheck, ...rest] = plans.filter((c) => c.cwd.endsWith(join("base", stack)));
      expect(rest).toEqual([]);
      // The first base plan is against an empty state; the self-check against the simulated one.
      expect(basePlan!.state).toBeUndefined();
      const vpc = selfCheck!.state!.resources.find((r) => r.type === "aws_vpc")!.instances[0]!.attributes;
      expect(vpc).toMatchObject({ cidr_block: "10.0.0.0/16", id: expect.stringMatching(/^vpc-[0-9a-f]+$/) });
      const headPlan = plans.find((c) => c.cwd.endsWith(join("head", stack)))!;
      expect(headPlan.state).toEqual(selfCheck!.state);
      expect(existsSync(join(headPlan.cwd, "review-plan.json"))).toBe(true);
    }
  });

  test("a tag change plans in place, replacing nothing and blocking nothing", () => {
    const { changes, counts } = reviewOf(result, "retagged");
    expect(counts).toEqual({ create: 0, update: 1, replace: 0, delete: 0 });
    expect(changes).toEqual([{ address: "aws_subnet.a", type: "aws_subnet", kind: "update", forcedBy: [] }]);
    expect(result.blocking.some((c) => c.stack === "retagged")).toBe(false);
  });

  test("a new CIDR block is caught as a replacement of the VPC, forced by cidr_block, and of its subnet", () => {
    const { changes, counts } = reviewOf(result, "renumbered");
    expect(counts).toEqual({ create: 0, update: 0, replace: 2, delete: 0 });
    expect(changes).toEqual(
      expect.arrayContaining([
        { address: "aws_vpc.main", type: "aws_vpc", kind: "replace", forcedBy: ["cidr_block"], loses: GUARDED_RESOURCE_TYPES.aws_vpc },
        expect.objectContaining({ address: "aws_subnet.a", kind: "replace", forcedBy: expect.arrayContaining(["cidr_block"]) }),
      ]),
    );
  });

  test("fails on an unapproved guarded replacement and passes once approved", () => {
    expect(result.passed).toBe(false);
    expect(result.blocking.map((c) => `${c.stack} ${c.address} ${c.kind}`)).toEqual(["renumbered aws_vpc.main replace"]);
    expect(gateVerdict(result.stacks, true)).toEqual(expect.objectContaining({ approved: true, passed: true, blocking: result.blocking }));
  });
});

describe("the self-check", () => {
  test("folds what Terraform still plans into the simulated state and plans again until nothing changes", async () => {
    // GIVEN a base whose first self-check plan still updates the subnet's tags (as the retagged head does)
    const { result, calls } = await gate((_stack, selfCheck) => (selfCheck === 1 ? recorded.headPlans.retagged : recorded.basePlans[1]));
    // THEN the second self-check plan ran against a state holding the planned tags, and the stack is reviewed
    expect(FIXTURE_STACKS.map((s) => reviewOf(result, s).selfCheckPlans)).toEqual([2, 2]);
    const secondSelfCheck = calls.filter((c) => c.args[0] === "plan" && c.cwd.endsWith(join("base", "retagged")))[2]!;
    const subnet = secondSelfCheck.state!.resources.find((r) => r.type === "aws_subnet")!.instances[0]!.attributes;
    expect(subnet.tags).toEqual({ Name: "gate-fixture-a-renamed" });
  });

  test("fails the stack when the base never stops planning changes against its own simulated state", async () => {
    const { result } = await gate((stack) => (stack === "renumbered" ? recorded.headPlans.renumbered : recorded.basePlans[1]));
    expect(result.stacks.find((s) => s.stack === "renumbered")).toEqual({
      stack: "renumbered",
      status: "failed",
      step: "self-check",
      message: expect.stringMatching(/^the configuration still plans 2 change\(s\) against its simulated state after 4 plans: .*replace aws_vpc\.main \(cidr_block\)/),
    });
    expect(result.passed).toBe(false);
    expect(gateVerdict(result.stacks, true).passed).toBe(false);
  });
});

describe("what blocks", () => {
  const replacement = recorded.headPlans.renumbered as PlanJson;
  test.each(["aws_vpc", "aws_eks_cluster", "aws_rds_global_cluster", "aws_rds_cluster", "aws_dynamodb_table", "aws_kms_key", "aws_s3_bucket"])("replacing or deleting a %s blocks", (type) => {
    for (const actions of [["delete", "create"], ["create", "delete"], ["delete"]]) {
      const plan = { ...replacement, resource_changes: replacement.resource_changes!.map((c) => (c.type === "aws_vpc" ? { ...c, type, change: { ...c.change, actions } } : c)) } as PlanJson;
      const changes = reviewedChanges(plan);
      const stacks: StackReview[] = [{ stack: "s", status: "reviewed", counts: { create: 0, update: 0, replace: 0, delete: 0 }, changes, selfCheckPlans: 1, seconds: 0 }];
      expect(gateVerdict(stacks, false).blocking.map((c) => c.type)).toEqual([type]);
    }
  });

  test("an update whose values do not change at all is left out (a re-sent write-only value)", () => {
    const update = (recorded.headPlans.retagged as PlanJson).resource_changes!.find((c) => c.address === "aws_subnet.a")!;
    const invisible = { ...update, change: { ...update.change, after: update.change.before, after_unknown: {} } };
    expect(reviewedChanges({ ...(recorded.headPlans.retagged as PlanJson), resource_changes: [invisible] })).toEqual([]);
  });
});

