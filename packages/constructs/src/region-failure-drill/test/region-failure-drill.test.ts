import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { TerraformVariable, Testing, type TerraformStack } from "cdktf";
import {
  DRILL_TAG,
  REGION_FAILURE_DRILLS,
  RegionFailureDrill,
  type RegionFailureDrillProps,
} from "..";
import { awsStack, policyStatements, synthJson, type Block, type SynthesizedJson } from "../../../test-support/fixture";
import { RegionFailureDrillExample } from "./usage";

const ACCOUNT = "111111111111";
const NAME = "meridian-production-us-east-1";
const CLUSTER = "meridian-production-us-east-1";
const CLUSTER_ARN = `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:${CLUSTER}`;
const NO_HEALTHY_TARGETS = `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:meridian-production-use1-no-healthy-targets`;
const REPLICATION_LAG = `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:${CLUSTER}-global-replication-lag`;
const SUBNETS = ["0a1b2c3d4e5f60718", "1a1b2c3d4e5f60718", "2a1b2c3d4e5f60718"].map((id) => `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-${id}`);
const FAILOVER = REGION_FAILURE_DRILLS.auroraWriterFailover;
const INGRESS = REGION_FAILURE_DRILLS.regionalIngressLoss;

const props = (overrides: Partial<RegionFailureDrillProps> = {}): RegionFailureDrillProps => ({
  name: NAME,
  region: "us-east-1",
  accountId: ACCOUNT,
  partition: "aws",
  auroraClusterIdentifier: CLUSTER,
  auroraRole: "writer",
  publicSubnetArns: SUBNETS,
  failoverStopAlarmArn: NO_HEALTHY_TARGETS,
  ingressLossStopAlarmArn: REPLICATION_LAG,
  ...overrides,
});

function stackWith(overrides: Partial<RegionFailureDrillProps> = {}): { stack: TerraformStack; drill: RegionFailureDrill } {
  const { stack } = awsStack();
  const drill = new RegionFailureDrill(stack, "drill", props(overrides));
  return { stack, drill };
}

function synth(overrides: Partial<RegionFailureDrillProps> = {}): SynthesizedJson {
  return synthJson(stackWith(overrides).stack);
}

const blocks = (json: SynthesizedJson, type: string): [string, Block][] => Object.entries(json.resource[type] ?? {});
/** The one block of `type` whose logical id contains `drill` (the construct ids are `<drill>-…`). */
const ofDrill = (json: SynthesizedJson, type: string, drill: string): Block => {
  const matching = blocks(json, type).filter(([id]) => id.includes(drill));
  expect(matching).toHaveLength(1);
  return matching[0]![1];
};
/** Reference to a resource's attribute as Terraform sees it, e.g. `${aws_iam_role.drill_x_1234.arn}`. */
const refTo = (json: SynthesizedJson, type: string, drill: string, attribute: string): string => {
  const matching = blocks(json, type).filter(([id]) => id.includes(drill));
  expect(matching).toHaveLength(1);
  return `\${${type}.${matching[0]![0]}.${attribute}}`;
};

describe("RegionFailureDrill", () => {
  const json = synth();
  const failoverTemplate = ofDrill(json, "aws_fis_experiment_template", FAILOVER);
  const ingressTemplate = ofDrill(json, "aws_fis_experiment_template", INGRESS);

  test("creates exactly two templates, two roles and two log groups, one of each per drill", () => {
    // GIVEN / WHEN a default drill  THEN each drill has its own template, role and log group
    for (const type of ["aws_fis_experiment_template", "aws_iam_role", "aws_iam_role_policy", "aws_cloudwatch_log_group"]) {
      expect(blocks(json, type)).toHaveLength(2);
    }
    expect(failoverTemplate.role_arn).toBe(refTo(json, "aws_iam_role", FAILOVER, "arn"));
    expect(ingressTemplate.role_arn).toBe(refTo(json, "aws_iam_role", INGRESS, "arn"));
    expect(failoverTemplate.depends_on).toEqual([`aws_iam_role_policy.${blocks(json, "aws_iam_role_policy").find(([id]) => id.includes(FAILOVER))![0]}`]);
  });

  describe("Aurora writer failover", () => {
    test("fails over the region's Aurora member cluster, by ARN, with no other action", () => {
      // GIVEN the failover template  WHEN its actions and targets are read
      const actions = failoverTemplate.action as Block[];
      const targets = failoverTemplate.target as Block[];
      // THEN one failover action targets exactly the member cluster
      expect(actions).toEqual([
        {
          name: "fail-over-writer",
          action_id: "aws:rds:failover-db-cluster",
          description: expect.stringContaining(CLUSTER),
          target: { key: "Clusters", value: "aurora-member" },
        },
      ]);
      expect(targets).toEqual([{ name: "aurora-member", resource_type: "aws:rds:cluster", resource_arns: [CLUSTER_ARN], selection_mode: "ALL" }]);
    });

    test("stops when the ingress has no healthy targets", () => {
      // GIVEN / WHEN the failover template  THEN its only stop condition is the given alarm
      expect(failoverTemplate.stop_condition).toEqual([{ source: "aws:cloudwatch:alarm", value: NO_HEALTHY_TARGETS }]);
    });

    test("targets this account only and fails when the cluster is missing", () => {
      expect(failoverTemplate.experiment_options).toEqual({ account_targeting: "single-account", empty_target_resolution_mode: "fail" });
    });

    test("logs to its own log group and is tagged for operators", () => {
      // GIVEN the failover log group
      const logGroup = ofDrill(json, "aws_cloudwatch_log_group", FAILOVER);
      // THEN it is under /aws/vendedlogs/fis/<name>/, kept 90 days, and the template logs there
      expect(logGroup).toMatchObject({ name: `/aws/vendedlogs/fis/${NAME}/aurora-writer-failover`, retention_in_days: 90 });
      expect(failoverTemplate.log_configuration).toEqual({
        log_schema_version: 2,
        cloudwatch_logs_configuration: { log_group_arn: `${refTo(json, "aws_cloudwatch_log_group", FAILOVER, "arn")}:*` },
      });
      expect(failoverTemplate.tags).toEqual({ Name: `${NAME}-aurora-writer-failover`, drill: "aurora-writer-failover" });
    });

    test("its role may fail over only this cluster and describe only this region's clusters", () => {
      // GIVEN the failover role's permissions
      const permissions = policyStatements(json, `${FAILOVER}-permissions`);
      const rds = permissions.filter((s) => s.actions.some((a) => a.startsWith("rds:")));
      // THEN FailoverDBCluster names the cluster ARN, DescribeDBClusters this region's and account's clusters
      expect(rds).toEqual([
        { sid: "FailOverTheRegionsAuroraMember", effect: "Allow", actions: ["rds:FailoverDBCluster"], resources: [CLUSTER_ARN] },
        { sid: "ResolveTheCluster", effect: "Allow", actions: ["rds:DescribeDBClusters"], resources: [`arn:aws:rds:us-east-1:${ACCOUNT}:cluster:*`] },
      ]);
      // AND apart from log delivery it may do nothing else: no EC2, no network ACLs
      const other = permissions.filter((s) => !rds.includes(s)).flatMap((s) => s.actions);
      expect(other.sort()).toEqual(["logs:CreateLogDelivery", "logs:DescribeLogGroups", "logs:DescribeResourcePolicies", "logs:PutResourcePolicy"]);
    });
  });

  describe("regional ingress loss", () => {
    test("cuts all traffic of the public subnets, by ARN, for 5 minutes by default", () => {
      // GIVEN the ingress template  WHEN its actions and targets are read
      const actions = ingressTemplate.action as Block[];
      const targets = ingressTemplate.target as Block[];
      // THEN one disrupt-connectivity action, scope all, PT5M, on exactly the public subnets
      expect(actions).toEqual([
        {
          name: "disrupt-public-subnets",
          action_id: "aws:network:disrupt-connectivity",
          description: expect.stringContaining("PT5M"),
          parameter: [
            { key: "duration", value: "PT5M" },
            { key: "scope", value: "all" },
          ],
          target: { key: "Subnets", value: "public-subnets" },
        },
      ]);
      expect(targets).toEqual([{ name: "public-subnets", resource_type: "aws:ec2:subnet", resource_arns: SUBNETS, selection_mode: "ALL" }]);
      expect(stackWith().drill.ingressLossDuration).toBe("PT5M");
    });

    test("stops when Aurora replication lags", () => {
      expect(ingressTemplate.stop_condition).toEqual([{ source: "aws:cloudwatch:alarm", value: REPLICATION_LAG }]);
      expect(ingressTemplate.experiment_options).toEqual({ account_targeting: "single-account", empty_target_resolution_mode: "fail" });
    });

    test("logs to its own log group and is tagged for operators", () => {
      const logGroup = ofDrill(json, "aws_cloudwatch_log_group", INGRESS);
      expect(logGroup).toMatchObject({ name: `/aws/vendedlogs/fis/${NAME}/regional-ingress-loss`, retention_in_days: 90 });
      expect(ingressTemplate.log_configuration).toEqual({
        log_schema_version: 2,
        cloudwatch_logs_configuration: { log_group_arn: `${refTo(json, "aws_cloudwatch_log_group", INGRESS, "arn")}:*` },
      });
      expect(ingressTemplate.tags).toEqual({ Name: `${NAME}-regional-ingress-loss`, drill: "regional-ingress-loss" });
    });

    test("the duration and retention follow the props, with durations over an hour in hours", () => {
      // GIVEN a 90-minute ingress loss and a 30-day log
      const custom = synth({ ingressLossMinutes: 90, logRetentionDays: 30 });
      // WHEN synthesized  THEN the action lasts PT1H30M and both logs are kept 30 days
      const action = (ofDrill(custom, "aws_fis_experiment_template", INGRESS).action as Block[])[0]!;
      expect(action.parameter).toContainEqual({ key: "duration", value: "PT1H30M" });
      const logGroups = blocks(custom, "aws_cloudwatch_log_group");
      expect(logGroups).toHaveLength(2);
      logGroups.forEach(([, logGroup]) => expect(logGroup.retention_in_days).toBe(30));
    });

    test("its role has exactly AzFaultExperiment's disrupt-connectivity permissions, in this region and account", () => {
      // GIVEN the ingress role's permissions
      const permissions = policyStatements(json, `${INGRESS}-permissions`);
      const acls = `arn:aws:ec2:us-east-1:${ACCOUNT}:network-acl/*`;
      const vpcs = `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/*`;
      const fisTag = (key: string) => ({ test: "StringEquals", variable: `${key}/managedByFIS`, values: ["true"] });
      // THEN the network statements are exactly these
      expect(permissions.filter((s) => s.actions.some((a) => a.startsWith("ec2:")))).toEqual([
        { sid: "CreateFisNetworkAcl", effect: "Allow", actions: ["ec2:CreateNetworkAcl"], resources: [acls], condition: [fisTag("aws:RequestTag")] },
        { sid: "CreateFisNetworkAclInVpc", effect: "Allow", actions: ["ec2:CreateNetworkAcl"], resources: [vpcs] },
        {
          sid: "TagFisNetworkAclOnCreate",
          effect: "Allow",
          actions: ["ec2:CreateTags"],
          resources: [acls],
          condition: [{ test: "StringEquals", variable: "ec2:CreateAction", values: ["CreateNetworkAcl"] }, fisTag("aws:RequestTag")],
        },
        {
          sid: "ChangeOnlyFisNetworkAcls",
          effect: "Allow",
          actions: ["ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl"],
          resources: [acls, vpcs],
          condition: [fisTag("ec2:ResourceTag")],
        },
        { sid: "SwapAclOfTargetSubnets", effect: "Allow", actions: ["ec2:ReplaceNetworkAclAssociation"], resources: [...SUBNETS, acls] },
        {
          sid: "ResolveTargets",
          effect: "Allow",
          actions: ["ec2:DescribeManagedPrefixLists", "ec2:DescribeNetworkAcls", "ec2:DescribeSubnets", "ec2:DescribeVpcs"],
          resources: ["*"],
        },
      ]);
      // AND no RDS action, nor stopping instances
      const granted = permissions.flatMap((s) => s.actions);
      granted.forEach((action) => expect(action).toMatch(/^(ec2|logs):/));
      expect(granted).not.toContain("ec2:StopInstances");
    });

    test("accepts subnet ARNs that are tokens", () => {
      // GIVEN a subnet ARN only known at apply time
      const { stack } = awsStack();
      const subnet = new TerraformVariable(stack, "subnet_arn", { type: "string" }).stringValue;
      // WHEN the drill is built with it
      new RegionFailureDrill(stack, "drill", props({ publicSubnetArns: [subnet] }));
      // THEN the target and the ACL swap reference it
      const synthesized = synthJson(stack);
      const target = (ofDrill(synthesized, "aws_fis_experiment_template", INGRESS).target as Block[])[0]!;
      expect(target.resource_arns).toEqual(["${var.subnet_arn}"]);
      const swap = policyStatements(synthesized, `${INGRESS}-permissions`).find((s) => s.sid === "SwapAclOfTargetSubnets")!;
      expect(swap.resources).toContain("${var.subnet_arn}");
    });
  });

  describe("roles", () => {
    test("are one per drill, both assumable by fis.amazonaws.com only, for experiments in this account and region", () => {
      // GIVEN the shared trust policy
      const trust = policyStatements(json, "trust");
      // THEN one statement, one service principal, confused-deputy conditions
      expect(trust).toEqual([
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["fis.amazonaws.com"] }],
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [ACCOUNT] },
            { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:aws:fis:us-east-1:${ACCOUNT}:experiment/*`] },
          ],
        },
      ]);
      // AND both roles use it, each with its own inline policy
      const trustRef = `\${data.aws_iam_policy_document.${Object.keys(json.data!.aws_iam_policy_document!).find((id) => id.includes("trust"))!}.json}`;
      for (const drill of [FAILOVER, INGRESS]) {
        const role = ofDrill(json, "aws_iam_role", drill);
        expect(role).toMatchObject({ assume_role_policy: trustRef, name_prefix: `fis-${drill}-`, tags: { Name: `${NAME}-fis-${drill}`, drill } });
        const policy = ofDrill(json, "aws_iam_role_policy", drill);
        expect(policy.role).toBe(refTo(json, "aws_iam_role", drill, "id"));
        expect(policy.policy).toMatch(new RegExp(`^\\$\\{data\\.aws_iam_policy_document\\.[\\w-]*${drill}-permissions[\\w-]*\\.json\\}$`));
      }
    });

    test("grant no wildcard action, and Resource * only to calls without resource-level permissions", () => {
      for (const drill of [FAILOVER, INGRESS]) {
        const permissions = policyStatements(json, `${drill}-permissions`);
        permissions.forEach((s) => expect(s.effect).toBe("Allow"));
        permissions.flatMap((s) => s.actions).forEach((action) => expect(action).not.toMatch(/\*/));
        const onEverything = permissions.filter((s) => s.resources?.includes("*")).flatMap((s) => s.actions);
        onEverything.forEach((action) => expect(action).toMatch(/^(ec2:Describe\w+|logs:CreateLogDelivery)$/));
        // Log delivery setup stays in this region and account.
        const delivery = permissions.find((s) => s.sid === "AllowLogDeliveryToLogGroup")!;
        expect(delivery.resources).toEqual([`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:*`]);
      }
    });

    test("build ARNs from a partition token", () => {
      // GIVEN the partition as the stack passes it, from data.aws_partition
      const { stack } = awsStack();
      const partition = new DataAwsPartition(stack, "partition").partition;
      // WHEN the drill is built with it
      const drill = new RegionFailureDrill(stack, "drill", props({ partition }));
      const synthesized = synthJson(stack);
      // THEN the cluster target carries the token
      const target = (ofDrill(synthesized, "aws_fis_experiment_template", FAILOVER).target as Block[])[0]!;
      expect(target.resource_arns).toEqual([`arn:\${data.aws_partition.partition.partition}:rds:us-east-1:${ACCOUNT}:cluster:${CLUSTER}`]);
      expect(drill.auroraClusterArn).toContain(":rds:us-east-1:111111111111:cluster:meridian-production-us-east-1");
    });
  });

  test("exports the drill tag for operators", () => {
    expect(DRILL_TAG).toBe("drill");
    expect(Object.values(REGION_FAILURE_DRILLS)).toEqual(["aurora-writer-failover", "regional-ingress-loss"]);
  });

  describe("rejects bad props", () => {
    const build = (overrides: Partial<RegionFailureDrillProps>) => () => stackWith(overrides);
    const prefix = `RegionFailureDrill ${NAME}:`;

    test.each([0, 721, -5, 2.5])("throws when ingressLossMinutes is not 1-720 whole minutes (%p)", (minutes) => {
      expect(build({ ingressLossMinutes: minutes })).toThrow(`${prefix} ingressLossMinutes ${minutes} must be a whole number of minutes from 1 to 720`);
    });

    test("throws when publicSubnetArns is empty", () => {
      expect(build({ publicSubnetArns: [] })).toThrow(`${prefix} publicSubnetArns [] must name at least one public subnet`);
    });

    test("throws when publicSubnetArns has more than FIS's 5 ARNs per target", () => {
      const six = Array.from({ length: 6 }, (_, i) => `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-0${i}`);
      expect(build({ publicSubnetArns: six })).toThrow(`${prefix} publicSubnetArns count 6 must be at most 5: FIS accepts at most 5 ARNs per target`);
    });

    test("throws when a subnet ARN is in another region", () => {
      const west = `arn:aws:ec2:us-west-2:${ACCOUNT}:subnet/subnet-0abc`;
      expect(build({ publicSubnetArns: [SUBNETS[0]!, west] })).toThrow(`${prefix} publicSubnetArns entry "${west}" is in us-west-2, not in the drill's region us-east-1`);
    });

    test("throws when a subnet ARN is not a subnet ARN", () => {
      expect(build({ publicSubnetArns: ["subnet-0123"] })).toThrow(`${prefix} publicSubnetArns entry "subnet-0123" is not a subnet ARN`);
    });

    test.each([
      ["failoverStopAlarmArn", "no-healthy-targets"],
      ["ingressLossStopAlarmArn", `arn:aws:sns:us-east-1:${ACCOUNT}:alarms`],
    ] as const)("throws when %s is not an alarm ARN (%p)", (setting, value) => {
      expect(build({ [setting]: value })).toThrow(`${prefix} ${setting} "${value}" is not a CloudWatch alarm ARN`);
    });

    test.each(["failoverStopAlarmArn", "ingressLossStopAlarmArn"] as const)("throws when %s is empty", (setting) => {
      expect(build({ [setting]: "" })).toThrow(`${prefix} ${setting} "" must not be empty: an experiment without a stop condition is refused`);
    });

    test("throws when a stop alarm is in another region", () => {
      const west = `arn:aws:cloudwatch:us-west-2:${ACCOUNT}:alarm:lag`;
      expect(build({ ingressLossStopAlarmArn: west })).toThrow(`${prefix} ingressLossStopAlarmArn "${west}" is in us-west-2, not in the drill's region us-east-1`);
    });

    test("accepts alarm ARNs that are tokens", () => {
      const { stack } = awsStack();
      const alarm = new TerraformVariable(stack, "alarm_arn", { type: "string" }).stringValue;
      expect(() => new RegionFailureDrill(stack, "drill", props({ failoverStopAlarmArn: alarm, ingressLossStopAlarmArn: alarm }))).not.toThrow();
    });

    test.each(["Meridian-prod", "1meridian", "meridian--prod", "meridian-prod-", "meridian_prod", "a".repeat(64)])(
      "throws when auroraClusterIdentifier %p is not a DB cluster identifier",
      (identifier) => {
        expect(build({ auroraClusterIdentifier: identifier })).toThrow(
          `${prefix} auroraClusterIdentifier "${identifier}" must be 1-63 lower-case letters, digits or single hyphens`,
        );
      },
    );

    test("throws when logRetentionDays is not a CloudWatch retention period", () => {
      expect(build({ logRetentionDays: 45 })).toThrow(`${prefix} logRetentionDays 45 is not a CloudWatch retention period`);
    });

    test.each(["us-east-1a", "US-EAST-1", ""])("throws when region %p is not a region name", (region) => {
      expect(build({ region })).toThrow(`${prefix} region "${region}" must be a literal region name such as us-east-1`);
    });

    test("throws when accountId is not 12 digits", () => {
      expect(build({ accountId: "1111-1111-1111" })).toThrow(`${prefix} accountId "1111-1111-1111" must be a 12-digit AWS account id`);
    });

    test("throws when partition is not an ARN partition", () => {
      expect(build({ partition: "amazon" })).toThrow(`${prefix} partition "amazon" must be an ARN partition`);
    });

    test("throws when name is empty", () => {
      expect(build({ name: " " })).toThrow('RegionFailureDrill  : name " " must not be empty');
    });
  });
});

describe("RegionFailureDrill in the reader region", () => {
  // GIVEN the drill for a region whose member is the global secondary
  const { stack, drill } = stackWith({ auroraRole: "reader" });
  const json = synthJson(stack);

  test("creates no writer-failover template or role: FailoverDBCluster on a secondary would fail", () => {
    // THEN only the ingress-loss template and role exist
    expect(drill.auroraWriterFailover).toBeUndefined();
    expect(blocks(json, "aws_fis_experiment_template").map(([, t]) => (t.tags as Record<string, string>)[DRILL_TAG])).toEqual([INGRESS]);
    expect(blocks(json, "aws_iam_role").filter(([id]) => id.includes(FAILOVER))).toEqual([]);
    expect(blocks(json, "aws_iam_role_policy").filter(([id]) => id.includes(FAILOVER))).toEqual([]);
  });

  test("keeps the failover drill's log group at the same address as in the writer region", () => {
    const writerJson = synth();
    const logGroupIds = (j: SynthesizedJson) => blocks(j, "aws_cloudwatch_log_group").map(([id]) => id).sort();
    expect(logGroupIds(json)).toEqual(logGroupIds(writerJson));
    expect(drill.auroraWriterFailoverLogGroup).toBeDefined();
  });

  test("the README's usage example synthesizes (snapshot)", () => {
    expect(synthJson(new RegionFailureDrillExample(Testing.app(), "example"))).toMatchSnapshot();
  });
});
