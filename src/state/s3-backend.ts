import { DataTerraformRemoteStateS3, S3Backend, TerraformStack, type S3BackendConfig } from "cdktf";
import type { Construct } from "constructs";
import { partitionOf } from "@meridian/constructs";
import { replicaBucketName, stateKey } from "../config/naming";
import type { Catalogue, StateConfig } from "../config/schema";
import { stateAccessRoleArn } from "./state-access";

/**
 * Which copy of the state the stacks use. `replica` is for an outage of the state's home region:
 * the replica bucket and the lock table's replica in `state.replicaRegion` take over.
 */
export type StateSite = "primary" | "replica";

export const STATE_SITES: readonly StateSite[] = ["primary", "replica"];

/** The state-access roles (state account) a stack's backend and remote-state reads assume. */
export interface StateRoles {
  /** The backend's role: the environment's state writer (deploys). */
  readonly writerRoleArn: string;
  /** The environment's state reader: pull-request plans override the backend with it, and every remote-state read assumes it. */
  readonly readerRoleArn: string;
}

/**
 * Name of the comment property (`//`, which Terraform's JSON syntax ignores) in the synthesized S3
 * backend that carries the reader role, so the pull-request plan job can hand it to `terraform init
 * -backend-config` without a second copy of the naming rules.
 */
export const PLAN_ROLE_HINT = "plan_assume_role_arn";

/**
 * An S3 backend whose cross-stack references (cdktf turns them into `terraform_remote_state`) read
 * the producer's state through the *consumer's* reader role, not the producer's writer role,
 * which only the producer environment's deploy role may assume.
 */
class StateS3Backend extends S3Backend {
  constructor(
    stack: TerraformStack,
    private readonly config: S3BackendConfig,
    readonly roles: StateRoles | undefined,
  ) {
    super(stack, config);
  }

  override getRemoteStateDataSource(scope: Construct, name: string): DataTerraformRemoteStateS3 {
    const { bucket, key, region } = this.config;
    return remoteState(scope, name, { bucket, key, region: region! });
  }
}

/**
 * Stores a stack's state in the platform's state bucket under `key`, locked twice: the DynamoDB
 * table (all Terraform versions; it also holds each state's digest) and S3-native lock files
 * (`use_lockfile`, Terraform >= 1.10), the successor Terraform recommends now that
 * `dynamodb_table` is deprecated. Objects are encrypted with the state key (`kms_key_id`): without
 * it `encrypt = true` sends SSE-S3 (AES256). With `roles`, the backend assumes the state writer.
 */
export function useS3Backend(stack: TerraformStack, state: StateConfig, key: string, site: StateSite = "primary", roles?: StateRoles): S3Backend {
  const location = stateLocation(state, key, site);
  const backend = new StateS3Backend(
    stack,
    {
      ...location,
      // A global table: the replica region holds a writable replica under the same name.
      dynamodbTable: state.lockTableName,
      encrypt: true,
      // The alias ARN in the site's region: the state key and its replica carry the same alias, and
      // KMS resolves an alias in the requester's account, which is the state account (the backend
      // runs as a state-account role). Terraform's S3 backend accepts key and alias ARNs.
      kmsKeyId: stateKeyAliasArn(state, site),
      ...(roles ? { assumeRole: { roleArn: roles.writerRoleArn } } : {}),
    },
    roles,
  );
  // cdktf 0.21's S3BackendConfig predates `use_lockfile` (terraform-cdk #3834).
  backend.addOverride("use_lockfile", true);
  if (roles) {
    backend.addOverride(`//.${PLAN_ROLE_HINT}`, roles.readerRoleArn);
  }
  return backend;
}

/** The backend of a stack of `environment`: its key `<project>/<environment>/<stack id>.tfstate`, through the environment's state-access roles. */
export function useEnvironmentBackend(stack: TerraformStack, catalogue: Catalogue, environment: string, site: StateSite = "primary"): S3Backend {
  return useS3Backend(stack, catalogue.state, stateKey(catalogue.project, environment, stack.node.id), site, environmentStateRoles(catalogue, environment));
}

/** The writer and reader role of an environment. */
export function environmentStateRoles(catalogue: Catalogue, environment: string): StateRoles {
  return {
    writerRoleArn: stateAccessRoleArn(catalogue.state, catalogue.project, environment, "write"),
    readerRoleArn: stateAccessRoleArn(catalogue.state, catalogue.project, environment, "read"),
  };
}

/** The bucket and region of the state at `site`: the home bucket, or its replica in the replica region. */
export function stateSiteLocation(state: StateConfig, site: StateSite): { bucket: string; region: string } {
  return site === "primary" ? { bucket: state.bucketName, region: state.region } : { bucket: replicaBucketName(state.bucketName, state.replicaRegion), region: state.replicaRegion };
}

/** The alias ARN of the state key at `site`: `arn:aws:kms:<site region>:<state account>:alias/<bucketName>`. */
export function stateKeyAliasArn(state: StateConfig, site: StateSite): string {
  const { region } = stateSiteLocation(state, site);
  return `arn:${partitionOf(region)}:kms:${region}:${state.accountId}:alias/${state.bucketName}`;
}

/** Where the state under `key` lives at `site`. */
function stateLocation(state: StateConfig, key: string, site: StateSite): { bucket: string; key: string; region: string } {
  const { bucket, region } = stateSiteLocation(state, site);
  return { bucket, key, region };
}

/**
 * A read of the state at `location`, through the reader role of the stack that reads (found on
 * its backend). Reads take no lock and check no digest, so they name no lock table.
 */
function remoteState(scope: Construct, id: string, location: { bucket: string; key: string; region: string }): DataTerraformRemoteStateS3 {
  const consumer = TerraformStack.of(scope);
  const backend = consumer.node.children.find((child): child is StateS3Backend => child instanceof StateS3Backend);
  if (!backend?.roles) {
    throw new Error(`${consumer.node.id} reads the state ${location.key} but has no environment state backend; call useEnvironmentBackend first`);
  }
  return new DataTerraformRemoteStateS3(scope, id, { ...location, assumeRole: { roleArn: backend.roles.readerRoleArn } });
}

/**
 * Reads the outputs of the stack stored under `key`, for a stack that may not be part of the
 * same synth (another environment's). Prefer cdktf cross-stack references when both stacks are
 * in the app: they also order the deploy. The reading stack's reader role must be granted `key`
 * (state-access.ts owns those grants).
 */
export function readStackOutputs(scope: Construct, id: string, state: StateConfig, key: string, site: StateSite = "primary"): DataTerraformRemoteStateS3 {
  return remoteState(scope, id, stateLocation(state, key, site));
}
