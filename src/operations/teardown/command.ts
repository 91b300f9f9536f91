import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Catalogue } from "../../config/schema";
import { systemClock, type Clock } from "../command-line/clock";
import { messageOf, processOutput, type Output } from "../command-line/output";
import { parseOrExitCode } from "../command-line/usage";
import { USAGE, parseTeardownArguments } from "./arguments";
import { teardownPlan } from "./plan";
import { processRunner, type CommandRunner } from "./runner";
import { StepFailure, formatDuration, type ClusterFacts, type StepContext } from "./steps";

/** 0: done, or a dry run that could inspect everything. 1: refused, or a step failed. 2: bad usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface TeardownDependencies {
  /** The validated catalogue the environment is looked up in. */
  readonly catalogue: Catalogue;
  /** @default processRunner (child processes: kubectl, aws, npx cdktf) */
  readonly run?: CommandRunner;
  /** @default processOutput */
  readonly output?: Output;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Kubeconfig file the command writes its cluster contexts to. @default <tmpdir>/<project>-teardown-<environment>.kubeconfig */
  readonly kubeconfig?: string;
}

/**
 * `npm run teardown -- --environment <name> [--execute]`: removes what controllers created
 * outside Terraform (Argo CD's workloads, load balancers, Karpenter nodes, detached ENIs) in a
 * fixed order with a bounded wait after each step, then runs `cdktf destroy` stack by stack.
 * Without `--execute` it runs only read-only commands and prints every change it would make.
 * It stops at the first failing step; every step is idempotent, so a re-run resumes.
 * Returns the process exit code ({@link EXIT}).
 */
export async function runTeardownCommand(argv: readonly string[], deps: TeardownDependencies): Promise<number> {
  const output = deps.output ?? processOutput;
  const clock = deps.clock ?? systemClock;
  const request = parseOrExitCode(() => parseTeardownArguments(argv, deps.catalogue), USAGE, output, EXIT);
  if (typeof request === "number") {
    return request;
  }
  const plan = teardownPlan(deps.catalogue, request);
  const environment = request.environment.name;
  if (plan.refusal) {
    output.err(`refused: ${plan.refusal}`);
    return EXIT.failed;
  }

  output.out(`${request.execute ? "" : "[dry run] "}teardown of environment ${environment}: ${plan.steps.length} steps`);
  plan.steps.forEach((step, index) => output.out(`  ${String(index + 1).padStart(2)}. ${step.title}`));
  if (request.skipDestroy) {
    output.out(`  (--skip-destroy: then cdktf destroy ${plan.stacks.map((s) => s.name).join(", ")} by hand, in this order)`);
  }
  output.out("");

  const ctx: StepContext = {
    run: deps.run ?? processRunner,
    output,
    clock,
    execute: request.execute,
    waitTimeoutMs: request.waitTimeoutMs,
    pollMs: request.pollMs,
    kubeconfig: deps.kubeconfig ?? join(tmpdir(), `${request.project}-teardown-${environment}.kubeconfig`),
    clusters: new Map<string, ClusterFacts>(),
  };
  const started = clock.now();
  for (const [index, step] of plan.steps.entries()) {
    output.out(`[${index + 1}/${plan.steps.length}] ${step.title}`);
    let summary: string;
    try {
      const outcome = await step.perform(ctx);
      if (outcome.status === "failed") {
        throw new StepFailure(outcome.summary, outcome.hint);
      }
      summary = outcome.status === "skipped" ? `skipped: ${outcome.summary}` : outcome.summary;
    } catch (error) {
      output.err(`step ${index + 1} failed: ${messageOf(error)}`);
      if (error instanceof StepFailure && error.hint) {
        output.err(`hint: ${error.hint}`);
      }
      output.err(
        `stopped after ${formatDuration(clock.now() - started)}; ${index === 0 ? "no step completed" : `steps 1-${index} are complete`} and nothing after step ${index + 1} ran. ` +
          `Every step is safe to repeat: fix the cause and re-run \`npm run teardown -- ${argv.join(" ")}\`.`,
      );
      return EXIT.failed;
    }
    output.out(`    ${summary}`);
  }
  output.out("");
  if (!request.execute) {
    output.out("dry run complete: nothing was changed. Re-run with --execute to tear the environment down.");
  } else if (request.skipDestroy) {
    output.out(`in-cluster cleanup done after ${formatDuration(clock.now() - started)}; no stack was destroyed (--skip-destroy).`);
  } else {
    output.out(`environment ${environment} torn down after ${formatDuration(clock.now() - started)}. Remove it from src/config/catalogue.ts and deploy the hub's platform stack to deregister its clusters from Argo CD.`);
  }
  return EXIT.ok;
}
