import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, Testing } from "cdktf";
import { awsStack, onlyResourceOf, policyStatements, resourcesOf, synthJson } from "../../../test-support/fixture";
import { MultiRegionKey, type MultiRegionKeyProps } from "..";
import { MultiRegionKeyExample } from "./usage";

/** GIVEN a stack with a primary and a replica provider WHEN the key is built with `props` THEN the stack's JSON. */
function synthKey(props: Partial<MultiRegionKeyProps> = {}) {
  const { stack, provider } = awsStack("us-east-1");
  const replica = new AwsProvider(stack, "replica", { region: "eu-west-1", alias: "replica" });
  const key = new MultiRegionKey(stack, "key", {
    alias: "app/data",
    description: "Application data",
    accountId: "123456789012",
    partition: "aws",
    primaryProvider: provider,
    replicaProvider: replica,
    ...props,
  });
  new TerraformOutput(stack, "primary", { value: key.primaryKey.arn });
  return { json: synthJson(stack), key };
}

describe("MultiRegionKey", () => {
  test("a rotating multi-Region primary at home and its replica in the other region, both guarded by a 30-day window and prevent_destroy", () => {
    const { json, key } = synthKey();
    expect(onlyResourceOf(json, "aws_kms_key")).toMatchObject({
      description: "Application data",
      multi_region: true,
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResourceOf(json, "aws_kms_key").provider).toBe("aws");
    expect(onlyResourceOf(json, "aws_kms_replica_key")).toMatchObject({
      provider: "aws.replica",
      description: "Application data (replica)",
      primary_key_arn: `\${aws_kms_key.${key.primaryKey.friendlyUniqueId}.arn}`,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
  });

  test("the replica uses the primary's policy, and both regions get the alias", () => {
    const { json, key } = synthKey();
    expect(onlyResourceOf(json, "aws_kms_replica_key").policy).toBe(`\${data.aws_iam_policy_document.${key.primary.policy.friendlyUniqueId}.json}`);
    expect(resourcesOf(json, "aws_kms_alias").map((a) => [a.name, a.provider])).toEqual([
      ["alias/app/data", "aws"],
      ["alias/app/data", "aws.replica"],
    ]);
  });

  test("serviceStatements extend the policy both copies use", () => {
    const service = { sid: "SnsUsesKey", effect: "Allow", principals: [{ type: "Service", identifiers: ["sns.amazonaws.com"] }], actions: ["kms:Decrypt"], resources: ["*"] };
    expect(policyStatements(synthKey({ serviceStatements: [service] }).json, "policy").map((s) => s.sid)).toEqual(["AccountAdministersKeyThroughIam", "SnsUsesKey"]);
  });

  test("primaryKey is the primary's KMS key", () => {
    const { json, key } = synthKey();
    expect(json.output!.primary!.value).toBe(`\${aws_kms_key.${key.primaryKey.friendlyUniqueId}.arn}`);
  });

  test("the README's usage example synthesizes (snapshot)", () => {
    expect(synthJson(new MultiRegionKeyExample(Testing.app(), "example"))).toMatchSnapshot();
  });
});
