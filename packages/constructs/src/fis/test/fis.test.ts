import { TerraformOutput, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { awsStack, onlyResourceOf, synthJson } from "../../../test-support/fixture";
import {
  ALARM_ARN,
  EXPERIMENT_OPTIONS,
  FIS_MANAGED_TAG,
  alarmStopCondition,
  arnsIn,
  disruptConnectivityAction,
  disruptConnectivityStatements,
  experimentLogConfiguration,
  experimentLogGroup,
  fisTrustStatement,
  isoDuration,
  logDeliveryStatements,
  subnetArnProblem,
  subnetsTarget,
} from "..";
import { FisExample } from "./usage";

const ACCOUNT = "111111111111";
const arn = arnsIn("aws", "us-east-1", ACCOUNT);
const SUBNET = `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-0a1b2c3d4e5f60718`;

describe("FIS building blocks", () => {
  test("arnsIn builds ARNs of one partition, region and account", () => {
    expect(arnsIn("aws-us-gov", "us-gov-west-1", ACCOUNT)("ec2", "vpc/*")).toBe(`arn:aws-us-gov:ec2:us-gov-west-1:${ACCOUNT}:vpc/*`);
  });

  test.each([
    [1, "PT1M"],
    [10, "PT10M"],
    [60, "PT1H"],
    [90, "PT1H30M"],
    [720, "PT12H"],
  ])("isoDuration(%d) is %s", (minutes, expected) => {
    expect(isoDuration(minutes)).toBe(expected);
  });

  test("subnetArnProblem accepts a subnet of the region, and says what is wrong otherwise", () => {
    expect(subnetArnProblem(SUBNET, "us-east-1", "the region")).toBeUndefined();
    expect(subnetArnProblem(SUBNET, "eu-west-1", "eu-west-1a's region eu-west-1")).toBe("is in us-east-1, not in eu-west-1a's region eu-west-1");
    expect(subnetArnProblem(`arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/vpc-0a1b2c3d`, "us-east-1", "the region")).toMatch(/^is not a subnet ARN/);
  });

  test("ALARM_ARN matches CloudWatch alarm ARNs and captures their region", () => {
    expect(ALARM_ARN.exec(`arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:slo-burn`)?.[1]).toBe("eu-west-1");
    expect(ALARM_ARN.test(`arn:aws:sns:eu-west-1:${ACCOUNT}:alerts`)).toBe(false);
  });

  test("experiment options: this account only, and fail on an empty target", () => {
    expect(EXPERIMENT_OPTIONS).toEqual({ accountTargeting: "single-account", emptyTargetResolutionMode: "fail" });
  });

  test("alarmStopCondition, subnetsTarget and disruptConnectivityAction shape the template's blocks", () => {
    expect(alarmStopCondition("alarm-arn")).toEqual([{ source: "aws:cloudwatch:alarm", value: "alarm-arn" }]);
    expect(subnetsTarget("subnets", [SUBNET])).toEqual({ name: "subnets", resourceType: "aws:ec2:subnet", resourceArns: [SUBNET], selectionMode: "ALL" });
    expect(disruptConnectivityAction({ name: "cut", description: "Cut", duration: "PT5M", subnetsTarget: "subnets" })).toEqual({
      name: "cut",
      actionId: "aws:network:disrupt-connectivity",
      description: "Cut",
      parameter: [
        { key: "duration", value: "PT5M" },
        { key: "scope", value: "all" },
      ],
      target: { key: "Subnets", value: "subnets" },
    });
  });

  test("the trust statement admits FIS only for experiments of this account and region", () => {
    expect(fisTrustStatement(ACCOUNT, arn)).toEqual({
      effect: "Allow",
      actions: ["sts:AssumeRole"],
      principals: [{ type: "Service", identifiers: ["fis.amazonaws.com"] }],
      condition: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [ACCOUNT] },
        { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:aws:fis:us-east-1:${ACCOUNT}:experiment/*`] },
      ],
    });
  });

  test("disruptConnectivityStatements: change only FIS-tagged ACLs, swap only on the target subnets, describe sorted and deduplicated", () => {
    const statements = disruptConnectivityStatements(arn, [SUBNET], { alsoDescribe: ["ec2:DescribeInstances", "ec2:DescribeVpcs"] });
    const bySid = Object.fromEntries(statements.map((s) => [s.sid, s]));
    expect(bySid.ChangeOnlyFisNetworkAcls!.condition).toEqual([{ test: "StringEquals", variable: `ec2:ResourceTag/${FIS_MANAGED_TAG}`, values: ["true"] }]);
    expect(bySid.SwapAclOfTargetSubnets!.resources).toEqual([SUBNET, `arn:aws:ec2:us-east-1:${ACCOUNT}:network-acl/*`]);
    expect(bySid.ResolveTargets!.actions).toEqual(["ec2:DescribeInstances", "ec2:DescribeManagedPrefixLists", "ec2:DescribeNetworkAcls", "ec2:DescribeSubnets", "ec2:DescribeVpcs"]);
  });

  test("logDeliveryStatements scope the resource policy actions to this region's log groups", () => {
    expect(logDeliveryStatements(arn).map((s) => s.resources)).toEqual([["*"], [`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:*`]]);
  });

  describe("experimentLogGroup", () => {
    test("GIVEN the required props THEN a vended-logs group named after the experiment, tagged Name only", () => {
      const { stack } = awsStack();
      const group = experimentLogGroup(stack, "log-group", { name: "team-a", experiment: "az-loss-us-east-1a", retentionInDays: 30 });
      const configuration = experimentLogConfiguration(group);
      new TerraformOutput(stack, "log", { value: configuration.cloudwatchLogsConfiguration!.logGroupArn });
      const json = synthJson(stack);
      expect(onlyResourceOf(json, "aws_cloudwatch_log_group")).toEqual({
        name: "/aws/vendedlogs/fis/team-a/az-loss-us-east-1a",
        retention_in_days: 30,
        tags: { Name: "team-a-az-loss-us-east-1a" },
      });
      // Created directly in the scope: its logical id is the caller's, not a child construct's.
      expect(group.node.scope).toBe(stack);
      // Log schema 2; FIS wants the group's ARN with its `:*` suffix.
      expect(configuration.logSchemaVersion).toBe(2);
      expect(json.output!.log!.value).toBe("${aws_cloudwatch_log_group.log-group.arn}:*");
    });

    test("tags are added besides Name; provider places the group", () => {
      const { stack } = awsStack();
      const other = new AwsProvider(stack, "other", { region: "us-west-2", alias: "other" });
      experimentLogGroup(stack, "log-group", { name: "team-a", experiment: "drill", retentionInDays: 90, tags: { drill: "drill" }, provider: other });
      expect(onlyResourceOf(synthJson(stack), "aws_cloudwatch_log_group")).toMatchObject({ provider: "aws.other", tags: { Name: "team-a-drill", drill: "drill" } });
    });
  });

  test("the README's usage example synthesizes (snapshot)", () => {
    expect(synthJson(new FisExample(Testing.app(), "example"))).toMatchSnapshot();
  });
});
