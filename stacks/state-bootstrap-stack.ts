import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { SHARED_ENVIRONMENT, STATE_BOOTSTRAP_STACK, replicaBucketName, stateKey } from "../src/config/naming";
import type { Catalogue } from "../src/config/schema";
import { StateBackend } from "@meridian/constructs";
import { createAwsProviders } from "../src/providers/aws-providers";
import { useS3Backend, type StateSite } from "../src/state/s3-backend";
import { stateAccessOf } from "../src/state/state-access";

/** Path of the bootstrap's local state, relative to its synthesized stack directory (the project root). */
export const BOOTSTRAP_LOCAL_STATE_PATH = `../../../terraform.${STATE_BOOTSTRAP_STACK}.tfstate`;

/**
 * Creates the state bucket and lock table every other stack stores its state in, and each
 * environment's state-access roles (writer, reader) its stacks assume to reach them. It starts with
 * a local backend (the bucket does not exist yet); once applied, `state.bootstrapBackend: "s3"`
 * moves its own state into the bucket (see docs/state.md, "State bootstrap").
 */
export class StateBootstrapStack extends TerraformStack {
  readonly stateBackend: StateBackend;

  constructor(scope: Construct, catalogue: Catalogue, stateSite: StateSite = "primary") {
    super(scope, STATE_BOOTSTRAP_STACK);
    const { state, project } = catalogue;
    if (state.bootstrapBackend === "s3") {
      useS3Backend(this, state, stateKey(project, SHARED_ENVIRONMENT, STATE_BOOTSTRAP_STACK), stateSite);
    } else {
      new LocalBackend(this, { path: BOOTSTRAP_LOCAL_STATE_PATH });
    }
    const providers = createAwsProviders(this, {
      project,
      environment: SHARED_ENVIRONMENT,
      owner: catalogue.environments[0]!.owner,
      accountId: state.accountId,
      homeRegion: state.region,
      spans: { primary: state.region, secondary: state.replicaRegion },
    });
    this.stateBackend = new StateBackend(this, "state", {
      accountId: state.accountId,
      bucketName: state.bucketName,
      replicaBucketName: replicaBucketName(state.bucketName, state.replicaRegion),
      lockTableName: state.lockTableName,
      primaryProvider: providers.primary!,
      replicaProvider: providers.secondary!,
      replicaRegion: state.replicaRegion,
      access: stateAccessOf(catalogue),
    });
    new TerraformOutput(this, "state_bucket", { value: this.stateBackend.bucket.bucket.bucket });
    new TerraformOutput(this, "state_replica_bucket", { value: this.stateBackend.replicaBucket.bucket.bucket });
    new TerraformOutput(this, "lock_table", { value: this.stateBackend.lockTable.name });
    new TerraformOutput(this, "state_key_arn", { value: this.stateBackend.key.arn });
    new TerraformOutput(this, "state_access_role_arns", {
      value: Object.fromEntries([...this.stateBackend.accessRoles].map(([environment, roles]) => [environment, { writer: roles.writer.arn, reader: roles.reader.arn }])),
    });
  }
}
