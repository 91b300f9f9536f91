import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type {
  FisExperimentTemplateAction,
  FisExperimentTemplateExperimentOptions,
  FisExperimentTemplateLogConfiguration,
  FisExperimentTemplateStopCondition,
  FisExperimentTemplateTarget,
} from "@cdktf/provider-aws/lib/fis-experiment-template";
import type { TerraformProvider } from "cdktf";
import type { Construct } from "constructs";

// What the AWS FIS experiment constructs (AzFaultExperiment, RegionFailureDrill) share: FIS limits,
// ARN patterns, the role's trust and permission statements, and the experiment log group.

/** FIS runs an action for 1 minute to 12 hours. */
export const MAX_DURATION_MINUTES = 720;

/** FIS accepts at most this many ARNs in one target. */
export const MAX_TARGET_ARNS = 5;

/** Tag FIS puts on the network ACLs it clones; only ACLs carrying it may be changed or deleted. */
export const FIS_MANAGED_TAG = "managedByFIS";

/** A subnet ARN; group 1 is its region. */
export const SUBNET_ARN = /^arn:aws[a-z-]*:ec2:([a-z0-9-]+):\d{12}:subnet\/subnet-[0-9a-f]+$/;

/**
 * What is wrong with a literal subnet ARN that must be in `region`, as the end of an error message
 * (`is not a subnet ARN (…)`, `is in eu-west-1, not in <where>`), or undefined if nothing is.
 */
export function subnetArnProblem(subnetArn: string, region: string, where: string): string | undefined {
  const match = SUBNET_ARN.exec(subnetArn);
  if (!match) {
    return "is not a subnet ARN (arn:aws:ec2:<region>:<account>:subnet/subnet-…)";
  }
  return match[1] === region ? undefined : `is in ${match[1]}, not in ${where}`;
}

/** A CloudWatch alarm ARN; group 1 is its region. */
export const ALARM_ARN = /^arn:aws[a-z-]*:cloudwatch:([a-z0-9-]+):\d{12}:alarm:.+$/;

/** Experiment options both constructs use: act in this account only, and fail rather than do nothing when a target resolves to no resources. */
export const EXPERIMENT_OPTIONS: FisExperimentTemplateExperimentOptions = { accountTargeting: "single-account", emptyTargetResolutionMode: "fail" };

/** ARN of `resource` of `service` in one partition, region and account, e.g. `arn("ec2", "vpc/*")`. */
export type ArnOf = (service: string, resource: string) => string;

/** An {@link ArnOf} for the given partition, region and account (tokens allowed). */
export function arnsIn(partition: string, region: string, account: string): ArnOf {
  return (service, resource) => `arn:${partition}:${service}:${region}:${account}:${resource}`;
}

/** `PT10M`, `PT1H30M`, `PT12H`. */
export function isoDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `PT${hours > 0 ? `${hours}H` : ""}${rest > 0 || hours === 0 ? `${rest}M` : ""}`;
}

/** A stop condition on a CloudWatch alarm: the experiment stops as soon as the alarm fires. */
export function alarmStopCondition(alarmArn: string): FisExperimentTemplateStopCondition[] {
  return [{ source: "aws:cloudwatch:alarm", value: alarmArn }];
}

/** A target named `name` of all of `subnetArns` (at most {@link MAX_TARGET_ARNS}). */
export function subnetsTarget(name: string, subnetArns: readonly string[]): FisExperimentTemplateTarget {
  return { name, resourceType: "aws:ec2:subnet", resourceArns: [...subnetArns], selectionMode: "ALL" };
}

export interface DisruptConnectivityActionProps {
  /** The action's name in the template, unique among its actions. */
  readonly name: string;
  /** The action's description in the template, e.g. `Deny all traffic in and out of us-east-1a's subnets for PT10M`. */
  readonly description: string;
  /** How long the subnets stay cut off, ISO-8601, e.g. `PT10M` (see `isoDuration`). */
  readonly duration: string;
  /** Name of the template's target (see `subnetsTarget`) whose subnets are cut off. */
  readonly subnetsTarget: string;
}

/**
 * `aws:network:disrupt-connectivity` with scope `all`: for `duration`, FIS swaps a deny-all clone
 * into each target subnet's network ACL; the role needs {@link disruptConnectivityStatements}.
 */
export function disruptConnectivityAction(props: DisruptConnectivityActionProps): FisExperimentTemplateAction {
  return {
    name: props.name,
    actionId: "aws:network:disrupt-connectivity",
    description: props.description,
    parameter: [
      { key: "duration", value: props.duration },
      { key: "scope", value: "all" },
    ],
    target: { key: "Subnets", value: props.subnetsTarget },
  };
}

/**
 * Trust statement of an experiment role: FIS may assume it only for experiments of this account
 * (`aws:SourceAccount`) in this region (`aws:SourceArn`), against the confused-deputy problem.
 */
export function fisTrustStatement(account: string, arn: ArnOf): DataAwsIamPolicyDocumentStatement {
  return {
    effect: "Allow",
    actions: ["sts:AssumeRole"],
    principals: [{ type: "Service", identifiers: ["fis.amazonaws.com"] }],
    condition: [
      { test: "StringEquals", variable: "aws:SourceAccount", values: [account] },
      { test: "ArnLike", variable: "aws:SourceArn", values: [arn("fis", "experiment/*")] },
    ],
  };
}

/**
 * What `aws:network:disrupt-connectivity` needs on `subnetArns`: FIS creates a deny-all clone of
 * each subnet's network ACL (tagged {@link FIS_MANAGED_TAG}), swaps it in, and swaps the original
 * back and deletes the clone at the end. The role may change and delete only ACLs carrying the tag.
 * `alsoDescribe` adds describe actions other actions of the experiment need to resolve their
 * targets (e.g. `ec2:DescribeInstances`); the describe actions are listed sorted.
 */
export function disruptConnectivityStatements(
  arn: ArnOf,
  subnetArns: readonly string[],
  options: { readonly alsoDescribe?: readonly string[] } = {},
): DataAwsIamPolicyDocumentStatement[] {
  const networkAcls = arn("ec2", "network-acl/*");
  const vpcs = arn("ec2", "vpc/*");
  const fisManaged = (key: "aws:RequestTag" | "ec2:ResourceTag") => ({ test: "StringEquals", variable: `${key}/${FIS_MANAGED_TAG}`, values: ["true"] });
  const describeActions = ["ec2:DescribeManagedPrefixLists", "ec2:DescribeNetworkAcls", "ec2:DescribeSubnets", "ec2:DescribeVpcs"];
  return [
    {
      sid: "CreateFisNetworkAcl",
      effect: "Allow",
      actions: ["ec2:CreateNetworkAcl"],
      resources: [networkAcls],
      condition: [fisManaged("aws:RequestTag")],
    },
    { sid: "CreateFisNetworkAclInVpc", effect: "Allow", actions: ["ec2:CreateNetworkAcl"], resources: [vpcs] },
    {
      sid: "TagFisNetworkAclOnCreate",
      effect: "Allow",
      actions: ["ec2:CreateTags"],
      resources: [networkAcls],
      condition: [{ test: "StringEquals", variable: "ec2:CreateAction", values: ["CreateNetworkAcl"] }, fisManaged("aws:RequestTag")],
    },
    {
      sid: "ChangeOnlyFisNetworkAcls",
      effect: "Allow",
      actions: ["ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl"],
      resources: [networkAcls, vpcs],
      condition: [fisManaged("ec2:ResourceTag")],
    },
    {
      // Swap the clone in and the original back; the original ACL carries no FIS tag.
      sid: "SwapAclOfTargetSubnets",
      effect: "Allow",
      actions: ["ec2:ReplaceNetworkAclAssociation"],
      resources: [...subnetArns, networkAcls],
    },
    {
      // Describe calls support no resource-level permissions.
      sid: "ResolveTargets",
      effect: "Allow",
      actions: [...new Set([...(options.alsoDescribe ?? []), ...describeActions])].sort(),
      resources: ["*"],
    },
  ];
}

/** What FIS needs to deliver an experiment's log to a CloudWatch Logs group of this account and region. */
export function logDeliveryStatements(arn: ArnOf): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      // CreateLogDelivery supports no resource-level permissions.
      sid: "DeliverExperimentLog",
      effect: "Allow",
      actions: ["logs:CreateLogDelivery"],
      resources: ["*"],
    },
    {
      sid: "AllowLogDeliveryToLogGroup",
      effect: "Allow",
      actions: ["logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"],
      resources: [arn("logs", "log-group:*")],
    },
  ];
}

export interface ExperimentLogGroupProps {
  /** Prefix for names, e.g. `meridian-production-us-east-1`. */
  readonly name: string;
  /** The experiment, e.g. `az-loss-us-east-1a`; the group is `/aws/vendedlogs/fis/<name>/<experiment>`, tagged `Name=<name>-<experiment>`. */
  readonly experiment: string;
  /** CloudWatch Logs retention, days (one of the periods CloudWatch accepts). */
  readonly retentionInDays: number;
  /** Tags besides `Name`. @default - only `Name` */
  readonly tags?: Record<string, string>;
  /** The AWS provider the log group is created with. @default - the scope's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * The log group of one experiment template, created as `id` directly in `scope` (a plain function
 * rather than a construct, so the resource keeps its place, and its logical id, in the caller).
 */
export function experimentLogGroup(scope: Construct, id: string, props: ExperimentLogGroupProps): CloudwatchLogGroup {
  return new CloudwatchLogGroup(scope, id, {
    provider: props.provider,
    // The /aws/vendedlogs/ prefix keeps the log delivery resource policy from growing per log group.
    name: `/aws/vendedlogs/fis/${props.name}/${props.experiment}`,
    retentionInDays: props.retentionInDays,
    tags: { Name: `${props.name}-${props.experiment}`, ...props.tags },
  });
}

/** A template's log configuration: FIS log schema 2, to `logGroup`. */
export function experimentLogConfiguration(logGroup: CloudwatchLogGroup): FisExperimentTemplateLogConfiguration {
  return { logSchemaVersion: 2, cloudwatchLogsConfiguration: { logGroupArn: `${logGroup.arn}:*` } };
}
