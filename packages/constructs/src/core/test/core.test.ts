import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Testing } from "cdktf";
import { awsStack, synthJson } from "../../../test-support/fixture";
import { EphemeralResource, SUPPRESSIONS_KEY, policySuppressionsOf, propertyPath, suppressPolicy } from "..";
import { CoreExample } from "./usage";

describe("EphemeralResource", () => {
  test("writes an ephemeral block under the stack's logical id, addressable by expression", () => {
    const { stack } = awsStack();
    const secret = new EphemeralResource(stack, "secret", { type: "aws_secretsmanager_secret_version", config: { secret_id: "s" } });
    const json = synthJson(stack);
    const [name, block] = Object.entries(json.ephemeral!.aws_secretsmanager_secret_version!)[0]!;
    expect(block).toEqual({ secret_id: "s" });
    expect(secret.address).toBe(`ephemeral.aws_secretsmanager_secret_version.${name}`);
    expect(secret.jsonField("secret_string", "password")).toBe(`\${jsondecode(ephemeral.aws_secretsmanager_secret_version.${name}.secret_string)["password"]}`);
  });

  test("provider names an aliased provider", () => {
    const { stack } = awsStack();
    const other = new AwsProvider(stack, "other", { region: "eu-west-1", alias: "other" });
    new EphemeralResource(stack, "secret", { type: "aws_secretsmanager_secret_version", config: { secret_id: "s" }, provider: other });
    expect(Object.values(synthJson(stack).ephemeral!.aws_secretsmanager_secret_version!)[0]).toEqual({ secret_id: "s", provider: "aws.other" });
  });
});

describe("suppressPolicy", () => {
  const group = () => {
    const { stack } = awsStack();
    return { stack, group: new SecurityGroup(stack, "sg", { name: "sg", description: "d" }) };
  };
  const REASON = "The group is attached by an autoscaling group in another stack";

  test("records the rule and its reason next to the resource", () => {
    const { group: sg } = group();
    suppressPolicy(sg, "CKV2_AWS_5", REASON);
    expect(policySuppressionsOf(sg)).toEqual([{ rule: "CKV2_AWS_5", reason: REASON }]);
    // The override lands in the resource's "//" object (Testing.synth drops that object, toTerraform keeps it).
    const terraform = sg.toTerraform() as { resource: { aws_security_group: Record<string, { "//"?: Record<string, unknown> }> } };
    expect(Object.values(terraform.resource.aws_security_group)[0]!["//"]?.[SUPPRESSIONS_KEY]).toEqual([{ rule: "CKV2_AWS_5", reason: REASON }]);
  });

  test("refuses a malformed rule, a short reason and a second suppression of the same rule", () => {
    const { group: sg } = group();
    expect(() => suppressPolicy(sg, "not a rule", REASON)).toThrow("the rule must be a rule id or public id");
    expect(() => suppressPolicy(sg, "CKV2_AWS_5", "n/a")).toThrow('the reason "n/a" is too short');
    suppressPolicy(sg, "CKV2_AWS_5", REASON);
    expect(() => suppressPolicy(sg, "CKV2_AWS_5", REASON)).toThrow("already suppressed on this resource");
  });
});

test("propertyPath writes paths as people do", () => {
  expect(propertyPath(["groups", 0, "labels", "team"])).toBe("groups[0].labels.team");
  expect(propertyPath([])).toBe("");
});

test("the README's usage example synthesizes (snapshot)", () => {
  expect(synthJson(new CoreExample(Testing.app(), "example"))).toMatchSnapshot();
});
