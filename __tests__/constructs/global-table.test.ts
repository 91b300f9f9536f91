import { resourcesOf, synthStacks, type Block, type SynthesizedJson } from "../helpers";

// The construct's own behaviour is tested on fixtures in packages/constructs/src/global-table/test.

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
