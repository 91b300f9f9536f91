import type { TerraformStack } from "cdktf";
import { GlobalTable, type GlobalTableProps } from "@meridian/constructs";
import { awsStack, resourcesOf, synthJson, synthStacks, type Block, type SynthesizedJson } from "../helpers";

const globalData = synthStacks().get("production-global-database")!;
const tables = resourcesOf(globalData, "aws_dynamodb_table");
const byName = (name: string): Block => tables.find((t) => t.name === name)!;

/** `${aws_kms_key.<id>.arn}` of the only resource of `type` in the stack. */
function arnOfOnly(json: SynthesizedJson, type: string): string {
  const ids = Object.keys(json.resource[type] ?? {});
  expect(ids).toHaveLength(1);
  return `\${${type}.${ids[0]}.arn}`;
}

describe("GlobalTable in the production global-database stack", () => {
  test("creates the catalogue's tables, named after project and environment", () => {
    expect(tables.map((t) => t.name).sort()).toEqual(["meridian-production-feature-flags", "meridian-production-sessions"]);
  });

  test.each(tables.map((t) => [t.name as string, t]))("%s has point-in-time recovery, deletion protection and prevent_destroy", (_name, table) => {
    expect(table.point_in_time_recovery).toEqual({ enabled: true });
    expect(table.deletion_protection_enabled).toBe(true);
    expect(table.lifecycle).toEqual({ prevent_destroy: true });
  });

  test.each(tables.map((t) => [t.name as string, t]))("%s is encrypted with the stack's multi-Region primary key, its replica with the replica key", (_name, table) => {
    expect(table.server_side_encryption).toEqual({ enabled: true, kms_key_arn: arnOfOnly(globalData, "aws_kms_key") });
    const replicas = table.replica as Block[];
    expect(replicas).toHaveLength(1);
    expect(replicas[0]!.kms_key_arn).toBe(arnOfOnly(globalData, "aws_kms_replica_key"));
  });

  test("the primary key the tables use is multi-Region, and the replica key is its replica", () => {
    expect(resourcesOf(globalData, "aws_kms_key")).toEqual([expect.objectContaining({ multi_region: true, enable_key_rotation: true })]);
    expect(resourcesOf(globalData, "aws_kms_replica_key")).toEqual([
      expect.objectContaining({ primary_key_arn: arnOfOnly(globalData, "aws_kms_key"), provider: "aws.secondary" }),
    ]);
  });

  test.each(tables.map((t) => [t.name as string, t]))("%s is on-demand, streams both images and has exactly one replica in eu-west-1", (_name, table) => {
    expect(table.billing_mode).toBe("PAY_PER_REQUEST");
    expect(table.read_capacity).toBeUndefined();
    expect(table.write_capacity).toBeUndefined();
    expect(table).toMatchObject({ stream_enabled: true, stream_view_type: "NEW_AND_OLD_IMAGES" });
    expect(table.replica).toEqual([
      { region_name: "eu-west-1", kms_key_arn: expect.any(String), point_in_time_recovery: true, propagate_tags: true },
    ]);
  });

  test("the table itself lives in homeRegion, through the default provider", () => {
    tables.forEach((table) => expect(table.provider).toBe("aws"));
    expect(globalData.provider.aws!.find((p) => p.alias === undefined)!.region).toBe("us-east-1");
  });

  test("the sessions table expires items on expires_at and has no sort key", () => {
    const sessions = byName("meridian-production-sessions");
    expect(sessions.ttl).toEqual({ enabled: true, attribute_name: "expires_at" });
    expect(sessions).toMatchObject({ hash_key: "session_id", attribute: [{ name: "session_id", type: "S" }] });
    expect(sessions.range_key).toBeUndefined();
  });

  test("the feature-flags table has a range key and no TTL", () => {
    const flags = byName("meridian-production-feature-flags");
    expect(flags).toMatchObject({
      hash_key: "flag",
      range_key: "scope",
      attribute: [
        { name: "flag", type: "S" },
        { name: "scope", type: "S" },
      ],
    });
    expect(flags.ttl).toBeUndefined();
  });
});

const props: Omit<GlobalTableProps, "provider"> = {
  tableName: "test-items",
  partitionKey: { name: "id", type: "S" },
  kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/mrk-primary",
  replica: { region: "eu-west-1", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/mrk-primary" },
};

function globalTable(overrides: Partial<GlobalTableProps> = {}): TerraformStack {
  const { stack, provider } = awsStack();
  new GlobalTable(stack, "table", { ...props, provider, ...overrides });
  return stack;
}

describe("GlobalTable rejects bad settings", () => {
  test("throws when the sort key equals the partition key", () => {
    expect(() => globalTable({ sortKey: { name: "id", type: "N" } })).toThrow('GlobalTable test-items: sortKey "id" must differ from the partition key');
  });
  test("throws when the table name is invalid", () => {
    expect(() => globalTable({ tableName: "ab" })).toThrow('GlobalTable: tableName "ab" must be 3-255 characters of letters, digits, _ . -');
    expect(() => globalTable({ tableName: "user sessions" })).toThrow('tableName "user sessions" must be 3-255 characters');
    expect(() => globalTable({ tableName: "x".repeat(256) })).toThrow("must be 3-255 characters");
  });
});

describe("GlobalTable settings", () => {
  test("bills on demand: a provisioned global table would need write auto scaling in every replica", () => {
    const [table] = resourcesOf(synthJson(globalTable()), "aws_dynamodb_table");
    expect(table).toMatchObject({ billing_mode: "PAY_PER_REQUEST" });
    expect(table!.read_capacity).toBeUndefined();
    expect(table!.write_capacity).toBeUndefined();
  });

  test("deletion protection can be switched off, but prevent_destroy stays", () => {
    const [table] = resourcesOf(synthJson(globalTable({ deletionProtection: false })), "aws_dynamodb_table");
    expect(table).toMatchObject({ deletion_protection_enabled: false, lifecycle: { prevent_destroy: true } });
  });

  test("uses the given keys: the table's key at home, the replica's key in the replica region", () => {
    const [table] = resourcesOf(synthJson(globalTable()), "aws_dynamodb_table");
    expect(table).toMatchObject({
      server_side_encryption: { enabled: true, kms_key_arn: props.kmsKeyArn },
      replica: [{ region_name: "eu-west-1", kms_key_arn: props.replica.kmsKeyArn }],
    });
  });
});
