import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { PrometheusWorkspace } from "@cdktf/provider-aws/lib/prometheus-workspace";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Token, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { z } from "zod";
import { LOG_RETENTION_DAYS } from "../core/aws-limits";
import { CustomerKey } from "../customer-key/customer-key";
import { IrsaRole, type OidcIssuer } from "../eks-cluster/irsa-role";
import { OBSERVABILITY_WORKLOADS, alertTopicArn, alertTopicName, workloadLogGroupName, workspaceLogGroupName, type ObservabilityWorkloadName } from "./workloads";
import { ACCOUNT_ID, IAM_ROLE_NAME_LIMIT, REGION_NAME } from "../core/aws-formats";

export interface ObservabilityAwsProps {
  /** The EKS cluster's name: the workspace alias, the log group paths and the role-name prefix. */
  readonly clusterName: string;
  /** The cluster's region: the log group and alert topic ARNs are built from it. */
  readonly region: string;
  /** The cluster's account: ARNs, and the confused-deputy conditions of the alert topic. */
  readonly accountId: string;
  /** AWS partition (a token from aws_partition is fine). */
  readonly partition: string;
  /** The cluster's OIDC provider; the roles trust only the agents' service accounts through it. */
  readonly issuer: OidcIssuer;
  /**
   * Customer-managed key that encrypts the workspace's samples. Cannot be changed after creation
   * (replaces the workspace and its data). @default - an AWS-owned key
   */
  readonly kmsKeyArn?: string;
  /** Email addresses subscribed to the alert topic (each confirms the subscription once). @default [] */
  readonly alertEmails?: readonly string[];
  /** Retention of the workload and workspace log groups (a CloudWatch Logs period). @default 30 */
  readonly logRetentionDays?: number;
  /** The AWS provider (account and region) of the cluster's region. @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

type Statement = DataAwsIamPolicyDocumentStatement;

/** Role names are `<clusterName>-<role id>`: the longest role id decides how long a cluster name may be. */
const LONGEST_ROLE_ID = Math.max(...Object.values(OBSERVABILITY_WORKLOADS).map((w) => w.roleId.length));
export const MAX_CLUSTER_NAME_LENGTH = IAM_ROLE_NAME_LIMIT - 1 - LONGEST_ROLE_ID;

const CLUSTER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;

/** `aps:RemoteWrite` on one workspace: Prometheus writes, never reads (dashboards query through Amazon Managed Grafana). */
export function remoteWriteStatements(workspaceArn: string): Statement[] {
  return [{ sid: "RemoteWriteToThisWorkspace", effect: "Allow", actions: ["aps:RemoteWrite"], resources: [workspaceArn] }];
}

/**
 * Streams and events in one pre-created log group, nothing else: no `CreateLogGroup` (a group
 * made by the agent would have no retention) and no `PutRetentionPolicy`.
 */
export function fluentBitStatements(logGroupArn: string): Statement[] {
  return [
    {
      sid: "ShipToTheWorkloadLogGroup",
      effect: "Allow",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      resources: [logGroupArn, `${logGroupArn}:*`],
    },
  ];
}

/**
 * Publish to the one alert topic, and the data-key calls SNS makes on the publisher's behalf with
 * the topic's own key (an encrypted topic refuses publishers that lack them).
 */
export function alertPublishStatements(topicArn: string, kmsKeyArn: string): Statement[] {
  return [
    { sid: "PublishToTheAlertTopic", effect: "Allow", actions: ["sns:Publish"], resources: [topicArn] },
    { sid: "EncryptForTheAlertTopic", effect: "Allow", actions: ["kms:GenerateDataKey*", "kms:Decrypt"], resources: [kmsKeyArn] },
  ];
}

/**
 * The conditions under which CloudWatch may act for the alert topic: only for alarms of this
 * account in this region (confused-deputy protection). CloudWatch sends both keys with its
 * publishes and with the KMS calls SNS makes for them (SNS developer guide, "Enable compatibility
 * between event sources from AWS services and encrypted topics"; CloudWatch user guide, "Using
 * Amazon SNS notifications with alarms").
 */
export function cloudWatchAlarmSourceConditions(partition: string, region: string, accountId: string): NonNullable<Statement["condition"]> {
  return [
    { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
    { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:${partition}:cloudwatch:${region}:${accountId}:alarm:*`] },
  ];
}

/** X-Ray's trace and sampling APIs have no resource-level permissions, so `*` is the only resource (as in AWSXRayDaemonWriteAccess). */
export function xrayStatements(): Statement[] {
  return [
    {
      sid: "SendTracesToXRay",
      effect: "Allow",
      actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
      resources: ["*"],
    },
    {
      sid: "ReadXRaySamplingRules",
      effect: "Allow",
      actions: ["xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"],
      resources: ["*"],
    },
  ];
}

/**
 * The AWS side of one cluster's observability, all in the cluster's region:
 *
 * - metrics: an Amazon Managed Service for Prometheus workspace (alias = cluster name), encrypted
 *   with the given key, logging to a retention-bounded log group;
 * - logs: the log group container logs are shipped to, pre-created with retention;
 * - traces: X-Ray (nothing to create);
 * - one IRSA role per agent (Prometheus, Fluent Bit, OpenTelemetry collector), each trusting only
 *   its service account and allowed only its own workspace, log group or X-Ray calls.
 *
 * The agents' chart values take `remoteWriteUrl`, `workloadLogGroupName`, `alertTopicArn` and the role ARNs.
 */
export class ObservabilityAws extends Construct {
  readonly workspace: PrometheusWorkspace;
  readonly workspaceLogGroup: CloudwatchLogGroup;
  readonly workloadLogGroup: CloudwatchLogGroup;
  /** Where Alertmanager and the region's CloudWatch alarms publish every alert of the cluster. */
  readonly alertTopic: SnsTopic;
  /**
   * The alert topic's own key: its policy admits CloudWatch alarms, which the AWS-managed
   * `aws/sns` key (whose policy cannot change) and the volume key must not.
   */
  readonly alertKey: CustomerKey;
  readonly roles: Readonly<Record<ObservabilityWorkloadName, IrsaRole>>;
  readonly clusterName: string;
  readonly region: string;
  readonly partition: string;
  readonly accountId: string;


  constructor(scope: Construct, id: string, props: ObservabilityAwsProps) {
    super(scope, id);
    validate(props);
    const provider = props.provider;
    this.clusterName = props.clusterName;
    this.region = props.region;
    this.partition = props.partition;
    this.accountId = props.accountId;
    const retentionInDays = props.logRetentionDays ?? 30;

    this.workspaceLogGroup = new CloudwatchLogGroup(this, "workspace-logs", {
      provider,
      name: workspaceLogGroupName(props.clusterName),
      retentionInDays,
    });
    this.workspace = new PrometheusWorkspace(this, "workspace", {
      provider,
      alias: props.clusterName,
      kmsKeyArn: props.kmsKeyArn,
      loggingConfiguration: { logGroupArn: `${this.workspaceLogGroup.arn}:*` },
      tags: { Name: props.clusterName },
    });
    this.workloadLogGroup = new CloudwatchLogGroup(this, "workload-logs", {
      provider,
      name: workloadLogGroupName(props.clusterName),
      retentionInDays,
    });

    const alarmSources = cloudWatchAlarmSourceConditions(props.partition, props.region, props.accountId);
    this.alertKey = new CustomerKey(this, "alert-key", {
      provider,
      alias: alertTopicName(props.clusterName),
      description: `Messages of the ${alertTopicName(props.clusterName)} alert topic`,
      accountId: props.accountId,
      partition: props.partition,
      serviceStatements: [
        {
          sid: "CloudWatchAlarmsPublishToTheAlertTopic",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
          resources: ["*"],
          condition: alarmSources,
        },
      ],
    });
    this.alertTopic = new SnsTopic(this, "alert-topic", {
      provider,
      name: alertTopicName(props.clusterName),
      kmsMasterKeyId: this.alertKey.arn,
      tags: { Name: alertTopicName(props.clusterName) },
    });
    // Same-account publishers (Alertmanager's role, Terraform) are allowed through IAM; the topic
    // policy only adds the CloudWatch service principal, for this account's alarms in this region.
    const topicPolicy = new DataAwsIamPolicyDocument(this, "alert-topic-policy", {
      provider,
      statement: [
        {
          sid: "CloudWatchAlarmsPublish",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          actions: ["sns:Publish"],
          resources: [this.alertTopic.arn],
          condition: alarmSources,
        },
      ],
    });
    new SnsTopicPolicy(this, "alert-topic-access", { provider, arn: this.alertTopic.arn, policy: topicPolicy.json });
    for (const email of props.alertEmails ?? []) {
      new SnsTopicSubscription(this, `alert-email-${email}`, { provider, topicArn: this.alertTopic.arn, protocol: "email", endpoint: email });
    }

    // Deterministic ARN: the policy is readable in `terraform plan`, not "known after apply".
    const logGroupArn = `arn:${props.partition}:logs:${props.region}:${props.accountId}:log-group:${workloadLogGroupName(props.clusterName)}`;
    const statements: Record<ObservabilityWorkloadName, Statement[]> = {
      prometheus: remoteWriteStatements(this.workspace.arn),
      fluentBit: fluentBitStatements(logGroupArn),
      alertmanager: alertPublishStatements(this.alertTopicArn, this.alertKey.arn),
      otelCollector: xrayStatements(),
    };
    const roles = {} as Record<ObservabilityWorkloadName, IrsaRole>;
    for (const [name, workload] of Object.entries(OBSERVABILITY_WORKLOADS) as [ObservabilityWorkloadName, (typeof OBSERVABILITY_WORKLOADS)[ObservabilityWorkloadName]][]) {
      roles[name] = new IrsaRole(this, workload.roleId, {
        provider,
        roleName: `${props.clusterName}-${workload.roleId}`,
        issuer: props.issuer,
        namespace: workload.namespace,
        serviceAccount: workload.serviceAccount,
        statements: statements[name],
      });
    }
    this.roles = roles;
  }

  /** Each agent's role ARN: what `ObservabilityPlatform`'s `roleArns` takes. */
  get roleArns(): Readonly<Record<ObservabilityWorkloadName, string>> {
    return Object.fromEntries((Object.keys(OBSERVABILITY_WORKLOADS) as ObservabilityWorkloadName[]).map((name) => [name, this.roles[name].arn])) as Record<ObservabilityWorkloadName, string>;
  }

  /** The alert topic's ARN, built from its parts so chart values and policies know it at plan time. */
  get alertTopicArn(): string {
    return alertTopicArn(this.partition, this.region, this.accountId, this.clusterName);
  }

  /** The workspace's remote-write URL (`prometheus_endpoint` ends with `/`). */
  get remoteWriteUrl(): string {
    return `${this.workspace.prometheusEndpoint}api/v1/remote_write`;
  }

  /** The log group Fluent Bit writes to (deterministic: usable in another stack without a cross-stack read). */
  get workloadLogGroupName(): string {
    return workloadLogGroupName(this.clusterName);
  }
}

function validate(props: ObservabilityAwsProps): void {
  const name = props.clusterName;
  const problems: string[] = [];
  if (!CLUSTER_NAME.test(name)) {
    problems.push(`clusterName "${name}" must be letters, digits and '-' starting with a letter or digit (an EKS cluster name)`);
  } else if (name.length > MAX_CLUSTER_NAME_LENGTH) {
    problems.push(
      `clusterName "${name}" is ${name.length} characters; role names "<clusterName>-<role>" must fit IAM's ${IAM_ROLE_NAME_LIMIT}, so at most ${MAX_CLUSTER_NAME_LENGTH}`,
    );
  }
  if (!Token.isUnresolved(props.region) && !REGION_NAME.test(props.region)) {
    problems.push(`region "${props.region}" is not an AWS region name such as us-east-1`);
  }
  if (!Token.isUnresolved(props.accountId) && !ACCOUNT_ID.test(props.accountId)) {
    problems.push(`accountId "${props.accountId}" must be a 12-digit AWS account id`);
  }
  (props.alertEmails ?? []).forEach((email, index) => {
    // zod's email check: an application validating its own config with zod agrees with it.
    if (!z.email().safeParse(email).success) {
      problems.push(`alertEmails[${index}] "${email}" must be an email address`);
    }
  });
  if (new Set(props.alertEmails ?? []).size !== (props.alertEmails ?? []).length) {
    problems.push("alertEmails lists an address twice");
  }
  const retention = props.logRetentionDays;
  if (retention !== undefined && !LOG_RETENTION_DAYS.includes(retention)) {
    problems.push(`logRetentionDays ${retention} is not a CloudWatch Logs retention period: ${LOG_RETENTION_DAYS.join(", ")}`);
  }
  if (props.kmsKeyArn !== undefined && !Token.isUnresolved(props.kmsKeyArn) && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/.test(props.kmsKeyArn)) {
    problems.push(`kmsKeyArn "${props.kmsKeyArn}" must be a KMS key ARN`);
  }
  if (problems.length > 0) {
    throw new Error(`ObservabilityAws ${name}:\n  - ${problems.join("\n  - ")}`);
  }
}
