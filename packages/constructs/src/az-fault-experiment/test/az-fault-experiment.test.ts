import { TerraformVariable, Testing, type TerraformStack } from "cdktf";
import { AzFaultExperiment, isoDuration, type AzFaultExperimentProps } from "..";
import { awsStack, policyStatements, synthJson, type Block, type SynthesizedJson } from "../../../test-support/fixture";
import { AzFaultExperimentExample } from "./usage";

const ACCOUNT = "111111111111";
const ALARM = `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:meridian-production-slo-burn`;
const SUBNETS = ["0a1b2c3d4e5f60718", "1a1b2c3d4e5f60718"].map((id) => `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-${id}`);

const props = (overrides: Partial<AzFaultExperimentProps> = {}): AzFaultExperimentProps => ({
  name: "meridian-production-us-east-1",
  accountId: ACCOUNT,
  clusterName: "meridian-production-us-east-1",
  availabilityZone: "us-east-1a",
  subnetArns: SUBNETS,
  stopConditionAlarmArn: ALARM,
  ...overrides,
});

function stackWith(overrides: Partial<AzFaultExperimentProps> = {}): { stack: TerraformStack; experiment: AzFaultExperiment } {
  const { stack } = awsStack();
  const experiment = new AzFaultExperiment(stack, "az-loss", props(overrides));
  return { stack, experiment };
}

function synth(overrides: Partial<AzFaultExperimentProps> = {}): SynthesizedJson {
  return synthJson(stackWith(overrides).stack);
}

const only = (json: SynthesizedJson, type: string): Block => {
  const blocks = Object.values(json.resource[type] ?? {});
  expect(blocks).toHaveLength(1);
  return blocks[0]!;
};

describe("AzFaultExperiment", () => {
  const json = synth();
  const template = only(json, "aws_fis_experiment_template");
  const actions = template.action as Block[];
  const targets = template.target as Block[];
  const targetNamed = (name: unknown) => targets.find((t) => t.name === name)!;

  test("runs exactly two actions, stop-instances and disrupt-connectivity, in parallel", () => {
    // GIVEN a default experiment  WHEN synthesized
    // THEN it has the two actions and neither waits for the other
    expect(actions.map((a) => a.action_id).sort()).toEqual(["aws:ec2:stop-instances", "aws:network:disrupt-connectivity"]);
    actions.forEach((a) => expect(a.start_after).toBeUndefined());
  });

  test("stops the tagged cluster's instances in the AZ only, all of them, restarting them after the duration", () => {
    // GIVEN the stop-instances action
    const stop = actions.find((a) => a.action_id === "aws:ec2:stop-instances")!;
    // WHEN its target is looked up
    const target = targetNamed((stop.target as Block).value);
    // THEN it is every running instance tagged with the cluster, filtered to the AZ
    expect(stop.target).toMatchObject({ key: "Instances" });
    expect(target).toMatchObject({
      resource_type: "aws:ec2:instance",
      selection_mode: "ALL",
      resource_tag: [{ key: "kubernetes.io/cluster/meridian-production-us-east-1", value: "owned" }],
    });
    expect(target.filter).toContainEqual({ path: "Placement.AvailabilityZone", values: ["us-east-1a"] });
    expect(target.resource_arns).toBeUndefined();
    expect(stop.parameter).toContainEqual({ key: "startInstancesAfterDuration", value: "PT10M" });
  });

  test("denies all traffic of the given subnets for the duration", () => {
    // GIVEN the disrupt-connectivity action
    const disrupt = actions.find((a) => a.action_id === "aws:network:disrupt-connectivity")!;
    // WHEN its target is looked up
    const target = targetNamed((disrupt.target as Block).value);
    // THEN it is exactly the given subnets, with scope all and the ISO-8601 duration
    expect(disrupt.target).toMatchObject({ key: "Subnets" });
    expect(target).toMatchObject({ resource_type: "aws:ec2:subnet", selection_mode: "ALL", resource_arns: SUBNETS });
    expect(disrupt.parameter).toEqual(expect.arrayContaining([{ key: "duration", value: "PT10M" }, { key: "scope", value: "all" }]));
  });

  test("stops when the given alarm fires", () => {
    // GIVEN / WHEN a default experiment  THEN its only stop condition is the alarm
    expect(template.stop_condition).toEqual([{ source: "aws:cloudwatch:alarm", value: ALARM }]);
  });

  test("logs to its own log group with the default retention, and carries a Name tag", () => {
    // GIVEN / WHEN a default experiment
    const logGroup = only(json, "aws_cloudwatch_log_group");
    // THEN FIS logs (schema 2) to the construct's log group, kept 90 days
    expect(logGroup).toMatchObject({ retention_in_days: 90, name: expect.stringMatching(/^\/aws\/vendedlogs\/fis\//) });
    expect(template.log_configuration).toEqual({
      log_schema_version: 2,
      cloudwatch_logs_configuration: { log_group_arn: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[\w-]+\.arn\}:\*$/) },
    });
    expect(template.tags).toEqual({ Name: "meridian-production-us-east-1-az-loss-us-east-1a" });
    expect(template.role_arn).toMatch(/^\$\{aws_iam_role\.[\w-]+\.arn\}$/);
  });

  test("the duration and retention follow the props, with durations over an hour in hours", () => {
    // GIVEN a 90-minute experiment with a 30-day log
    const custom = synth({ durationMinutes: 90, logRetentionDays: 30 });
    // WHEN synthesized  THEN both actions last PT1H30M and the log is kept 30 days
    const customActions = only(custom, "aws_fis_experiment_template").action as Block[];
    expect(customActions.flatMap((a) => (a.parameter as Block[]).filter((p) => /[dD]uration$/.test(String(p.key))).map((p) => p.value))).toEqual([
      "PT1H30M",
      "PT1H30M",
    ]);
    expect(only(custom, "aws_cloudwatch_log_group").retention_in_days).toBe(30);
    expect([1, 59, 60, 720].map(isoDuration)).toEqual(["PT1M", "PT59M", "PT1H", "PT12H"]);
  });

  test("accepts subnet ARNs that are tokens", () => {
    // GIVEN a subnet ARN only known at apply time
    const { stack } = awsStack();
    const subnet = new TerraformVariable(stack, "subnet_arn", { type: "string" }).stringValue;
    // WHEN the experiment is built with it
    new AzFaultExperiment(stack, "az-loss", props({ subnetArns: [subnet] }));
    // THEN the target references it
    const synthesized = synthJson(stack);
    const subnetTarget = (only(synthesized, "aws_fis_experiment_template").target as Block[]).find((t) => t.resource_type === "aws:ec2:subnet")!;
    expect(subnetTarget.resource_arns).toEqual(["${var.subnet_arn}"]);
  });

  describe("role", () => {
    const trust = policyStatements(json, "trust");
    const permissions = policyStatements(json, "permissions");

    test("is assumable by fis.amazonaws.com only, for experiments in this account", () => {
      // GIVEN / WHEN the trust policy  THEN one statement, one service principal, confused-deputy conditions
      expect(trust).toHaveLength(1);
      expect(trust[0]).toMatchObject({ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["fis.amazonaws.com"] }] });
      expect(trust[0]!.condition).toEqual([
        { test: "StringEquals", variable: "aws:SourceAccount", values: [ACCOUNT] },
        { test: "ArnLike", variable: "aws:SourceArn", values: [expect.stringMatching(/^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:fis:us-east-1:111111111111:experiment\/\*$/)] },
      ]);
      const role = only(json, "aws_iam_role");
      expect(role.assume_role_policy).toMatch(/^\$\{data\.aws_iam_policy_document\.[\w-]*trust[\w-]*\.json\}$/);
    });

    test("grants no wildcard action, and only Describe and log-delivery calls on every resource", () => {
      // GIVEN / WHEN the permissions  THEN no action is a wildcard
      const allActions = permissions.flatMap((s) => s.actions);
      allActions.forEach((action) => expect(action).not.toMatch(/\*/));
      permissions.forEach((s) => expect(s.effect).toBe("Allow"));
      // AND only calls without resource-level permissions get Resource "*"
      const onEverything = permissions.filter((s) => s.resources?.includes("*")).flatMap((s) => s.actions);
      onEverything.forEach((action) => expect(action).toMatch(/^(ec2:Describe\w+|logs:CreateLogDelivery)$/));
    });

    test("may stop and start only instances tagged with the cluster, in the AZ", () => {
      // GIVEN the statements granting StopInstances
      const stopping = permissions.filter((s) => s.actions.includes("ec2:StopInstances") || s.actions.includes("ec2:StartInstances"));
      // THEN there is one, on instances, conditioned on the cluster tag and the AZ
      expect(stopping).toHaveLength(1);
      expect(stopping[0]!.actions.sort()).toEqual(["ec2:StartInstances", "ec2:StopInstances"]);
      expect(stopping[0]!.resources).toEqual([expect.stringMatching(/:ec2:us-east-1:111111111111:instance\/\*$/)]);
      expect(stopping[0]!.condition).toEqual(
        expect.arrayContaining([
          { test: "StringEquals", variable: "ec2:ResourceTag/kubernetes.io/cluster/meridian-production-us-east-1", values: ["owned"] },
          { test: "StringEquals", variable: "ec2:AvailabilityZone", values: ["us-east-1a"] },
        ]),
      );
    });

    test("may change and delete only network ACLs FIS created, and swap ACLs only of the target subnets", () => {
      // GIVEN the network ACL statements
      const granting = (action: string) => permissions.filter((s) => s.actions.includes(action));
      // THEN entries and deletion need the managedByFIS tag
      for (const action of ["ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl"]) {
        expect([action, granting(action).length]).toEqual([action, 1]);
        granting(action).forEach((s) => expect(s.condition).toContainEqual({ test: "StringEquals", variable: "ec2:ResourceTag/managedByFIS", values: ["true"] }));
      }
      // AND an ACL may only be created (and tagged) carrying that tag
      const createOnAcl = granting("ec2:CreateNetworkAcl").filter((s) => s.resources!.some((r) => r.includes("network-acl/")));
      expect(createOnAcl).toHaveLength(1);
      createOnAcl.forEach((s) => expect(s.condition).toContainEqual({ test: "StringEquals", variable: "aws:RequestTag/managedByFIS", values: ["true"] }));
      expect(granting("ec2:CreateTags")).toHaveLength(1);
      granting("ec2:CreateTags").forEach((s) => expect(s.condition).toContainEqual({ test: "StringEquals", variable: "ec2:CreateAction", values: ["CreateNetworkAcl"] }));
      // AND association swaps name the target subnets
      expect(granting("ec2:ReplaceNetworkAclAssociation")).toHaveLength(1);
      expect(granting("ec2:ReplaceNetworkAclAssociation")[0]!.resources).toEqual(expect.arrayContaining(SUBNETS));
    });

    test("may set up log delivery for the experiment log", () => {
      // GIVEN / WHEN the permissions  THEN log delivery is granted
      const actionsGranted = permissions.flatMap((s) => s.actions);
      expect(actionsGranted).toEqual(
        expect.arrayContaining(["logs:CreateLogDelivery", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"]),
      );
    });
  });

  describe("rejects bad props", () => {
    const build = (overrides: Partial<AzFaultExperimentProps>) => () => stackWith(overrides);

    test("throws when subnetArns is empty", () => {
      expect(build({ subnetArns: [] })).toThrow("AzFaultExperiment meridian-production-us-east-1: subnetArns is empty");
    });

    test("throws when subnetArns has more than FIS's 5 ARNs per target", () => {
      const six = Array.from({ length: 6 }, (_, i) => `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-0${i}`);
      expect(build({ subnetArns: six })).toThrow("subnetArns has 6 entries; FIS accepts at most 5 ARNs per target");
    });

    test("throws when a subnet ARN is not a subnet ARN", () => {
      expect(build({ subnetArns: ["subnet-0123"] })).toThrow('subnetArns entry "subnet-0123" is not a subnet ARN');
    });

    test("throws when a subnet ARN is in another region than the AZ", () => {
      const west = `arn:aws:ec2:us-west-2:${ACCOUNT}:subnet/subnet-0abc`;
      expect(build({ subnetArns: [west] })).toThrow(`subnetArns entry "${west}" is in us-west-2, not in us-east-1a's region us-east-1`);
    });

    test.each([0, 721, -5])("throws when durationMinutes is out of range (%p)", (minutes) => {
      expect(build({ durationMinutes: minutes })).toThrow(`durationMinutes ${minutes} must be a whole number of minutes from 1 to 720`);
    });

    test("throws when durationMinutes is not an integer", () => {
      expect(build({ durationMinutes: 2.5 })).toThrow("AzFaultExperiment meridian-production-us-east-1: durationMinutes 2.5 must be a whole number");
    });

    test("throws when availabilityZone is empty", () => {
      expect(build({ availabilityZone: "" })).toThrow("AzFaultExperiment meridian-production-us-east-1: availabilityZone is empty");
    });

    test.each(["us-east-1", "use1-az1", "US-EAST-1A", "us-east-1-bos-1a"])("throws when availabilityZone %p is not an AZ name", (az) => {
      expect(build({ availabilityZone: az })).toThrow(`availabilityZone "${az}" is not an availability zone name (e.g. us-east-1a)`);
    });

    test("throws when logRetentionDays is not a CloudWatch retention period", () => {
      expect(build({ logRetentionDays: 45 })).toThrow("AzFaultExperiment meridian-production-us-east-1: logRetentionDays 45 is not a CloudWatch retention period");
    });

    test("throws when stopConditionAlarmArn is empty", () => {
      expect(build({ stopConditionAlarmArn: "" })).toThrow("stopConditionAlarmArn is empty: an experiment without a stop condition is refused");
    });

    test("throws when stopConditionAlarmArn is not an alarm ARN", () => {
      expect(build({ stopConditionAlarmArn: "slo-burn" })).toThrow('stopConditionAlarmArn "slo-burn" is not a CloudWatch alarm ARN');
    });

    test("throws when accountId is not 12 digits", () => {
      expect(build({ accountId: "1111-1111-1111" })).toThrow('accountId "1111-1111-1111" must be a 12-digit AWS account id');
    });

    test("throws when clusterName is empty", () => {
      expect(build({ clusterName: " " })).toThrow("AzFaultExperiment meridian-production-us-east-1: clusterName is empty");
    });
  });

  test("the README's usage example synthesizes (snapshot)", () => {
    expect(synthJson(new AzFaultExperimentExample(Testing.app(), "example"))).toMatchSnapshot();
  });
});
