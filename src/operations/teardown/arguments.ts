import type { Catalogue, EnvironmentConfig } from "../../config/schema";
import { environmentFlag, parseFlags, wholeNumberFlag } from "../command-line/flags";
import { UsageError } from "../command-line/usage";

/** What the operator asked for, validated against the catalogue. */
export interface TeardownRequest {
  readonly project: string;
  readonly environment: EnvironmentConfig;
  /** Without it the command only inspects (read-only) and prints what it would do. */
  readonly execute: boolean;
  /** How long each wait (objects gone, nodes terminated, load balancers deleted) may take. */
  readonly waitTimeoutMs: number;
  readonly pollMs: number;
  /** Stop after the in-cluster cleanup and the leftover check: no `cdktf destroy`. */
  readonly skipDestroy: boolean;
  /** Allows tearing down the environment that runs the GitOps hub while other environments' clusters depend on it. */
  readonly includingGitOpsHub: boolean;
  /** AWS CLI profile with credentials for the environment's account. @default - the default credential chain */
  readonly profile?: string;
  /** AWS CLI profile for the GitOps hub's account, when it is another one. @default - `profile` */
  readonly hubProfile?: string;
}

/** Shown on `--help` and after every usage error. */
export const USAGE = `usage: npm run teardown -- --environment <name> [options]

  --environment <name>       catalogue environment to tear down (required)
  --execute                  delete and destroy; without it the command only inspects (read-only) and
                             prints every step it would take (dry run)
  --timeout-minutes <n>      how long each wait may take: Applications, load balancers, nodes (default 20, 1 to 240)
  --poll-seconds <n>         how often a wait checks (default 15, 1 to 600)
  --skip-destroy             clean up inside the clusters and check for leftovers, but run no cdktf destroy
  --including-gitops-hub     allow tearing down the environment that runs the GitOps hub although
                             other environments' clusters are registered with it
  --profile <name>           AWS CLI profile for the environment's account (default: the default credentials)
  --hub-profile <name>       AWS CLI profile for the GitOps hub's account, if it is another one (default: --profile)
  --help                     print this text

order: GitOps (the hub stops managing the clusters and deletes their Applications) → per cluster:
Ingresses, Services of type LoadBalancer, TargetGroupBindings, Karpenter NodePools (waits for the
NodeClaims) and EC2NodeClasses → AWS leftovers (load balancers, Karpenter instances, detached ENIs)
→ cdktf destroy: platform stacks, edge, regional (reader first), global-database.
Runbook: docs/runbooks/teardown.md

exit codes: 0 done (or dry run passed), 1 refused or a step failed (the run stops there; re-run to resume), 2 bad usage`;

/**
 * Parses the command line (the part after `npm run teardown --`) and resolves it against the
 * catalogue. Throws {@link UsageError} naming the flag, the value given and the rule it breaks.
 * Returns `"help"` when `--help` was asked for.
 */
export function parseTeardownArguments(argv: readonly string[], catalogue: Catalogue): TeardownRequest | "help" {
  const values = parseFlags(argv, {
    environment: { type: "string" },
    execute: { type: "boolean" },
    "timeout-minutes": { type: "string" },
    "poll-seconds": { type: "string" },
    "skip-destroy": { type: "boolean" },
    "including-gitops-hub": { type: "boolean" },
    profile: { type: "string" },
    "hub-profile": { type: "string" },
    help: { type: "boolean" },
  });
  if (values.help) {
    return "help";
  }
  const environment = environmentFlag(catalogue.environments, values.environment, "the catalogue environment to tear down");
  const timeoutMinutes = wholeNumber("--timeout-minutes", values["timeout-minutes"], 20, 1, 240, "minutes");
  const pollSeconds = wholeNumber("--poll-seconds", values["poll-seconds"], 15, 1, 600, "seconds");
  if (pollSeconds > timeoutMinutes * 60) {
    throw new UsageError(`--poll-seconds "${pollSeconds}": must not exceed --timeout-minutes (${timeoutMinutes} min = ${timeoutMinutes * 60} s)`);
  }
  for (const flag of ["profile", "hub-profile"] as const) {
    const value = values[flag];
    if (value !== undefined && !/^[\w+=,.@-]{1,64}$/.test(value)) {
      throw new UsageError(`--${flag} "${value}": must be an AWS CLI profile name (letters, digits and _+=,.@-)`);
    }
  }
  return {
    project: catalogue.project,
    environment,
    execute: values.execute ?? false,
    waitTimeoutMs: timeoutMinutes * 60_000,
    pollMs: pollSeconds * 1000,
    skipDestroy: values["skip-destroy"] ?? false,
    includingGitOpsHub: values["including-gitops-hub"] ?? false,
    profile: values.profile,
    hubProfile: values["hub-profile"] ?? values.profile,
  };
}

/** A whole number within [min, max], or `fallback` when the flag was not given. */
function wholeNumber(flag: string, raw: string | undefined, fallback: number, min: number, max: number, unit: string): number {
  return raw === undefined ? fallback : wholeNumberFlag(flag, raw, min, max, `a whole number of ${unit} from ${min} to ${max}`);
}
