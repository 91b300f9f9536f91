/**
 * `npm run currency`: release and end-of-support dates of every pinned thing (Kubernetes, EKS
 * add-ons, charts, Aurora, Terraform and providers, cdktf, Node.js), days left for each, and
 * where the dates were read (src/config/support-calendar.ts).
 *
 *   npm run currency                        # today (UTC)
 *   npm run currency -- --today 2027-01-15  # or CURRENCY_TODAY=2027-01-15
 *   npm run currency -- --json
 *
 * Exit codes: 0 all supported (warnings inside 90 days or for accepted exceptions are printed),
 * 1 a pin is past its end of support or has no dates, 2 bad usage. Guide: docs/upgrading.md.
 */
import { runCurrencyCommand } from "../src/operations/currency/command";

try {
  process.exitCode = runCurrencyCommand(process.argv.slice(2));
} catch (error) {
  console.error(`currency could not run: ${(error as Error).message}`);
  process.exitCode = 2;
}
