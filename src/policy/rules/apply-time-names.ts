import { IAM_ROLE_NAME_LIMIT } from "@meridian/constructs";
import type { PolicyInput, PolicyResource } from "../policy-input";
import { cannotTell, fail, type CheckOutcome, type Rule } from "../rule";
import { isUnknown, UNKNOWN, type Unknown } from "../terraform-values";

/**
 * Apply-time rules on names: what each AWS Create API accepts as a name (length, characters,
 * reserved prefixes). Terraform plans any string; AWS refuses it only when the resource is
 * created, after everything before it in the stack already exists. Every entry cites the API
 * reference that states the limit.
 */

/** Random suffix the provider appends to a `*_prefix` name (`id.PrefixedUniqueId`: 26 characters). */
export const UNIQUE_SUFFIX_LENGTH = 26;

interface NameConstraint {
  readonly id: string;
  readonly title: string;
  readonly resourceTypes: readonly string[];
  /** The name attribute; `prefixAttribute` is its `*_prefix` form, to which the provider appends a suffix. */
  readonly attribute: string;
  readonly prefixAttribute?: string;
  readonly minLength?: number;
  readonly maxLength: number;
  /** Longest prefix: `maxLength - 26` unless the provider states its own (IAM roles: 38). */
  readonly maxPrefixLength?: number;
  readonly pattern?: RegExp;
  /** What `pattern` means, in the API reference's words. */
  readonly patternText?: string;
  /** Reserved beginnings (lower-cased comparison). */
  readonly reservedPrefixes?: readonly string[];
  readonly reservedSuffixes?: readonly string[];
  /** Further checks; a returned string is a problem. */
  readonly extra?: (name: string) => string | undefined;
  /** The API reference (and provider issue) stating the limits. */
  readonly source: string;
}

/** RDS identifiers: a letter first, letters, digits and hyphens, no `--`, no trailing hyphen. */
const RDS_IDENTIFIER = /^[A-Za-z](?!.*--)[A-Za-z0-9-]*(?<!-)$/;
const RDS_IDENTIFIER_TEXT = "letters, digits and hyphens, a letter first, no two consecutive hyphens and no hyphen at the end";
/** Elastic Load Balancing names: alphanumerics and hyphens, not beginning or ending with a hyphen. */
const ELB_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const ELB_NAME_TEXT = "alphanumeric characters and hyphens, not beginning or ending with a hyphen";
/** IAM names (`[\w+=,.@-]+`). */
const IAM_NAME = /^[\w+=,.@-]+$/;
const IAM_NAME_TEXT = "alphanumeric characters and +=,.@-_";

export const NAME_CONSTRAINTS: readonly NameConstraint[] = [
  {
    id: "iam-role-name",
    title: "IAM role names fit CreateRole (<= 64, name_prefix <= 38)",
    resourceTypes: ["aws_iam_role"],
    attribute: "name",
    prefixAttribute: "name_prefix",
    maxLength: IAM_ROLE_NAME_LIMIT,
    maxPrefixLength: 38,
    pattern: IAM_NAME,
    patternText: IAM_NAME_TEXT,
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (RoleName 1-64, [\\w+=,.@-]+); name_prefix <= 38: terraform-aws-modules/terraform-aws-eks#2555",
  },
  {
    id: "iam-instance-profile-name",
    title: "IAM instance profile names fit CreateInstanceProfile (<= 128)",
    resourceTypes: ["aws_iam_instance_profile"],
    attribute: "name",
    prefixAttribute: "name_prefix",
    maxLength: 128,
    pattern: IAM_NAME,
    patternText: IAM_NAME_TEXT,
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html (InstanceProfileName 1-128, [\\w+=,.@-]+)",
  },
  {
    id: "iam-role-policy-name",
    title: "Inline role policy names fit PutRolePolicy (<= 128)",
    resourceTypes: ["aws_iam_role_policy"],
    attribute: "name",
    prefixAttribute: "name_prefix",
    maxLength: 128,
    pattern: IAM_NAME,
    patternText: IAM_NAME_TEXT,
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html (PolicyName 1-128, [\\w+=,.@-]+)",
  },
  {
    id: "lb-name",
    title: "Load balancer names fit CreateLoadBalancer (<= 32, no leading internal-)",
    resourceTypes: ["aws_lb", "aws_alb"],
    attribute: "name",
    prefixAttribute: "name_prefix",
    maxLength: 32,
    maxPrefixLength: 6,
    pattern: ELB_NAME,
    patternText: ELB_NAME_TEXT,
    reservedPrefixes: ["internal-"],
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html (Name: up to 32, alphanumerics and hyphens, must not begin with internal-); name_prefix <= 6: provider aws_lb docs",
  },
  {
    id: "lb-target-group-name",
    title: "Target group names fit CreateTargetGroup (<= 32)",
    resourceTypes: ["aws_lb_target_group", "aws_alb_target_group"],
    attribute: "name",
    prefixAttribute: "name_prefix",
    maxLength: 32,
    maxPrefixLength: 6,
    pattern: ELB_NAME,
    patternText: ELB_NAME_TEXT,
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html (Name: up to 32, alphanumerics and hyphens, not beginning or ending with a hyphen); hashicorp/terraform-provider-aws#3260",
  },
  {
    id: "security-group-name",
    title: "Security group names fit CreateSecurityGroup (<= 255, not sg-)",
    resourceTypes: ["aws_security_group"],
    attribute: "name",
    prefixAttribute: "name_prefix",
    maxLength: 255,
    pattern: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/,
    patternText: "a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*",
    reservedPrefixes: ["sg-"],
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html (GroupName: up to 255 characters, cannot start with sg-)",
  },
  {
    id: "kms-alias-name",
    title: "KMS alias names start with alias/ and not alias/aws/",
    resourceTypes: ["aws_kms_alias"],
    attribute: "name",
    prefixAttribute: "name_prefix",
    maxLength: 256,
    pattern: /^alias\/[A-Za-z0-9/_-]+$/,
    patternText: "alias/ followed by alphanumerics, /, _ and -",
    reservedPrefixes: ["alias/aws/"],
    source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html (AliasName: 1-256, must begin with alias/, the prefix alias/aws/ is reserved for AWS managed keys)",
  },
  {
    id: "s3-bucket-name",
    title: "S3 bucket names follow the general purpose bucket naming rules",
    resourceTypes: ["aws_s3_bucket"],
    attribute: "bucket",
    prefixAttribute: "bucket_prefix",
    minLength: 3,
    maxLength: 63,
    maxPrefixLength: 37,
    pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
    patternText: "lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit",
    reservedPrefixes: ["xn--", "sthree-", "amzn-s3-demo-"],
    reservedSuffixes: ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"],
    extra: (name) => (name.includes("..") ? "has two adjacent periods" : /^\d+\.\d+\.\d+\.\d+$/.test(name) ? "is formatted as an IP address" : undefined),
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
  },
  {
    id: "rds-cluster-identifier",
    title: "Aurora cluster identifiers fit CreateDBCluster (<= 63, a letter first, no --)",
    resourceTypes: ["aws_rds_cluster"],
    attribute: "cluster_identifier",
    prefixAttribute: "cluster_identifier_prefix",
    maxLength: 63,
    pattern: RDS_IDENTIFIER,
    patternText: RDS_IDENTIFIER_TEXT,
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html (DBClusterIdentifier: 1-63 letters, numbers or hyphens; first a letter; no trailing hyphen or two consecutive hyphens)",
  },
  {
    id: "rds-instance-identifier",
    title: "Aurora instance identifiers fit CreateDBInstance (<= 63, a letter first, no --)",
    resourceTypes: ["aws_rds_cluster_instance", "aws_db_instance"],
    attribute: "identifier",
    prefixAttribute: "identifier_prefix",
    maxLength: 63,
    pattern: RDS_IDENTIFIER,
    patternText: RDS_IDENTIFIER_TEXT,
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html (DBInstanceIdentifier: 1-63 letters, numbers or hyphens; first a letter; no trailing hyphen or two consecutive hyphens)",
  },
  {
    id: "rds-global-cluster-identifier",
    title: "Global cluster identifiers fit CreateGlobalCluster (<= 63, a letter first, no --)",
    resourceTypes: ["aws_rds_global_cluster"],
    attribute: "global_cluster_identifier",
    maxLength: 63,
    pattern: RDS_IDENTIFIER,
    patternText: RDS_IDENTIFIER_TEXT,
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateGlobalCluster.html (GlobalClusterIdentifier: 1-63, a letter first, no trailing hyphen or --)",
  },
  {
    id: "rds-parameter-group-name",
    title: "DB (cluster) parameter group names fit CreateDB(Cluster)ParameterGroup (<= 255, a letter first, no --)",
    resourceTypes: ["aws_db_parameter_group", "aws_rds_cluster_parameter_group"],
    attribute: "name",
    prefixAttribute: "name_prefix",
    maxLength: 255,
    pattern: /^[a-z](?!.*--)[a-z0-9-]*(?<!-)$/,
    patternText: "lowercase letters, digits and hyphens (the provider refuses uppercase), a letter first, no -- and no trailing hyphen",
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBClusterParameterGroup.html and API_CreateDBParameterGroup.html (1-255 letters, numbers, hyphens; first a letter; no trailing hyphen or --)",
  },
  {
    id: "rds-subnet-group-name",
    title: "DB subnet group names fit CreateDBSubnetGroup (<= 255, not default)",
    resourceTypes: ["aws_db_subnet_group"],
    attribute: "name",
    prefixAttribute: "name_prefix",
    maxLength: 255,
    pattern: /^[a-z0-9 ._-]+$/,
    patternText: "lowercase letters, digits, spaces, periods, underscores and hyphens",
    extra: (name) => (name.toLowerCase() === "default" ? 'is "default", which RDS reserves' : undefined),
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html (DBSubnetGroupName: up to 255 letters, numbers, periods, underscores, spaces, hyphens; must not be default)",
  },
  {
    id: "eventbridge-rule-name",
    title: "EventBridge rule names fit PutRule (<= 64)",
    resourceTypes: ["aws_cloudwatch_event_rule"],
    attribute: "name",
    prefixAttribute: "name_prefix",
    maxLength: 64,
    maxPrefixLength: 38,
    pattern: /^[.\-_A-Za-z0-9]+$/,
    patternText: "[.\\-_A-Za-z0-9]+",
    source: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html (Name: 1-64, [\\.\\-_A-Za-z0-9]+)",
  },
  {
    id: "sqs-queue-name",
    title: "SQS queue names fit CreateQueue (<= 80)",
    resourceTypes: ["aws_sqs_queue"],
    attribute: "name",
    prefixAttribute: "name_prefix",
    maxLength: 80,
    pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/,
    patternText: "alphanumerics, hyphens and underscores (a FIFO queue ends in .fifo)",
    source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html (QueueName: up to 80 alphanumerics, hyphens, underscores; .fifo suffix for FIFO)",
  },
  {
    id: "sns-topic-name",
    title: "SNS topic names fit CreateTopic (<= 256)",
    resourceTypes: ["aws_sns_topic"],
    attribute: "name",
    prefixAttribute: "name_prefix",
    maxLength: 256,
    pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/,
    patternText: "alphanumerics, hyphens and underscores (a FIFO topic ends in .fifo)",
    source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (Name: up to 256 alphanumerics, hyphens, underscores; .fifo suffix for FIFO)",
  },
  {
    id: "log-group-name",
    title: "CloudWatch log group names fit CreateLogGroup (<= 512, not aws/)",
    resourceTypes: ["aws_cloudwatch_log_group"],
    attribute: "name",
    prefixAttribute: "name_prefix",
    maxLength: 512,
    pattern: /^[.\-_/#A-Za-z0-9]+$/,
    patternText: "[\\.\\-_/#A-Za-z0-9]+",
    reservedPrefixes: ["aws/"],
    source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html (logGroupName: 1-512, [\\.\\-_/#A-Za-z0-9]+, cannot start with aws/)",
  },
  {
    id: "metric-alarm-name",
    title: "Metric alarm names fit PutMetricAlarm (<= 255)",
    resourceTypes: ["aws_cloudwatch_metric_alarm"],
    attribute: "alarm_name",
    maxLength: 255,
    pattern: /^[^\p{Cc}]+$/u,
    patternText: "printable characters (no control characters)",
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (AlarmName: 1-255)",
  },
  {
    id: "eks-cluster-name",
    title: "EKS cluster names fit CreateCluster (<= 100)",
    resourceTypes: ["aws_eks_cluster"],
    attribute: "name",
    maxLength: 100,
    pattern: /^[0-9A-Za-z][A-Za-z0-9\-_]*$/,
    patternText: "^[0-9A-Za-z][A-Za-z0-9\\-_]*$",
    source: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html (name: 1-100, ^[0-9A-Za-z][A-Za-z0-9\\-_]*)",
  },
  {
    id: "eks-node-group-name",
    title: "EKS node group names fit CreateNodegroup (<= 63, prefix <= 37)",
    resourceTypes: ["aws_eks_node_group"],
    attribute: "node_group_name",
    prefixAttribute: "node_group_name_prefix",
    maxLength: 63,
    pattern: /^[0-9A-Za-z][A-Za-z0-9\-_]*$/,
    patternText: "a letter or digit first, then letters, digits, hyphens and underscores",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/create-managed-node-group.html (\"can't be longer than 63 characters\"); hashicorp/terraform-provider-aws#29974 (the prefix gets a 26-character suffix)",
  },
  {
    id: "launch-template-name",
    title: "Launch template names fit CreateLaunchTemplate (3-128)",
    resourceTypes: ["aws_launch_template"],
    attribute: "name",
    prefixAttribute: "name_prefix",
    minLength: 3,
    maxLength: 128,
    pattern: /^[a-zA-Z0-9().\-/_]+$/,
    patternText: "[a-zA-Z0-9\\(\\)\\.\\-/_]+",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html (LaunchTemplateName: 3-128, [a-zA-Z0-9\\(\\)\\.\\-/_]+)",
  },
  {
    id: "dynamodb-table-name",
    title: "DynamoDB table names fit CreateTable (3-255)",
    resourceTypes: ["aws_dynamodb_table"],
    attribute: "name",
    minLength: 3,
    maxLength: 255,
    pattern: /^[a-zA-Z0-9_.-]+$/,
    patternText: "[a-zA-Z0-9_.-]+",
    source: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html (TableName: 3-255, [a-zA-Z0-9_.-]+)",
  },
  {
    id: "secretsmanager-secret-name",
    title: "Secrets Manager secret names fit CreateSecret (<= 512, no -XXXXXX ending)",
    resourceTypes: ["aws_secretsmanager_secret"],
    attribute: "name",
    prefixAttribute: "name_prefix",
    maxLength: 512,
    pattern: /^[A-Za-z0-9/_+=.@-]+$/,
    patternText: "ASCII letters, digits and /_+=.@-",
    extra: (name) => (/-[A-Za-z0-9]{6}$/.test(name) ? "ends with a hyphen and six characters, which ARN lookups mistake for Secrets Manager's random suffix" : undefined),
    source: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html (Name: 1-512; do not end with a hyphen followed by six characters)",
  },
  {
    id: "global-accelerator-name",
    title: "Global Accelerator names fit CreateAccelerator (<= 64)",
    resourceTypes: ["aws_globalaccelerator_accelerator"],
    attribute: "name",
    maxLength: 64,
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/,
    patternText: "alphanumerics, periods and hyphens, not beginning or ending with a hyphen or period",
    source: "https://docs.aws.amazon.com/global-accelerator/latest/api/API_CreateAccelerator.html (Name: up to 64 alphanumerics, periods or hyphens; no hyphen or period at either end)",
  },
  {
    id: "prometheus-workspace-alias",
    title: "Managed Prometheus workspace aliases fit CreateWorkspace (<= 100)",
    resourceTypes: ["aws_prometheus_workspace"],
    attribute: "alias",
    maxLength: 100,
    source: "https://docs.aws.amazon.com/prometheus/latest/APIReference/API_CreateWorkspace.html (alias: 1-100)",
  },
  {
    id: "route53-record-name",
    title: "Route 53 record names are DNS names (labels <= 63, name <= 255)",
    resourceTypes: ["aws_route53_record"],
    attribute: "name",
    maxLength: 255,
    extra: (name) => {
      const long = name.replace(/\.$/, "").split(".").find((label) => label.length > 63 || label.length === 0);
      return long !== undefined ? `has the label ${JSON.stringify(long)}: DNS labels are 1-63 characters` : undefined;
    },
    source: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html (labels up to 63, names up to 255 bytes)",
  },
];

/**
 * The value of a string attribute with `${type.name.attribute}` references to literal attributes
 * of other resources of the stack filled in (a launch template's `${aws_eks_cluster.c.name}-gpu-`);
 * {@link UNKNOWN} when anything stays unknown, undefined when unset.
 */
export function resolvedString(input: PolicyInput, resource: PolicyResource, attribute: string): string | Unknown | undefined {
  const planned = resource.values[attribute];
  if (typeof planned === "string") {
    return planned;
  }
  const configured = resource.config[attribute];
  if (configured === undefined || configured === null) {
    return isUnknown(planned) ? UNKNOWN : undefined;
  }
  if (typeof configured !== "string") {
    return UNKNOWN;
  }
  let unresolved = false;
  const value = configured.replace(/\$\{([a-z][a-z0-9_]*)\.([\w-]+)\.([a-z_]+)\}/g, (whole, type: string, name: string, attr: string) => {
    const target = input.resource(resource.stack, `${type}.${name}`);
    const literal = target?.config[attr];
    if (typeof literal === "string" && !literal.includes("${")) {
      return literal;
    }
    unresolved = true;
    return whole;
  });
  return unresolved || value.includes("${") ? UNKNOWN : value;
}

function problemsOf(constraint: NameConstraint, name: string, asPrefix: boolean): string[] {
  const problems: string[] = [];
  const max = asPrefix ? (constraint.maxPrefixLength ?? constraint.maxLength - UNIQUE_SUFFIX_LENGTH) : constraint.maxLength;
  if (name.length > max) {
    problems.push(asPrefix ? `is ${name.length} characters; with the provider's ${UNIQUE_SUFFIX_LENGTH}-character suffix at most ${max} fit` : `is ${name.length} characters; at most ${max} are allowed`);
  }
  if (!asPrefix && name.length < (constraint.minLength ?? 1)) {
    problems.push(`is ${name.length} characters; at least ${constraint.minLength ?? 1} are required`);
  }
  // A prefix is checked as the beginning of a name: its end may be a hyphen the suffix follows.
  const shape = asPrefix ? `${name}a` : name;
  if (constraint.pattern && !constraint.pattern.test(shape)) {
    problems.push(`does not match ${constraint.patternText}`);
  }
  const reserved = constraint.reservedPrefixes?.find((prefix) => name.toLowerCase().startsWith(prefix));
  if (reserved) {
    problems.push(`starts with the reserved prefix ${JSON.stringify(reserved)}`);
  }
  const suffix = asPrefix ? undefined : constraint.reservedSuffixes?.find((s) => name.endsWith(s));
  if (suffix) {
    problems.push(`ends with the reserved suffix ${JSON.stringify(suffix)}`);
  }
  const extra = asPrefix ? undefined : constraint.extra?.(name);
  if (extra) {
    problems.push(extra);
  }
  return problems;
}

function nameRule(constraint: NameConstraint): Rule {
  const limits = [`${constraint.attribute} <= ${constraint.maxLength}`, constraint.patternText, constraint.reservedPrefixes ? `not starting ${constraint.reservedPrefixes.join(" / ")}` : undefined].filter(Boolean).join("; ");
  return {
    id: constraint.id,
    title: constraint.title,
    publicIds: [],
    guidance: constraint.source,
    severity: "high",
    kind: "reliability",
    resourceTypes: constraint.resourceTypes,
    fix: `Set ${constraint.attribute} to a value the API accepts (${limits}); derive it from the catalogue's names through src/config/naming.ts so every environment fits.`,
    check(resource, { input }) {
      const outcomes: CheckOutcome[] = [];
      for (const [attribute, asPrefix] of [[constraint.attribute, false], ...(constraint.prefixAttribute ? [[constraint.prefixAttribute, true] as const] : [])] as const) {
        const value = resolvedString(input, resource, attribute);
        if (value === undefined) {
          continue;
        }
        if (isUnknown(value)) {
          outcomes.push(cannotTell(`${attribute} is known only after apply`));
          continue;
        }
        for (const problem of problemsOf(constraint, value, asPrefix)) {
          outcomes.push(fail(`${attribute} = ${JSON.stringify(value)} ${problem}: the API refuses it when the resource is created`));
        }
      }
      return outcomes;
    },
  };
}

export const NAME_RULES: readonly Rule[] = NAME_CONSTRAINTS.map(nameRule);
