import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { verifyOffline, type StackOutcome } from "../../src/verification/offline-verification";
import { synthFixtureApp } from "./fixtures";

const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });
const terraformAvailable = terraform.status === 0;
const onCi = process.env.CI === "true";

// On CI a missing Terraform is a failure of the machine, not a reason to skip the proof.
const describeWithTerraform = terraformAvailable ? describe : onCi ? describe : describe.skip;

describeWithTerraform("offline verification with the real provider", () => {
  let outdir: string;
  let outcomes: Map<string, StackOutcome>;

  beforeAll(async () => {
    if (!terraformAvailable) {
      throw new Error(`CI=true but terraform is not runnable (${terraform.error?.message ?? terraform.stderr}); install Terraform >= 1.11`);
    }
    outdir = synthFixtureApp();
    const results = await verifyOffline({ outdir, concurrency: 2 });
    outcomes = new Map(results.map((o) => [o.stack, o]));
  }, 120_000);

  test("plans AWS stacks and writes their plan JSON", () => {
    const producer = outcomes.get("producer")!;
    expect(producer).toMatchObject({ status: "planned", plan: { create: 4, update: 0, replace: 0, delete: 0 } });
    const plan = JSON.parse(readFileSync(join(outdir, "plans", "producer.json"), "utf8"));
    expect(plan.resource_changes.map((c: { address: string }) => c.address)).toContain("aws_vpc.vpc");
  });

  test("plans a consumer of cross-stack references with placeholder outputs", () => {
    expect(outcomes.get("consumer")).toMatchObject({ status: "planned", plan: { create: 1 } });
    const plan = JSON.parse(readFileSync(join(outdir, "plans", "consumer.json"), "utf8"));
    expect(plan.planned_values.outputs.seen_vpc.value).toMatch(/^offline-/);
    expect(plan.planned_values.outputs.seen_subnets.value).toHaveLength(2);
    expect(plan.planned_values.outputs.seen_nat_addresses).toMatchObject({ value: [expect.stringMatching(/^offline-/), expect.any(String), expect.any(String)] });
  });

  test("fails a stack Terraform rejects, naming the step and Terraform's message", () => {
    expect(outcomes.get("broken")).toMatchObject({ status: "failed", step: "validate", message: expect.stringMatching(/Error: .*CIDR/is) });
  });

  test("lists the kubernetes stack as not plannable offline instead of skipping it silently", () => {
    expect(outcomes.get("in-cluster")).toMatchObject({ status: "not-plannable", reason: expect.stringContaining("kubernetes") });
  });

  test("leaves the synthesized output free of fake credentials and local backends", () => {
    for (const stack of readdirSync(join(outdir, "stacks"))) {
      const files = readdirSync(join(outdir, "stacks", stack));
      expect(files.filter((f) => f.endsWith("override.tf.json"))).toEqual([]);
      const text = readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8");
      expect(text).not.toMatch(/AKIA|skip_credentials_validation/);
    }
    expect(existsSync(join(outdir, "offline", "producer", "offline_override.tf.json"))).toBe(true);
  });
});
