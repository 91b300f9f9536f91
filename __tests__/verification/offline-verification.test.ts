/**
 * @builtInSynth unused
 */
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PlanJson } from "../../src/terraform/plan-json";
import { countActions } from "../../src/verification/offline-verification";
import { LOCK_FILE, initWorkspace, offlineTerraform, planJsonText, prepareWorkspace, providerRequirementsKey } from "../../src/verification/offline-workspace";
import { SYNTHESIZED_FILE, readSynthesizedStacks, type SynthesizedStack } from "../../src/verification/synthesized-stacks";
import { synthFixtureApp } from "./fixtures";

const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });
const terraformAvailable = terraform.status === 0;
const onCi = process.env.CI === "true";

// On CI a missing Terraform is a failure of the machine, not a reason to skip the proof.
const describeWithTerraform = terraformAvailable ? describe : onCi ? describe : describe.skip;

/**
 * The one real `terraform plan` of the test suite: the fixture's consumer of cross-stack
 * references, in an offline workspace (the overrides and placeholder outputs that `npm run
 * verify`, the gate and the rehearsal all plan with), planned with the real provider from the
 * mirror: init, plan and show, ~10 s of the AWS provider loading its schema. The other fixture
 * stacks are not planned: `npm run verify` in CI validates and plans every AWS stack of the
 * catalogue, and how the verification runs and reports its steps is tested with a fake Terraform
 * (offline-steps.test.ts).
 */
describeWithTerraform("an offline workspace planned with the real provider", () => {
  let outdir: string;
  let plan: PlanJson & { planned_values: { outputs: Record<string, { value: unknown }> } };

  beforeAll(async () => {
    if (!terraformAvailable) {
      throw new Error(`CI=true but terraform is not runnable (${terraform.error?.message ?? terraform.stderr}); install Terraform >= 1.11`);
    }
    outdir = synthFixtureApp();
    const stacks = readSynthesizedStacks(outdir);
    const consumer = stacks.find((s) => s.name === "consumer")!;
    const workRoot = join(outdir, "offline");
    const offline = await offlineTerraform(workRoot, [consumer]);
    const dir = join(workRoot, consumer.name);
    prepareWorkspace(consumer, stacks, dir);
    expect(await initWorkspace(consumer, dir, offline)).toMatchObject({ ok: true });
    const shown = await planJsonText(dir, offline);
    if (!shown.ok) {
      throw new Error(`terraform ${shown.step} failed: ${shown.message}`);
    }
    plan = JSON.parse(shown.stdout);
  }, 120_000);

  test("plans a consumer of cross-stack references with placeholder outputs shaped as the provider validates them", () => {
    expect(countActions(plan)).toEqual({ create: 1, update: 0, replace: 0, delete: 0 });
    expect(plan.resource_changes!.map((c) => c.address)).toEqual(["aws_security_group.group"]);
    expect(plan.planned_values.outputs.seen_vpc!.value).toMatch(/^vpc-[0-9a-f]+$/);
    expect(plan.planned_values.outputs.seen_subnets!.value).toHaveLength(2);
    expect(plan.planned_values.outputs.seen_nat_addresses).toMatchObject({ value: [expect.stringMatching(/^sim-/), expect.any(String), expect.any(String)] });
  });

  test("installs the providers before any workspace runs, so no workspace init rewrites the shared plugin cache", () => {
    // GIVEN the plugin cache entry of the AWS provider, which every workspace links to
    const versions = join(outdir, "offline", ".terraform-cli", "plugin-cache", "registry.terraform.io", "hashicorp", "aws");
    const [version] = readdirSync(versions);
    const [platform] = readdirSync(join(versions, version!));
    const entryChanged = lstatSync(join(versions, version!, platform!)).ctimeMs;
    // THEN it was last written before the first workspace was even prepared: a workspace init
    // that rewrote it would break a validate or plan running meanwhile in another workspace
    const workspace = join(outdir, "offline", "consumer");
    expect(statSync(join(workspace, "offline_override.tf.json")).mtimeMs).toBeGreaterThan(entryChanged);
    expect(readFileSync(join(workspace, LOCK_FILE), "utf8")).toContain('provider "registry.terraform.io/hashicorp/aws"');
  });

  test("fails the init of a stack whose providers cannot be installed, with Terraform's reason", async () => {
    // GIVEN a stack pinning a provider version the mirror does not hold
    const stack = fakeStack("old-provider", { aws: { source: "hashicorp/aws", version: "0.0.1" } });
    const workRoot = mkdtempSync(join(tmpdir(), "offline-install-"));
    // WHEN its workspace is initialized
    const terraform = await offlineTerraform(workRoot, [stack]);
    const dir = join(workRoot, stack.name);
    prepareWorkspace(stack, [stack], dir);
    const result = await initWorkspace(stack, dir, terraform);
    // THEN the step fails naming the installation and the version
    expect(result).toMatchObject({ ok: false, step: "init", message: expect.stringMatching(/installing the providers failed: Error: .*0\.0\.1/s) });
  }, 60_000);

  test("leaves the synthesized output free of fake credentials and local backends", () => {
    for (const stack of readdirSync(join(outdir, "stacks"))) {
      const files = readdirSync(join(outdir, "stacks", stack));
      expect(files.filter((f) => f.endsWith("override.tf.json"))).toEqual([]);
      const text = readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8");
      expect(text).not.toMatch(/AKIA|skip_credentials_validation/);
    }
    expect(existsSync(join(outdir, "offline", "consumer", "offline_override.tf.json"))).toBe(true);
  });
});

describe("providerRequirementsKey", () => {
  test("is the same for stacks requiring the same providers under other local names or order", () => {
    const a = fakeStack("a", { aws: { source: "hashicorp/aws", version: "5.100.0" }, random: { source: "hashicorp/random", version: "3.6.0" } });
    const b = fakeStack("b", { rand: { source: "hashicorp/random", version: "3.6.0" }, amazon: { source: "hashicorp/aws", version: "5.100.0" } });
    expect(providerRequirementsKey(a)).toBe(providerRequirementsKey(b));
  });

  test("differs when a provider version differs, so each version set is installed on its own", () => {
    const base = fakeStack("base", { aws: { source: "hashicorp/aws", version: "5.100.0" } });
    const head = fakeStack("head", { aws: { source: "hashicorp/aws", version: "5.101.0" } });
    expect(providerRequirementsKey(base)).not.toBe(providerRequirementsKey(head));
  });
});

function fakeStack(name: string, requiredProviders: Record<string, { source: string; version: string }>): SynthesizedStack {
  const directory = mkdtempSync(join(tmpdir(), `offline-${name}-`));
  const config = { terraform: { required_providers: requiredProviders } };
  writeFileSync(join(directory, SYNTHESIZED_FILE), JSON.stringify(config));
  return { name, directory, config, providers: Object.keys(requiredProviders), dependencies: [] };
}
