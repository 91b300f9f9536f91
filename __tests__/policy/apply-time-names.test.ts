import { NAME_RULES } from "../../src/policy/rules/apply-time-names";
import type { Rule } from "../../src/policy/rule";
import { fixtureStack, messages, ref, single, undecided } from "./fixtures";

/** A lowercase name of `length` characters. */
const long = (length: number) => "a".repeat(length);
const rule = (id: string): Rule => NAME_RULES.find((r) => r.id === id)!;
/** The findings of rule `id` on one resource of `type` with `attribute` = `value`. */
const check = (id: string, type: string, attribute: string, value: string) => messages(rule(id), single(type, { [attribute]: value }));

describe("name rules resolve references to literal names", () => {
  test("a launch template's name_prefix built from the cluster's name is checked as the resolved string", () => {
    const stack = fixtureStack("production-test", {
      aws_eks_cluster: { cluster: { name: long(100) } },
      aws_launch_template: { system: { name_prefix: `${ref("aws_eks_cluster.cluster", "name")}-system-` } },
    });
    expect(messages(rule("launch-template-name"), stack)).toEqual([
      `aws_launch_template.system: name_prefix = "${long(100)}-system-" is 108 characters; with the provider's 26-character suffix at most 102 fit: the API refuses it when the resource is created`,
    ]);
  });

  test("a name read from another stack is undecided, not a failure", () => {
    const stack = single("aws_iam_role", { name: "${data.terraform_remote_state.x.outputs.name}" });
    expect(messages(rule("iam-role-name"), stack)).toEqual([]);
    expect(undecided(rule("iam-role-name"), stack)).toEqual(["aws_iam_role.subject: name is known only after apply"]);
  });
});

describe("iam-role-name", () => {
  const BAD = [long(65), "has space"];
  test.each(BAD)("flags name = %s", (value) => {
    expect(check("iam-role-name", "aws_iam_role", "name", value)).toEqual([expect.stringContaining(`name = ${JSON.stringify(value)}`)]);
  });

  test("flags a name_prefix too long for the provider's suffix", () => {
    expect(check("iam-role-name", "aws_iam_role", "name_prefix", long(39))).toEqual([expect.stringContaining("name_prefix = ")]);
  });

  test("passes the platform's name_prefix", () => {
    expect(check("iam-role-name", "aws_iam_role", "name_prefix", "fis-az-loss-")).toEqual([]);
  });

  test("passes the platform's name", () => {
    expect(check("iam-role-name", "aws_iam_role", "name", "meridian-production-us-east-1-cluster")).toEqual([]);
  });
});

describe("iam-instance-profile-name", () => {
  const BAD = [long(129), "a/b"];
  test.each(BAD)("flags name = %s", (value) => {
    expect(check("iam-instance-profile-name", "aws_iam_instance_profile", "name", value)).toEqual([expect.stringContaining(`name = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's name", () => {
    expect(check("iam-instance-profile-name", "aws_iam_instance_profile", "name", "meridian-karpenter-node")).toEqual([]);
  });
});

describe("iam-role-policy-name", () => {
  const BAD = [long(129), "a b"];
  test.each(BAD)("flags name = %s", (value) => {
    expect(check("iam-role-policy-name", "aws_iam_role_policy", "name", value)).toEqual([expect.stringContaining(`name = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's name", () => {
    expect(check("iam-role-policy-name", "aws_iam_role_policy", "name", "write-flow-logs")).toEqual([]);
  });
});

describe("lb-name", () => {
  const BAD = ["internal-ingress", long(33), "-ingress"];
  test.each(BAD)("flags name = %s", (value) => {
    expect(check("lb-name", "aws_lb", "name", value)).toEqual([expect.stringContaining(`name = ${JSON.stringify(value)}`)]);
  });

  test("flags a name_prefix too long for the provider's suffix", () => {
    expect(check("lb-name", "aws_lb", "name_prefix", "nlb-abc")).toEqual([expect.stringContaining("name_prefix = ")]);
  });

  test("passes the platform's name_prefix", () => {
    expect(check("lb-name", "aws_lb", "name_prefix", "nlb-")).toEqual([]);
  });

  test("passes the platform's name", () => {
    expect(check("lb-name", "aws_lb", "name", "meridian-production-use1")).toEqual([]);
  });
});

describe("lb-target-group-name", () => {
  const BAD = [long(33), "pods_8443"];
  test.each(BAD)("flags name = %s", (value) => {
    expect(check("lb-target-group-name", "aws_lb_target_group", "name", value)).toEqual([expect.stringContaining(`name = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's name", () => {
    expect(check("lb-target-group-name", "aws_lb_target_group", "name", "meridian-production-use1-pods")).toEqual([]);
  });
});

describe("security-group-name", () => {
  const BAD = ["sg-ingress", long(256)];
  test.each(BAD)("flags name = %s", (value) => {
    expect(check("security-group-name", "aws_security_group", "name", value)).toEqual([expect.stringContaining(`name = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's name", () => {
    expect(check("security-group-name", "aws_security_group", "name", "meridian-production-use1-nlb")).toEqual([]);
  });
});

describe("kms-alias-name", () => {
  const BAD = ["alias/aws/state", "state-key"];
  test.each(BAD)("flags name = %s", (value) => {
    expect(check("kms-alias-name", "aws_kms_alias", "name", value)).toEqual([expect.stringContaining(`name = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's name", () => {
    expect(check("kms-alias-name", "aws_kms_alias", "name", "alias/meridian-production-data")).toEqual([]);
  });
});

describe("s3-bucket-name", () => {
  const BAD = ["Meridian-State", "xn--state", "state--ol-s3", "a..b", "192.168.1.1", long(64)];
  test.each(BAD)("flags bucket = %s", (value) => {
    expect(check("s3-bucket-name", "aws_s3_bucket", "bucket", value)).toEqual([expect.stringContaining(`bucket = ${JSON.stringify(value)}`)]);
  });

  test("flags a bucket_prefix too long for the provider's suffix", () => {
    expect(check("s3-bucket-name", "aws_s3_bucket", "bucket_prefix", long(38))).toEqual([expect.stringContaining("bucket_prefix = ")]);
  });

  test("passes the platform's bucket_prefix", () => {
    expect(check("s3-bucket-name", "aws_s3_bucket", "bucket_prefix", "meridian-logs-")).toEqual([]);
  });

  test("passes the platform's bucket", () => {
    expect(check("s3-bucket-name", "aws_s3_bucket", "bucket", "meridian-tfstate-111111111111")).toEqual([]);
  });
});

describe("rds-cluster-identifier", () => {
  const BAD = ["1meridian", "meridian--a", "meridian-", long(64)];
  test.each(BAD)("flags cluster_identifier = %s", (value) => {
    expect(check("rds-cluster-identifier", "aws_rds_cluster", "cluster_identifier", value)).toEqual([expect.stringContaining(`cluster_identifier = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's cluster_identifier", () => {
    expect(check("rds-cluster-identifier", "aws_rds_cluster", "cluster_identifier", "meridian-production-us-east-1")).toEqual([]);
  });
});

describe("rds-instance-identifier", () => {
  const BAD = ["meridian--1", long(64)];
  test.each(BAD)("flags identifier = %s", (value) => {
    expect(check("rds-instance-identifier", "aws_rds_cluster_instance", "identifier", value)).toEqual([expect.stringContaining(`identifier = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's identifier", () => {
    expect(check("rds-instance-identifier", "aws_rds_cluster_instance", "identifier", "meridian-production-us-east-1-1")).toEqual([]);
  });
});

describe("rds-global-cluster-identifier", () => {
  const BAD = ["meridian_production", long(64)];
  test.each(BAD)("flags global_cluster_identifier = %s", (value) => {
    expect(check("rds-global-cluster-identifier", "aws_rds_global_cluster", "global_cluster_identifier", value)).toEqual([expect.stringContaining(`global_cluster_identifier = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's global_cluster_identifier", () => {
    expect(check("rds-global-cluster-identifier", "aws_rds_global_cluster", "global_cluster_identifier", "meridian-production")).toEqual([]);
  });
});

describe("rds-parameter-group-name", () => {
  const BAD = ["Meridian-params", "meridian--params", "16-params"];
  test.each(BAD)("flags name = %s", (value) => {
    expect(check("rds-parameter-group-name", "aws_rds_cluster_parameter_group", "name", value)).toEqual([expect.stringContaining(`name = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's name", () => {
    expect(check("rds-parameter-group-name", "aws_rds_cluster_parameter_group", "name", "meridian-production-us-east-1-aurora-postgresql16")).toEqual([]);
  });
});

describe("rds-subnet-group-name", () => {
  const BAD = ["default", "Meridian"];
  test.each(BAD)("flags name = %s", (value) => {
    expect(check("rds-subnet-group-name", "aws_db_subnet_group", "name", value)).toEqual([expect.stringContaining(`name = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's name", () => {
    expect(check("rds-subnet-group-name", "aws_db_subnet_group", "name", "meridian-production-us-east-1")).toEqual([]);
  });
});

describe("eventbridge-rule-name", () => {
  const BAD = [long(65), "a:b"];
  test.each(BAD)("flags name = %s", (value) => {
    expect(check("eventbridge-rule-name", "aws_cloudwatch_event_rule", "name", value)).toEqual([expect.stringContaining(`name = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's name", () => {
    expect(check("eventbridge-rule-name", "aws_cloudwatch_event_rule", "name", "meridian-production-eu-west-1-interruption-scheduled-change")).toEqual([]);
  });
});

describe("sqs-queue-name", () => {
  const BAD = [long(81), "queue.name"];
  test.each(BAD)("flags name = %s", (value) => {
    expect(check("sqs-queue-name", "aws_sqs_queue", "name", value)).toEqual([expect.stringContaining(`name = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's name", () => {
    expect(check("sqs-queue-name", "aws_sqs_queue", "name", "meridian-production-us-east-1-interruption")).toEqual([]);
  });
});

describe("sns-topic-name", () => {
  const BAD = [long(257), "alerts.topic"];
  test.each(BAD)("flags name = %s", (value) => {
    expect(check("sns-topic-name", "aws_sns_topic", "name", value)).toEqual([expect.stringContaining(`name = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's name", () => {
    expect(check("sns-topic-name", "aws_sns_topic", "name", "meridian-production-us-east-1-alerts")).toEqual([]);
  });
});

describe("log-group-name", () => {
  const BAD = ["aws/eks/cluster", "a:b"];
  test.each(BAD)("flags name = %s", (value) => {
    expect(check("log-group-name", "aws_cloudwatch_log_group", "name", value)).toEqual([expect.stringContaining(`name = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's name", () => {
    expect(check("log-group-name", "aws_cloudwatch_log_group", "name", "/aws/eks/meridian-production-us-east-1/cluster")).toEqual([]);
  });
});

describe("metric-alarm-name", () => {
  const BAD = [long(256), "line\nbreak"];
  test.each(BAD)("flags alarm_name = %s", (value) => {
    expect(check("metric-alarm-name", "aws_cloudwatch_metric_alarm", "alarm_name", value)).toEqual([expect.stringContaining(`alarm_name = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's alarm_name", () => {
    expect(check("metric-alarm-name", "aws_cloudwatch_metric_alarm", "alarm_name", "meridian-production-us-east-1-global-replication-lag")).toEqual([]);
  });
});

describe("eks-cluster-name", () => {
  const BAD = ["-meridian", long(101), "meridian.production"];
  test.each(BAD)("flags name = %s", (value) => {
    expect(check("eks-cluster-name", "aws_eks_cluster", "name", value)).toEqual([expect.stringContaining(`name = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's name", () => {
    expect(check("eks-cluster-name", "aws_eks_cluster", "name", "meridian-production-us-east-1")).toEqual([]);
  });
});

describe("eks-node-group-name", () => {
  const BAD = [long(64), "system.a"];
  test.each(BAD)("flags node_group_name = %s", (value) => {
    expect(check("eks-node-group-name", "aws_eks_node_group", "node_group_name", value)).toEqual([expect.stringContaining(`node_group_name = ${JSON.stringify(value)}`)]);
  });

  test("flags a node_group_name_prefix too long for the provider's suffix", () => {
    expect(check("eks-node-group-name", "aws_eks_node_group", "node_group_name_prefix", long(38))).toEqual([expect.stringContaining("node_group_name_prefix = ")]);
  });

  test("passes the platform's node_group_name_prefix", () => {
    expect(check("eks-node-group-name", "aws_eks_node_group", "node_group_name_prefix", "gpu-")).toEqual([]);
  });

  test("passes the platform's node_group_name", () => {
    expect(check("eks-node-group-name", "aws_eks_node_group", "node_group_name", "system-us-east-1a")).toEqual([]);
  });
});

describe("launch-template-name", () => {
  const BAD = ["lt", "a b"];
  test.each(BAD)("flags name = %s", (value) => {
    expect(check("launch-template-name", "aws_launch_template", "name", value)).toEqual([expect.stringContaining(`name = ${JSON.stringify(value)}`)]);
  });

  test("flags a name_prefix too long for the provider's suffix", () => {
    expect(check("launch-template-name", "aws_launch_template", "name_prefix", long(103))).toEqual([expect.stringContaining("name_prefix = ")]);
  });

  test("passes the platform's name_prefix", () => {
    expect(check("launch-template-name", "aws_launch_template", "name_prefix", "meridian-gpu-")).toEqual([]);
  });

  test("passes the platform's name", () => {
    expect(check("launch-template-name", "aws_launch_template", "name", "meridian-system")).toEqual([]);
  });
});

describe("dynamodb-table-name", () => {
  const BAD = ["ab", "a b"];
  test.each(BAD)("flags name = %s", (value) => {
    expect(check("dynamodb-table-name", "aws_dynamodb_table", "name", value)).toEqual([expect.stringContaining(`name = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's name", () => {
    expect(check("dynamodb-table-name", "aws_dynamodb_table", "name", "meridian-terraform-locks")).toEqual([]);
  });
});

describe("secretsmanager-secret-name", () => {
  const BAD = ["meridian/aurora-master", "a b"];
  test.each(BAD)("flags name = %s", (value) => {
    expect(check("secretsmanager-secret-name", "aws_secretsmanager_secret", "name", value)).toEqual([expect.stringContaining(`name = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's name", () => {
    expect(check("secretsmanager-secret-name", "aws_secretsmanager_secret", "name", "meridian/production/aurora/master")).toEqual([]);
  });
});

describe("global-accelerator-name", () => {
  const BAD = ["-meridian", "meridian.", long(65)];
  test.each(BAD)("flags name = %s", (value) => {
    expect(check("global-accelerator-name", "aws_globalaccelerator_accelerator", "name", value)).toEqual([expect.stringContaining(`name = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's name", () => {
    expect(check("global-accelerator-name", "aws_globalaccelerator_accelerator", "name", "meridian-production")).toEqual([]);
  });
});

describe("prometheus-workspace-alias", () => {
  const BAD = [long(101)];
  test.each(BAD)("flags alias = %s", (value) => {
    expect(check("prometheus-workspace-alias", "aws_prometheus_workspace", "alias", value)).toEqual([expect.stringContaining(`alias = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's alias", () => {
    expect(check("prometheus-workspace-alias", "aws_prometheus_workspace", "alias", "meridian-production-us-east-1")).toEqual([]);
  });
});

describe("route53-record-name", () => {
  const BAD = [`${long(64)}.example.com`, "a..example.com"];
  test.each(BAD)("flags name = %s", (value) => {
    expect(check("route53-record-name", "aws_route53_record", "name", value)).toEqual([expect.stringContaining(`name = ${JSON.stringify(value)}`)]);
  });

  test("passes the platform's name", () => {
    expect(check("route53-record-name", "aws_route53_record", "name", "app.meridian.example.com")).toEqual([]);
  });
});
