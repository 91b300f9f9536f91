/**
 * `npm run teardown`: take an environment down in an order that leaves `cdktf destroy` nothing a
 * controller created outside Terraform: Argo CD Applications, load balancers, Karpenter nodes,
 * detached ENIs; then destroy its stacks one by one.
 *
 *   npm run teardown -- --environment staging                    # dry run: read-only inspection
 *   npm run teardown -- --environment staging --execute
 *   npm run teardown -- --environment staging --execute --skip-destroy
 *
 * Runbook: docs/runbooks/teardown.md. Needs kubectl, the AWS CLI and credentials for the
 * environment's account (and the GitOps hub's). Exit codes: 0 done (or dry run passed),
 * 1 refused or a step failed, 2 bad usage.
 */
import { loadConfiguredCatalogue } from "../src/config/catalogue-source";
import { EXIT, runTeardownCommand } from "../src/operations/teardown/command";

async function main(): Promise<number> {
  const { catalogue } = loadConfiguredCatalogue();
  return runTeardownCommand(process.argv.slice(2), { catalogue });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`teardown could not run: ${error.message}`);
    process.exitCode = EXIT.failed;
  },
);
