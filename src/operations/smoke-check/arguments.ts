import { parseFlags, wholeNumberFlag } from "../command-line/flags";
import { UsageError } from "../command-line/usage";

/** What the operator asked for, validated. */
export interface SmokeCheckRequest {
  readonly url: URL;
  readonly durationMs: number;
  readonly intervalMs: number;
  /** Per probe, from sending the request to receiving the response status line and headers. */
  readonly timeoutMs: number;
  readonly expectStatus: number;
  /** Skip TLS certificate verification (accelerator DNS names are not on the certificate). */
  readonly insecure: boolean;
  /** Stop as soon as the first outage has recovered. */
  readonly stopAfterRecovery: boolean;
  /** Consecutive successes that end an outage. */
  readonly recoveredAfter: number;
  /** Response header whose value says which region answered, lower-cased; recorded per probe. */
  readonly regionHeader: string | undefined;
  /** Summary as one JSON document on stdout; progress lines go to stderr. */
  readonly json: boolean;
}

/** Shown on `--help` and after every usage error. */
export const USAGE = `usage: npm run smoke-check -- --url <http(s) URL> [options]

  --url <url>                endpoint to probe, e.g. https://a1234.awsglobalaccelerator.com/healthz (required)
  --duration-seconds <n>     how long to probe (default 600, 1 to 86400)
  --interval-ms <n>          one probe starts every <n> ms (default 1000, 100 to 60000)
  --timeout-ms <n>           a probe without a response status within <n> ms fails as "timeout"
                             (default 2000, 100 to 60000; may exceed the interval: probes then overlap,
                             each on its own connection, so the probe rate stays fixed during an outage)
  --expect-status <n>        the HTTP status of a successful probe (default 200)
  --recovered-after <n>      consecutive successes that end an outage (default 5, 1 to 1000)
  --stop-after-recovery      stop as soon as an outage has recovered, instead of probing for the whole duration
  --region-header <name>     response header naming the region that answered (e.g. x-served-by-region);
                             its value is recorded per probe and counted in the summary
  --insecure                 do not verify the TLS certificate: for measuring only, e.g. against the
                             accelerator's own DNS name, which is not on the application's certificate
  --json                     print the summary as JSON on stdout (progress lines go to stderr)
  --help                     print this text

exit codes: 0 finished (with or without outages; also after Ctrl-C), 1 no probe ever succeeded, 2 bad usage`;

/**
 * Parses the command line (the part after `npm run smoke-check --`). Throws {@link UsageError}
 * naming the flag, the value given and the rule it breaks. Returns `"help"` for `--help`.
 */
export function parseSmokeCheckArguments(argv: readonly string[]): SmokeCheckRequest | "help" {
  const values = parseFlags(argv, {
    url: { type: "string" },
    "duration-seconds": { type: "string" },
    "interval-ms": { type: "string" },
    "timeout-ms": { type: "string" },
    "expect-status": { type: "string" },
    "recovered-after": { type: "string" },
    "stop-after-recovery": { type: "boolean" },
    "region-header": { type: "string" },
    insecure: { type: "boolean" },
    json: { type: "boolean" },
    help: { type: "boolean" },
  });
  if (values.help) {
    return "help";
  }

  if (values.url === undefined) {
    throw new UsageError("--url is required: the http:// or https:// endpoint to probe, e.g. https://a1234.awsglobalaccelerator.com/healthz");
  }
  const url = httpUrl(values.url);

  const durationSeconds = wholeNumber("--duration-seconds", values["duration-seconds"], 600, 1, 86_400, "seconds");
  const intervalMs = wholeNumber("--interval-ms", values["interval-ms"], 1000, 100, 60_000, "milliseconds");
  const timeoutMs = wholeNumber("--timeout-ms", values["timeout-ms"], 2000, 100, 60_000, "milliseconds");
  const expectStatus = wholeNumber("--expect-status", values["expect-status"], 200, 100, 599, "HTTP status code");
  const recoveredAfter = wholeNumber("--recovered-after", values["recovered-after"], 5, 1, 1000, "consecutive successes");

  const regionHeader = values["region-header"];
  // RFC 9110 token: what Node accepts as a header name.
  if (regionHeader !== undefined && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(regionHeader)) {
    throw new UsageError(`--region-header "${regionHeader}": must be an HTTP header name (letters, digits and - _ . only, no spaces or colon)`);
  }

  return {
    url,
    durationMs: durationSeconds * 1000,
    intervalMs,
    timeoutMs,
    expectStatus,
    insecure: values.insecure ?? false,
    stopAfterRecovery: values["stop-after-recovery"] ?? false,
    recoveredAfter,
    regionHeader: regionHeader?.toLowerCase(),
    json: values.json ?? false,
  };
}

function httpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--url "${raw}": must be an absolute http:// or https:// URL, e.g. https://a1234.awsglobalaccelerator.com/healthz`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`--url "${raw}": must use http or https, not ${url.protocol.replace(/:$/, "")}`);
  }
  return url;
}

/** A whole number within [min, max], or `fallback` when the flag was not given. */
function wholeNumber(flag: string, raw: string | undefined, fallback: number, min: number, max: number, unit: string): number {
  return raw === undefined ? fallback : wholeNumberFlag(flag, raw, min, max, `a whole number from ${min} to ${max} (${unit})`);
}
