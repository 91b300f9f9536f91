import { CHARTS } from "@meridian/constructs";
import { SUPPORTED_KUBERNETES_VERSIONS } from "../../src/config/schema";
import {
  SUPPORT_WINDOWS,
  addMonths,
  nodeLines,
  pinnedVersions,
  repositoryPinSources,
  supportCalendar,
  type Pin,
  type SupportWindow,
} from "../../src/config/support-calendar";
import { EXIT, TODAY_VARIABLE, runCurrencyCommand } from "../../src/operations/currency/command";
import type { Output } from "../../src/operations/command-line/output";

function captured(): Output & { readonly outLines: string[]; readonly errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (line) => outLines.push(line), err: (line) => errLines.push(line) };
}

/** A one-pin calendar: `end` is the end of support; `accepted` an optional exception. */
function onePin(end: string, accepted?: SupportWindow["accepted"]) {
  const pins: Pin[] = [{ id: "chart:example", version: "1.0.0", owner: "src/config/charts.ts" }];
  const windows: Record<string, SupportWindow> = {
    "chart:example@1.0.0": { released: "2026-01-01", endOfSupport: end, basis: "rule", source: "example", ...(accepted ? { accepted } : {}) },
  };
  return (today: string, warnDays: number) => supportCalendar(today, pins, windows, warnDays);
}

describe("support calendar", () => {
  const pins = pinnedVersions();

  test("GIVEN the repository's pins THEN every one has a support window for exactly its version", () => {
    const missing = pins.filter((pin) => !SUPPORT_WINDOWS[`${pin.id}@${pin.version}`]).map((pin) => `${pin.id}@${pin.version} (${pin.owner})`);
    expect(missing).toEqual([]);
  });

  test("GIVEN the calendar THEN every window belongs to a pin (a raised pin leaves no stale window behind)", () => {
    const pinned = new Set(pins.map((pin) => `${pin.id}@${pin.version}`));
    expect(Object.keys(SUPPORT_WINDOWS).filter((key) => !pinned.has(key))).toEqual([]);
  });

  test("the calendar covers every chart in charts.ts, the catalogue's Kubernetes and add-ons, Aurora, Terraform, providers, cdktf and Node.js", () => {
    const ids = new Set(pins.map((pin) => pin.id));
    for (const name of Object.keys(CHARTS)) {
      expect(ids).toContain(`chart:${name}`);
    }
    for (const id of ["kubernetes", "eks-addon:vpcCni", "eks-addon:coreDns", "eks-addon:kubeProxy", "eks-addon:ebsCsiDriver", "eks-addon:efsCsiDriver", "eks-addon:podIdentityAgent"]) {
      expect(ids).toContain(id);
    }
    for (const id of ["aurora-postgresql", "terraform", "terraform-provider:hashicorp/aws", "npm:cdktf", "nodejs", "image:provider-family-aws", "image:kubectl"]) {
      expect(ids).toContain(id);
    }
    expect(pins.filter((pin) => pin.id === "kubernetes-accepted").map((pin) => pin.version)).toEqual([...SUPPORTED_KUBERNETES_VERSIONS]);
  });

  test("WHEN a new chart is pinned without a calendar entry THEN the pin is reported as undated", () => {
    const sources = repositoryPinSources();
    const withNewChart = { ...sources, charts: { ...sources.charts, gpuDevicePlugin: { repository: "https://nvidia.github.io/k8s-device-plugin", chart: "nvidia-device-plugin", version: "0.18.0" } } };
    const rows = supportCalendar("2026-12-07", pinnedVersions(withNewChart));
    expect(rows.filter((row) => row.status === "unknown").map((row) => `${row.pin.id}@${row.pin.version}`)).toEqual(["chart:gpuDevicePlugin@0.18.0"]);
  });

  test("WHEN a chart pin is raised without its dates THEN the new version is undated", () => {
    const sources = repositoryPinSources();
    const raised = { ...sources, charts: { ...sources.charts, karpenter: { ...sources.charts.karpenter!, version: "9.9.9" } } };
    const rows = supportCalendar("2026-12-07", pinnedVersions(raised));
    expect(rows.filter((row) => row.status === "unknown").map((row) => row.pin.id)).toEqual(["chart:karpenter"]);
  });

  test("every window cites a source, has ISO dates and ends after it was released", () => {
    for (const [key, window] of Object.entries(SUPPORT_WINDOWS)) {
      expect({ key, source: window.source.length > 10 }).toEqual({ key, source: true });
      expect({ key, end: window.endOfSupport }).toEqual({ key, end: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
      if (window.released) {
        expect({ key, ordered: window.released < window.endOfSupport }).toEqual({ key, ordered: true });
      }
    }
  });

  test("the clusters' Kubernetes minor has at least three months of standard support from 2026-12-07", () => {
    const kubernetes = supportCalendar("2026-12-07").find((row) => row.pin.id === "kubernetes")!;
    expect(kubernetes.daysLeft).toBeGreaterThanOrEqual(90);
  });

  test("addMonths clamps to the month's last day; engines ranges name their lines", () => {
    expect(addMonths("2026-08-31", 6)).toBe("2027-02-28");
    expect(addMonths("2026-02-03", 12)).toBe("2027-02-03");
    expect(nodeLines("^22 || ^24")).toEqual(["22", "24"]);
    expect(() => nodeLines("^22 || latest")).toThrow('engines.node "^22 || latest"');
  });
});

describe("npm run currency", () => {
  test("GIVEN a pin past its end of support WHEN run THEN it exits 1 and names the pin and its owner", () => {
    const output = captured();
    const code = runCurrencyCommand(["--today", "2027-03-01"], { output, env: {}, calendar: onePin("2027-02-28") });
    expect(code).toBe(EXIT.failed);
    expect(output.outLines.join("\n")).toContain("chart:example 1.0.0: support ended 2027-02-28; raise it in src/config/charts.ts");
    expect(output.outLines.join("\n")).toMatch(/chart:example\s+1\.0\.0\s+2026-01-01\s+2027-02-28 \(rule\)\s+-1\s+FAIL past end of support/);
    expect(output.errLines).toEqual(["currency: 1 pins, 1 past end of support or undated, 0 warnings (within 90 days or accepted)"]);
  });

  test("GIVEN a pin within 90 days of its end (90 included) WHEN run THEN it warns and exits 0; on its last day it is still supported", () => {
    for (const today of ["2026-11-30", "2026-12-01", "2027-02-28"]) {
      const output = captured();
      const code = runCurrencyCommand(["--today", today], { output, env: {}, calendar: onePin("2027-02-28") });
      expect(code).toBe(EXIT.ok);
      expect(output.outLines.join("\n")).toContain("WARN expiring");
      expect(output.outLines.at(-1)).toBe("currency: 1 pins, 0 past end of support or undated, 1 warnings (within 90 days or accepted)");
    }
    const quiet = captured();
    expect(runCurrencyCommand(["--today", "2026-11-29"], { output: quiet, env: {}, calendar: onePin("2027-02-28") })).toBe(EXIT.ok);
    expect(quiet.outLines.join("\n")).toMatch(/91\s+ok/);
  });

  test("GIVEN an accepted exception THEN it warns until the exception lapses, then fails", () => {
    const calendar = onePin("2025-12-10", { until: "2027-03-31", reason: "offline mirror" });
    const within = captured();
    expect(runCurrencyCommand(["--today", "2027-03-31"], { output: within, env: {}, calendar })).toBe(EXIT.ok);
    expect(within.outLines.join("\n")).toContain("chart:example 1.0.0: accepted past end of support until 2027-03-31: offline mirror");
    const lapsed = captured();
    expect(runCurrencyCommand(["--today", "2027-04-01"], { output: lapsed, env: {}, calendar })).toBe(EXIT.failed);
    expect(lapsed.outLines.join("\n")).toContain("support ended 2025-12-10 (its exception lapsed 2027-03-31)");
  });

  test(`the date comes from --today, else ${TODAY_VARIABLE}, else the clock`, () => {
    const seen: string[] = [];
    const calendar = (today: string) => {
      seen.push(today);
      return [];
    };
    const now = () => new Date("2026-12-07T23:59:00Z");
    runCurrencyCommand(["--today", "2027-01-02"], { output: captured(), env: { [TODAY_VARIABLE]: "2027-05-05" }, now, calendar });
    runCurrencyCommand([], { output: captured(), env: { [TODAY_VARIABLE]: "2027-05-05" }, now, calendar });
    runCurrencyCommand([], { output: captured(), env: {}, now, calendar });
    expect(seen).toEqual(["2027-01-02", "2027-05-05", "2026-12-07"]);
  });

  test.each([
    [["--today", "2027-02-30"], 'error: --today "2027-02-30": must be a calendar date YYYY-MM-DD'],
    [["--today", "07/12/2026"], 'error: --today "07/12/2026": must be a calendar date YYYY-MM-DD'],
    [["--warn-days=-1"], 'error: --warn-days "-1": must be a whole number of days from 0 to 3650'],
    [["--bogus"], "error: Unknown option '--bogus'"],
  ])("bad usage %j exits 2 with the rule", (argv, message) => {
    const output = captured();
    expect(runCurrencyCommand(argv, { output, env: {}, calendar: () => [] })).toBe(EXIT.usage);
    expect(output.errLines[0]).toContain(message);
  });

  test(`a bad ${TODAY_VARIABLE} is named`, () => {
    const output = captured();
    expect(runCurrencyCommand([], { output, env: { [TODAY_VARIABLE]: "tomorrow" }, calendar: () => [] })).toBe(EXIT.usage);
    expect(output.errLines[0]).toContain(`error: ${TODAY_VARIABLE} "tomorrow": must be a calendar date YYYY-MM-DD`);
  });

  test("GIVEN the repository's pins on 2026-12-07 THEN nothing is past its end of support unaccepted and the table lists every pin", () => {
    const output = captured();
    expect(runCurrencyCommand(["--today", "2026-12-07"], { output, env: {} })).toBe(EXIT.ok);
    const text = output.outLines.join("\n");
    expect(text).not.toContain("FAIL");
    expect(text).toMatch(/kubernetes\s+1\.35\s+2026-01-28\s+2027-03-27 \(published\)\s+110\s+ok/);
    expect(text).toMatch(/chart:karpenter\s+1\.14\.1/);
  });
});
