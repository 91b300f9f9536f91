/**
 * `npm run evacuate`: move an environment's traffic, Aurora writer and capacity out of one region
 * (or, with --fail-back, back), step by step, with a smoke check throughout and an evidence report.
 *
 *   npm run evacuate -- --environment production --from us-east-1                 # dry run: plan and checks
 *   npm run evacuate -- --environment production --from us-east-1 --execute
 *   npm run evacuate -- --environment production --from us-east-1 --fail-back --execute
 *   npm run evacuate -- --environment staging --from us-east-1 --rehearse
 *
 * Documentation: docs/runbooks/region-evacuation.md. Exit codes: 0 done (or dry run passed),
 * 1 refused or a step failed, 2 bad usage.
 */
import { loadConfiguredCatalogue } from "../src/config/catalogue-source";
import { awsEvacuationClients } from "../src/operations/region-evacuation/clients";
import { EXIT, runEvacuationCommand } from "../src/operations/region-evacuation/command";
import { processRunner } from "../src/operations/teardown/runner";

async function main(): Promise<number> {
  const { catalogue } = loadConfiguredCatalogue();
  return runEvacuationCommand(process.argv.slice(2), { catalogue, clients: awsEvacuationClients(processRunner) });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`evacuate could not run: ${error.message}`);
    process.exitCode = EXIT.failed;
  },
);
