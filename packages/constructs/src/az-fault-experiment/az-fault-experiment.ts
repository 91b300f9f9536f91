import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { FisExperimentTemplate } from "@cdktf/provider-aws/lib/fis-experiment-template";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Token, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { LOG_RETENTION_DAYS } from "../core/aws-limits";
import {
  ALARM_ARN,
  EXPERIMENT_OPTIONS,
  MAX_DURATION_MINUTES,
  MAX_TARGET_ARNS,
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
} from "../fis/experiment-support";

export { isoDuration };

/**
 * Tag key every node of the cluster carries, from managed node groups and Karpenter alike
 * (`eks:cluster-name` is only set on managed node group instances), with the value "owned".
 */
export function clusterOwnershipTag(clusterName: string): string {
  return `kubernetes.io/cluster/${clusterName}`;
}

/** A standard AZ name (`us-east-1a`, `us-gov-west-1b`); the region is the name without its last letter. */
const AZ_NAME = /^([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+)[a-z]$/;

export interface AzFaultExperimentProps {
  /** Prefix for names, e.g. `meridian-production-us-east-1`. */
  readonly name: string;
  /** AWS partition (a token from the stack's aws_partition is fine). @default - read with its own aws_partition data source */
  readonly partition?: string;
  /** Account the experiment runs in; scopes the role's trust (confused-deputy protection) and its permissions. */
  readonly accountId: string;
  /** EKS cluster whose nodes are stopped (instances tagged `kubernetes.io/cluster/<clusterName>=owned`). */
  readonly clusterName: string;
  /** The AZ whose loss is simulated, as a literal AZ name (e.g. `us-east-1a`); its region is the experiment's region. */
  readonly availabilityZone: string;
  /** Subnet ARNs in that AZ (tokens allowed) whose connectivity is disrupted; at most 5 (an FIS limit per target). */
  readonly subnetArns: readonly string[];
  /** CloudWatch alarm ARN that stops the experiment when it fires (required: an experiment without a stop condition is refused). */
  readonly stopConditionAlarmArn: string;
  /** How long the AZ stays lost, minutes. @default 10 (1..720) */
  readonly durationMinutes?: number;
  /** CloudWatch Logs retention for the experiment log, days. @default 90 */
  readonly logRetentionDays?: number;
  /** The AWS provider (the AZ's region and account) every resource is created with. @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * An AWS FIS experiment template that simulates the loss of one availability zone for an EKS
 * cluster: for the same duration, in parallel, it stops every cluster node in the AZ (restarting
 * them afterwards) and cuts all traffic in and out of the AZ's subnets (FIS swaps in a deny-all
 * clone of each subnet's network ACL and restores the original at the end).
 *
 * The experiment stops as soon as the given CloudWatch alarm fires, logs to its own log group,
 * and runs as a role that FIS can assume only for experiments in this account and that may stop
 * only this cluster's instances in this AZ and change only network ACLs FIS itself created.
 * Nothing runs until someone starts an experiment from the template.
 */
export class AzFaultExperiment extends Construct {
  /** The experiment template (`aws fis start-experiment --experiment-template-id <id>`). */
  readonly template: FisExperimentTemplate;
  /** The role FIS runs the experiment as. */
  readonly role: IamRole;
  /** The experiment's log group. */
  readonly logGroup: CloudwatchLogGroup;
  /** The ISO-8601 duration both actions use, e.g. `PT10M`. */
  readonly duration: string;

  constructor(scope: Construct, id: string, props: AzFaultExperimentProps) {
    super(scope, id);
    const { region, durationMinutes, retentionDays } = validate(props);
    const provider = props.provider;
    const az = props.availabilityZone;
    const account = props.accountId;
    this.duration = isoDuration(durationMinutes);

    const partition = props.partition ?? new DataAwsPartition(this, "partition", { provider }).partition;
    const arn = arnsIn(partition, region, account);

    this.logGroup = experimentLogGroup(this, "log-group", { provider, name: props.name, experiment: `az-loss-${az}`, retentionInDays: retentionDays });

    const trust = new DataAwsIamPolicyDocument(this, "trust", { provider, statement: [fisTrustStatement(account, arn)] });
    const permissions = new DataAwsIamPolicyDocument(this, "permissions", {
      provider,
      statement: [
        {
          sid: "StopAndStartClusterNodesInTheAz",
          effect: "Allow",
          actions: ["ec2:StopInstances", "ec2:StartInstances"],
          resources: [arn("ec2", "instance/*")],
          condition: [
            { test: "StringEquals", variable: `ec2:ResourceTag/${clusterOwnershipTag(props.clusterName)}`, values: ["owned"] },
            { test: "StringEquals", variable: "ec2:AvailabilityZone", values: [az] },
          ],
        },
        ...disruptConnectivityStatements(arn, props.subnetArns, { alsoDescribe: ["ec2:DescribeInstances"] }),
        ...logDeliveryStatements(arn),
      ],
    });

    this.role = new IamRole(this, "role", {
      provider,
      namePrefix: "fis-az-loss-",
      description: `FIS experiment role: simulated loss of ${az} for EKS cluster ${props.clusterName}`,
      assumeRolePolicy: trust.json,
      tags: { Name: `${props.name}-fis-az-loss-${az}` },
    });
    const policy = new IamRolePolicy(this, "role-policy", { provider, role: this.role.id, name: "az-loss-experiment", policy: permissions.json });

    this.template = new FisExperimentTemplate(this, "template", {
      provider,
      description: `Simulated loss of ${az}: stop EKS cluster ${props.clusterName}'s nodes there and cut its subnets off for ${this.duration}`,
      roleArn: this.role.arn,
      stopCondition: alarmStopCondition(props.stopConditionAlarmArn),
      target: [
        {
          name: "cluster-nodes-in-az",
          resourceType: "aws:ec2:instance",
          resourceTag: [{ key: clusterOwnershipTag(props.clusterName), value: "owned" }],
          filter: [
            { path: "Placement.AvailabilityZone", values: [az] },
            { path: "State.Name", values: ["running"] },
          ],
          selectionMode: "ALL",
        },
        subnetsTarget("subnets-in-az", props.subnetArns),
      ],
      // No startAfter: both actions start together, so the AZ's nodes and network go at once.
      action: [
        {
          name: "stop-cluster-nodes",
          actionId: "aws:ec2:stop-instances",
          description: `Stop ${props.clusterName}'s nodes in ${az}, start them again after ${this.duration}`,
          parameter: [
            { key: "startInstancesAfterDuration", value: this.duration },
            // Node groups' Auto Scaling groups replace stopped nodes; that must not fail the experiment.
            { key: "completeIfInstancesTerminated", value: "true" },
          ],
          target: { key: "Instances", value: "cluster-nodes-in-az" },
        },
        disruptConnectivityAction({
          name: "disrupt-subnets",
          description: `Deny all traffic in and out of ${az}'s subnets for ${this.duration}`,
          duration: this.duration,
          subnetsTarget: "subnets-in-az",
        }),
      ],
      experimentOptions: EXPERIMENT_OPTIONS,
      logConfiguration: experimentLogConfiguration(this.logGroup),
      tags: { Name: `${props.name}-az-loss-${az}` },
      // A template whose role cannot act yet would fail its first experiment.
      dependsOn: [policy],
    });
  }
}

function validate(props: AzFaultExperimentProps): { region: string; durationMinutes: number; retentionDays: number } {
  const fail = (message: string): never => {
    throw new Error(`AzFaultExperiment ${props.name}: ${message}`);
  };
  const literal = (value: string) => !Token.isUnresolved(value);

  if (literal(props.accountId) && !/^\d{12}$/.test(props.accountId)) {
    fail(`accountId "${props.accountId}" must be a 12-digit AWS account id`);
  }
  if (props.clusterName.trim() === "") {
    fail("clusterName is empty");
  }
  if (props.availabilityZone.trim() === "") {
    fail("availabilityZone is empty");
  }
  const azMatch = AZ_NAME.exec(props.availabilityZone);
  if (!azMatch) {
    return fail(`availabilityZone "${props.availabilityZone}" is not an availability zone name (e.g. us-east-1a)`);
  }
  const region = azMatch[1]!;

  if (props.subnetArns.length === 0) {
    fail("subnetArns is empty: the experiment needs at least one subnet in the AZ to disrupt");
  }
  if (props.subnetArns.length > MAX_TARGET_ARNS) {
    fail(`subnetArns has ${props.subnetArns.length} entries; FIS accepts at most ${MAX_TARGET_ARNS} ARNs per target`);
  }
  for (const subnetArn of props.subnetArns.filter(literal)) {
    const problem = subnetArnProblem(subnetArn, region, `${props.availabilityZone}'s region ${region}`);
    if (problem) {
      fail(`subnetArns entry "${subnetArn}" ${problem}`);
    }
  }

  if (props.stopConditionAlarmArn.trim() === "") {
    fail("stopConditionAlarmArn is empty: an experiment without a stop condition is refused");
  }
  if (literal(props.stopConditionAlarmArn) && !ALARM_ARN.test(props.stopConditionAlarmArn)) {
    fail(`stopConditionAlarmArn "${props.stopConditionAlarmArn}" is not a CloudWatch alarm ARN (arn:aws:cloudwatch:<region>:<account>:alarm:<name>)`);
  }

  const durationMinutes = props.durationMinutes ?? 10;
  if (!Number.isInteger(durationMinutes) || durationMinutes < 1 || durationMinutes > MAX_DURATION_MINUTES) {
    fail(`durationMinutes ${durationMinutes} must be a whole number of minutes from 1 to ${MAX_DURATION_MINUTES}`);
  }
  const retentionDays = props.logRetentionDays ?? 90;
  if (!LOG_RETENTION_DAYS.includes(retentionDays)) {
    fail(`logRetentionDays ${retentionDays} is not a CloudWatch retention period (${LOG_RETENTION_DAYS.join(", ")})`);
  }
  return { region, durationMinutes, retentionDays };
}
