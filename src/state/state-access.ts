import type { StateAccessGrant } from "@meridian/constructs";
import { iamRoleArn, partitionOf } from "@meridian/constructs";
import { gitOpsHubSite, isGitOpsHub } from "../config/gitops-hub";
import {
  ciRoleArn,
  hubNetworkStackName,
  regionalStackName,
  stateAccessRoleName,
  stateKey,
  stateKeyPrefix,
  type StateAccess,
} from "../config/naming";
import type { Catalogue, EnvironmentConfig, StateConfig } from "../config/schema";

/**
 * Who may reach an environment's Terraform state, and what they may reach. The state bucket, lock
 * table and key live in the state account while each environment's stacks run with its own
 * account's CI role, so every backend and every remote-state read assumes one of two roles that
 * `state-bootstrap` creates in the state account:
 *
 * - the **writer** (trusts the environment's deploy role): read/write of the environment's own
 *   state keys and lock items, encrypt/decrypt with the state key — the backend of a deploy;
 * - the **reader** (trusts the deploy and the plan role): read of the environment's own keys and of
 *   the other environments' keys its stacks read through `terraform_remote_state`, the digest
 *   items of its own keys, decrypt — the backend of a pull-request plan (`-lock=false`), and every
 *   remote-state read.
 *
 * This module is the one owner of those grants: the stacks take the keys they read from here.
 */
export type EnvironmentStateAccess = StateAccessGrant;

/** The state key of an environment's regional stack in `region`: what the hub's network and platform stacks read. */
export function regionalStateKey(catalogue: Catalogue, environment: string, region: string): string {
  return stateKey(catalogue.project, environment, regionalStackName(environment, region));
}

/** The state key of the GitOps hub's network stack: what every spoke's hub-link stack reads. */
export function hubNetworkStateKey(catalogue: Catalogue): string {
  const hub = catalogue.gitopsHub.environment;
  return stateKey(catalogue.project, hub, hubNetworkStackName(hub));
}

/**
 * State keys of other environments that `environment`'s stacks read. The hub environment's
 * hub-network and hub platform stacks read every joined cluster's regional stack; every joined
 * spoke cluster's hub-link stack reads the hub network's state.
 */
export function otherEnvironmentKeysRead(catalogue: Catalogue, environment: EnvironmentConfig): string[] {
  const keys = new Set<string>();
  const hub = gitOpsHubSite(catalogue);
  if (environment.name === hub.environment.name) {
    // Only joined environments: the hub reads no state of one that has not joined (joinedToHub).
    for (const other of catalogue.environments.filter((e) => e.joinedToHub)) {
      other.regions.forEach((r) => keys.add(regionalStateKey(catalogue, other.name, r.region)));
    }
  }
  if (environment.joinedToHub && environment.regions.some((r) => !isGitOpsHub(catalogue, environment.name, r.region))) {
    keys.add(hubNetworkStateKey(catalogue));
  }
  const own = stateKeyPrefix(catalogue.project, environment.name);
  return [...keys].filter((key) => !key.startsWith(own)).sort();
}

/** The state access of every environment of the catalogue, in catalogue order. */
export function stateAccessOf(catalogue: Catalogue): EnvironmentStateAccess[] {
  return catalogue.environments.map((environment) => ({
    environment: environment.name,
    writerRoleName: stateAccessRoleName(catalogue.project, environment.name, "write"),
    readerRoleName: stateAccessRoleName(catalogue.project, environment.name, "read"),
    deployRoleArn: ciRoleArn(catalogue.project, environment, "deploy"),
    planRoleArn: ciRoleArn(catalogue.project, environment, "plan"),
    ownKeyPrefix: stateKeyPrefix(catalogue.project, environment.name),
    otherKeysRead: otherEnvironmentKeysRead(catalogue, environment),
  }));
}

/** ARN of an environment's state-access role in the state account. */
export function stateAccessRoleArn(state: StateConfig, project: string, environment: string, access: StateAccess): string {
  return iamRoleArn(partitionOf(state.region), state.accountId, stateAccessRoleName(project, environment, access));
}
