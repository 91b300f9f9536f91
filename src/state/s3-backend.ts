import { S3Backend, type TerraformStack } from "cdktf";
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
    bucket: site === "primary" ? state.bucketName : replicaBucketName(state.bucketName, state.replicaRegion),
    key,
    region: site === "primary" ? state.region : state.replicaRegion,
    // A global table: the replica region holds a writable replica under the same name.
    dynamodbTable: state.lockTableName,
    encrypt: true,
  });
  // cdktf 0.21's S3BackendConfig predates `use_lockfile` (terraform-cdk #3834).
  backend.addOverride("use_lockfile", true);
  return backend;
}
