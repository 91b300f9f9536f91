import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";

export interface GlobalTableKey {
  readonly name: string;
  /** `S` string, `N` number, `B` binary. */
  readonly type: "S" | "N" | "B";
}

export interface GlobalTableProps {
  readonly tableName: string;
  readonly partitionKey: GlobalTableKey;
  /** @default - no sort key */
  readonly sortKey?: GlobalTableKey;
  /** Provider of the region holding the table that replicas are created from. */
  readonly provider: TerraformProvider;
  /** Customer key in the table's region. */
  readonly kmsKeyArn: string;
  /** The replica region and its customer key (a multi-Region replica key fits). */
  readonly replica: { readonly region: string; readonly kmsKeyArn: string };
  /** Attribute holding an epoch-seconds expiry. @default - no TTL */
  readonly ttlAttribute?: string;
  /** @default true */
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
  const table = props.tableName;
  if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(table)) {
    throw new Error(`GlobalTable: tableName "${table}" must be 3-255 characters of letters, digits, _ . -`);
  }
  if (props.sortKey && props.sortKey.name === props.partitionKey.name) {
    throw new Error(`GlobalTable ${table}: sortKey "${props.sortKey.name}" must differ from the partition key`);
  }
}
