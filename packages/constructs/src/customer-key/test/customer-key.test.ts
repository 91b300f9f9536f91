import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, Testing } from "cdktf";
import { awsStack, onlyDataOf, onlyResourceOf, policyStatements, synthJson } from "../../../test-support/fixture";
import { CustomerKey, type CustomerKeyProps } from "..";
import { CustomerKeyExample } from "./usage";

const REQUIRED: CustomerKeyProps = { alias: "app/data", description: "Application data", accountId: "123456789012", partition: "aws" };

/** GIVEN a stack with an AWS provider WHEN the key is built with the required props and `props` THEN the stack's JSON. */
function synthKey(props: Partial<CustomerKeyProps> = {}) {
  const { stack } = awsStack("eu-west-1");
  const key = new CustomerKey(stack, "key", { ...REQUIRED, ...props });
  new TerraformOutput(stack, "arn", { value: key.arn });
  return { json: synthJson(stack), key };
}

describe("CustomerKey", () => {
  test("with the required props: rotation on, a 30-day deletion window, prevent_destroy, a single-Region key and its alias", () => {
    const { json } = synthKey();
    expect(onlyResourceOf(json, "aws_kms_key")).toMatchObject({
      description: "Application data",
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      multi_region: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResourceOf(json, "aws_kms_alias")).toMatchObject({ name: "alias/app/data" });
  });

  test("the key policy lets the owning account administer the key through IAM, and nothing else by default", () => {
    const statements = policyStatements(synthKey().json, "policy");
    expect(statements).toEqual([expect.objectContaining({ sid: "AccountAdministersKeyThroughIam", effect: "Allow", principals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:root"] }] })]);
  });

  test("serviceStatements are appended to the key policy; partition shapes the account's ARN", () => {
    const service = { sid: "SnsUsesKey", effect: "Allow", principals: [{ type: "Service", identifiers: ["sns.amazonaws.com"] }], actions: ["kms:Decrypt"], resources: ["*"] };
    const statements = policyStatements(synthKey({ serviceStatements: [service], partition: "aws-us-gov" }).json, "policy");
    expect(statements.map((s) => s.sid)).toEqual(["AccountAdministersKeyThroughIam", "SnsUsesKey"]);
    expect(statements[0]!.principals![0]!.identifiers).toEqual(["arn:aws-us-gov:iam::123456789012:root"]);
  });

  test("multiRegion makes a multi-Region primary key", () => {
    expect(onlyResourceOf(synthKey({ multiRegion: true }).json, "aws_kms_key").multi_region).toBe(true);
  });

  test("provider places the key, its policy and its alias with that provider", () => {
    const { stack } = awsStack("eu-west-1");
    const replica = new AwsProvider(stack, "replica", { region: "us-east-1", alias: "replica" });
    new CustomerKey(stack, "key", { ...REQUIRED, provider: replica });
    const json = synthJson(stack);
    for (const block of [onlyResourceOf(json, "aws_kms_key"), onlyResourceOf(json, "aws_kms_alias"), onlyDataOf(json, "aws_iam_policy_document")]) {
      expect(block.provider).toBe("aws.replica");
    }
  });

  test("arn is the key's ARN", () => {
    const { json, key } = synthKey();
    expect(json.output!.arn!.value).toBe(`\${aws_kms_key.${key.key.friendlyUniqueId}.arn}`);
  });

  test("the README's usage example synthesizes (snapshot)", () => {
    const example = new CustomerKeyExample(Testing.app(), "example");
    expect(synthJson(example)).toMatchSnapshot();
  });
});
