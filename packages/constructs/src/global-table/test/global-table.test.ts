import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { awsStack, onlyResourceOf, synthJson } from "../../../test-support/fixture";
import { GlobalTable, keyAttributeNameProblem, sortKeyProblem, type GlobalTableProps } from "..";
import { GlobalTableExample } from "./usage";

const props: Omit<GlobalTableProps, "provider"> = {
  tableName: "test-items",
  partitionKey: { name: "id", type: "S" },
  kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/mrk-primary",
  replica: { region: "eu-west-1", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/mrk-primary" },
};

/** GIVEN a stack with an AWS provider WHEN the table is built with the required props and `overrides` THEN its one DynamoDB table. */
function synthTable(overrides: Partial<GlobalTableProps> = {}) {
  const { stack, provider } = awsStack();
  new GlobalTable(stack, "table", { ...props, provider, ...overrides });
  return onlyResourceOf(synthJson(stack), "aws_dynamodb_table");
}

describe("GlobalTable rejects bad settings", () => {
  test.each<[string, Partial<GlobalTableProps>, string]>([
    ["the sort key equals the partition key", { sortKey: { name: "id", type: "N" } }, 'GlobalTable "test-items": sortKey.name = "id" must differ from the partition key'],
    ["the table name is too short", { tableName: "ab" }, 'GlobalTable "ab": tableName = "ab" must be 3-255 characters of letters, digits, _ . -'],
    ["the table name has a space", { tableName: "user sessions" }, 'tableName = "user sessions" must be 3-255 characters'],
    ["the table name is too long", { tableName: "x".repeat(256) }, "must be 3-255 characters"],
    ["the partition key has no name", { partitionKey: { name: "", type: "S" } }, 'GlobalTable "test-items": partitionKey.name = "" must not be empty'],
    ["the sort key's name is too long", { sortKey: { name: "k".repeat(256), type: "S" } }, "sortKey.name = \"" + "k".repeat(256) + '" must be at most 255 characters'],
    ["the TTL attribute is empty", { ttlAttribute: "" }, 'GlobalTable "test-items": ttlAttribute = "" must name an attribute'],
  ])("throws when %s", (_when, overrides, message) => {
    expect(() => synthTable(overrides)).toThrow(message);
  });
});

describe("GlobalTable settings", () => {
  test("with the required props: on demand, PITR, deletion protection, prevent_destroy, both stream images, one replica", () => {
    const table = synthTable();
    expect(table).toMatchObject({
      name: "test-items",
      billing_mode: "PAY_PER_REQUEST",
      hash_key: "id",
      attribute: [{ name: "id", type: "S" }],
      point_in_time_recovery: { enabled: true },
      deletion_protection_enabled: true,
      stream_enabled: true,
      stream_view_type: "NEW_AND_OLD_IMAGES",
      lifecycle: { prevent_destroy: true },
      replica: [{ region_name: "eu-west-1", kms_key_arn: props.replica.kmsKeyArn, point_in_time_recovery: true, propagate_tags: true }],
    });
    expect(table.range_key).toBeUndefined();
    expect(table.ttl).toBeUndefined();
  });

  test("bills on demand: a provisioned global table would need write auto scaling in every replica", () => {
    const table = synthTable();
    expect(table).toMatchObject({ billing_mode: "PAY_PER_REQUEST" });
    expect(table.read_capacity).toBeUndefined();
    expect(table.write_capacity).toBeUndefined();
  });

  test("deletion protection can be switched off, but prevent_destroy stays", () => {
    expect(synthTable({ deletionProtection: false })).toMatchObject({ deletion_protection_enabled: false, lifecycle: { prevent_destroy: true } });
  });

  test("uses the given keys: the table's key at home, the replica's key in the replica region", () => {
    expect(synthTable()).toMatchObject({
      server_side_encryption: { enabled: true, kms_key_arn: props.kmsKeyArn },
      replica: [{ region_name: "eu-west-1", kms_key_arn: props.replica.kmsKeyArn }],
    });
  });

  test("sortKey adds the range key and its attribute", () => {
    expect(synthTable({ sortKey: { name: "scope", type: "N" } })).toMatchObject({
      hash_key: "id",
      range_key: "scope",
      attribute: [
        { name: "id", type: "S" },
        { name: "scope", type: "N" },
      ],
    });
  });

  test("ttlAttribute turns on TTL on that attribute", () => {
    expect(synthTable({ ttlAttribute: "expires_at" }).ttl).toEqual({ enabled: true, attribute_name: "expires_at" });
  });

  test("provider places the table", () => {
    const { stack } = awsStack();
    const home = new AwsProvider(stack, "home", { region: "eu-central-1", alias: "home" });
    new GlobalTable(stack, "table", { ...props, provider: home });
    expect(onlyResourceOf(synthJson(stack), "aws_dynamodb_table").provider).toBe("aws.home");
  });
});

test("keyAttributeNameProblem and sortKeyProblem", () => {
  expect(keyAttributeNameProblem("id")).toBeUndefined();
  expect(keyAttributeNameProblem("")).toBe("must not be empty");
  expect(sortKeyProblem("id", "scope")).toBeUndefined();
  expect(sortKeyProblem("id", "id")).toBe("must differ from the partition key");
});

test("the README's usage example synthesizes (snapshot)", () => {
  expect(synthJson(new GlobalTableExample(Testing.app(), "example"))).toMatchSnapshot();
});
