/**
 * `npm run smoke-check`: measure how long clients saw failures during a region-failure drill
 * (a FIS experiment cutting a region's ingress, an Aurora failover) by probing the Global
 * Accelerator endpoint at a fixed interval.
 *
 *   npm run smoke-check -- --url https://app.example.com/healthz --duration-seconds 900
 *   npm run smoke-check -- --url https://a1234.awsglobalaccelerator.com/healthz --insecure \
 *     --region-header x-served-by-region --stop-after-recovery --json
 *
 * Guide: docs/smoke-check.md. Exit codes: 0 finished (outages or not; also Ctrl-C), 1 no probe
 * ever succeeded, 2 bad usage. Ctrl-C once prints the summary so far; twice quits at once.
 */
import { EXIT, runSmokeCheckCommand } from "../src/operations/smoke-check/command";

async function main(): Promise<number> {
  const interrupt = new AbortController();
  const onSigint = () => {
    if (interrupt.signal.aborted) {
      process.exit(130);
    }
    interrupt.abort();
  };
  process.on("SIGINT", onSigint);
  try {
    return await runSmokeCheckCommand(process.argv.slice(2), { signal: interrupt.signal });
  } finally {
    process.off("SIGINT", onSigint);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`smoke-check could not run: ${error.message}`);
    process.exitCode = EXIT.neverSucceeded;
  },
);
