import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { CHARTS, type ChartName } from "@meridian/constructs";
import { synthStacks, type Block } from "../../helpers";

/**
 * Every key of the Helm values the platform stacks render must exist in the installed chart's
 * default values.yaml (or sit under a subtree the chart passes through unchecked). Helm ignores an
 * unknown key silently, so a misspelt or renamed key is a setting that never took effect.
 *
 * The charts cannot be downloaded here, so `inventory/<chart>.json` records the key paths of the
 * upstream values.yaml as read from a git copy of the chart's repository at the release
 * (`source`: repository@commit:path), plus the free-form subtrees with the reason each one is
 * free-form. `tsx scripts/chart-inventory.ts` writes an inventory (see docs/upgrading.md).
 */

interface Inventory {
  readonly chart: string;
  /** The chart version of the values.yaml that was read (not necessarily the pin). */
  readonly version: string;
  readonly source: string;
  readonly additionalSources?: readonly string[];
  readonly versionEvidence?: string;
  readonly keys: readonly string[];
  readonly freeForm: readonly string[];
  readonly freeFormReasons: Readonly<Record<string, string>>;
}

/** Pinned charts no stack installs, with the reason they need no inventory. */
const NOT_INSTALLED: Partial<Record<ChartName, string>> = {
  argoCdApps: "the bootstrap ApplicationSet/AppProject go through the in-repo manifests chart (ManifestsRelease), see docs/gitops.md",
};

/**
 * Charts whose inventory was read at another version than the pin (the public index did not hold
 * the pinned release). `read` must equal the inventory's `version`, so the table stays in step
 * with the files; drop an entry when the inventory is re-read at the pin.
 */
const VERSION_MISMATCH_ACKNOWLEDGED: Partial<Record<ChartName, { readonly read: string; readonly reason: string }>> = {};

const INVENTORY_DIR = join(__dirname, "inventory");

function loadInventories(): Map<string, Inventory> {
  return new Map(
    readdirSync(INVENTORY_DIR)
      .filter((file) => file.endsWith(".json"))
      .map((file) => {
        const inventory = JSON.parse(readFileSync(join(INVENTORY_DIR, file), "utf8")) as Inventory;
        return [file.replace(/\.json$/, ""), inventory] as const;
      }),
  );
}

interface Violation {
  readonly path: string;
  /** Known keys next to where the path left the inventory, closest spelling first. */
  readonly nearest: readonly string[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Levenshtein distance, case-insensitive. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length]!;
}

/** Checks value key paths against one chart's inventory. */
class KeyChecker {
  private readonly keys: ReadonlySet<string>;

  constructor(private readonly inventory: Inventory) {
    this.keys = new Set(inventory.keys);
  }

  /** Unknown key paths of a values tree; arrays and scalars are leaves (Helm replaces them whole). */
  checkValues(values: unknown): Violation[] {
    const violations: Violation[] = [];
    const walk = (node: Record<string, unknown>, path: readonly string[]) => {
      for (const [key, value] of Object.entries(node)) {
        const child = [...path, key];
        if (this.isFreeForm(child)) {
          continue;
        }
        if (!this.keys.has(child.join("."))) {
          violations.push(this.violation(child));
          continue;
        }
        if (isPlainObject(value)) {
          walk(value, child);
        }
      }
    };
    if (isPlainObject(values)) {
      walk(values, []);
    }
    return violations;
  }

  /** Unknown key paths among `--set` style names (`a.b.c`, `\.` escaping a literal dot). */
  checkSetNames(names: readonly string[]): Violation[] {
    return names.flatMap((name) => {
      const path = name.split(/(?<!\\)\./).map((segment) => segment.replace(/\\\./g, "."));
      for (let depth = 1; depth <= path.length; depth++) {
        const prefix = path.slice(0, depth);
        if (this.isFreeForm(prefix)) {
          return [];
        }
        if (!this.keys.has(prefix.join("."))) {
          return [this.violation(prefix)];
        }
      }
      return [];
    });
  }

  private isFreeForm(path: readonly string[]): boolean {
    const dotted = path.join(".");
    return this.inventory.freeForm.some((prefix) => dotted === prefix || dotted.startsWith(`${prefix}.`));
  }

  private violation(path: readonly string[]): Violation {
    let known = path.length - 1;
    while (known > 0 && !this.keys.has(path.slice(0, known).join("."))) {
      known--;
    }
    const parent = path.slice(0, known);
    const unknownSegment = path[known]!;
    const siblings = this.inventory.keys.filter((key) => {
      const segments = key.split(".");
      return segments.length === parent.length + 1 && parent.every((segment, i) => segments[i] === segment);
    });
    const nearest = siblings
      .map((key) => ({ key, score: distance(unknownSegment, key.split(".").pop()!) }))
      .sort((a, b) => a.score - b.score || a.key.localeCompare(b.key))
      .slice(0, 5)
      .map(({ key }) => key);
    return { path: path.join("."), nearest };
  }
}

interface RenderedRelease {
  readonly stack: string;
  readonly id: string;
  readonly chart: string;
  readonly version: unknown;
  readonly values: unknown[];
  readonly setNames: string[];
}

function renderedReleases(): RenderedRelease[] {
  const releases: RenderedRelease[] = [];
  for (const [stack, json] of synthStacks()) {
    for (const [id, block] of Object.entries(json.resource.helm_release ?? {})) {
      // Charts kept in the repository (the manifests chart) have no repository and no pin.
      if (typeof block.repository !== "string") {
        continue;
      }
      const values = ((block.values as string[] | undefined) ?? []).map((text) => parse(text) as unknown);
      const setNames = ["set", "set_sensitive", "set_list"].flatMap((attribute) => ((block[attribute] as Block[] | undefined) ?? []).map((entry) => String(entry.name)));
      releases.push({ stack, id, chart: String(block.chart), version: block.version, values, setNames });
    }
  }
  return releases;
}

const inventories = loadInventories();
const releases = renderedReleases();
const pinnedCharts = Object.entries(CHARTS) as [ChartName, (typeof CHARTS)[ChartName]][];
const installedCharts = pinnedCharts.filter(([name]) => NOT_INSTALLED[name] === undefined);

describe("chart value keys exist in the charts' upstream values", () => {
  test("the synthesized platform stacks install Helm releases", () => {
    expect(releases.length).toBeGreaterThan(0);
  });

  test("every pinned chart has an inventory, or a reason no stack installs it", () => {
    for (const [name, pin] of pinnedCharts) {
      if (NOT_INSTALLED[name] !== undefined) {
        expect(releases.filter((release) => release.chart === pin.chart)).toEqual([]);
        continue;
      }
      const inventory = inventories.get(pin.chart);
      expect({ name, file: inventory ? `${pin.chart}.json` : "missing" }).toEqual({ name, file: `${pin.chart}.json` });
      expect(inventory!.chart).toBe(pin.chart);
    }
    expect([...inventories.keys()].sort()).toEqual(installedCharts.map(([, pin]) => pin.chart).sort());
  });

  test("every release uses a pinned chart at its pinned version", () => {
    const pins = new Map<string, string>(pinnedCharts.map(([, pin]) => [pin.chart, pin.version]));
    for (const release of releases) {
      expect({ release: `${release.stack}/${release.id}`, chart: release.chart, version: release.version }).toEqual({
        release: `${release.stack}/${release.id}`,
        chart: release.chart,
        version: pins.get(release.chart),
      });
    }
  });

  test("each inventory was read at the pinned version, or the gap is acknowledged", () => {
    for (const [name, pin] of installedCharts) {
      const inventory = inventories.get(pin.chart)!;
      const acknowledged = VERSION_MISMATCH_ACKNOWLEDGED[name];
      if (inventory.version === pin.version) {
        expect({ name, staleAcknowledgement: acknowledged }).toEqual({ name, staleAcknowledgement: undefined });
      } else {
        expect({ name, read: acknowledged?.read }).toEqual({ name, read: inventory.version });
        expect(acknowledged!.reason).not.toBe("");
      }
    }
    const unknown = Object.keys(VERSION_MISMATCH_ACKNOWLEDGED).filter((name) => !(name in CHARTS));
    expect(unknown).toEqual([]);
  });

  test.each([...inventories.entries()])("%s inventory is well-formed and cites its source", (file, inventory) => {
    expect(inventory.chart).toBe(file);
    expect(inventory.source).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}:\S+$/);
    for (const source of inventory.additionalSources ?? []) {
      expect(source).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}:\S+$/);
    }
    expect([...inventory.keys]).toEqual([...new Set(inventory.keys)].sort());
    const keys = new Set(inventory.keys);
    // A key implies its parents.
    expect(inventory.keys.filter((key) => key.includes(".") && !keys.has(key.slice(0, key.lastIndexOf("."))))).toEqual([]);
    expect(inventory.freeForm.filter((prefix) => !keys.has(prefix))).toEqual([]);
    expect(inventory.freeForm.filter((prefix) => !inventory.freeFormReasons[prefix])).toEqual([]);
    expect(Object.keys(inventory.freeFormReasons).sort()).toEqual([...inventory.freeForm].sort());
  });

  test.each(installedCharts.map(([name, pin]) => [pin.chart, name] as const))("%s: every value key our releases set exists upstream", (chart) => {
    const inventory = inventories.get(chart)!;
    const checker = new KeyChecker(inventory);
    const ofChart = releases.filter((release) => release.chart === chart);
    expect(ofChart.length).toBeGreaterThan(0);
    // One line per unknown path, naming a release that sets it.
    const problems = new Map<string, string>();
    for (const release of ofChart) {
      for (const violation of [...release.values.flatMap((values) => checker.checkValues(values)), ...checker.checkSetNames(release.setNames)]) {
        if (!problems.has(violation.path)) {
          const nearest = violation.nearest.join(", ") || "(none)";
          problems.set(violation.path, `${chart}: "${violation.path}" (set by ${release.stack}/${release.id}) is not in the chart's values; nearest known keys: ${nearest}`);
        }
      }
    }
    expect([...problems.values()]).toEqual([]);
  });

  test("a misspelt key is reported with the nearest known keys", () => {
    const checker = new KeyChecker(inventories.get("karpenter")!);
    const violations = checker.checkValues({
      serviceAcount: { create: true },
      settings: { clusterNmae: "meridian", interruptionQueue: "q" },
      // Free-form subtree: anything goes under controller.resources.
      controller: { resources: { requests: { anything: "1" } } },
      replicas: 2,
    });
    expect(violations.map((violation) => violation.path)).toEqual(["serviceAcount", "settings.clusterNmae"]);
    expect(violations[0]!.nearest[0]).toBe("serviceAccount");
    expect(violations[1]!.nearest[0]).toBe("settings.clusterName");
    expect(checker.checkSetNames(["settings.clusterName", "podDisruptionBudget.maxUnavaliable", "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"])).toEqual([
      { path: "podDisruptionBudget.maxUnavaliable", nearest: expect.arrayContaining(["podDisruptionBudget.maxUnavailable"]) },
    ]);
  });
});
