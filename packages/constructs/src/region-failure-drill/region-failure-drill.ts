import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { FisExperimentTemplate } from "@cdktf/provider-aws/lib/fis-experiment-template";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Token, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { auroraClusterIdentifierProblem } from "../aurora-global/checks";
import { LOG_RETENTION_DAYS } from "../core/aws-limits";
import { REGION_NAME } from "../core/aws-formats";
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

const PARTITION = /^aws(?:-[a-z]+)*$/;

/** Tag key naming the drill on each template: `aws fis list-experiment-templates` and filter on it. */
export const DRILL_TAG = "drill";

/** Values of the {@link DRILL_TAG} tag. */
export const REGION_FAILURE_DRILLS = {
  auroraWriterFailover: "aurora-writer-failover",
  regionalIngressLoss: "regional-ingress-loss",
} as const;

/**
 * Whether a synthesized resource (`type.name` address) belongs to the Aurora writer failover drill
 * and so moves with the writer: the drill exists only in the writer's region (FailoverDBCluster
 * fails on a global secondary), so a primary flip creates its template, role and policy in the new
 * writer's stack and destroys them in the old one. None is stateful or has a fixed name. Its log
 * group stays in every region, so drill history survives a flip.
 */
export function movesWithTheAuroraWriter(address: string): boolean {
  const drill = REGION_FAILURE_DRILLS.auroraWriterFailover;
  return [`_${drill}-template_`, `_${drill}-role_`, `_${drill}-role-policy_`].some((part) => address.includes(part));
}

export interface RegionFailureDrillProps {
  /** Prefix for names, e.g. `meridian-production-us-east-1`. */
  readonly name: string;
  /** The region the drills run in, as a literal region name (e.g. `us-east-1`); the stack's provider region. */
  readonly region: string;
  /** Account the drills run in; scopes the roles' trust (confused-deputy protection) and permissions. */
  readonly accountId: string;
  /** ARN partition (`aws`, `aws-cn`, `aws-us-gov`); a token such as `data.aws_partition` is fine. */
  readonly partition: string;
  /** Identifier of this region's Aurora global database member cluster (`AuroraRegionalMemberProps.clusterIdentifier`). */
  readonly auroraClusterIdentifier: string;
  /**
   * This region's member role. The writer failover drill exists only where the writer is:
   * `aws:rds:failover-db-cluster` (FailoverDBCluster) fails on a global secondary, which has no
   * writer instance, and an FIS experiment cannot target a cluster in another region.
   */
  readonly auroraRole: "writer" | "reader";
  /**
   * The region's public subnets (tokens allowed), where the ingress NLB and the NAT gateways live;
   * 1 to 5 of them (an FIS limit per target).
   */
  readonly publicSubnetArns: readonly string[];
  /**
   * Alarm that stops the writer failover: the region's ingress `noHealthyTargetsAlarm` (if failing
   * over the database takes the whole app down, stop).
   */
  readonly failoverStopAlarmArn: string;
  /**
   * Alarm that stops the ingress loss: the Aurora member's `replicationLagAlarm` (cutting ingress
   * must not disturb database replication; if it does, stop).
   */
  readonly ingressLossStopAlarmArn: string;
  /** How long the region's public subnets stay cut off, minutes. @default 5 (1..720) */
  readonly ingressLossMinutes?: number;
  /** CloudWatch Logs retention of both experiment logs, days. @default 90 */
  readonly logRetentionDays?: number;
  /** The AWS provider (the drills' region and account) every resource is created with. @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/** One drill: its experiment template, the role it runs as, and its log group. */
export interface RegionFailureDrillExperiment {
  /** The experiment template. */
  readonly template: FisExperimentTemplate;
  /** The role FIS runs the drill as. */
  readonly role: IamRole;
  /** The drill's log group. */
  readonly logGroup: CloudwatchLogGroup;
}

/**
 * Two AWS FIS experiment templates that rehearse losing this region, run while an operator
 * measures time-to-recovery through Global Accelerator with `npm run smoke-check`:
 *
 * - **Aurora writer failover** (`drill=aurora-writer-failover`, writer region only):
 *   `aws:rds:failover-db-cluster` on this region's Aurora global database member, promoting one of
 *   its readers to writer. A global secondary has no writer to fail over (the action fails there)
 *   and FIS targets only its own region, so the template, its role and policy exist only in the
 *   writer's regional stack and move with the writer on a primary flip (created in the new
 *   writer's stack, destroyed in the old one; nothing stateful, no fixed names). The drill's log
 *   group stays in both regions so the history of drills run there survives a flip. Stops when the
 *   ingress `noHealthyTargetsAlarm` fires: if failing over the database takes the whole app down,
 *   stop.
 * - **Regional ingress loss** (`drill=regional-ingress-loss`): `aws:network:disrupt-connectivity`
 *   with scope `all` on the region's public subnets (FIS swaps in a deny-all clone of each
 *   subnet's network ACL and restores the original afterwards), for `ingressLossMinutes`. The
 *   ingress NLB goes dark, and so do the NAT gateways: private workloads lose internet egress for
 *   the duration, while VPC endpoints keep AWS APIs reachable. Global Accelerator health checks
 *   the NLB every 10 s with a threshold of 3, so it should move clients to the other region within
 *   roughly 30-90 s. Stops when the Aurora member's replication-lag alarm fires: cutting ingress
 *   must not disturb database replication; if it does, stop.
 *
 * Each drill logs to its own log group and runs as its own role, which FIS can assume only for
 * experiments in this account and region. Nothing runs until someone starts an experiment from a
 * template (`aws fis start-experiment --experiment-template-id …`).
 */
export class RegionFailureDrill extends Construct {
  /** The Aurora writer failover drill; only in the writer's region. */
  readonly auroraWriterFailover?: RegionFailureDrillExperiment;
  /** The writer failover drill's log group, in both regions (its history survives a primary flip). */
  readonly auroraWriterFailoverLogGroup: CloudwatchLogGroup;
  /** The regional ingress loss drill. */
  readonly regionalIngressLoss: RegionFailureDrillExperiment;
  /** ARN of the Aurora member cluster the failover drill targets. */
  readonly auroraClusterArn: string;
  /** The ISO-8601 duration of the ingress loss, e.g. `PT5M`. */
  readonly ingressLossDuration: string;

  constructor(scope: Construct, id: string, props: RegionFailureDrillProps) {
    super(scope, id);
    const { ingressLossMinutes, retentionDays } = validate(props);
    const provider = props.provider;
    const { region, partition } = props;
    const account = props.accountId;
    const arn = arnsIn(partition, region, account);
    this.auroraClusterArn = arn("rds", `cluster:${props.auroraClusterIdentifier}`);
    this.ingressLossDuration = isoDuration(ingressLossMinutes);

    const trust = new DataAwsIamPolicyDocument(this, "trust", { provider, statement: [fisTrustStatement(account, arn)] });
    const logDelivery = logDeliveryStatements(arn);

    // One role per drill rather than one shared role: the failover role cannot touch a network
    // ACL and the ingress-loss role cannot fail over the database, so a mistake in (or misuse of)
    // one template can only do what that drill is meant to do.
    const logGroupOf = (drill: string) =>
      experimentLogGroup(this, `${drill}-log-group`, { provider, name: props.name, experiment: drill, retentionInDays: retentionDays, tags: { [DRILL_TAG]: drill } });
    const experiment = (drill: string, description: string, statements: DataAwsIamPolicyDocumentStatement[], logGroup = logGroupOf(drill)) => {
      const permissions = new DataAwsIamPolicyDocument(this, `${drill}-permissions`, { provider, statement: [...statements, ...logDelivery] });
      const role = new IamRole(this, `${drill}-role`, {
        provider,
        namePrefix: `fis-${drill}-`,
        description: `FIS experiment role: ${description}`,
        assumeRolePolicy: trust.json,
        tags: { Name: `${props.name}-fis-${drill}`, [DRILL_TAG]: drill },
      });
      const policy = new IamRolePolicy(this, `${drill}-role-policy`, { provider, role: role.id, name: `${drill}-experiment`, policy: permissions.json });
      return { logGroup, role, policy };
    };

    this.auroraWriterFailoverLogGroup = logGroupOf(REGION_FAILURE_DRILLS.auroraWriterFailover);
    if (props.auroraRole === "writer") {
      const failoverDescription = `Aurora writer failover of ${props.auroraClusterIdentifier} in ${region} (the writer's region)`;
      const failover = experiment(REGION_FAILURE_DRILLS.auroraWriterFailover, failoverDescription, [
        {
          sid: "FailOverTheRegionsAuroraMember",
          effect: "Allow",
          actions: ["rds:FailoverDBCluster"],
          resources: [this.auroraClusterArn],
        },
        {
          // DescribeDBClusters does support resource-level permissions (resource type `cluster`), but
          // a call without a cluster identifier is authorized against `cluster:*`, and how FIS resolves
          // an ARN target is not documented; this region's and account's clusters cover both forms.
          sid: "ResolveTheCluster",
          effect: "Allow",
          actions: ["rds:DescribeDBClusters"],
          resources: [arn("rds", "cluster:*")],
        },
      ], this.auroraWriterFailoverLogGroup);
      this.auroraWriterFailover = {
        logGroup: failover.logGroup,
        role: failover.role,
        template: new FisExperimentTemplate(this, `${REGION_FAILURE_DRILLS.auroraWriterFailover}-template`, {
          provider,
          description: `Region failure drill: ${failoverDescription}`,
          roleArn: failover.role.arn,
          stopCondition: alarmStopCondition(props.failoverStopAlarmArn),
          target: [{ name: "aurora-member", resourceType: "aws:rds:cluster", resourceArns: [this.auroraClusterArn], selectionMode: "ALL" }],
          action: [
            {
              name: "fail-over-writer",
              actionId: "aws:rds:failover-db-cluster",
              description: `Promote a reader of ${props.auroraClusterIdentifier} to writer`,
              target: { key: "Clusters", value: "aurora-member" },
            },
          ],
          experimentOptions: EXPERIMENT_OPTIONS,
          logConfiguration: experimentLogConfiguration(failover.logGroup),
          tags: { Name: `${props.name}-${REGION_FAILURE_DRILLS.auroraWriterFailover}`, [DRILL_TAG]: REGION_FAILURE_DRILLS.auroraWriterFailover },
          // A template whose role cannot act yet would fail its first experiment.
          dependsOn: [failover.policy],
        }),
      };
    }

    const ingressDescription = `loss of ${region}'s public subnets (ingress NLB and NAT gateways) for ${this.ingressLossDuration}`;
    const ingress = experiment(REGION_FAILURE_DRILLS.regionalIngressLoss, ingressDescription, disruptConnectivityStatements(arn, props.publicSubnetArns));
    this.regionalIngressLoss = {
      logGroup: ingress.logGroup,
      role: ingress.role,
      template: new FisExperimentTemplate(this, `${REGION_FAILURE_DRILLS.regionalIngressLoss}-template`, {
        provider,
        description: `Region failure drill: ${ingressDescription}; Global Accelerator should move clients to the other region`,
        roleArn: ingress.role.arn,
        stopCondition: alarmStopCondition(props.ingressLossStopAlarmArn),
        target: [subnetsTarget("public-subnets", props.publicSubnetArns)],
        action: [
          disruptConnectivityAction({
            name: "disrupt-public-subnets",
            description: `Deny all traffic in and out of ${region}'s public subnets for ${this.ingressLossDuration}`,
            duration: this.ingressLossDuration,
            subnetsTarget: "public-subnets",
          }),
        ],
        experimentOptions: EXPERIMENT_OPTIONS,
        logConfiguration: experimentLogConfiguration(ingress.logGroup),
        tags: { Name: `${props.name}-${REGION_FAILURE_DRILLS.regionalIngressLoss}`, [DRILL_TAG]: REGION_FAILURE_DRILLS.regionalIngressLoss },
        dependsOn: [ingress.policy],
      }),
    };
  }
}

function validate(props: RegionFailureDrillProps): { ingressLossMinutes: number; retentionDays: number } {
  const fail = (setting: string, value: unknown, rule: string): never => {
    throw new Error(`RegionFailureDrill ${props.name}: ${setting} ${JSON.stringify(value)} ${rule}`);
  };
  const literal = (value: string) => !Token.isUnresolved(value);

  if (props.name.trim() === "") {
    fail("name", props.name, "must not be empty: it prefixes every name and tag");
  }
  if (!REGION_NAME.test(props.region)) {
    fail("region", props.region, "must be a literal region name such as us-east-1");
  }
  if (literal(props.accountId) && !/^\d{12}$/.test(props.accountId)) {
    fail("accountId", props.accountId, "must be a 12-digit AWS account id");
  }
  if (literal(props.partition) && !PARTITION.test(props.partition)) {
    fail("partition", props.partition, "must be an ARN partition such as aws, aws-cn or aws-us-gov");
  }
  const identifierProblem = literal(props.auroraClusterIdentifier) ? auroraClusterIdentifierProblem(props.auroraClusterIdentifier) : undefined;
  if (identifierProblem) {
    fail("auroraClusterIdentifier", props.auroraClusterIdentifier, identifierProblem);
  }

  if (props.publicSubnetArns.length === 0) {
    fail("publicSubnetArns", props.publicSubnetArns, "must name at least one public subnet: the ingress loss drill has nothing to cut off");
  }
  if (props.publicSubnetArns.length > MAX_TARGET_ARNS) {
    fail("publicSubnetArns count", props.publicSubnetArns.length, `must be at most ${MAX_TARGET_ARNS}: FIS accepts at most ${MAX_TARGET_ARNS} ARNs per target`);
  }
  for (const subnetArn of props.publicSubnetArns.filter(literal)) {
    const problem = subnetArnProblem(subnetArn, props.region, `the drill's region ${props.region}`);
    if (problem) {
      fail("publicSubnetArns entry", subnetArn, problem);
    }
  }

  for (const [setting, alarmArn] of [
    ["failoverStopAlarmArn", props.failoverStopAlarmArn],
    ["ingressLossStopAlarmArn", props.ingressLossStopAlarmArn],
  ] as const) {
    if (alarmArn.trim() === "") {
      fail(setting, alarmArn, "must not be empty: an experiment without a stop condition is refused");
    }
    if (!literal(alarmArn)) {
      continue;
    }
    const match = ALARM_ARN.exec(alarmArn);
    if (!match) {
      fail(setting, alarmArn, "is not a CloudWatch alarm ARN (arn:aws:cloudwatch:<region>:<account>:alarm:<name>)");
    } else if (match[1] !== props.region) {
      fail(setting, alarmArn, `is in ${match[1]}, not in the drill's region ${props.region}: a drill stops on its own region's signals`);
    }
  }

  const ingressLossMinutes = props.ingressLossMinutes ?? 5;
  if (!Number.isInteger(ingressLossMinutes) || ingressLossMinutes < 1 || ingressLossMinutes > MAX_DURATION_MINUTES) {
    fail("ingressLossMinutes", ingressLossMinutes, `must be a whole number of minutes from 1 to ${MAX_DURATION_MINUTES}`);
  }
  const retentionDays = props.logRetentionDays ?? 90;
  if (!LOG_RETENTION_DAYS.includes(retentionDays)) {
    fail("logRetentionDays", retentionDays, `is not a CloudWatch retention period (${LOG_RETENTION_DAYS.join(", ")})`);
  }
  return { ingressLossMinutes, retentionDays };
}
