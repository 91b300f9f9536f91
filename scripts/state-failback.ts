/**
 * `npm run state-failback`: after an outage of the state's home region, reconcile the DynamoDB
 * state digests and remove stale S3 lock files so every stack runs on the home site again.
 *
 *   npm run state-failback                # dry run: survey and say what would change
 *   npm run state-failback -- --execute   # write the digests, delete the stale lock files
 *
 * Runbook: docs/runbooks/state-failback.md. Exit codes: 0 done (or dry run), 1 refused or failed, 2 bad usage.
 */
import { loadConfiguredCatalogue } from "../src/config/catalogue-source";
import { awsSiteClientFactory } from "../src/operations/state-failback/clients";
import { EXIT, runStateFailbackCommand } from "../src/operations/state-failback/command";

async function main(): Promise<number> {
  const { catalogue } = loadConfiguredCatalogue();
  return runStateFailbackCommand(process.argv.slice(2), { catalogue, clients: awsSiteClientFactory() });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`state-failback could not run: ${error.message}`);
    process.exitCode = EXIT.refused;
  },
);
