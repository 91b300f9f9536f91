import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runReplacementGate } from "../../src/plan-review/replacement-gate";

/** The gate's paths that need no plan: removed, added, not plannable, unknown names. */
type Stacks = Record<string, { providers: string[]; resources: Record<string, Record<string, object>> }>;

function outdir(root: string, name: string, stacks: Stacks): string {
  const dir = join(root, name);
  const manifest = { stacks: {} as Record<string, object> };
  for (const [stack, { providers, resources }] of Object.entries(stacks)) {
    mkdirSync(join(dir, "stacks", stack), { recursive: true });
    const required = Object.fromEntries(providers.map((p) => [p, { source: `hashicorp/${p}`, version: "1.0.0" }]));
    writeFileSync(join(dir, "stacks", stack, "cdk.tf.json"), JSON.stringify({ terraform: { required_providers: required }, resource: resources }));
    manifest.stacks[stack] = { name: stack, workingDirectory: `stacks/${stack}`, synthesizedStackPath: `stacks/${stack}/cdk.tf.json`, dependencies: [] };
  }
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
  return dir;
}

const root = mkdtempSync(join(tmpdir(), "gate-paths-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const DATABASE = { aws_rds_cluster: { db: { cluster_identifier: "db" } }, aws_iam_role: { r: { name: "r" } } };
const base = outdir(root, "base", {
  "data-gone": { providers: ["aws"], resources: DATABASE },
  "data-with-time": { providers: ["aws"], resources: DATABASE },
  "in-cluster": { providers: ["helm"], resources: { helm_release: { x: { name: "x" } } } },
});
const head = outdir(root, "head", {
  "data-with-time": { providers: ["aws", "time"], resources: { ...DATABASE, time_sleep: { wait: { create_duration: "30s" } } } },
  "in-cluster": { providers: ["helm"], resources: { helm_release: { x: { name: "x" }, y: { name: "y" } } } },
  "new-roles": { providers: ["aws"], resources: { aws_iam_role: { a: { name: "a" }, b: { name: "b" } } } },
});

describe("replacement gate without plans", () => {
  test("a removed stack destroys everything in it: its guarded resources block; an added stack only creates", async () => {
    const result = await runReplacementGate({ baseOutdir: base, headOutdir: head, workRoot: join(root, "review") });
    const byName = Object.fromEntries(result.stacks.map((s) => [s.stack, s]));
    expect(byName["data-gone"]).toMatchObject({ status: "removed", counts: { create: 0, update: 0, replace: 0, delete: 2 } });
    expect(byName["new-roles"]).toMatchObject({ status: "added", counts: { create: 2, update: 0, replace: 0, delete: 0 } });
    expect(result.blocking).toEqual([expect.objectContaining({ stack: "data-gone", address: "aws_rds_cluster.db", kind: "delete" })]);
    expect(result.passed).toBe(false);
  });

  test("fails closed when a stack with guarded resources can no longer be planned offline (another provider joined it)", async () => {
    const result = await runReplacementGate({ baseOutdir: base, headOutdir: head, workRoot: join(root, "review-2"), stacks: ["data-with-time", "in-cluster"] });
    expect(result.stacks).toEqual([
      expect.objectContaining({ stack: "data-with-time", status: "failed", step: "offline plan", message: expect.stringMatching(/^holds guarded resources \(aws_rds_cluster\) but uses provider time/) }),
      // A stack without guarded resources that cannot be planned is reported, not failed.
      expect.objectContaining({ stack: "in-cluster", status: "not-plannable" }),
    ]);
    expect(result.passed).toBe(false);
  });

  test("throws when asked for a stack neither side has, instead of passing with nothing reviewed", async () => {
    await expect(runReplacementGate({ baseOutdir: base, headOutdir: head, workRoot: join(root, "review-3"), stacks: ["data-gon"] })).rejects.toThrow(
      "no stack named data-gon in the base or the head (known: data-gone, data-with-time, in-cluster, new-roles)",
    );
  });
});
