/**
 * Records the plans `__tests__/plan-review/replacement-gate.test.ts` replays: the gate's small
 * fixture (`__tests__/plan-review/gate-fixture.ts`) planned offline with the real Terraform and
 * provider, step by step as the gate plans it (base against an empty state, self-check against
 * the simulated state until no changes, each head against the settled state). Run it again when
 * the AWS provider or Terraform changes (the test fails when the provider pin no longer matches):
 *
 *   npx tsx scripts/record-gate-plans.ts           # re-record
 *   npx tsx scripts/record-gate-plans.ts --check   # CI: exit 1 when the recording is no longer what Terraform plans
 *
 * Then it runs the real gate over the same fixture and checks that its review matches what the
 * recorded head plans give, so the recording and the gate cannot drift apart unnoticed. With
 * `--check` (.ci/run) it writes nothing and fails when what the real Terraform and provider plan
 * now (the changes each head reviews to, how many plans the self-check takes, the provider pin)
 * differs from the checked-in recording: the jest test would replay stale plans.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FIXTURE_STACKS, pinnedAwsVersion, writeGateFixture, type RecordedGatePlans } from "../__tests__/plan-review/gate-fixture";
import { reviewedChanges, runReplacementGate } from "../src/plan-review/replacement-gate";
import { foldPlannedChanges, simulateAppliedResources, stateFile } from "../src/plan-review/simulated-state";
import type { PlanJson } from "../src/terraform/plan-json";
import type { ProviderSchemas } from "../src/terraform/provider-schema";
import { WORKSPACE_STATE_FILE } from "../src/verification/offline-overrides";
import { initWorkspace, offlineTerraform, planJsonText, prepareWorkspace, terraformStep } from "../src/verification/offline-workspace";
import { readSynthesizedStacks } from "../src/verification/synthesized-stacks";
import { terraformVersion } from "../src/verification/terraform-cli";

const OUTPUT = join(__dirname, "..", "__tests__", "plan-review", "recorded", "gate-plans.json");
const AWS = "registry.terraform.io/hashicorp/aws";
const MAX_SELF_CHECK_PLANS = 4;

async function main(): Promise<void> {
  const awsVersion = pinnedAwsVersion();
  const root = mkdtempSync(join(tmpdir(), "record-gate-plans-"));
  try {
    const { base, head } = writeGateFixture(root, awsVersion);
    const version = await terraformVersion();
    const baseStacks = readSynthesizedStacks(base);
    const headStacks = readSynthesizedStacks(head);
    const terraform = await offlineTerraform(join(root, "work"), [...baseStacks, ...headStacks]);
    const ok = <T extends { ok: boolean }>(result: T, what: string): Extract<T, { ok: true }> => {
      if (!result.ok) {
        throw new Error(`${what} failed: ${JSON.stringify(result)}`);
      }
      return result as Extract<T, { ok: true }>;
    };

    // The base is the same in every stack of the fixture: plan it once.
    const baseStack = baseStacks[0]!;
    const baseDir = join(root, "work", "base");
    prepareWorkspace(baseStack, baseStacks, baseDir);
    ok(await initWorkspace(baseStack, baseDir, terraform), "base init");
    const basePlans: PlanJson[] = [JSON.parse(ok(await planJsonText(baseDir, terraform), "base plan").stdout) as PlanJson];
    const fullSchema = JSON.parse(ok(await terraformStep("providers schema", ["providers", "schema", "-json"], baseDir, terraform), "providers schema").stdout) as ProviderSchemas;
    const resources = simulateAppliedResources(basePlans[0]!, fullSchema);
    for (;;) {
      writeFileSync(join(baseDir, WORKSPACE_STATE_FILE), JSON.stringify(stateFile(resources, version, "review-fixture")));
      const plan = JSON.parse(ok(await planJsonText(baseDir, terraform), "self-check plan").stdout) as PlanJson;
      basePlans.push(plan);
      if (reviewedChanges(plan).length === 0) {
        break;
      }
      if (basePlans.length > MAX_SELF_CHECK_PLANS) {
        throw new Error(`the fixture's base does not settle: ${JSON.stringify(reviewedChanges(plan))}`);
      }
      foldPlannedChanges(resources, plan);
    }
    const headPlans: Record<string, PlanJson> = {};
    for (const stack of headStacks) {
      const dir = join(root, "work", "head", stack.name);
      prepareWorkspace(stack, headStacks, dir);
      ok(await initWorkspace(stack, dir, terraform), `${stack.name} head init`);
      writeFileSync(join(dir, WORKSPACE_STATE_FILE), JSON.stringify(stateFile(resources, version, "review-fixture")));
      headPlans[stack.name] = JSON.parse(ok(await planJsonText(dir, terraform), `${stack.name} head plan`).stdout) as PlanJson;
    }

    // Cross-check: the real gate over the same fixture reviews what the recorded head plans show.
    const gate = await runReplacementGate({ baseOutdir: base, headOutdir: head, workRoot: join(root, "gate") });
    for (const name of FIXTURE_STACKS) {
      const review = gate.stacks.find((s) => s.stack === name);
      const expected = JSON.stringify(reviewedChanges(headPlans[name]!));
      if (review?.status !== "reviewed" || JSON.stringify(review.changes) !== expected) {
        throw new Error(`the real gate's review of ${name} differs from the recording: ${JSON.stringify(review)} vs ${expected}`);
      }
    }

    const types = new Set(Object.keys(baseStack.config.resource ?? {}));
    const awsSchema = fullSchema.provider_schemas[AWS]!;
    const schema = {
      format_version: (fullSchema as { format_version?: string }).format_version,
      provider_schemas: { [AWS]: { resource_schemas: Object.fromEntries(Object.entries(awsSchema.resource_schemas ?? {}).filter(([type]) => types.has(type))) } },
    };
    const recorded: RecordedGatePlans = { terraformVersion: version, awsVersion, schema, basePlans, headPlans: headPlans as RecordedGatePlans["headPlans"] };
    if (process.argv.includes("--check")) {
      const problems = staleness(JSON.parse(readFileSync(OUTPUT, "utf8")) as RecordedGatePlans, recorded);
      if (problems.length > 0) {
        console.error(`${OUTPUT} is stale: re-record with \`npx tsx scripts/record-gate-plans.ts\` and commit it.\n${problems.map((p) => `  ${p}`).join("\n")}`);
        process.exitCode = 1;
        return;
      }
      console.log(`recorded gate plans are current (terraform ${version}, aws ${awsVersion}): ${OUTPUT}`);
      return;
    }
    writeFileSync(OUTPUT, `${JSON.stringify(recorded, null, 1)}\n`);
    console.log(`recorded ${basePlans.length} base plan(s) (${basePlans.length - 1} self-check) and ${Object.keys(headPlans).length} head plans with terraform ${version}, aws ${awsVersion}: ${OUTPUT}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** What differs between the checked-in recording and a fresh one, as a reviewer reads the plans (not timestamps or versions of Terraform itself). */
function staleness(checkedIn: RecordedGatePlans, fresh: RecordedGatePlans): string[] {
  const problems: string[] = [];
  if (checkedIn.awsVersion !== fresh.awsVersion) {
    problems.push(`recorded with aws ${checkedIn.awsVersion}, the stacks pin ${fresh.awsVersion}`);
  }
  if (checkedIn.basePlans.length !== fresh.basePlans.length) {
    problems.push(`the self-check now settles after ${fresh.basePlans.length - 1} plan(s), recorded: ${checkedIn.basePlans.length - 1}`);
  }
  const reviewed = (plans: readonly unknown[]) => plans.map((plan) => JSON.stringify(reviewedChanges(plan as PlanJson)));
  if (JSON.stringify(reviewed(checkedIn.basePlans)) !== JSON.stringify(reviewed(fresh.basePlans))) {
    problems.push(`the base plans review differently: now ${reviewed(fresh.basePlans).join(" | ")}`);
  }
  for (const stack of FIXTURE_STACKS) {
    const [was, is] = reviewed([checkedIn.headPlans[stack], fresh.headPlans[stack]]);
    if (was !== is) {
      problems.push(`${stack}: the head now reviews to ${is}, recorded: ${was}`);
    }
  }
  return problems;
}

main().catch((error: Error) => {
  console.error(`record-gate-plans: ${error.message}`);
  process.exit(1);
});
