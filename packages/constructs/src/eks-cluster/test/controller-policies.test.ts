import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
  type DataAwsIamPolicyDocumentStatementCondition,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { Testing } from "cdktf";
import {
  EBS_CSI_DRIVER_MANAGED_POLICY,
  EFS_CSI_DRIVER_MANAGED_POLICY,
  clusterAutoscalerStatements,
  externalDnsStatements,
  karpenterControllerStatements,
  loadBalancerControllerStatements,
  type ControllerPolicyContext,
} from "..";

type Statement = DataAwsIamPolicyDocumentStatement;
type Condition = DataAwsIamPolicyDocumentStatementCondition;

const CLUSTER = "meridian-production-us-east-1";
const ctx: ControllerPolicyContext = { partition: "aws", accountId: "111111111111", region: "us-east-1", clusterName: CLUSTER };
const NODE_ROLE = "arn:aws:iam::111111111111:role/meridian-production-us-east-1-karpenter-node";
const QUEUE = "arn:aws:sqs:us-east-1:111111111111:meridian-production-us-east-1-karpenter";
const ZONES = ["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ", "arn:aws:route53:::hostedzone/Z9876543210KLMNOPQRST"];

const karpenter = (overrides: Partial<{ nodeRoleArn: string; interruptionQueueArn: string }> = {}) =>
  karpenterControllerStatements({ ...ctx, nodeRoleArn: NODE_ROLE, interruptionQueueArn: QUEUE, ...overrides });
const externalDns = (hostedZoneArns: readonly string[] = ZONES) => externalDnsStatements({ ...ctx, hostedZoneArns });

const POLICIES: [string, () => Statement[]][] = [
  ["Karpenter", () => karpenter()],
  ["AWS Load Balancer Controller", () => loadBalancerControllerStatements(ctx)],
  ["Cluster Autoscaler", () => clusterAutoscalerStatements(ctx)],
  ["external-dns", () => externalDns()],
];

const conditionsOf = (s: Statement): Condition[] => (Array.isArray(s.condition) ? s.condition : []);
const actionsOf = (s: Statement): string[] => s.actions ?? [];
const resourcesOf = (s: Statement): string[] => s.resources ?? [];
const granting = (statements: Statement[], action: string) => statements.filter((s) => actionsOf(s).includes(action));
/** Describe/Get/List calls, which read and never change anything. */
const isReadOnly = (action: string) => /^[\w-]+:(Describe|Get|List)/.test(action);

describe.each(POLICIES)("%s statements (security rule #20: CKV_AWS_62/63/286-290/355, AwsSolutions-IAM5)", (_name, build) => {
  test("every statement allows, has a unique sid, actions and resources, and no Not* elements", () => {
    // GIVEN the statements of the policy
    const statements = build();

    // THEN each is an explicit, identifiable Allow over named actions and resources
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      expect(s).toMatchObject({ sid: expect.stringMatching(/^[A-Za-z0-9]+$/), effect: "Allow" });
      expect(actionsOf(s).length).toBeGreaterThan(0);
      expect(resourcesOf(s).length).toBeGreaterThan(0);
      expect(s).not.toHaveProperty("notActions");
      expect(s).not.toHaveProperty("notResources");
    }
    expect(new Set(statements.map((s) => s.sid)).size).toBe(statements.length);
  });

  test("no statement grants a wildcard action (\"*\", \"service:*\" or a wildcard prefix), iam:* included", () => {
    const actions = build().flatMap(actionsOf);
    expect(actions.filter((a) => a.includes("*"))).toEqual([]);
    actions.forEach((a) => expect(a).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/));
  });

  test("every iam:PassRole names specific roles and the service they are passed to", () => {
    for (const s of granting(build(), "iam:PassRole")) {
      resourcesOf(s).forEach((r) => expect(r).not.toContain("*"));
      expect(conditionsOf(s)).toContainEqual(expect.objectContaining({ variable: "iam:PassedToService", values: [expect.any(String)] }));
    }
  });

  test("a write action on resource \"*\" is always constrained by a condition", () => {
    const unconstrained = build()
      .filter((s) => resourcesOf(s).includes("*") && conditionsOf(s).length === 0)
      .flatMap(actionsOf)
      .filter((a) => !isReadOnly(a));
    expect(unconstrained).toEqual([]);
  });

  test("is valid input for a DataAwsIamPolicyDocument", () => {
    // GIVEN the statements
    const statements = build();

    // WHEN they are synthesized as a policy document
    const json = JSON.parse(Testing.synthScope((scope) => new DataAwsIamPolicyDocument(scope, "policy", { statement: statements }))) as {
      data: { aws_iam_policy_document: Record<string, { statement: Record<string, unknown>[] }> };
    };

    // THEN every statement reaches Terraform with its sid, actions, resources and conditions
    const synthesized = Object.values(json.data.aws_iam_policy_document)[0]!.statement;
    expect(synthesized).toHaveLength(statements.length);
    synthesized.forEach((s, i) => {
      const source = statements[i]!;
      expect(s).toMatchObject({ sid: source.sid, effect: "Allow", actions: source.actions, resources: source.resources });
      const conditions = conditionsOf(source);
      if (conditions.length > 0) expect(s.condition).toEqual(conditions);
    });
  });
});

describe("karpenterControllerStatements", () => {
  test("passes only the node role, and only to EC2", () => {
    // GIVEN the Karpenter statements for a node role
    const statements = karpenter();

    // WHEN the statements granting iam:PassRole are collected
    const passRole = granting(statements, "iam:PassRole");

    // THEN there is exactly one, limited to the node role and to ec2.amazonaws.com
    expect(passRole).toEqual([
      expect.objectContaining({
        actions: ["iam:PassRole"],
        resources: [NODE_ROLE],
        condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ec2.amazonaws.com"] }],
      }),
    ]);
  });

  test("reads and deletes messages only from the interruption queue", () => {
    const sqs = karpenter().filter((s) => actionsOf(s).some((a) => a.startsWith("sqs:")));
    expect(sqs).toHaveLength(1);
    expect(sqs[0]).toMatchObject({ resources: [QUEUE] });
    expect([...actionsOf(sqs[0]!)].sort()).toEqual(["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"]);
  });

  test("terminates instances and deletes launch templates only when they are tagged as this cluster's", () => {
    const deletion = [...granting(karpenter(), "ec2:TerminateInstances"), ...granting(karpenter(), "ec2:DeleteLaunchTemplate")];
    expect(deletion.length).toBeGreaterThan(0);
    for (const s of deletion) {
      expect(conditionsOf(s)).toEqual(
        expect.arrayContaining([
          { test: "StringEquals", variable: `aws:ResourceTag/kubernetes.io/cluster/${CLUSTER}`, values: ["owned"] },
          { test: "StringLike", variable: "aws:ResourceTag/karpenter.sh/nodepool", values: ["*"] },
        ]),
      );
    }
  });

  test("creates launch templates and tags only with this cluster's ownership request tag", () => {
    const creating = [...granting(karpenter(), "ec2:CreateLaunchTemplate"), ...granting(karpenter(), "ec2:CreateTags")];
    expect(creating.length).toBeGreaterThan(0);
    for (const s of creating) {
      const tagVariables = conditionsOf(s).map((c) => c.variable);
      expect(tagVariables.some((v) => v === `aws:RequestTag/kubernetes.io/cluster/${CLUSTER}` || v === `aws:ResourceTag/kubernetes.io/cluster/${CLUSTER}`)).toBe(true);
    }
  });

  test("launches instances only into tagged capacity or from region-scoped images, subnets and security groups", () => {
    for (const s of granting(karpenter(), "ec2:RunInstances")) {
      resourcesOf(s).forEach((r) => expect(r).toMatch(/^arn:aws:ec2:us-east-1:(111111111111)?:/));
    }
  });

  test("describes the cluster only by its ARN, and reads only public SSM parameters", () => {
    expect(granting(karpenter(), "eks:DescribeCluster")).toEqual([
      expect.objectContaining({ resources: [`arn:aws:eks:us-east-1:111111111111:cluster/${CLUSTER}`] }),
    ]);
    expect(granting(karpenter(), "ssm:GetParameter")).toEqual([expect.objectContaining({ resources: ["arn:aws:ssm:us-east-1::parameter/aws/service/*"] })]);
  });

  test("reads the ARC zonal shift status of this cluster only (Karpenter >= 1.12, settings.enableZonalShift)", () => {
    expect(granting(karpenter(), "arc-zonal-shift:GetManagedResource")).toEqual([
      expect.objectContaining({
        resources: ["*"],
        condition: [{ test: "StringEquals", variable: "arc-zonal-shift:ResourceIdentifier", values: [`arn:aws:eks:us-east-1:111111111111:cluster/${CLUSTER}`] }],
      }),
    ]);
  });

  test("may check instance status (interruption health checks, >= 1.12) and placement groups (>= 1.11) in its region", () => {
    for (const action of ["ec2:DescribeInstanceStatus", "ec2:DescribePlacementGroups"]) {
      expect(granting(karpenter(), action)).toEqual([expect.objectContaining({ condition: [{ test: "StringEquals", variable: "aws:RequestedRegion", values: ["us-east-1"] }] })]);
    }
  });

  test("limits EC2 describe calls to the cluster's region", () => {
    expect(granting(karpenter(), "ec2:DescribeInstances")).toEqual([
      expect.objectContaining({ resources: ["*"], condition: [{ test: "StringEquals", variable: "aws:RequestedRegion", values: ["us-east-1"] }] }),
    ]);
  });

  test("instance profile writes require this cluster's tags", () => {
    const writes = karpenter().filter((s) => actionsOf(s).some((a) => a.startsWith("iam:") && !isReadOnly(a) && a !== "iam:PassRole"));
    expect(writes.flatMap(actionsOf).sort()).toEqual([
      "iam:AddRoleToInstanceProfile",
      "iam:CreateInstanceProfile",
      "iam:DeleteInstanceProfile",
      "iam:RemoveRoleFromInstanceProfile",
      "iam:TagInstanceProfile",
    ]);
    writes.forEach((s) => expect(conditionsOf(s).map((c) => c.variable)).toContainEqual(expect.stringMatching(`kubernetes.io/cluster/${CLUSTER}$`)));
  });

  test("builds ARNs from partition and account tokens", () => {
    // GIVEN a context whose partition is a data source token
    const statements = karpenterControllerStatements({
      ...ctx,
      partition: "${data.aws_partition.partition.partition}",
      nodeRoleArn: "${aws_iam_role.node.arn}",
      interruptionQueueArn: "${aws_sqs_queue.interruption.arn}",
    });

    // THEN the ARNs carry the token and the references are passed through
    expect(granting(statements, "eks:DescribeCluster")[0]!.resources).toEqual([`arn:\${data.aws_partition.partition.partition}:eks:us-east-1:111111111111:cluster/${CLUSTER}`]);
    expect(granting(statements, "iam:PassRole")[0]!.resources).toEqual(["${aws_iam_role.node.arn}"]);
  });

  test.each([
    ["nodeRoleArn is a wildcard", { nodeRoleArn: "*" }, 'nodeRoleArn = "*"'],
    ["nodeRoleArn is a role path wildcard", { nodeRoleArn: "arn:aws:iam::111111111111:role/*" }, "nodeRoleArn"],
    ["interruptionQueueArn is not an SQS ARN", { interruptionQueueArn: "arn:aws:sns:us-east-1:111111111111:topic" }, "interruptionQueueArn"],
  ])("throws when %s", (_when, overrides, message) => {
    expect(() => karpenter(overrides)).toThrow(message);
  });
});

describe("loadBalancerControllerStatements", () => {
  const statements = loadBalancerControllerStatements(ctx);
  const requestTag = { test: "Null", variable: "aws:RequestTag/elbv2.k8s.aws/cluster", values: ["false"] };
  const resourceTag = { test: "Null", variable: "aws:ResourceTag/elbv2.k8s.aws/cluster", values: ["false"] };

  test("creates load balancers and target groups only with the cluster request tag", () => {
    // WHEN the statements that create load balancers or target groups are collected
    const creating = [...granting(statements, "elasticloadbalancing:CreateLoadBalancer"), ...granting(statements, "elasticloadbalancing:CreateTargetGroup")];

    // THEN each requires the elbv2.k8s.aws/cluster tag on the request
    expect(creating.length).toBeGreaterThan(0);
    creating.forEach((s) => expect(conditionsOf(s)).toContainEqual(requestTag));
  });

  test("creates security groups only with the cluster request tag", () => {
    const groups = granting(statements, "ec2:CreateSecurityGroup").filter((s) => resourcesOf(s).some((r) => r.includes(":security-group/")));
    expect(groups).toHaveLength(1);
    expect(conditionsOf(groups[0]!)).toContainEqual(requestTag);
    // The companion statement only covers the VPC the group is created in.
    granting(statements, "ec2:CreateSecurityGroup")
      .filter((s) => conditionsOf(s).length === 0)
      .forEach((s) => expect(resourcesOf(s)).toEqual(["arn:aws:ec2:us-east-1:111111111111:vpc/*"]));
  });

  test("modifies and deletes load balancers, target groups and security groups only when they carry the cluster tag", () => {
    const destructive = [
      "elasticloadbalancing:DeleteLoadBalancer",
      "elasticloadbalancing:DeleteTargetGroup",
      "elasticloadbalancing:ModifyLoadBalancerAttributes",
      "elasticloadbalancing:ModifyTargetGroup",
      "elasticloadbalancing:SetSecurityGroups",
      "ec2:DeleteSecurityGroup",
    ];
    for (const action of destructive) {
      const grants = granting(statements, action);
      expect(grants.length).toBeGreaterThan(0);
      grants.forEach((s) => expect(conditionsOf(s)).toContainEqual(resourceTag));
    }
  });

  test("creates only the ELB service-linked role", () => {
    expect(granting(statements, "iam:CreateServiceLinkedRole")).toEqual([
      expect.objectContaining({
        resources: ["arn:aws:iam::111111111111:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing"],
        condition: [{ test: "StringEquals", variable: "iam:AWSServiceName", values: ["elasticloadbalancing.amazonaws.com"] }],
      }),
    ]);
  });

  test("every write on resource \"*\" is conditioned, and unconditioned writes stay in the account and region", () => {
    for (const s of statements.filter((s) => conditionsOf(s).length === 0 && actionsOf(s).some((a) => !isReadOnly(a)))) {
      resourcesOf(s).forEach((r) => expect(r).toMatch(/^arn:aws:[a-z0-9-]+:(us-east-1)?:111111111111:/));
    }
  });
});

describe("clusterAutoscalerStatements", () => {
  const statements = clusterAutoscalerStatements(ctx);

  test("scales and terminates only in node groups tagged as owned by this cluster", () => {
    // WHEN the write statements are collected
    const writes = statements.filter((s) => actionsOf(s).some((a) => !isReadOnly(a)));

    // THEN there is one, conditioned on the cluster's autoscaler tag
    expect(writes).toEqual([
      expect.objectContaining({
        actions: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
        condition: [{ test: "StringEquals", variable: `aws:ResourceTag/k8s.io/cluster-autoscaler/${CLUSTER}`, values: ["owned"] }],
      }),
    ]);
  });

  test("describes only this cluster's managed node groups", () => {
    expect(granting(statements, "eks:DescribeNodegroup")).toEqual([
      expect.objectContaining({ resources: [`arn:aws:eks:us-east-1:111111111111:nodegroup/${CLUSTER}/*/*`] }),
    ]);
  });

  test("everything granted on resource \"*\" is read-only", () => {
    statements.filter((s) => resourcesOf(s).includes("*")).flatMap(actionsOf).forEach((a) => expect(isReadOnly(a)).toBe(true));
  });
});

describe("externalDnsStatements", () => {
  test("changes records only in the given hosted zones", () => {
    // GIVEN two hosted zones
    // WHEN the external-dns statements are built
    const statements = externalDns();

    // THEN ChangeResourceRecordSets is granted on exactly those zones, everything else is read-only
    expect(granting(statements, "route53:ChangeResourceRecordSets")).toEqual([expect.objectContaining({ actions: ["route53:ChangeResourceRecordSets"], resources: ZONES })]);
    statements
      .filter((s) => resourcesOf(s).includes("*"))
      .forEach((s) => expect([...actionsOf(s)].sort()).toEqual(["route53:ListHostedZones", "route53:ListResourceRecordSets", "route53:ListTagsForResource", "route53:ListTagsForResources"]));
  });

  test("accepts a token for a zone created in the same configuration", () => {
    const statements = externalDns(["${aws_route53_zone.public.arn}"]);
    expect(granting(statements, "route53:ChangeResourceRecordSets")[0]!.resources).toEqual(["${aws_route53_zone.public.arn}"]);
  });

  test("throws when hostedZoneArns is empty", () => {
    expect(() => externalDns([])).toThrow("externalDnsStatements: hostedZoneArns = []: must name at least one Route 53 hosted zone");
  });

  test.each([
    ["an entry is not an ARN", "Z0123456789ABCDEFGHIJ"],
    ["an entry is another service's ARN", "arn:aws:s3:::meridian-zone"],
    ["an entry is a wildcard zone", "arn:aws:route53:::hostedzone/*"],
  ])("throws when %s, naming the setting and the value", (_when, bad) => {
    expect(() => externalDns([ZONES[0]!, bad])).toThrow(`hostedZoneArns[1] = ${JSON.stringify(bad)}: must be a Route 53 hosted zone ARN`);
  });
});

describe("CSI driver managed policies", () => {
  test("name AWS managed service-role policies", () => {
    expect(`arn:aws:iam::aws:policy/${EBS_CSI_DRIVER_MANAGED_POLICY}`).toBe("arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy");
    expect(`arn:aws:iam::aws:policy/${EFS_CSI_DRIVER_MANAGED_POLICY}`).toBe("arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy");
  });
});
