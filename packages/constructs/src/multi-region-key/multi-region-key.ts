import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsReplicaKey } from "@cdktf/provider-aws/lib/kms-replica-key";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { CustomerKey } from "../customer-key/customer-key";

export interface MultiRegionKeyProps {
  /** Alias (without `alias/`) given to the key in both regions. */
  readonly alias: string;
  /** The key's description; the replica's adds " (replica)". */
  readonly description: string;
  /** Account whose IAM policies administer and use the key. */
  readonly accountId: string;
  /** AWS partition (a token from aws_partition is fine). */
  readonly partition: string;
  /** Provider of the region that holds the primary key. It never changes: moving it replaces the key. */
  readonly primaryProvider: TerraformProvider;
  /** Provider of the region that holds the replica. */
  readonly replicaProvider: TerraformProvider;
  /** Statements for AWS services that use the key on the account's behalf, in both regions. @default [] */
  readonly serviceStatements?: DataAwsIamPolicyDocumentStatement[];
}

/**
 * A multi-Region customer key: the primary in one region and a replica with the same key
 * material in another, so data encrypted in one region (replicated snapshots, secrets, tables)
 * decrypts in the other. Both copies rotate together, keep a 30-day deletion window and are
 * guarded by `prevent_destroy`.
 */
export class MultiRegionKey extends Construct {
  /** The multi-Region primary key, its policy and alias, in the primary provider's region. */
  readonly primary: CustomerKey;
  /** The `aws_kms_replica_key` in the replica provider's region (same key material, same policy). */
  readonly replica: KmsReplicaKey;

  constructor(scope: Construct, id: string, props: MultiRegionKeyProps) {
    super(scope, id);
    this.primary = new CustomerKey(this, "primary", {
      provider: props.primaryProvider,
      alias: props.alias,
      description: props.description,
      accountId: props.accountId,
      partition: props.partition,
      serviceStatements: props.serviceStatements,
      multiRegion: true,
    });
    this.replica = new KmsReplicaKey(this, "replica", {
      provider: props.replicaProvider,
      description: `${props.description} (replica)`,
      primaryKeyArn: this.primary.key.arn,
      deletionWindowInDays: 30,
      policy: this.primary.policy.json,
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, "replica-alias", { provider: props.replicaProvider, name: `alias/${props.alias}`, targetKeyId: this.replica.keyId });
  }

  /** The primary's `aws_kms_key`. */
  get primaryKey(): KmsKey {
    return this.primary.key;
  }
}
