import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verifyOffline } from "../../src/verification/offline-verification";
import { configDigest, planDigestFile, readSynthesizedStacks } from "../../src/verification/synthesized-stacks";

/**
 * How the offline verification runs and reports each Terraform step, with a fake Terraform: the
 * step that failed and Terraform's `Error:` blocks, the other stacks planned regardless. The real
 * Terraform plans the fixture's consumer in offline-verification.test.ts, and every AWS stack of
 * the catalogue in CI (`npm run verify`).
 */
const mockTerraform = { calls: [] as { args: string[]; stack: string }[] };

jest.mock("../../src/verification/terraform-cli", () => {
  const actual = jest.requireActual("../../src/verification/terraform-cli");
  const fs = jest.requireActual("node:fs");
  const path = jest.requireActual("node:path");
  // Each stack's name says which step fails: `fails-validate`, `fails-plan`, `fails-show`.
  const plan = { format_version: "1.2", terraform_version: "1.11.4", resource_changes: [{ address: "aws_vpc.main", mode: "managed", type: "aws_vpc", name: "main", provider_name: "registry.terraform.io/hashicorp/aws", change: { actions: ["create"], before: null, after: {} } }] };
  return {
    ...actual,
    terraformVersion: async () => "1.11.4",
    runTerraform: async (args: string[], cwd: string) => {
      const stack = path.basename(cwd);
      mockTerraform.calls.push({ args, stack });
      if (args[0] === "init") {
        fs.writeFileSync(path.join(cwd, ".terraform.lock.hcl"), "# fake lock file\n");
      }
      if (stack === `fails-${args[0]}`) {
        // Terraform's output around the error: the report keeps the Error: block only.
        return { code: 1, stdout: "", stderr: `\nWarning: Argument is deprecated\n\n  with provider["aws"]\n\nError: ${args[0]} went wrong in ${stack}\n\n  on cdk.tf.json line 1\n` };
      }
      return { code: 0, stdout: args[0] === "show" ? JSON.stringify(plan) : "", stderr: "" };
    },
  };
});

const root = mkdtempSync(join(tmpdir(), "offline-steps-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const STACKS = ["fails-plan", "fails-show", "fails-validate", "fine", "in-cluster"];

function outdir(): string {
  const dir = join(root, "out");
  const manifest = { stacks: {} as Record<string, object> };
  for (const stack of STACKS) {
    mkdirSync(join(dir, "stacks", stack), { recursive: true });
    const config =
      stack === "in-cluster"
        ? { terraform: { required_providers: { kubernetes: { source: "hashicorp/kubernetes", version: "2.38.0" } } }, resource: { kubernetes_namespace: { ns: { metadata: { name: "x" } } } } }
        : { terraform: { required_providers: { aws: { source: "aws", version: "5.100.0" } } }, provider: { aws: [{ region: "us-east-1" }] }, resource: { aws_vpc: { main: { cidr_block: "10.0.0.0/16" } } } };
    writeFileSync(join(dir, "stacks", stack, "cdk.tf.json"), JSON.stringify(config));
    manifest.stacks[stack] = { name: stack, workingDirectory: `stacks/${stack}`, synthesizedStackPath: `stacks/${stack}/cdk.tf.json`, dependencies: [] };
  }
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
  return dir;
}

describe("offline verification steps", () => {
  const dir = outdir();
  const log: string[] = [];
  let outcomes: Awaited<ReturnType<typeof verifyOffline>>;
  beforeAll(async () => {
    outcomes = await verifyOffline({ outdir: dir, concurrency: 2, log: (line) => log.push(line) });
  });

  test("runs init, validate, plan and show per stack, in that order, once the providers are installed", () => {
    expect(mockTerraform.calls[0]).toEqual({ args: ["init", "-input=false", "-no-color", "-backend=false"], stack: "0" });
    expect(mockTerraform.calls.filter((c) => c.stack === "fine").map((c) => c.args[0])).toEqual(["init", "validate", "plan", "show"]);
    expect(mockTerraform.calls.find((c) => c.stack === "fine" && c.args[0] === "plan")!.args).toContain("-refresh=false");
  });

  test("fails a stack at the step Terraform rejects, with Terraform's Error: block, and stops that stack there", () => {
    for (const step of ["validate", "plan", "show"]) {
      expect(outcomes.find((o) => o.stack === `fails-${step}`)).toEqual({ stack: `fails-${step}`, status: "failed", step, message: `Error: ${step} went wrong in fails-${step}\n\n  on cdk.tf.json line 1`, seconds: expect.any(Number) });
    }
    expect(mockTerraform.calls.filter((c) => c.stack === "fails-validate").map((c) => c.args[0])).toEqual(["init", "validate"]);
    expect(log).toEqual(expect.arrayContaining([expect.stringMatching(/^fails-validate: terraform validate failed:\nError: validate went wrong/)]));
  });

  test("plans the other stacks regardless, counting the plan's actions and writing its JSON and the digest of the configuration it planned", () => {
    expect(outcomes.find((o) => o.stack === "fine")).toMatchObject({ status: "planned", plan: { create: 1, update: 0, replace: 0, delete: 0 } });
    expect(JSON.parse(readFileSync(join(dir, "plans", "fine.json"), "utf8")).resource_changes).toHaveLength(1);
    const [fine] = readSynthesizedStacks(dir).filter((s) => s.name === "fine");
    expect(readFileSync(planDigestFile(join(dir, "plans"), "fine"), "utf8")).toBe(`${configDigest(fine!.config)}\n`);
    expect(outcomes.map((o) => o.stack)).toEqual(STACKS);
  });

  test("lists a kubernetes stack as not plannable offline instead of skipping it silently, and runs no Terraform for it", () => {
    expect(outcomes.find((o) => o.stack === "in-cluster")).toMatchObject({ status: "not-plannable", reason: expect.stringContaining("kubernetes") });
    expect(mockTerraform.calls.filter((c) => c.stack === "in-cluster")).toEqual([]);
  });
});
