import { S3Backend, type TerraformStack } from "cdktf";
import type { StateConfig } from "../config/schema";

/**
 * Stores a stack's state in the platform's state bucket under `key`, locked twice:
 * the DynamoDB table (all Terraform versions) and S3-native lock files (`use_lockfile`,
 * Terraform >= 1.10), the successor Terraform recommends now that `dynamodb_table` is deprecated.
 */
export function useS3Backend(stack: TerraformStack, state: StateConfig, key: string): S3Backend {
  const backend = new S3Backend(stack, {
    bucket: state.bucketName,
    key,
    region: state.region,
    dynamodbTable: state.lockTableName,
    encrypt: true,
  });
  // cdktf 0.21's S3BackendConfig predates `use_lockfile` (terraform-cdk #3834).
  backend.addOverride("use_lockfile", true);
  return backend;
}
