import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { awsStack, onlyResourceOf, policyStatements, resourcesOf, synthJson } from "../../../test-support/fixture";
import { EksCluster, type EksClusterProps, type IEksCluster } from "../../eks-cluster";
import { KarpenterAwsResources, type KarpenterAwsResourcesProps } from "..";
import { KarpenterAwsExample } from "./usage";

const QUEUE = "arn:aws:sqs:us-east-1:123456789012:c-interruption";
const adopted = (stack: Parameters<typeof EksCluster.fromClusterAttributes>[0]): IEksCluster =>
  EksCluster.fromClusterAttributes(stack, "cluster", {
    clusterName: "c",
    kubernetesVersion: "1.33",
    endpoint: "https://x.eks.amazonaws.com",
    certificateAuthorityData: "Q0E=",
    clusterSecurityGroupId: "sg-1",
    oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/X",
    oidcIssuerUrl: "https://oidc.eks.us-east-1.amazonaws.com/id/X",
  });

/** GIVEN a stack with an adopted cluster WHEN Karpenter's AWS side is built with `props` THEN the stack's JSON. */
function synthKarpenter(props: Partial<Omit<KarpenterAwsResourcesProps, "cluster">> = {}) {
  const { stack } = awsStack("us-east-1");
  new KarpenterAwsResources(stack, "karpenter", { cluster: adopted(stack), accountId: "123456789012", region: "us-east-1", partition: "aws", interruptionQueueArn: QUEUE, ...props });
  return synthJson(stack);
}

describe("KarpenterAwsResources", () => {
  test("a node role with the node policies and an EC2_LINUX access entry; no instance profile", () => {
    const json = synthKarpenter();
    const roles = resourcesOf(json, "aws_iam_role").map((r) => r.name);
    expect(roles.sort()).toEqual(["c-karpenter", "c-karpenter-node"]);
    expect(resourcesOf(json, "aws_iam_role_policy_attachment").map((a) => a.policy_arn).sort()).toEqual(
      ["AmazonEC2ContainerRegistryReadOnly", "AmazonEKSWorkerNodePolicy", "AmazonSSMManagedInstanceCore"].map((p) => `arn:aws:iam::aws:policy/${p}`),
    );
    expect(onlyResourceOf(json, "aws_eks_access_entry")).toMatchObject({ cluster_name: "c", type: "EC2_LINUX" });
    expect(resourcesOf(json, "aws_iam_instance_profile")).toEqual([]);
  });

  test("the controller role trusts karpenter/karpenter by default (namespace and serviceAccount change it) on the cluster's provider", () => {
    const subject = (json: ReturnType<typeof synthKarpenter>) => policyStatements(json, "controller-role_trust")[0]!.condition!;
    expect(subject(synthKarpenter())).toEqual([
      { test: "StringEquals", variable: "oidc.eks.us-east-1.amazonaws.com/id/X:sub", values: ["system:serviceaccount:karpenter:karpenter"] },
      { test: "StringEquals", variable: "oidc.eks.us-east-1.amazonaws.com/id/X:aud", values: ["sts.amazonaws.com"] },
    ]);
    expect(subject(synthKarpenter({ namespace: "kube-system", serviceAccount: "karpenter-controller" }))[0]!.values).toEqual(["system:serviceaccount:kube-system:karpenter-controller"]);
  });

  test("the controller's permissions name the cluster, region, node role and interruption queue", () => {
    const statements = policyStatements(synthKarpenter({ region: "us-east-1" }), "controller-role_permissions");
    expect(statements.find((s) => s.sid === "AllowInterruptionQueueActions")).toMatchObject({ resources: [QUEUE] });
    expect(JSON.stringify(statements)).toContain("kubernetes.io/cluster/c");
    expect(statements.find((s) => s.actions.includes("iam:PassRole"))!.resources![0]).toMatch(/aws_iam_role\..*node-role.*\.arn/);
  });

  test("with an EksCluster, the access entry waits for the cluster resource", () => {
    const { stack } = awsStack("us-east-1");
    const props: EksClusterProps = {
      clusterName: "c",
      kubernetesVersion: "1.33",
      accountId: "123456789012",
      partition: "aws",
      region: "us-east-1",
      subnets: [{ id: "s-a", availabilityZone: "us-east-1a" }, { id: "s-b", availabilityZone: "us-east-1b" }],
      adminRoleArns: ["arn:aws:iam::123456789012:role/admin"],
      addonVersions: { vpcCni: "v1.0.0-eksbuild.1", coreDns: "v1.0.0-eksbuild.1", kubeProxy: "v1.33.0-eksbuild.1", ebsCsiDriver: "v1.0.0-eksbuild.1", efsCsiDriver: "v1.0.0-eksbuild.1", podIdentityAgent: "v1.0.0-eksbuild.1" },
    };
    const cluster = new EksCluster(stack, "eks", props);
    new KarpenterAwsResources(stack, "karpenter", { cluster, accountId: "123456789012", region: "us-east-1", partition: "aws", interruptionQueueArn: QUEUE });
    const entry = resourcesOf(synthJson(stack), "aws_eks_access_entry").find((e) => e.type === "EC2_LINUX")!;
    expect(entry.depends_on).toEqual([expect.stringMatching(/^aws_eks_cluster\./)]);
  });

  test("partition shapes the policy ARNs; provider places every resource", () => {
    const { stack } = awsStack("us-east-1");
    const other = new AwsProvider(stack, "other", { region: "us-gov-west-1", alias: "other" });
    new KarpenterAwsResources(stack, "karpenter", { cluster: adopted(stack), accountId: "123456789012", region: "us-gov-west-1", partition: "aws-us-gov", interruptionQueueArn: "arn:aws-us-gov:sqs:us-gov-west-1:123456789012:q", provider: other });
    const json = synthJson(stack);
    resourcesOf(json, "aws_iam_role_policy_attachment").forEach((a) => expect(a.policy_arn).toMatch(/^arn:aws-us-gov:/));
    Object.values(json.resource).forEach((blocks) => Object.values(blocks).forEach((b) => expect(b.provider).toBe("aws.other")));
  });

  test("refuses an interruption queue that is not an SQS queue ARN", () => {
    expect(() => synthKarpenter({ interruptionQueueArn: "arn:aws:sns:us-east-1:123456789012:topic/x" })).toThrow("karpenterControllerStatements: interruptionQueueArn");
  });
});

test("the README's usage example synthesizes (snapshot)", () => {
  expect(synthJson(new KarpenterAwsExample(Testing.app(), "example"))).toMatchSnapshot();
});
