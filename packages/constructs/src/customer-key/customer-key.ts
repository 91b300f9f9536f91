import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";

export interface CustomerKeyProps {
  /** Alias without the `alias/` prefix. */
  readonly alias: string;
  /** The key's description, as the KMS console shows it. */
  readonly description: string;
  /** Account whose IAM policies administer and use the key. */
  readonly accountId: string;
  /** AWS partition (a token from aws_partition is fine). */
  readonly partition: string;
  /** Statements for AWS services that use the key on the account's behalf. @default [] */
  readonly serviceStatements?: DataAwsIamPolicyDocumentStatement[];
  /** Create a multi-Region primary key that `aws_kms_replica_key` can copy. @default false */
  readonly multiRegion?: boolean;
  /**
   * The AWS provider (region and account) the key is created with.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * A customer-managed KMS key with rotation on, a 30-day deletion window, `prevent_destroy`, and
 * an explicit key policy: the owning account administers it through IAM, and only the listed
 * services get more. Data encrypted with a lost key is lost, hence the guard rails.
 */
export class CustomerKey extends Construct {
  readonly key: KmsKey;
  readonly policy: DataAwsIamPolicyDocument;

  constructor(scope: Construct, id: string, props: CustomerKeyProps) {
    super(scope, id);
    const provider = props.provider;
    this.policy = new DataAwsIamPolicyDocument(this, "policy", {
      provider,
      statement: [
        {
          sid: "AccountAdministersKeyThroughIam",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [`arn:${props.partition}:iam::${props.accountId}:root`] }],
          actions: ["kms:*"],
          resources: ["*"],
        },
        ...(props.serviceStatements ?? []),
      ],
    });
    this.key = new KmsKey(this, "key", {
      provider,
      description: props.description,
      multiRegion: props.multiRegion ?? false,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: this.policy.json,
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, "alias", { provider, name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
  }

  get arn(): string {
    return this.key.arn;
  }
}
