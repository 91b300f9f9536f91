/**
 * Regenerates one value inventory of __tests__/platform/chart-values/inventory/ from a chart's
 * values.yaml read out of a local git copy of its repository at the exact release.
 *
 *   tsx scripts/chart-inventory.ts --chart karpenter --git <git dir> --repo aws/karpenter-provider-aws \
 *     --ref v1.14.1 --path charts/karpenter/values.yaml [--sub <prefix>=<ref>:<path> ...]
 *
 * The chart version is read from the Chart.yaml next to the values file. Every key path of the
 * defaults is recorded, except below the free-form subtrees the existing inventory lists (their
 * reasons are kept; a free-form subtree that no longer exists is reported and dropped).
 * `--sub` adds a subchart's values under its prefix (kube-prometheus-stack's node exporter; with
 * `--sub-git`/`--sub-repo` from another repository, as Argo CD's redis-ha);
 * `--free-form a.b=<reason>` adds a free-form subtree; `--key a.b` adds a key the defaults only mention in a comment (checked to occur in the chart).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { parse } from "yaml";
import { parseFlags } from "../src/operations/command-line/flags";
import { processOutput } from "../src/operations/command-line/output";
import { parseOrExitCode, UsageError } from "../src/operations/command-line/usage";

const USAGE = "usage: tsx scripts/chart-inventory.ts --chart <name> --git <git dir> --repo <owner/name> --ref <tag|commit> --path <values.yaml> [--sub <prefix>=<ref>:<path> ... [--sub-git <git dir> --sub-repo <owner/name>]] [--key <a.b.c> ...] [--free-form <a.b>=<reason> ...]";

const INVENTORY_DIR = join(__dirname, "..", "__tests__", "platform", "chart-values", "inventory");

interface Inventory {
  chart: string;
  version: string;
  source: string;
  additionalSources?: string[];
  versionEvidence?: string;
  keys: string[];
  freeForm: string[];
  freeFormReasons: Record<string, string>;
}

function git(gitDir: string, ...args: string[]): string {
  return execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

function keyPaths(node: unknown, prefix: readonly string[], freeForm: ReadonlySet<string>, out: Set<string>): void {
  if (node === null || typeof node !== "object" || Array.isArray(node)) {
    return;
  }
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (key.includes(".")) {
      // A map entry such as an annotation or label name, not a chart setting.
      continue;
    }
    const path = [...prefix, key];
    const dotted = path.join(".");
    out.add(dotted);
    if (!freeForm.has(dotted)) {
      keyPaths(value, path, freeForm, out);
    }
  }
}

function main(argv: readonly string[]): number {
  const flags = parseOrExitCode(
    () => {
      const values = parseFlags(argv, {
        chart: { type: "string" },
        git: { type: "string" },
        repo: { type: "string" },
        ref: { type: "string" },
        path: { type: "string" },
        sub: { type: "string", multiple: true },
        "sub-git": { type: "string" },
        "sub-repo": { type: "string" },
        key: { type: "string", multiple: true },
        "free-form": { type: "string", multiple: true },
      });
      for (const name of ["chart", "git", "repo", "ref", "path"] as const) {
        if (!values[name]) {
          throw new UsageError(`--${name} is required`);
        }
      }
      return values;
    },
    USAGE,
    processOutput,
    { ok: 0, usage: 2 },
  );
  if (typeof flags === "number") {
    return flags;
  }
  const { chart, git: gitDir, repo, ref, path } = flags as Record<"chart" | "git" | "repo" | "ref" | "path", string>;
  const file = join(INVENTORY_DIR, `${chart}.json`);
  const previous: Inventory | undefined = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Inventory) : undefined;
  const commit = git(gitDir, "rev-parse", `${ref}^{commit}`).trim();
  const chartYaml = parse(git(gitDir, "show", `${commit}:${posix.join(dirname(path), "Chart.yaml")}`)) as { version: string; appVersion?: string };
  const freeForm = new Set(previous?.freeForm ?? []);
  const reasons: Record<string, string> = { ...previous?.freeFormReasons };
  for (const entry of flags["free-form"] ?? []) {
    const [prefix, ...reason] = entry.split("=");
    if (!prefix || reason.length === 0) {
      console.error(`chart-inventory: --free-form ${entry} must be <a.b>=<why anything goes below it>`);
      return 2;
    }
    freeForm.add(prefix);
    reasons[prefix] = reason.join("=");
  }
  const keys = new Set<string>();
  keyPaths(parse(git(gitDir, "show", `${commit}:${path}`)), [], freeForm, keys);
  const additionalSources: string[] = [];
  for (const sub of flags.sub ?? []) {
    const match = /^([^=]+)=([^:]+):(.+)$/.exec(sub);
    if (!match) {
      console.error(`chart-inventory: --sub ${sub} must be <prefix>=<ref>:<path>`);
      return 2;
    }
    const [, prefix, subRef, subPath] = match as unknown as [string, string, string, string];
    const subGit = flags["sub-git"] ?? gitDir;
    const subCommit = git(subGit, "rev-parse", `${subRef}^{commit}`).trim();
    keys.add(prefix);
    keyPaths(parse(git(subGit, "show", `${subCommit}:${subPath}`)), [prefix], freeForm, keys);
    additionalSources.push(`${flags["sub-repo"] ?? repo}@${subCommit}:${subPath}`);
  }
  // Keys the defaults leave commented out (or to a subchart) but the templates read: each must
  // appear in the chart's directory, so a key dropped upstream fails here instead of passing.
  const chartDir = dirname(path);
  const templateKeys: string[] = [];
  for (const key of flags.key ?? []) {
    const leaf = key.split(".").pop()!;
    let found = true;
    try {
      git(gitDir, "grep", "-q", "-F", leaf, commit, "--", chartDir);
    } catch {
      found = false;
    }
    if (!found) {
      console.error(`chart-inventory: --key ${key}: "${leaf}" does not occur under ${chartDir} at ${ref}`);
      return 1;
    }
    const segments = key.split(".");
    segments.forEach((_, i) => keys.add(segments.slice(0, i + 1).join(".")));
    templateKeys.push(key);
  }
  const gone = [...freeForm].filter((prefix) => !keys.has(prefix));
  for (const prefix of gone) {
    console.error(`chart-inventory: free-form subtree ${prefix} is not in ${chart} ${chartYaml.version}; dropped`);
    freeForm.delete(prefix);
  }
  const kept = [...freeForm].sort();
  const inventory: Inventory = {
    chart,
    version: String(chartYaml.version).trim(),
    source: `${repo}@${commit}:${path}`,
    ...(additionalSources.length > 0 ? { additionalSources } : {}),
    versionEvidence:
      `Chart.yaml at ${ref}: version ${chartYaml.version}${chartYaml.appVersion ? `, appVersion ${chartYaml.appVersion}` : ""}` +
      (templateKeys.length > 0 ? `; commented out in the defaults but read by the templates: ${templateKeys.join(", ")}` : ""),
    keys: [...keys].sort(),
    freeForm: kept,
    freeFormReasons: Object.fromEntries(kept.map((prefix) => [prefix, reasons[prefix]!])),
  };
  writeFileSync(file, `${JSON.stringify(inventory, null, 2)}\n`);
  console.log(`${chart} ${inventory.version}: ${inventory.keys.length} keys, ${kept.length} free-form subtrees (${inventory.source})`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
