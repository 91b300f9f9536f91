import { gateVerdict, type StackReview } from "../../src/plan-review/replacement-gate";
import { planSummaryMarkdown } from "../../src/plan-review/summary";

const STACKS: StackReview[] = [
  {
    stack: "production-global-database",
    status: "reviewed",
    counts: { create: 0, update: 1, replace: 1, delete: 0 },
    changes: [
      { address: "aws_rds_global_cluster.global", type: "aws_rds_global_cluster", kind: "replace", forcedBy: ["storage_encrypted"], loses: "the global database and every region's data" },
      { address: "aws_iam_role.x", type: "aws_iam_role", kind: "update", forcedBy: [] },
    ],
    selfCheckPlans: 2,
    seconds: 30,
  },
  { stack: "staging-regional-us-east-1", status: "reviewed", counts: { create: 0, update: 0, replace: 1, delete: 0 }, changes: [{ address: "aws_route.r", type: "aws_route", kind: "replace", forcedBy: ["route_table_id"] }], selfCheckPlans: 1, seconds: 20 },
  { stack: "staging-edge", status: "unchanged" },
  { stack: "staging-platform-us-east-1", status: "not-plannable", reason: "uses providers helm, kubernetes, which have no offline binary" },
];
const POLICY = [
  {
    stack: "staging-regional-us-east-1",
    findings: [
      { ruleId: "eks-public-endpoint", publicIds: ["CKV_AWS_39"], severity: "high", address: "aws_eks_cluster.c", message: "endpoint_public_access is true", fix: "set publicAccessCidrs to []" },
      { ruleId: "rds-auto-minor-upgrade", publicIds: ["CKV_AWS_226"], severity: "low", address: "aws_rds_cluster_instance.i", message: "auto minor upgrade off", suppressed: { reason: "failover needs identical engine versions" } },
    ],
  },
];

describe("plan summary", () => {
  test("leads with the verdict and the guarded replacements, then every stack's counts, policy findings and what could not be planned", () => {
    // GIVEN an unapproved guarded replacement WHEN summarized
    const markdown = planSummaryMarkdown({ gate: gateVerdict(STACKS, false), policy: POLICY, title: "origin/main → abc123", approval: "the `approve-stateful-replacement` label" });
    // THEN
    const sections = [...markdown.matchAll(/^###? (.+)$/gm)].map((m) => m[1]);
    expect(sections).toEqual(["Plan review: origin/main → abc123", "Replaced or deleted stateful resources", "Other replacements and deletions", "Changes per stack", "Policy findings", "Not planned offline"]);
    expect(markdown).toContain("**❌ 1 stateful resource(s) would be replaced or deleted.** If that is intended, approve it with the `approve-stateful-replacement` label.");
    expect(markdown).toContain("| production-global-database | `aws_rds_global_cluster.global` | replace | `storage_encrypted` | the global database and every region's data |");
    expect(markdown).toContain("| staging-regional-us-east-1 | `aws_route.r` | replace | `route_table_id` |");
    expect(markdown).toContain("| production-global-database | 0 | 1 | 1 | 0 | planned against the base's simulated state |");
    expect(markdown).toContain("| staging-edge | 0 | 0 | 0 | 0 | configuration unchanged |");
    expect(markdown).toContain("**❌ Policy: 1 unsuppressed finding(s).**");
    expect(markdown).toContain("| staging-regional-us-east-1 | eks-public-endpoint (CKV_AWS_39) | high | `aws_eks_cluster.c` | endpoint_public_access is true | set publicAccessCidrs to [] |");
    expect(markdown).toContain("- rds-auto-minor-upgrade on 1 resource(s) in staging-regional-us-east-1: failover needs identical engine versions");
    expect(markdown).toContain("- staging-platform-us-east-1: uses providers helm, kubernetes, which have no offline binary");
  });

  test("says so when nothing stateful changes and the policy is clean", () => {
    const markdown = planSummaryMarkdown({ gate: gateVerdict([{ stack: "staging-edge", status: "unchanged" }], false), policy: [] });
    expect(markdown).toContain("**✅ No stateful resource is replaced or deleted.**");
    expect(markdown).toContain("**✅ Policy: no unsuppressed finding.**");
    expect(markdown).not.toContain("### Replaced or deleted");
  });

  test("marks approved guarded replacements as approved", () => {
    expect(planSummaryMarkdown({ gate: gateVerdict(STACKS, true) })).toContain("**⚠️ 1 stateful resource(s) will be replaced or deleted — approved.**");
  });
});
