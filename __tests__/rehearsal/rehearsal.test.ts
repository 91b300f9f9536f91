import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUILT_IN_CATALOGUE } from "../../src/config/catalogue";
import { deployChange, failuresOf, judgeDeletesAsMoves, type RehearsalStep, type World } from "../../src/rehearsal/rehearsal";
import { addEnvironment, deployOrder, firstDeploy, grantsOf, principalFor, teardown, type RehearsalContext } from "../../src/rehearsal/scenarios";
import { readSynthesizedStacks, type SynthesizedStack } from "../../src/verification/synthesized-stacks";
import { BUILT_IN_SYNTH_DIR_VARIABLE, validCatalogue } from "../helpers";

/**
 * The deploy rehearsal without Terraform (no plan engine): the checks that fail before any plan —
 * order, reads, outputs, reachability of the state — on the built-in catalogue broken on purpose.
 * `npm run rehearse` plans the AWS stacks too; docs/rehearsal.md shows its report.
 */
const catalogue = validCatalogue();
const builtIn = readSynthesizedStacks(process.env[BUILT_IN_SYNTH_DIR_VARIABLE]!);
type Mutable = { config: Record<string, Record<string, Record<string, unknown>>> };

/** The built-in synth with `mutate` applied to a deep copy of one stack's configuration. */
function withStack(name: string, mutate: (config: Mutable["config"]) => void): SynthesizedStack[] {
  return builtIn.map((stack) => {
    if (stack.name !== name) {
      return stack;
    }
    const config = structuredClone(stack.config) as unknown as Mutable["config"];
    mutate(config);
    return { ...stack, config: config as unknown as SynthesizedStack["config"] };
  });
}

async function rehearseFirstDeploy(stacks: readonly SynthesizedStack[], world: World = new Map()) {
  return deployChange(world, { label: "test", stacks, order: deployOrder(stacks, catalogue), principalOf: principalFor(catalogue), grants: grantsOf(catalogue, stacks), workRoot: join(tmpdir(), "unused") });
}

const failuresFor = (failures: readonly string[], stack: string) => failures.filter((f) => f.startsWith(`${stack}: `));

describe("deploy order", () => {
  test("deploy.yml's: the bootstrap, each environment's AWS stacks in catalogue order, the hub network, the hub links, the platform stacks (the hub's environment last)", () => {
    const order = deployOrder(builtIn, catalogue).map((o) => o.stack);
    expect(order.slice(0, 6)).toEqual(["state-bootstrap", "staging-global-database", "staging-regional-us-east-1", "staging-regional-us-west-2", "staging-edge", "production-global-database"]);
    expect(order.indexOf("production-regional-us-east-1")).toBeLessThan(order.indexOf("production-regional-eu-west-1"));
    expect(order.indexOf("production-edge")).toBeLessThan(order.indexOf("production-hub-network"));
    expect(order.indexOf("production-hub-network")).toBeLessThan(order.indexOf("staging-hub-link-us-east-1"));
    expect(order.slice(-2)).toEqual(["production-platform-eu-west-1", "production-platform-us-east-1"]);
    expect([...order].sort()).toEqual(builtIn.map((s) => s.name).sort());
  });

  test("the built-in catalogue: every read is of a stack deployed before it, with the outputs it reads", async () => {
    const result = await rehearseFirstDeploy(builtIn);
    // Reads, outputs and the state roles (state-bootstrap's writer and reader per environment) all check out.
    expect(failuresOf(result)).toEqual([]);
    const hubNetwork = result.steps.find((s) => s.stack === "production-hub-network")!;
    expect(hubNetwork.reads.map((r) => r.producer).sort()).toEqual(["production-regional-eu-west-1", "production-regional-us-east-1", "staging-regional-us-east-1", "staging-regional-us-west-2"]);
    // Platform stacks are never planned here, and the report says why.
    expect(result.steps.filter((s) => s.notPlannable !== undefined).map((s) => s.stack).sort()).toEqual(builtIn.filter((s) => s.name.includes("-platform-")).map((s) => s.name).sort());
  });
});

describe("broken on purpose, the rehearsal fails for the right reason", () => {
  test("a consumer ordered before its producer: staging's regional stack reads production's", async () => {
    const stacks = withStack("staging-regional-us-east-1", (config) => {
      config.data!.terraform_remote_state!.production = { backend: "s3", config: { bucket: "meridian-tfstate-111111111111", key: "meridian/production/production-regional-us-east-1.tfstate", region: "us-east-1" } };
      config.output!.peer_vpc = { value: "${data.terraform_remote_state.production.outputs.vpc_id}" };
    });
    const failures = failuresOf(await rehearseFirstDeploy(stacks));
    expect(failures).toEqual([
      expect.stringMatching(/^staging-regional-us-east-1: reads data\.terraform_remote_state\.production from production-regional-us-east-1, which is deployed after it \(step 7 of the order, this is step 3\): its state does not exist yet$/),
    ]);
  });

  test("a read of an output the producer does not have", async () => {
    const stacks = withStack("production-hub-network", (config) => {
      const peering = Object.values(config.resource!.aws_vpc_peering_connection!)[0] as Record<string, unknown>;
      peering.vpc_id = "${data.terraform_remote_state.regional-production-us-east-1.outputs.hub_vpc_id}";
    });
    const failures = failuresOf(await rehearseFirstDeploy(stacks));
    expect(failures).toEqual([expect.stringMatching(/^production-hub-network: reads output hub_vpc_id of production-regional-us-east-1 \(data\.terraform_remote_state\.regional-production-us-east-1\), which it does not have \(its outputs: .*private_route_table_ids.*vpc_id/)]);
  });

  test("a backend in another account with no role: no path from the environment's account to the state account", async () => {
    const stacks = withStack("staging-global-database", (config) => {
      delete (config.terraform!.backend!.s3 as Record<string, unknown>).assume_role;
      delete (config.terraform!.backend!.s3 as Record<string, unknown>).role_arn;
    });
    const failures = failuresFor(failuresOf(await rehearseFirstDeploy(stacks)), "staging-global-database");
    expect(failures).toEqual([
      "staging-global-database: backend: no path from account 222222222222 (staging's deploy role) to the state meridian/staging/staging-global-database.tfstate in account 111111111111 (bucket meridian-tfstate-111111111111 of state-bootstrap): it assumes no role, and the lock table meridian-terraform-locks would resolve in account 222222222222",
    ]);
  });

  describe("a backend that assumes a role of the state bootstrap", () => {
    const role = "arn:aws:iam::111111111111:role/rehearsal-test-writer";
    const grant = (trusted: string, actions: string[]) =>
      withStack("state-bootstrap", (config) => {
        config.resource!.aws_iam_role = { ...config.resource!.aws_iam_role, rehearsal_writer: { name: "rehearsal-test-writer", assume_role_policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: trusted } }] }) } };
        config.resource!.aws_iam_role_policy = {
          ...config.resource!.aws_iam_role_policy,
          rehearsal_writer: { role: "${aws_iam_role.rehearsal_writer.name}", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: actions, Resource: ["${aws_s3_bucket.state_bucket_99469A59.arn}/meridian/staging/*", "arn:aws:dynamodb:us-east-1:111111111111:table/meridian-terraform-locks", "*"] }] }) },
        };
      }).map((stack) => {
        if (stack.name !== "staging-global-database") {
          return stack;
        }
        const config = structuredClone(stack.config) as unknown as Mutable["config"];
        (config.terraform!.backend!.s3 as Record<string, unknown>).assume_role = { role_arn: role };
        return { ...stack, config: config as unknown as SynthesizedStack["config"] };
      });
    const ALL = ["s3:GetObject", "s3:PutObject", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "kms:Decrypt", "kms:GenerateDataKey"];

    test("trusting the environment's account and granting the state: reachable", async () => {
      expect(failuresFor(failuresOf(await rehearseFirstDeploy(grant("arn:aws:iam::222222222222:root", ALL))), "staging-global-database")).toEqual([]);
    });

    test("trusting another account: refused, naming the role and who it does not trust", async () => {
      expect(failuresFor(failuresOf(await rehearseFirstDeploy(grant("arn:aws:iam::333333333333:root", ALL))), "staging-global-database")).toEqual([
        `staging-global-database: backend: ${role} (state-bootstrap aws_iam_role.rehearsal_writer) does not trust staging's deploy role (arn:aws:iam::222222222222:role/meridian-staging-deploy)`,
      ]);
    });

    test("without the lock table's grant: refused, naming the missing actions", async () => {
      const failures = failuresFor(failuresOf(await rehearseFirstDeploy(grant("arn:aws:iam::222222222222:root", ALL.filter((a) => !a.startsWith("dynamodb:"))))), "staging-global-database");
      expect(failures).toEqual([expect.stringMatching(/does not grant dynamodb:GetItem on the lock table meridian-terraform-locks, dynamodb:PutItem on the lock table meridian-terraform-locks, dynamodb:DeleteItem on the lock table meridian-terraform-locks$/)]);
    });
  });
});

describe("scenarios (structural)", () => {
  const work = mkdtempSync(join(tmpdir(), "rehearsal-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const ctx: RehearsalContext = { catalogue, raw: BUILT_IN_CATALOGUE, stacks: builtIn, workRoot: work };

  test("add-environment: a new environment whose spokes the hub reads in the same change fails before the deploy, naming the read", async () => {
    const world: World = new Map();
    await firstDeploy(ctx, world);
    const result = await addEnvironment(ctx, world, { joinInOneStep: true });
    expect(result.changes[0]!.preflight).toEqual(
      expect.arrayContaining([expect.stringMatching(/^production-hub-network: its plan for this change .* reads data\.terraform_remote_state\.regional-qa-us-east-1 \(qa-regional-us-east-1\), which is not deployed yet: Terraform fails with "Unable to find remote state"/)]),
    );
  }, 60_000);

  test("add-environment in two changes: first only the new environment's own stacks, then the hub's stacks by additions only", async () => {
    const world: World = new Map();
    await firstDeploy(ctx, world);
    const result = await addEnvironment(ctx, world);
    expect(result.changes.map((c) => failuresOf(c))).toEqual([[], []]);
    const [pending, joined] = result.changes;
    // The state bootstrap adds qa's state roles; the hub's regional stack lets Argo CD assume qa's spoke roles (IAM only: no state read).
    expect(pending!.steps.filter((s) => s.changed).map((s) => s.stack).sort()).toEqual(["production-regional-us-east-1", "qa-edge", "qa-global-database", "qa-regional-us-east-1", "qa-regional-us-west-2", "state-bootstrap"]);
    expect(pending!.steps.find((s) => s.stack === "production-hub-network")!.changed).toBe(false);
    expect(joined!.steps.filter((s) => s.changed).map((s) => s.stack)).toEqual(expect.arrayContaining(["production-hub-network", "production-platform-us-east-1", "qa-hub-link-us-east-1", "qa-hub-link-us-west-2", "qa-platform-us-east-1", "qa-platform-us-west-2"]));
  }, 60_000);

  test("teardown: every stack goes after the stacks that read it; guarded resources listed", () => {
    const result = teardown(ctx);
    expect(result.failures).toEqual([]);
    const order = result.teardown!.map((t) => t.stack);
    expect(order.indexOf("staging-edge")).toBeLessThan(order.indexOf("staging-regional-us-east-1"));
    expect(order.indexOf("staging-hub-link-us-east-1")).toBeLessThan(order.indexOf("production-hub-network"));
    expect(result.teardown!.find((t) => t.stack === "staging-global-database")!.guarded.some((a) => a.startsWith("aws_rds_global_cluster."))).toBe(true);
  });
});

describe("in place only: a delete passes only as a move", () => {
  const drill = "aws_fis_experiment_template.region-failure-drill_aurora-writer-failover-template_8F017DD6";
  const step = (stack: string, changes: { address: string; kind: "create" | "delete" }[]): RehearsalStep => ({
    stack,
    phase: "AWS stacks (production)",
    status: "planned",
    changed: true,
    reads: [],
    failures: [],
    notes: [],
    changes: changes.map((c) => ({ ...c, type: c.address.split(".")[0]!, forcedBy: [] })),
  });

  test("GIVEN the drill deleted in the old writer's stack and created in the new one's THEN it is a move, noted, not a failure", () => {
    const steps = [step("production-regional-eu-west-1", [{ address: drill, kind: "create" }]), step("production-regional-us-east-1", [{ address: drill, kind: "delete" }])];
    judgeDeletesAsMoves(steps);
    expect(steps.flatMap((s) => s.failures)).toEqual([]);
    expect(steps[1]!.notes).toEqual([`${drill} moves to production-regional-eu-west-1 (created there in this change)`]);
  });

  test("GIVEN the drill deleted and created nowhere THEN the delete fails the change", () => {
    const steps = [step("production-regional-eu-west-1", []), step("production-regional-us-east-1", [{ address: drill, kind: "delete" }])];
    judgeDeletesAsMoves(steps);
    expect(steps[1]!.failures).toEqual([`deletes ${drill}: this change must be in place`]);
    expect(steps[1]!.status).toBe("failed");
  });
});
