import * as http from "node:http";
import * as https from "node:https";

/** What one probe got back: a response (any status), or the reason there was none. */
export type ProbeResponse =
  | {
      readonly kind: "response";
      readonly status: number;
      /** Value of the `--region-header` response header, when asked for and present. */
      readonly servedBy?: string;
      readonly remoteAddress?: string;
    }
  | {
      readonly kind: "error";
      /** Short and countable: `timeout`, `ECONNREFUSED`, `TLS ERR_TLS_CERT_ALTNAME_INVALID`… */
      readonly error: string;
      /** The underlying message, for the progress line. */
      readonly detail: string;
      readonly remoteAddress?: string;
    };

/**
 * Sends one request and resolves (never rejects) with what came back. `signal` aborts it when the
 * command stops early; the result of an aborted probe is discarded.
 */
export type ProbeFunction = (signal: AbortSignal) => Promise<ProbeResponse>;

export interface ProbeOptions {
  readonly url: URL;
  /** From sending the request to receiving the status line and headers. */
  readonly timeoutMs: number;
  /** Do not verify the server certificate. */
  readonly insecure: boolean;
  /** Lower-case response header whose value names the region that answered. */
  readonly regionHeader: string | undefined;
}

/** Builds the probe the command calls every interval; tests inject their own. */
export type ProbeFactory = (options: ProbeOptions) => ProbeFunction;

/** How a header value may appear in the summary: printable, and short. */
const MAX_HEADER_VALUE = 100;

/**
 * A GET with `node:http`/`node:https` on a new connection every time (`agent: false`, no
 * keep-alive), so each probe resolves DNS, connects and handshakes afresh and Global Accelerator
 * routes it like a new client. Only the response head is waited for; the body is drained in the
 * background and the connection closed.
 */
export const httpProbe: ProbeFactory = (options) => (signal) =>
  new Promise<ProbeResponse>((resolve) => {
    let settled = false;
    let timedOut = false;
    let remoteAddress: string | undefined;

    const headers = { "user-agent": "meridian-smoke-check", connection: "close", "cache-control": "no-cache" };
    const request =
      options.url.protocol === "https:"
        ? https.request(options.url, { method: "GET", agent: false, headers, rejectUnauthorized: !options.insecure })
        : http.request(options.url, { method: "GET", agent: false, headers });

    const finish = (response: ProbeResponse) => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve(response);
    };
    const onAbort = () => {
      finish({ kind: "error", error: "aborted", detail: "the command stopped before this probe finished", remoteAddress });
      request.destroy();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      request.destroy(new Error(`no response within ${options.timeoutMs} ms`));
    }, options.timeoutMs);

    request.on("socket", (socket) => {
      socket.once("connect", () => {
        remoteAddress = socket.remoteAddress;
      });
    });
    request.on("response", (response) => {
      remoteAddress ??= response.socket?.remoteAddress;
      finish({ kind: "response", status: response.statusCode ?? 0, servedBy: headerValue(response, options.regionHeader), remoteAddress });
      // Drain and close; a body that does not end within the timeout is cut off.
      const drain = setTimeout(() => request.destroy(), options.timeoutMs);
      drain.unref();
      response.on("close", () => clearTimeout(drain));
      response.on("error", () => undefined);
      response.resume();
    });
    // Always listened to: an error after the response (a cut-off body) must not crash the process.
    request.on("error", (error: NodeJS.ErrnoException) => {
      finish({ kind: "error", error: timedOut ? "timeout" : errorKind(error), detail: error.message.replace(/\s+/g, " ").trim(), remoteAddress });
    });
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });
    request.end();
  });

/** OpenSSL certificate verification codes that carry neither "CERT" nor "SSL"/"TLS" in their name. */
const TLS_CODES = new Set(["EPROTO", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "HOSTNAME_MISMATCH"]);

/**
 * The countable kind of a request error: the errno-style code (`ECONNREFUSED`, `ECONNRESET`,
 * `ENOTFOUND`, `ETIMEDOUT`…), prefixed `TLS` for handshake and certificate failures.
 */
export function errorKind(error: NodeJS.ErrnoException): string {
  const code = error.code;
  if (!code) {
    return "error";
  }
  if (TLS_CODES.has(code) || /CERT|SSL|TLS/.test(code)) {
    return `TLS ${code}`;
  }
  return code;
}

function headerValue(response: http.IncomingMessage, name: string | undefined): string | undefined {
  if (name === undefined) {
    return undefined;
  }
  const raw = response.headers[name];
  if (raw === undefined) {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  const text = (Array.isArray(raw) ? raw.join(", ") : raw).replace(/[\u0000-\u001f\u007f]/g, "?").trim();
  return text.length > MAX_HEADER_VALUE ? `${text.slice(0, MAX_HEADER_VALUE)}…` : text;
}
