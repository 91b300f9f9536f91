import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RULES } from "../../src/policy/rules/catalogue";

describe("docs/policy.md", () => {
  const doc = readFileSync(join(__dirname, "..", "..", "docs", "policy.md"), "utf8");

  test.each(RULES.map((rule) => [rule.id, rule] as const))("lists %s with its public ids, severity and kind", (id, rule) => {
    const row = doc.split("\n").find((line) => line.startsWith(`| \`${id}\` |`));
    expect(row).toBeDefined();
    for (const publicId of rule.publicIds) {
      expect(row).toContain(publicId);
    }
    expect(row).toContain(`| ${rule.severity} | ${rule.kind} |`);
  });

  test("lists no rule that does not exist", () => {
    const listed = [...doc.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(RULES.map((r) => r.id).sort());
  });
});
