import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, Testing } from "cdktf";
import { ObservabilityAwsExample } from "./usage";
import type { TerraformStack } from "cdktf";
import {
  MAX_CLUSTER_NAME_LENGTH,
  ObservabilityAws,
  fluentBitStatements,
  remoteWriteStatements,
  xrayStatements,
  type ObservabilityAwsProps,
} from "..";
import { OBSERVABILITY_WORKLOADS, workloadLogGroupName, workspaceLogGroupName } from "..";
import { awsStack, policyStatements, synthJson, type Block, type PolicyStatement, type SynthesizedJson } from "../../../test-support/fixture";

const CLUSTER = "meridian-production-us-east-1";
const ISSUER = { providerArn: "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC", host: "oidc.eks.us-east-1.amazonaws.com/id/ABC" };
const KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const props = (overrides: Partial<ObservabilityAwsProps> = {}): ObservabilityAwsProps => ({
  clusterName: CLUSTER,
  region: "us-east-1",
  accountId: "111111111111",
  partition: "aws",
  issuer: ISSUER,
  kmsKeyArn: KEY,
  ...overrides,
});

function build(overrides: Partial<ObservabilityAwsProps> = {}): { stack: TerraformStack; observability: ObservabilityAws } {
  const { stack } = awsStack();
  const observability = new ObservabilityAws(stack, "observability", props(overrides));
  return { stack, observability };
}
const synth = (overrides: Partial<ObservabilityAwsProps> = {}): SynthesizedJson => synthJson(build(overrides).stack);

const statementsOf = (json: SynthesizedJson, roleId: string, kind: "trust" | "permissions"): PolicyStatement[] => policyStatements(json, `${roleId}_${kind}`);
const resourceNamed = (json: SynthesizedJson, type: string, name: string): [string, Block] =>
  Object.entries(json.resource[type] ?? {}).find(([, block]) => block.name === name)!;

describe("ObservabilityAws", () => {
  const json = synth();

  test("creates one AMP workspace aliased by the cluster, encrypted with the given key, logging to its own log group", () => {
    // GIVEN the default props  WHEN synthesized
    const workspaces = Object.values(json.resource.aws_prometheus_workspace!);
    // THEN there is one workspace with the cluster's alias, the key, and logs into the vended-logs group
    expect(workspaces).toHaveLength(1);
    const [logGroupId] = resourceNamed(json, "aws_cloudwatch_log_group", workspaceLogGroupName(CLUSTER));
    expect(workspaces[0]).toEqual({
      alias: CLUSTER,
      kms_key_arn: KEY,
      logging_configuration: { log_group_arn: `\${aws_cloudwatch_log_group.${logGroupId}.arn}:*` },
      tags: { Name: CLUSTER },
    });
  });

  test("pre-creates the workload and workspace log groups with bounded retention", () => {
    // GIVEN / WHEN the defaults  THEN both groups exist with 30 days
    const groups = Object.values(json.resource.aws_cloudwatch_log_group!);
    expect(groups.map((g) => g.name).sort()).toEqual([`/aws/eks/${CLUSTER}/workloads`, `/aws/vendedlogs/prometheus/${CLUSTER}`]);
    groups.forEach((g) => expect(g.retention_in_days).toBe(30));
    // AND a custom retention applies to both
    const customGroups = Object.values(synth({ logRetentionDays: 365 }).resource.aws_cloudwatch_log_group ?? {});
    expect(customGroups).toHaveLength(2);
    customGroups.forEach((g) => expect(g.retention_in_days).toBe(365));
  });

  test("omits the key when none is given (AWS-owned encryption)", () => {
    // GIVEN no kmsKeyArn  WHEN synthesized  THEN the workspace names no key
    const workspace = Object.values(synth({ kmsKeyArn: undefined }).resource.aws_prometheus_workspace!)[0]!;
    expect(workspace.kms_key_arn).toBeUndefined();
  });

  test("names one IRSA role per agent <cluster>-<roleId>, within IAM's 64 characters", () => {
    // GIVEN / WHEN the defaults
    const names = Object.values(json.resource.aws_iam_role!).map((r) => r.name).sort();
    // THEN each workload has its deterministic role
    expect(names).toEqual(Object.values(OBSERVABILITY_WORKLOADS).map((w) => `${CLUSTER}-${w.roleId}`).sort());
    names.forEach((name) => expect(String(name).length).toBeLessThanOrEqual(64));
  });

  test.each(Object.values(OBSERVABILITY_WORKLOADS))("the $roleId role trusts only $namespace/$serviceAccount through the cluster's OIDC provider", (workload) => {
    // GIVEN the role's trust policy
    const trust = statementsOf(json, workload.roleId, "trust");
    // THEN it is one statement: web identity from the issuer, pinned to the service account and STS audience
    expect(trust).toEqual([
      expect.objectContaining({
        effect: "Allow",
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: [ISSUER.providerArn] }],
        condition: [
          { test: "StringEquals", variable: `${ISSUER.host}:sub`, values: [`system:serviceaccount:${workload.namespace}:${workload.serviceAccount}`] },
          { test: "StringEquals", variable: `${ISSUER.host}:aud`, values: ["sts.amazonaws.com"] },
        ],
      }),
    ]);
  });

  test("Prometheus may only remote-write, and only to this workspace", () => {
    // GIVEN the remote-write role's permissions
    const statements = statementsOf(json, OBSERVABILITY_WORKLOADS.prometheus.roleId, "permissions");
    const [workspaceId] = Object.keys(json.resource.aws_prometheus_workspace!);
    // THEN one statement: aps:RemoteWrite on the workspace's ARN
    expect(statements).toEqual([expect.objectContaining({ effect: "Allow", actions: ["aps:RemoteWrite"], resources: [`\${aws_prometheus_workspace.${workspaceId}.arn}`] })]);
  });

  test("Fluent Bit may only create streams and put events in the workload log group, never create groups", () => {
    // GIVEN the Fluent Bit role's permissions
    const statements = statementsOf(json, OBSERVABILITY_WORKLOADS.fluentBit.roleId, "permissions");
    const arn = `arn:aws:logs:us-east-1:111111111111:log-group:${workloadLogGroupName(CLUSTER)}`;
    // THEN stream/event actions on exactly that group and its streams
    expect(statements).toEqual([
      expect.objectContaining({ actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], resources: [arn, `${arn}:*`] }),
    ]);
    expect(statements.flatMap((s) => s.actions)).not.toContain("logs:CreateLogGroup");
    expect(statements.flatMap((s) => s.resources ?? []).every((r) => r.startsWith(arn))).toBe(true);
  });

  test("the collector may send traces and read sampling rules, nothing else", () => {
    // GIVEN the collector role's permissions  THEN only X-Ray actions (which have no resource-level permissions)
    const actions = statementsOf(json, OBSERVABILITY_WORKLOADS.otelCollector.roleId, "permissions").flatMap((s) => s.actions).sort();
    expect(actions).toEqual(["xray:GetSamplingRules", "xray:GetSamplingStatisticSummaries", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"]);
  });

  test("exposes each agent's role ARN, the remote-write URL and the deterministic log group name", () => {
    // GIVEN the construct
    const { stack, observability } = build();
    // THEN its accessors line up with the workloads table and the workspace endpoint
    new TerraformOutput(stack, "role_arns", { value: observability.roleArns });
    const roleArns = synthJson(stack).output!.role_arns!.value as Record<string, string>;
    for (const [name, workload] of Object.entries(OBSERVABILITY_WORKLOADS)) {
      expect([name, roleArns[name]]).toEqual([name, expect.stringMatching(new RegExp(`^\\$\\{aws_iam_role\\.observability_${workload.roleId}_role_[0-9A-F]+\\.arn\\}$`))]);
    }
    expect(Object.keys(observability.roleArns).sort()).toEqual(Object.keys(OBSERVABILITY_WORKLOADS).sort());
    expect(observability.remoteWriteUrl).toMatch(/api\/v1\/remote_write$/);
    expect(observability.workloadLogGroupName).toBe(`/aws/eks/${CLUSTER}/workloads`);
  });

  test("creates the alert topic encrypted with its own customer key, whose policy admits CloudWatch alarms of this account and region only", () => {
    // GIVEN the default props  WHEN synthesized  THEN one topic named for the cluster, on the alert key
    const [topic] = Object.values(json.resource.aws_sns_topic!);
    const [keyId] = Object.entries(json.resource.aws_kms_key!).find(([, key]) => String(key.description).includes("alert topic"))!;
    expect(topic).toEqual({ name: `${CLUSTER}-alerts`, kms_master_key_id: `\${aws_kms_key.${keyId}.arn}`, tags: { Name: `${CLUSTER}-alerts` } });
    // AND without a workspace key the topic still uses the customer key (CloudWatch cannot use alias/aws/sns)
    expect(Object.values(synth({ kmsKeyArn: undefined }).resource.aws_sns_topic!)[0]!.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    // AND the key policy lets cloudwatch.amazonaws.com make the data-key calls SNS needs, for this account's alarms in this region
    const keyPolicy = policyStatements(json, "alert-key_policy");
    expect(keyPolicy.find((s) => s.sid === "CloudWatchAlarmsPublishToTheAlertTopic")).toEqual({
      sid: "CloudWatchAlarmsPublishToTheAlertTopic",
      effect: "Allow",
      principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
      actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
      resources: ["*"],
      condition: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: ["111111111111"] },
        { test: "ArnLike", variable: "aws:SourceArn", values: ["arn:aws:cloudwatch:us-east-1:111111111111:alarm:*"] },
      ],
    });
  });

  test("the alert topic's policy lets CloudWatch alarms of this account and region publish, nothing more", () => {
    // GIVEN the default props  WHEN synthesized
    const [topicId] = Object.keys(json.resource.aws_sns_topic!);
    const [policy] = Object.values(json.resource.aws_sns_topic_policy!);
    // THEN the policy is attached to the topic
    expect(policy!.arn).toBe(`\${aws_sns_topic.${topicId}.arn}`);
    // AND its one statement admits the CloudWatch service principal for sns:Publish under source conditions
    expect(policyStatements(json, "alert-topic-policy")).toEqual([
      {
        sid: "CloudWatchAlarmsPublish",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
        actions: ["sns:Publish"],
        resources: [`\${aws_sns_topic.${topicId}.arn}`],
        condition: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: ["111111111111"] },
          { test: "ArnLike", variable: "aws:SourceArn", values: ["arn:aws:cloudwatch:us-east-1:111111111111:alarm:*"] },
        ],
      },
    ]);
  });

  test("subscribes each alert email to the topic, and nothing without emails", () => {
    // GIVEN two addresses  WHEN synthesized  THEN one email subscription each, on the topic
    const withEmails = synth({ alertEmails: ["oncall@example.com", "platform@example.com"] });
    const [topicId] = Object.keys(withEmails.resource.aws_sns_topic!);
    expect(Object.values(withEmails.resource.aws_sns_topic_subscription!)).toEqual([
      { topic_arn: `\${aws_sns_topic.${topicId}.arn}`, protocol: "email", endpoint: "oncall@example.com" },
      { topic_arn: `\${aws_sns_topic.${topicId}.arn}`, protocol: "email", endpoint: "platform@example.com" },
    ]);
    expect(json.resource.aws_sns_topic_subscription).toBeUndefined();
  });

  test("Alertmanager's role may publish to its topic and use the topic's key, nothing else; its ARN is known at plan time", () => {
    // GIVEN the construct
    const { observability } = build();
    // THEN the topic ARN is built from its parts
    expect(observability.alertTopicArn).toBe(`arn:aws:sns:us-east-1:111111111111:${CLUSTER}-alerts`);
    // AND the role trusts only Alertmanager's service account and may only publish there
    const trust = statementsOf(json, OBSERVABILITY_WORKLOADS.alertmanager.roleId, "trust");
    expect(trust.flatMap((s) => s.condition ?? []).find((c) => c.variable.endsWith(":sub"))!.values).toEqual(["system:serviceaccount:monitoring:alertmanager"]);
    expect(statementsOf(json, OBSERVABILITY_WORKLOADS.alertmanager.roleId, "permissions")).toEqual([
      { sid: "PublishToTheAlertTopic", effect: "Allow", actions: ["sns:Publish"], resources: [observability.alertTopicArn] },
      { sid: "EncryptForTheAlertTopic", effect: "Allow", actions: ["kms:GenerateDataKey*", "kms:Decrypt"], resources: [`\${aws_kms_key.${Object.keys(json.resource.aws_kms_key!)[0]}.arn}`] },
    ]);
  });

  test("statement builders never grant a wildcard action", () => {
    // GIVEN every statement  THEN actions are all service-scoped, specific names
    const all = [...remoteWriteStatements("arn:aws:aps:us-east-1:111111111111:workspace/ws-1"), ...fluentBitStatements("arn:aws:logs:us-east-1:111111111111:log-group:g"), ...xrayStatements()];
    const actions = all.flatMap((s) => s.actions ?? []);
    expect(actions.length).toBeGreaterThanOrEqual(3);
    actions.forEach((action) => expect(action).toMatch(/^(aps|logs|xray):[A-Z][A-Za-z]+$/));
  });
});

describe("ObservabilityAws rejects bad settings", () => {
  test("throws when the cluster name leaves no room for the role names", () => {
    // GIVEN a cluster name one character too long  WHEN built  THEN the error names the setting, value and limit
    const name = `c${"x".repeat(MAX_CLUSTER_NAME_LENGTH)}`;
    expect(() => build({ clusterName: name })).toThrow(`clusterName "${name}" is ${name.length} characters; role names "<clusterName>-<role>" must fit IAM's 64, so at most ${MAX_CLUSTER_NAME_LENGTH}`);
    expect(MAX_CLUSTER_NAME_LENGTH).toBe(47);
  });
  test("throws when the cluster name has characters EKS does not allow", () => {
    expect(() => build({ clusterName: "bad_name" })).toThrow('clusterName "bad_name" must be letters, digits and \'-\'');
  });
  test("throws when the log retention is not a CloudWatch period", () => {
    expect(() => build({ logRetentionDays: 45 })).toThrow("logRetentionDays 45 is not a CloudWatch Logs retention period");
  });
  test("throws when the region is not a region name", () => {
    expect(() => build({ region: "us-east" })).toThrow('region "us-east" is not an AWS region name');
  });
  test("throws when the account id is not 12 digits", () => {
    expect(() => build({ accountId: "1234" })).toThrow('accountId "1234" must be a 12-digit AWS account id');
  });
  test("throws when an alert email is not an address, or listed twice", () => {
    expect(() => build({ alertEmails: ["oncall"] })).toThrow('alertEmails[0] "oncall" must be an email address');
    expect(() => build({ alertEmails: ["a@example.com", "a@example.com"] })).toThrow("alertEmails lists an address twice");
  });
  test("throws when the key is not a KMS ARN", () => {
    expect(() => build({ kmsKeyArn: "alias/storage" })).toThrow('kmsKeyArn "alias/storage" must be a KMS key ARN');
  });
  test("reports every problem at once", () => {
    expect(() => build({ region: "nowhere", logRetentionDays: 2 })).toThrow(/region "nowhere"[\s\S]*logRetentionDays 2/);
  });
});

describe("ObservabilityAws provider and example", () => {
  test("provider places every resource with that provider", () => {
    const { stack } = awsStack();
    const other = new AwsProvider(stack, "other", { region: "eu-west-1", alias: "other" });
    new ObservabilityAws(stack, "observability", {
      clusterName: "c",
      region: "eu-west-1",
      accountId: "111111111111",
      partition: "aws",
      issuer: { providerArn: "arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC", host: "oidc.eks.eu-west-1.amazonaws.com/id/ABC" },
      provider: other,
    });
    const json = synthJson(stack);
    for (const [type, resources] of Object.entries(json.resource)) {
      Object.values(resources).forEach((r) => expect([type, r.provider]).toEqual([type, "aws.other"]));
    }
  });

  test("the README's usage example synthesizes (snapshot)", () => {
    expect(synthJson(new ObservabilityAwsExample(Testing.app(), "example"))).toMatchSnapshot();
  });
});
