import { WARN_DAYS, supportCalendar, type CalendarRow, type Pin } from "../../config/support-calendar";
import { parseFlags, wholeNumberFlag } from "../command-line/flags";
import { processOutput, type Output } from "../command-line/output";
import { UsageError, parseOrExitCode } from "../command-line/usage";

/** 0: every pin supported (warnings allowed). 1: a pin is past its end of support or has no dates. 2: bad usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The environment variable that sets the date compared against, like `--today`. */
export const TODAY_VARIABLE = "CURRENCY_TODAY";

export const USAGE = [
  "usage: npm run currency -- [--today YYYY-MM-DD] [--warn-days <n>] [--json]",
  "",
  `  --today      the date to compare against (default: ${TODAY_VARIABLE}, else the current UTC date)`,
  `  --warn-days  warn when a pin has this many days of support left or fewer (default ${WARN_DAYS})`,
  "  --json       print the rows as JSON instead of the table",
].join("\n");

export interface CurrencyRequest {
  readonly today: string;
  readonly warnDays: number;
  readonly json: boolean;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isoDate(flag: string, raw: string): string {
  const value = raw.trim();
  if (!ISO_DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new UsageError(`${flag} "${raw}": must be a calendar date YYYY-MM-DD`);
  }
  return value;
}

export function parseCurrencyArguments(argv: readonly string[], env: NodeJS.ProcessEnv, now: () => Date): CurrencyRequest | "help" {
  const flags = parseFlags(argv, {
    today: { type: "string" },
    "warn-days": { type: "string" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  });
  if (flags.help) {
    return "help";
  }
  const envToday = env[TODAY_VARIABLE];
  const today =
    flags.today !== undefined
      ? isoDate("--today", flags.today)
      : envToday !== undefined && envToday !== ""
        ? isoDate(TODAY_VARIABLE, envToday)
        : now().toISOString().slice(0, 10);
  const warnDays = flags["warn-days"] === undefined ? WARN_DAYS : wholeNumberFlag("--warn-days", flags["warn-days"], 0, 3650, "a whole number of days from 0 to 3650");
  return { today, warnDays, json: flags.json };
}

const STATUS_TEXT: Record<CalendarRow["status"], string> = {
  ok: "ok",
  expiring: "WARN expiring",
  accepted: "WARN past end, accepted",
  expired: "FAIL past end of support",
  unknown: "FAIL no support dates",
};

/** The table: one line per pin, soonest end of support first, then the sources and exceptions. */
export function formatCalendar(rows: readonly CalendarRow[], today: string): string {
  const sorted = [...rows].sort((a, b) => (a.daysLeft ?? -Infinity) - (b.daysLeft ?? -Infinity) || a.pin.id.localeCompare(b.pin.id));
  const table = [
    ["pin", "version", "released", "end of support", "days left", "status"],
    ...sorted.map((row) => [
      row.pin.id,
      row.pin.version,
      row.window?.released ?? "-",
      row.window ? `${row.window.endOfSupport} (${row.window.basis})` : "-",
      row.daysLeft === undefined ? "-" : String(row.daysLeft),
      STATUS_TEXT[row.status],
    ]),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((line) => line[column]!.length)));
  const lines = table.map((line) => line.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd());
  lines.splice(1, 0, widths.map((width) => "-".repeat(width)).join("  "));
  const notes: string[] = [];
  for (const row of sorted) {
    if (row.status === "unknown") {
      notes.push(`${describe(row.pin)}: no window in SUPPORT_WINDOWS (src/config/support-calendar.ts) for "${row.pin.id}@${row.pin.version}"; add its release and end-of-support dates and where they were read`);
    } else if (row.status === "expired") {
      const lapsed = row.window!.accepted ? ` (its exception lapsed ${row.window!.accepted.until})` : "";
      notes.push(`${describe(row.pin)}: support ended ${row.window!.endOfSupport}${lapsed}; raise it in ${row.pin.owner}`);
    }
  }
  // One line per exception, naming every pin it covers.
  const exceptions = new Map<string, string[]>();
  for (const row of sorted.filter((r) => r.status === "accepted")) {
    const key = `accepted past end of support until ${row.window!.accepted!.until}: ${row.window!.accepted!.reason}`;
    exceptions.set(key, [...(exceptions.get(key) ?? []), describe(row.pin)]);
  }
  for (const [exception, pins] of exceptions) {
    notes.push(`${pins.join(", ")}: ${exception}`);
  }
  const sources = sorted.filter((row) => row.window).map((row) => `  ${row.pin.id}@${row.pin.version}: ${row.window!.source}`);
  return [`support calendar on ${today}`, "", ...lines, "", ...(notes.length > 0 ? [...notes, ""] : []), "sources:", ...sources].join("\n");
}

function describe(pin: Pin): string {
  return `${pin.id} ${pin.version}`;
}

export interface CurrencyDependencies {
  readonly output?: Output;
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: () => Date;
  /** @default supportCalendar over the repository's pins */
  readonly calendar?: (today: string, warnDays: number) => CalendarRow[];
}

/**
 * `npm run currency`: the support calendar of every pin on a date, soonest end first. Exits 1
 * when a pin is past its end of support (and not under a standing exception) or has no dates;
 * pins within the warning window, and accepted exceptions, are printed as warnings.
 */
export function runCurrencyCommand(argv: readonly string[], deps: CurrencyDependencies = {}): number {
  const output = deps.output ?? processOutput;
  const request = parseOrExitCode(() => parseCurrencyArguments(argv, deps.env ?? process.env, deps.now ?? (() => new Date())), USAGE, output, EXIT);
  if (typeof request === "number") {
    return request;
  }
  const rows = (deps.calendar ?? ((today, warnDays) => supportCalendar(today, undefined, undefined, warnDays)))(request.today, request.warnDays);
  if (request.json) {
    output.out(JSON.stringify({ today: request.today, warnDays: request.warnDays, rows }, null, 2));
  } else {
    output.out(formatCalendar(rows, request.today));
  }
  const failed = rows.filter((row) => row.status === "expired" || row.status === "unknown");
  const warned = rows.filter((row) => row.status === "expiring" || row.status === "accepted");
  const summary = `currency: ${rows.length} pins, ${failed.length} past end of support or undated, ${warned.length} warnings (within ${request.warnDays} days or accepted)`;
  if (failed.length > 0) {
    output.err(summary);
    return EXIT.failed;
  }
  output.out(summary);
  return EXIT.ok;
}
