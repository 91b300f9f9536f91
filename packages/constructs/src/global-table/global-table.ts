import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";

/**
 * DynamoDB table names: 3-255 letters, digits, `_`, `.`, `-` (DynamoDB Developer Guide, "Supported
 * data types and naming rules in Amazon DynamoDB",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html).
 */
export const DYNAMODB_TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
/** The rule {@link DYNAMODB_TABLE_NAME} states. */
export const DYNAMODB_TABLE_NAME_RULE = "must be 3-255 characters of letters, digits, _ . -";
/**
 * Longest name of a key attribute here. DynamoDB allows longer attribute names but limits
 * secondary index key names to 255 characters (the same page); keeping table keys within it
 * lets any key also key an index later.
 */
export const DYNAMODB_KEY_ATTRIBUTE_MAX_LENGTH = 255;

/** The problem with a key attribute's name, or undefined. */
export function keyAttributeNameProblem(name: string): string | undefined {
  if (name.length === 0) {
    return "must not be empty";
  }
  return name.length > DYNAMODB_KEY_ATTRIBUTE_MAX_LENGTH ? `must be at most ${DYNAMODB_KEY_ATTRIBUTE_MAX_LENGTH} characters` : undefined;
}

/** The problem with a sort key beside a partition key, or undefined: they must be different attributes. */
export function sortKeyProblem(partitionKeyName: string, sortKeyName: string): string | undefined {
  return sortKeyName === partitionKeyName ? "must differ from the partition key" : undefined;
}

/** A key attribute of the table. */
export interface GlobalTableKey {
  /** Attribute name, 1-255 characters. */
  readonly name: string;
  /** `S` string, `N` number, `B` binary. */
  readonly type: "S" | "N" | "B";
}

export interface GlobalTableProps {
  /** Table name, the same in every region (3-255 letters, digits, `_ . -`). */
  readonly tableName: string;
  /** The partition (hash) key. */
  readonly partitionKey: GlobalTableKey;
  /** The sort (range) key; another attribute than the partition key. @default - no sort key */
  readonly sortKey?: GlobalTableKey;
  /** Provider of the region holding the table that replicas are created from. */
  readonly provider: TerraformProvider;
  /** Customer key in the table's region. */
  readonly kmsKeyArn: string;
  /** The replica region and its customer key (a multi-Region replica key fits). */
  readonly replica: { readonly region: string; readonly kmsKeyArn: string };
  /** Attribute holding an epoch-seconds expiry. @default - no TTL */
  readonly ttlAttribute?: string;
  /** DynamoDB deletion protection (`prevent_destroy` stays either way). @default true */
  readonly deletionProtection?: boolean;
}

/**
 * A DynamoDB global table (version 2019.11.21): the table in one region and a replica in the
 * other, both writable, each encrypted with its region's customer key, with point-in-time
 * recovery, deletion protection and `prevent_destroy`. The stream that replication needs is on.
 *
 * Billing is on-demand: AWS requires a provisioned global table to auto-scale writes in every
 * replica, which would be a second construct's job.
 */
export class GlobalTable extends Construct {
  /** The `aws_dynamodb_table` with its replica. */
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: GlobalTableProps) {
    super(scope, id);
    validate(props);
    const keys = [props.partitionKey, ...(props.sortKey ? [props.sortKey] : [])];
    this.table = new DynamodbTable(this, "table", {
      provider: props.provider,
      name: props.tableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: props.partitionKey.name,
      rangeKey: props.sortKey?.name,
      attribute: keys.map((key) => ({ name: key.name, type: key.type })),
      deletionProtectionEnabled: props.deletionProtection ?? true,
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
      ttl: props.ttlAttribute ? { enabled: true, attributeName: props.ttlAttribute } : undefined,
      // Global table replicas need a stream of both images.
      streamEnabled: true,
      streamViewType: "NEW_AND_OLD_IMAGES",
      replica: [{ regionName: props.replica.region, kmsKeyArn: props.replica.kmsKeyArn, pointInTimeRecovery: true, propagateTags: true }],
      lifecycle: { preventDestroy: true },
    });
  }
}

function validate(props: GlobalTableProps): void {
  const refuse = (prop: string, value: unknown, rule: string): never => {
    throw new Error(`GlobalTable "${props.tableName}": ${prop} = ${JSON.stringify(value)} ${rule}`);
  };
  if (!DYNAMODB_TABLE_NAME.test(props.tableName)) {
    refuse("tableName", props.tableName, DYNAMODB_TABLE_NAME_RULE);
  }
  for (const [prop, key] of [["partitionKey", props.partitionKey], ["sortKey", props.sortKey]] as const) {
    const problem = key ? keyAttributeNameProblem(key.name) : undefined;
    if (problem) {
      refuse(`${prop}.name`, key!.name, problem);
    }
  }
  const sortProblem = props.sortKey ? sortKeyProblem(props.partitionKey.name, props.sortKey.name) : undefined;
  if (sortProblem) {
    refuse("sortKey.name", props.sortKey!.name, sortProblem);
  }
  if (props.ttlAttribute !== undefined && props.ttlAttribute.length === 0) {
    refuse("ttlAttribute", props.ttlAttribute, "must name an attribute (omit it for no TTL)");
  }
}
