import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { brokenLinks } from "../../src/docs/links";
import { githubSlug, headings, markdownLinks, markdownSection } from "../../src/docs/markdown";

const ROOT = resolve(__dirname, "..", "..");

/** Every `.md` file under `dir`, recursively. */
function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? markdownFiles(join(dir, entry.name)) : entry.name.endsWith(".md") ? [join(dir, entry.name)] : [],
  );
}

describe("links in README.md and docs/", () => {
  const files = [join(ROOT, "README.md"), ...markdownFiles(join(ROOT, "docs"))];

  test("every relative link points at an existing file, and every #anchor at a heading of it", () => {
    expect(files.length).toBeGreaterThan(10);
    expect(brokenLinks(files, ROOT)).toEqual([]);
  });
});

describe("brokenLinks", () => {
  test("names a missing file, a missing anchor, and an anchor into a non-Markdown file; code, URLs and good links pass", () => {
    const dir = mkdtempSync(join(tmpdir(), "links-"));
    try {
      mkdirSync(join(dir, "docs", "runbooks"), { recursive: true });
      writeFileSync(join(dir, "main.ts"), "");
      writeFileSync(
        join(dir, "README.md"),
        [
          "# Title",
          "See [the stacks](docs/stacks.md#stacks-and-their-order), [state](docs/state.md) and [code](main.ts).",
          "A [missing page](docs/nowhere.md) and [a missing section](docs/stacks.md#no-such-heading).",
          "[Here](#title), [not here](#untitled), [into code](main.ts#top), [web](https://example.com/x.md).",
          "`[in a code span](docs/gone.md)`",
          "```md",
          "[in a fence](docs/gone.md)",
          "```",
        ].join("\n"),
      );
      writeFileSync(join(dir, "docs", "stacks.md"), "# Stacks and their order\n\n[up](../README.md#title), [runbook](runbooks/x.md)\n");
      writeFileSync(join(dir, "docs", "state.md"), "# State\n");
      const broken = brokenLinks([join(dir, "README.md"), join(dir, "docs", "stacks.md")], dir);
      expect(broken).toEqual([
        { file: "README.md", line: 3, target: "docs/nowhere.md", reason: "docs/nowhere.md does not exist" },
        { file: "README.md", line: 3, target: "docs/stacks.md#no-such-heading", reason: "docs/stacks.md has no heading with the anchor #no-such-heading" },
        { file: "README.md", line: 4, target: "#untitled", reason: "README.md has no heading with the anchor #untitled" },
        { file: "README.md", line: 4, target: "main.ts#top", reason: "#top points into main.ts, which is no Markdown file" },
        { file: "docs/stacks.md", line: 3, target: "runbooks/x.md", reason: "docs/runbooks/x.md does not exist" },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("Markdown helpers", () => {
  test("anchors are GitHub's: lower case, punctuation and code marks dropped, repeats numbered", () => {
    expect(githubSlug("Reviewing a change: policy, replacement gate, plan summary")).toBe("reviewing-a-change-policy-replacement-gate-plan-summary");
    expect(githubSlug("GitOps: hub and spokes")).toBe("gitops-hub-and-spokes");
    expect(githubSlug("The project's own CI: `.ci/run`")).toBe("the-projects-own-ci-cirun");
    expect(githubSlug("Outputs for later stacks")).toBe("outputs-for-later-stacks");
    expect(headings("# A\n## A\n```\n# not a heading\n```\n### A\n").map((h) => h.anchor)).toEqual(["a", "a-1", "a-2"]);
  });

  test("links are found across wrapped lines, with their line; code spans and fences hold none", () => {
    const text = "one [two\nthree](a.md) `[x](b.md)` and `` `[y](c.md)` ``\n\n```\n[z](d.md)\n```\n![img](e.png \"title\")";
    expect(markdownLinks(text)).toEqual([
      { target: "a.md", line: 2 },
      { target: "e.png", line: 7 },
    ]);
  });

  test("a section runs to the next heading of its level or higher", () => {
    const doc = "# T\n## A\na\n### A.1\nx\n## B\nb\n";
    expect(markdownSection(doc, "A")).toBe("## A\na\n### A.1\nx\n");
    expect(markdownSection(doc, "B")).toBe("## B\nb\n");
    expect(() => markdownSection(doc, "C")).toThrow(/expected one heading "C", found 0/);
  });
});
