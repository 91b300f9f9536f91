import { DataTerraformRemoteStateS3, S3Backend, type TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { replicaBucketName } from "../config/naming";
import type { StateConfig } from "../config/schema";

/**
 * Which copy of the state the stacks use. `replica` is for an outage of the state's home region:
 * the replica bucket and the lock table's replica in `state.replicaRegion` take over.
 */
export type StateSite = "primary" | "replica";

export const STATE_SITES: readonly StateSite[] = ["primary", "replica"];

/**
 * Stores a stack's state in the platform's state bucket under `key`, locked twice:
 * the DynamoDB table (all Terraform versions) and S3-native lock files (`use_lockfile`,
 * Terraform >= 1.10), the successor Terraform recommends now that `dynamodb_table` is deprecated.
 */
export function useS3Backend(stack: TerraformStack, state: StateConfig, key: string, site: StateSite = "primary"): S3Backend {
  const backend = new S3Backend(stack, {
    ...stateLocation(state, key, site),
    // A global table: the replica region holds a writable replica under the same name.
    dynamodbTable: state.lockTableName,
    encrypt: true,
  });
  // cdktf 0.21's S3BackendConfig predates `use_lockfile` (terraform-cdk #3834).
  backend.addOverride("use_lockfile", true);
  return backend;
}

/** Where the state under `key` lives at `site`. */
function stateLocation(state: StateConfig, key: string, site: StateSite): { bucket: string; key: string; region: string } {
  return {
    bucket: site === "primary" ? state.bucketName : replicaBucketName(state.bucketName, state.replicaRegion),
    key,
    region: site === "primary" ? state.region : state.replicaRegion,
  };
}

/**
 * Reads the outputs of the stack stored under `key`, for a stack that may not be part of the
 * same synth (another environment's). Prefer cdktf cross-stack references when both stacks are
 * in the app: they also order the deploy.
 */
export function readStackOutputs(scope: Construct, id: string, state: StateConfig, key: string, site: StateSite = "primary"): DataTerraformRemoteStateS3 {
  return new DataTerraformRemoteStateS3(scope, id, stateLocation(state, key, site));
}
