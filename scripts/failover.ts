/**
 * `npm run failover`: switch over (planned) or fail over (unplanned) an environment's Aurora
 * global database to its other region, then print the catalogue change to commit.
 *
 *   npm run failover -- --environment production --to eu-west-1                     # dry run: checks only
 *   npm run failover -- --environment production --to eu-west-1 --execute           # switchover
 *   npm run failover -- --environment production --to eu-west-1 --mode failover --execute
 *
 * Runbook: docs/runbooks/aurora-global-database.md. Exit codes: 0 done (or dry run passed),
 * 1 refused or failed, 2 bad usage.
 */
import { loadConfiguredCatalogue } from "../src/config/catalogue-source";
import { awsClientFactory } from "../src/operations/aurora-failover/clients";
import { EXIT, runFailoverCommand } from "../src/operations/aurora-failover/command";

async function main(): Promise<number> {
  const { catalogue } = loadConfiguredCatalogue();
  return runFailoverCommand(process.argv.slice(2), { catalogue, clients: awsClientFactory() });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`failover could not run: ${error.message}`);
    process.exitCode = EXIT.refused;
  },
);
