import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { BUILT_IN_CATALOGUE } from "../../src/config/catalogue";
import { loadCatalogue } from "../../src/config/load";
import { evaluatePolicy, unsuppressedFindings } from "../../src/policy/engine";
import { readPolicyStacks } from "../../src/policy/read-stacks";
import { RULES } from "../../src/policy/rules/catalogue";
import { buildPlatformApp } from "../../stacks/platform-app";
import { BUILT_IN_SYNTH_DIR_VARIABLE, validCatalogue } from "../helpers";
import { fixtureStack } from "./fixtures";
import { policyMain } from "../../scripts/policy";

const ROOT = resolve(__dirname, "../..");

/** The built-in catalogue's synthesized output: the global setup's, else a fresh one. */
function builtInOutdir(): { outdir: string; cleanup: () => void } {
  const shared = process.env[BUILT_IN_SYNTH_DIR_VARIABLE];
  if (shared) {
    return { outdir: shared, cleanup: () => undefined };
  }
  const outdir = mkdtempSync(join(tmpdir(), "policy-built-in-"));
  buildPlatformApp(validCatalogue(), { outdir }).synth();
  return { outdir, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}

const productionEnvironments = loadCatalogue(BUILT_IN_CATALOGUE).catalogue.environments.filter((e) => e.tier === "production").map((e) => e.name);

describe("the built-in catalogue", () => {
  const built = builtInOutdir();
  afterAll(() => built.cleanup());
  // The global setup's synthesis has no plans: the engine works on synthesized JSON alone.
  const stacks = readPolicyStacks(built.outdir);
  const evaluation = evaluatePolicy(stacks, { productionEnvironments });

  test("passes every rule, the apply-time family included: zero unsuppressed findings", () => {
    expect(unsuppressedFindings(evaluation).map((f) => `${f.stack} ${f.address} ${f.ruleId}: ${f.message}`)).toEqual([]);
  });

  test("suppresses only what it must, next to the resource and with a reason, and every suppression is used", () => {
    const suppressed = evaluation.stacks.flatMap((s) => s.findings.filter((f) => f.suppressed).map((f) => `${f.address.split(".")[0]} ${f.suppressed!.by}`));
    expect([...new Set(suppressed)].sort()).toEqual([
      "aws_db_parameter_group fixed-name-create-before-destroy",
      "aws_lb CKV_AWS_91",
      "aws_lb_target_group fixed-name-create-before-destroy",
      "aws_rds_cluster_instance CKV_AWS_226",
      "aws_rds_cluster_parameter_group fixed-name-create-before-destroy",
    ]);
    // Every Aurora instance of every member carries the CKV_AWS_226 suppression.
    const instances = stacks.flatMap((s) => s.resources.filter((r) => r.type === "aws_rds_cluster_instance"));
    expect(suppressed.filter((s) => s.startsWith("aws_rds_cluster_instance"))).toHaveLength(instances.length);
    expect(evaluation.stacks.flatMap((s) => s.suppressionProblems)).toEqual([]);
  });

  test("runs every kind of resource the platform creates through some rule", () => {
    const checked = new Set(RULES.flatMap((r) => r.resourceTypes));
    const types = new Set(stacks.flatMap((s) => s.resources.map((r) => r.type)));
    const expected = ["aws_eks_cluster", "aws_launch_template", "aws_eks_node_group", "aws_vpc", "aws_subnet", "aws_security_group", "aws_iam_role", "aws_iam_role_policy", "aws_kms_key", "aws_rds_cluster", "aws_rds_cluster_instance", "aws_rds_global_cluster", "aws_s3_bucket", "aws_dynamodb_table", "aws_efs_file_system", "aws_globalaccelerator_endpoint_group", "aws_route53_health_check", "aws_lb"];
    expect(expected.filter((type) => !types.has(type) || !checked.has(type))).toEqual([]);
  });
});

describe("the rule catalogue", () => {
  const testSources = readdirSync(__dirname)
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => readFileSync(join(__dirname, f), "utf8"))
    .join("\n");

  test("every rule has a unique kebab-case id, a fix, resource types, and public ids or published guidance", () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
      expect(rule.fix.length).toBeGreaterThan(10);
      expect(rule.resourceTypes.length).toBeGreaterThan(0);
      expect(rule.publicIds.length > 0 || (rule.guidance ?? "").length > 0).toBe(true);
    }
  });

  test("every rule has its own tests: a failing fixture and a passing one", () => {
    const untested = RULES.filter((rule) => {
      const block = testSources.split(`describe("${rule.id}"`)[1]?.split(/\ndescribe\(/)[0] ?? "";
      return !/test(\.each\([^)]*\))?\(["'`]flags /.test(block) || !/test\(["'`]passes /.test(block);
    });
    expect(untested.map((r) => r.id)).toEqual([]);
  });
});

// The script runs once as `npm run policy` does (the failing fixture); its other exits run in-process.
describe("scripts/policy.ts", () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [require.resolve("tsx/cli"), "scripts/policy.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });

  // The built-in catalogue's evaluation is "the built-in catalogue" above, in-process; `npm run policy --
  // --json` over it (over verify's plans) is a CI step (.ci/run) that fails on any unsuppressed finding.
  test("exits 1 on an unsuppressed finding, naming it, and writes the structured findings with --json", () => {
    const outdir = mkdtempSync(join(tmpdir(), "policy-failing-"));
    try {
      const stack = fixtureStack("production-test", { aws_rds_cluster_instance: { db: { publicly_accessible: true, monitoring_interval: 60, monitoring_role_arn: "r", performance_insights_enabled: true, performance_insights_kms_key_id: "arn:aws:kms:us-east-1:123456789012:key/1" } } });
      mkdirSync(join(outdir, "stacks", stack.name), { recursive: true });
      writeFileSync(join(outdir, "stacks", stack.name, "cdk.tf.json"), JSON.stringify(stack.config));
      writeFileSync(join(outdir, "manifest.json"), JSON.stringify({ stacks: { [stack.name]: { name: stack.name, workingDirectory: `stacks/${stack.name}`, synthesizedStackPath: `stacks/${stack.name}/cdk.tf.json` } } }));
      const result = run("--outdir", outdir, "--json", join(outdir, "findings.json"));
      expect(result.stderr).toBe("");
      expect(result.status).toBe(1);
      expect(result.stdout).toContain("FAIL HIGH rds-instance-not-public [CKV_AWS_17, AVD-AWS-0180]\n    aws_rds_cluster_instance.db: publicly_accessible = true");
      const written = JSON.parse(readFileSync(join(outdir, "findings.json"), "utf8"));
      expect(written.summary.unsuppressed).toBeGreaterThan(0);
      expect(written.stacks.map((s: { stack: string }) => s.stack)).toEqual(["production-test"]);
      expect(written.stacks[0].findings).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: "rds-instance-not-public", address: "aws_rds_cluster_instance.db" })]));
      expect(written.sources["production-test"]).toBe("synthesized (no plan)");
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  /** The command in-process, capturing what it prints. */
  function policyInProcess(...argv: string[]): { status: number; stderr: string } {
    let stderr = "";
    const spies = [
      jest.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true)),
      jest.spyOn(console, "error").mockImplementation((line) => void (stderr += `${line}\n`)),
      jest.spyOn(console, "log").mockImplementation(() => undefined),
    ];
    try {
      return { status: policyMain(argv), stderr };
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
  }

  test("exits 2 naming an unknown flag, with the usage", () => {
    const result = policyInProcess("--ouptdir", "x");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Unknown option '--ouptdir'");
    expect(result.stderr).toContain("usage: npm run policy --");
  });

  test("exits 2 when there is no synthesized output", () => {
    const result = policyInProcess("--outdir", join(tmpdir(), "policy-nothing-here"));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("policy check could not run: no synthesized output in");
  });
});
