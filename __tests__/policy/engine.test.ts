import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformStack } from "cdktf";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unsuppressedFindings } from "../../src/policy/engine";
import { readPolicyStacks } from "../../src/policy/read-stacks";
import { configDigest } from "../../src/verification/synthesized-stacks";
import { formatPolicyReport, policyFindings, policySummary } from "../../src/policy/report";
import { eksControlPlaneLogging } from "../../src/policy/rules/eks";
import { launchTemplateImdsv2 } from "../../src/policy/rules/node-groups";
import { rdsClusterEncrypted, rdsInstanceAutoMinorVersionUpgrade, rdsInstanceNotPublic } from "../../src/policy/rules/aurora";
import { suppressPolicy, SUPPRESSIONS_KEY } from "@meridian/constructs";
import { checkSuppressedRules } from "../../src/policy/suppressions";
import { evaluate, fixtureStack, planOf, remoteRef, remoteState, single } from "./fixtures";

const REASON = "A global database fails over only while every region runs the identical engine version.";
const withSuppressions = (block: Record<string, unknown>, suppressions: unknown[]) => ({ ...block, "//": { metadata: { path: "x" }, [SUPPRESSIONS_KEY]: suppressions } });
/** An Aurora instance that passes every rule but CKV_AWS_226. */
const instance = {
  identifier: "db-1",
  auto_minor_version_upgrade: false,
  publicly_accessible: false,
  monitoring_interval: 60,
  monitoring_role_arn: "arn:aws:iam::123456789012:role/rds-monitoring",
  performance_insights_enabled: true,
  performance_insights_kms_key_id: "arn:aws:kms:us-east-1:123456789012:key/0a1b",
};

describe("suppressions", () => {
  test("records the rule and its reason in the resource's // comment of cdk.tf.json", () => {
    // GIVEN a construct that suppresses a rule next to the resource it creates
    const outdir = mkdtempSync(join(tmpdir(), "policy-suppression-"));
    try {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, "member");
      new AwsProvider(stack, "aws", { region: "us-east-1" });
      const db = new RdsClusterInstance(stack, "instance", { clusterIdentifier: "c", instanceClass: "db.r7g.large", engine: "aurora-postgresql", autoMinorVersionUpgrade: false });
      suppressPolicy(db, "CKV_AWS_226", REASON);
      suppressPolicy(db, "rds-instance-not-public", "Kept here to show a second suppression lands next to the first one.");
      // WHEN synthesized
      app.synth();
      // THEN cdk.tf.json keeps both in the comment Terraform ignores, beside cdktf's metadata
      const json = JSON.parse(readFileSync(join(outdir, "stacks", "member", "cdk.tf.json"), "utf8"));
      const comment = json.resource.aws_rds_cluster_instance.instance["//"];
      expect(comment.metadata.path).toBe("member/instance");
      expect(comment[SUPPRESSIONS_KEY]).toEqual([
        { rule: "CKV_AWS_226", reason: REASON },
        { rule: "rds-instance-not-public", reason: "Kept here to show a second suppression lands next to the first one." },
      ]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test.each([
    ["missing", ""],
    ["a word", "n/a"],
    ["shorter than a sentence", "needed for failover"],
  ])("throws when the reason is %s", (_what, reason) => {
    const stack = new TerraformStack(new App(), "s");
    const db = new RdsClusterInstance(stack, "instance", { clusterIdentifier: "c", instanceClass: "db.r7g.large", engine: "aurora-postgresql" });
    expect(() => suppressPolicy(db, "CKV_AWS_226", reason)).toThrow(`suppressPolicy(s/instance, "CKV_AWS_226"): the reason ${JSON.stringify(reason)} is too short: explain in at least a sentence`);
  });

  test("throws when the rule is already suppressed there, or the rule id is malformed", () => {
    const stack = new TerraformStack(new App(), "s");
    const db = new RdsClusterInstance(stack, "instance", { clusterIdentifier: "c", instanceClass: "db.r7g.large", engine: "aurora-postgresql" });
    expect(() => suppressPolicy(db, "CKV AWS 226", REASON)).toThrow('suppressPolicy(s/instance, "CKV AWS 226"): the rule must be a rule id or public id');
    suppressPolicy(db, "CKV_AWS_226", REASON);
    expect(() => suppressPolicy(db, "CKV_AWS_226", REASON)).toThrow("already suppressed on this resource");
  });

  /** A stack whose one resource suppresses `rule`, in an app that checks suppressions against the rules. */
  function synthWithSuppression(rule: string): () => void {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "policy-suppression-")) });
    const stack = new TerraformStack(app, "s");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    const db = new RdsClusterInstance(stack, "instance", { clusterIdentifier: "c", instanceClass: "db.r7g.large", engine: "aurora-postgresql" });
    suppressPolicy(db, rule, REASON);
    checkSuppressedRules(app);
    return () => {
      try {
        app.synth();
      } finally {
        rmSync(app.outdir, { recursive: true, force: true });
      }
    };
  }

  test("the app's check throws at synth time when no rule has the suppressed id", () => {
    expect(synthWithSuppression("CKV_AWS_2266")).toThrow('suppressPolicy(s/instance, "CKV_AWS_2266"): no policy rule has this id or public id');
    expect(synthWithSuppression("CKV_AWS_226")).not.toThrow();
  });

  test("the app's check throws when a public id is one of several checks bundled in a rule, so one suppression cannot silence the others", () => {
    // GIVEN eks-endpoint-not-public, which carries CKV_AWS_38 (open CIDRs) and CKV_AWS_39 (public endpoint)
    // WHEN suppressed by one of them THEN refused, naming the rule to suppress by
    expect(synthWithSuppression("CKV_AWS_39")).toThrow('suppressPolicy(s/instance, "CKV_AWS_39"): CKV_AWS_39 is one of several public checks of rule eks-endpoint-not-public');
  });

  test("reports a suppressed finding with its reason and does not fail on it (by public id or rule id)", () => {
    for (const id of ["CKV_AWS_226", "rds-instance-auto-minor-version-upgrade"]) {
      const evaluation = evaluate([single("aws_rds_cluster_instance", withSuppressions(instance, [{ rule: id, reason: REASON }]))], { rule: rdsInstanceAutoMinorVersionUpgrade });
      const [finding] = evaluation.stacks[0]!.findings;
      expect(finding).toMatchObject({ ruleId: "rds-instance-auto-minor-version-upgrade", address: "aws_rds_cluster_instance.subject", suppressed: { reason: REASON, by: id } });
      expect(unsuppressedFindings(evaluation)).toEqual([]);
      expect(evaluation.stacks[0]!.suppressionProblems).toEqual([]);
    }
  });

  test("does not let a suppression of one rule hide another rule's finding", () => {
    const block = withSuppressions({ ...instance, publicly_accessible: true }, [{ rule: "CKV_AWS_226", reason: REASON }]);
    const evaluation = evaluate([single("aws_rds_cluster_instance", block)], {});
    expect(unsuppressedFindings(evaluation).map((f) => f.ruleId)).toEqual(["rds-instance-not-public"]);
  });

  test("rejects a hand-written suppression whose reason is too short: the finding stays and the problem is reported", () => {
    const evaluation = evaluate([single("aws_rds_cluster_instance", withSuppressions(instance, [{ rule: "CKV_AWS_226", reason: "ok" }]))], { rule: rdsInstanceAutoMinorVersionUpgrade });
    expect(unsuppressedFindings(evaluation)).toHaveLength(1);
    expect(evaluation.stacks[0]!.suppressionProblems).toEqual([{ address: "aws_rds_cluster_instance.subject", rule: "CKV_AWS_226", problem: expect.stringContaining('rejected: the reason "ok" is too short') }]);
  });

  test("reports a suppression that suppresses nothing", () => {
    const block = withSuppressions({ ...instance, auto_minor_version_upgrade: true }, [{ rule: "CKV_AWS_226", reason: REASON }]);
    const evaluation = evaluate([single("aws_rds_cluster_instance", block)], { rule: rdsInstanceAutoMinorVersionUpgrade });
    expect(evaluation.stacks[0]!.suppressionProblems).toEqual([{ address: "aws_rds_cluster_instance.subject", rule: "CKV_AWS_226", problem: expect.stringContaining("suppresses nothing") }]);
  });
});

describe("values from plans and synthesized JSON", () => {
  const cluster = { name: "c", version: "1.33", enabled_cluster_log_types: ["api"] };
  const synthesized = fixtureStack("production-regional-us-east-1", { aws_eks_cluster: { cluster } });
  const plan = (values: Record<string, unknown>, unknown: Record<string, unknown> = {}) =>
    new Map([["production-regional-us-east-1", planOf([{ address: "aws_eks_cluster.cluster", type: "aws_eks_cluster", name: "cluster", values, unknown }])]]);

  test("uses the plan's values when the plan matches the synthesized stack", () => {
    // GIVEN a plan in which the provider filled in a value the configuration left out
    const evaluation = evaluate([synthesized], { rule: eksControlPlaneLogging, plans: plan({ ...cluster, enabled_cluster_log_types: ["api", "audit"] }) });
    expect(evaluation.stacks[0]).toMatchObject({ source: "plan" });
    expect(evaluation.stacks[0]!.findings.map((f) => f.message)).toEqual(['enabled_cluster_log_types = ["api","audit"]: missing authenticator, controllerManager, scheduler']);
  });

  test("treats values the plan marks unknown as undecided, never as failures", () => {
    // GIVEN a plan that knows the log types only after apply (planned_values leave them out)
    const known: Record<string, unknown> = { ...cluster };
    delete known.enabled_cluster_log_types;
    const evaluation = evaluate([synthesized], { rule: eksControlPlaneLogging, plans: plan(known, { enabled_cluster_log_types: true }) });
    expect(evaluation.stacks[0]!.findings).toEqual([]);
    expect(evaluation.stacks[0]!.undecided).toEqual([{ ruleId: "eks-control-plane-logging", address: "aws_eks_cluster.cluster", message: "enabled_cluster_log_types is known only after apply" }]);
  });

  test("reads an unknown value the configuration leaves unset as the provider's default", () => {
    // GIVEN a launch template that sets only http_endpoint; the plan marks http_tokens computed
    const template = fixtureStack("production-test", { aws_launch_template: { nodes: { metadata_options: { http_endpoint: "enabled" } } } });
    const plans = new Map([
      ["production-test", planOf([{ address: "aws_launch_template.nodes", type: "aws_launch_template", name: "nodes", values: { metadata_options: [{ http_endpoint: "enabled" }] }, unknown: { metadata_options: [{ http_tokens: true }] } }])],
    ]);
    // THEN the rule judges it unset (the AMI default), as it would from the synthesized JSON
    const evaluation = evaluate([template], { rule: launchTemplateImdsv2, plans });
    expect(evaluation.stacks[0]!.source).toBe("plan");
    expect(evaluation.stacks[0]!.findings.map((f) => f.message)).toEqual([expect.stringContaining("metadata_options.http_tokens = not set")]);
  });

  test("falls back to the synthesized JSON when the plan is out of date, saying why", () => {
    const evaluation = evaluate([synthesized], { rule: eksControlPlaneLogging, plans: plan({ ...cluster, version: "1.32" }) });
    expect(evaluation.stacks[0]).toMatchObject({ source: "synthesized", sourceNote: 'plan out of date (aws_eks_cluster.cluster.version is "1.33" but was planned as "1.32")' });
    const missing = evaluate([synthesized], { rule: eksControlPlaneLogging, plans: new Map([["production-regional-us-east-1", planOf([])]]) });
    expect(missing.stacks[0]!.sourceNote).toBe("plan out of date (1 resource(s) differ, e.g. aws_eks_cluster.cluster not planned)");
  });

  test("ignores the offline plan's placeholders for values read from other stacks", () => {
    // GIVEN a cluster whose key comes from another stack, which the offline plan answers with a placeholder
    const kmsKeyId = remoteRef("production-global-database", "cross-stack-output-key_arn");
    const consumer = fixtureStack("production-regional-us-east-1", { aws_rds_cluster: { db: { storage_encrypted: true, kms_key_id: kmsKeyId } } }, { data: { terraform_remote_state: remoteState("production-global-database") } });
    const placeholder = "arn:aws:iam::000000000000:role/offline-cross-stack-output-key_arn";
    const plans = new Map([["production-regional-us-east-1", planOf([{ address: "aws_rds_cluster.db", type: "aws_rds_cluster", name: "db", values: { storage_encrypted: true, kms_key_id: placeholder } }])]]);
    // WHEN the producing stack is not part of the run
    const evaluation = evaluate([consumer], { rule: rdsClusterEncrypted, plans });
    // THEN the rule cannot tell, instead of judging the placeholder
    expect(evaluation.stacks[0]).toMatchObject({ source: "plan", findings: [], undecided: [{ message: "kms_key_id is known only after apply" }] });
  });

  test("reads synthesized stacks from the manifest and plans from <outdir>/plans", () => {
    const outdir = mkdtempSync(join(tmpdir(), "policy-outdir-"));
    try {
      const stacks = [synthesized, fixtureStack("staging-regional-us-east-1", { aws_eks_cluster: { cluster } })];
      const manifest = { stacks: Object.fromEntries(stacks.map((s) => [s.name, { name: s.name, workingDirectory: `stacks/${s.name}`, synthesizedStackPath: `stacks/${s.name}/cdk.tf.json` }])) };
      writeFileSync(join(outdir, "manifest.json"), JSON.stringify(manifest));
      for (const s of stacks) {
        mkdirSync(join(outdir, "stacks", s.name), { recursive: true });
        writeFileSync(join(outdir, "stacks", s.name, "cdk.tf.json"), JSON.stringify(s.config));
      }
      mkdirSync(join(outdir, "plans"));
      writeFileSync(join(outdir, "plans", "production-regional-us-east-1.json"), JSON.stringify(plan(cluster).get("production-regional-us-east-1")));
      expect(readPolicyStacks(outdir).map((s) => [s.name, s.source, s.sourceNote])).toEqual([
        ["production-regional-us-east-1", "plan", undefined],
        ["staging-regional-us-east-1", "synthesized", "no plan"],
      ]);
      // GIVEN the digest verify wrote for the configuration the plan was made from
      writeFileSync(join(outdir, "plans", "production-regional-us-east-1.config.sha256"), `${configDigest(synthesized.config)}\n`);
      expect(readPolicyStacks(outdir)[0]!.source).toBe("plan");
      // WHEN only an element of a list changes afterwards
      const changed = structuredClone(synthesized.config) as { resource: { aws_eks_cluster: { cluster: { enabled_cluster_log_types: string[] } } } };
      changed.resource.aws_eks_cluster.cluster.enabled_cluster_log_types.push("audit");
      writeFileSync(join(outdir, "stacks", "production-regional-us-east-1", "cdk.tf.json"), JSON.stringify(changed));
      // THEN the plan is stale and the synthesized JSON is read instead
      expect(readPolicyStacks(outdir)[0]).toMatchObject({ source: "synthesized", sourceNote: "plan out of date (the configuration changed after `npm run verify`)" });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test("throws when there is no synthesized output", () => {
    expect(() => readPolicyStacks(join(tmpdir(), "policy-no-such-outdir"))).toThrow("no synthesized output in");
  });
});

describe("report", () => {
  const stacks = [
    single("aws_rds_cluster_instance", withSuppressions({ ...instance, publicly_accessible: true }, [{ rule: "CKV_AWS_226", reason: REASON }]), { stack: "production-regional-us-east-1" }),
    single("aws_rds_cluster_instance", { ...instance, auto_minor_version_upgrade: true }, { stack: "staging-regional-us-east-1" }),
  ];
  const evaluation = evaluate(stacks, {});

  test("policyFindings lists each stack's findings with rule, public ids, severity, address, message, fix and suppression reason", () => {
    expect(policyFindings(evaluation)).toEqual([
      {
        stack: "production-regional-us-east-1",
        findings: [
          {
            ruleId: "rds-instance-not-public",
            publicIds: rdsInstanceNotPublic.publicIds,
            severity: "high",
            address: "aws_rds_cluster_instance.subject",
            message: "publicly_accessible = true: the instance gets a public address",
            fix: rdsInstanceNotPublic.fix,
          },
          {
            ruleId: "rds-instance-auto-minor-version-upgrade",
            publicIds: ["CKV_AWS_226"],
            severity: "low",
            address: "aws_rds_cluster_instance.subject",
            message: "auto_minor_version_upgrade = false: minor versions (security fixes) are applied only by hand",
            fix: rdsInstanceAutoMinorVersionUpgrade.fix,
            suppressed: { reason: REASON },
          },
        ],
      },
      { stack: "staging-regional-us-east-1", findings: [] },
    ]);
    expect(policySummary(evaluation)).toMatchObject({ stacks: 2, unsuppressed: 1, suppressed: 1 });
  });

  test("the text report groups by stack, lists failures with their fix, suppressed findings with reasons, and a summary", () => {
    const text = formatPolicyReport(evaluation);
    expect(text).toContain("production-regional-us-east-1 (synthesized JSON: no plan): 1 finding,");
    expect(text).toContain("  FAIL HIGH rds-instance-not-public [CKV_AWS_17, AVD-AWS-0180]\n    aws_rds_cluster_instance.subject: publicly_accessible = true: the instance gets a public address\n    fix: Set publicly_accessible = false.");
    expect(text).toContain(`  suppressed (1):\n    low rds-instance-auto-minor-version-upgrade [CKV_AWS_226] aws_rds_cluster_instance.subject: auto_minor_version_upgrade = false: minor versions (security fixes) are applied only by hand\n      reason: ${REASON}`);
    expect(text).toContain("staging-regional-us-east-1 (synthesized JSON: no plan): ok,");
    expect(text.split("\n").at(-1)).toMatch(/^policy: 1 unsuppressed finding, 1 suppressed, 0 undecided; \d+ rules, \d+ checks over 2 stacks \(0 from plans, 2 from synthesized JSON\)$/);
  });
});
