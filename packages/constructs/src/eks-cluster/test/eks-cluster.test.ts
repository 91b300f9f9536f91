import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformVariable, Testing } from "cdktf";
import { awsStack, emptyStack, onlyResourceOf, policyStatements, resourcesOf, synthJson, type Block } from "../../../test-support/fixture";
import { EksCluster, IrsaRole, publicAccessCidrProblem, serviceCidrProblem, type EksClusterAttributes, type EksClusterProps, type IrsaRoleProps } from "..";
import { EksClusterExample } from "./usage";

const subnets = ["a", "b", "c"].map((z) => ({ id: `subnet-${z}`, availabilityZone: `us-east-1${z}` }));
const REQUIRED: EksClusterProps = {
  clusterName: "test",
  kubernetesVersion: "1.33",
  accountId: "123456789012",
  partition: "aws",
  region: "us-east-1",
  subnets,
  adminRoleArns: ["arn:aws:iam::123456789012:role/admin"],
  addonVersions: {
    vpcCni: "v1.19.6-eksbuild.7",
    coreDns: "v1.12.1-eksbuild.2",
    kubeProxy: "v1.33.0-eksbuild.2",
    ebsCsiDriver: "v1.45.0-eksbuild.2",
    efsCsiDriver: "v2.1.9-eksbuild.1",
    podIdentityAgent: "v1.3.7-eksbuild.2",
  },
};

/** GIVEN a stack with an AWS provider WHEN the cluster is built with the required props and `props` THEN the stack's JSON and the construct. */
function synthCluster(props: Partial<EksClusterProps> = {}) {
  const { stack } = awsStack("us-east-1");
  const cluster = new EksCluster(stack, "cluster", { ...REQUIRED, ...props });
  return { json: synthJson(stack), cluster, stack };
}
const clusterOf = (props: Partial<EksClusterProps> = {}) => onlyResourceOf(synthCluster(props).json, "aws_eks_cluster");

describe("EksCluster", () => {
  test("with the required props: all five control-plane logs, secrets encrypted with a customer key, API access entries, a private endpoint only", () => {
    const { json } = synthCluster();
    const cluster = onlyResourceOf(json, "aws_eks_cluster");
    expect(cluster).toMatchObject({
      name: "test",
      version: "1.33",
      enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      access_config: { authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false },
      upgrade_policy: { support_type: "STANDARD" },
      zonal_shift_config: { enabled: true },
      bootstrap_self_managed_addons: false,
      vpc_config: { subnet_ids: ["subnet-a", "subnet-b", "subnet-c"], endpoint_private_access: true, endpoint_public_access: false },
      kubernetes_network_config: { ip_family: "ipv4", service_ipv4_cidr: "172.20.0.0/16" },
    });
    expect((cluster.vpc_config as Block).public_access_cidrs).toBeUndefined();
    expect(cluster.encryption_config).toEqual({ resources: ["secrets"], provider: { key_arn: expect.stringContaining("aws_kms_key.") } });
    resourcesOf(json, "aws_kms_key").forEach((key) => expect(key.enable_key_rotation).toBe(true));
  });

  test("the control-plane log group exists first with logRetentionDays (90 by default)", () => {
    const { json } = synthCluster();
    expect(onlyResourceOf(json, "aws_cloudwatch_log_group")).toMatchObject({ name: "/aws/eks/test/cluster", retention_in_days: 90 });
    expect(onlyResourceOf(json, "aws_eks_cluster").depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_cloudwatch_log_group\./)]));
    expect(onlyResourceOf(synthCluster({ logRetentionDays: 365 }).json, "aws_cloudwatch_log_group")).toMatchObject({ retention_in_days: 365 });
  });

  test("publicAccessCidrs opens the public endpoint to exactly those blocks", () => {
    expect(clusterOf({ publicAccessCidrs: ["198.51.100.0/24"] }).vpc_config).toMatchObject({ endpoint_public_access: true, public_access_cidrs: ["198.51.100.0/24"] });
  });

  test("serviceCidr sets the Kubernetes service block", () => {
    expect(clusterOf({ serviceCidr: "10.100.0.0/16" }).kubernetes_network_config).toMatchObject({ service_ipv4_cidr: "10.100.0.0/16" });
  });

  test("each admin role gets an access entry with the cluster admin policy in partition", () => {
    const { json } = synthCluster({ partition: "aws-us-gov", adminRoleArns: ["arn:aws-us-gov:iam::123456789012:role/a", "arn:aws-us-gov:iam::123456789012:role/b"] });
    expect(resourcesOf(json, "aws_eks_access_entry").map((e) => e.principal_arn)).toEqual(["arn:aws-us-gov:iam::123456789012:role/a", "arn:aws-us-gov:iam::123456789012:role/b"]);
    resourcesOf(json, "aws_eks_access_policy_association").forEach((a) =>
      expect(a).toMatchObject({ policy_arn: "arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", access_scope: { type: "cluster" } }),
    );
  });

  test("the networking add-ons come at addonVersions; the workload add-ons wait for the nodes they are given", () => {
    const { stack, cluster } = synthCluster();
    const nodes = new TerraformVariable(stack, "nodes", {});
    cluster.installWorkloadAddons([nodes]);
    const versions = Object.fromEntries(resourcesOf(synthJson(stack), "aws_eks_addon").map((a) => [a.addon_name, a.addon_version]));
    expect(versions).toEqual({
      "vpc-cni": "v1.19.6-eksbuild.7",
      "kube-proxy": "v1.33.0-eksbuild.2",
      "eks-pod-identity-agent": "v1.3.7-eksbuild.2",
      coredns: "v1.12.1-eksbuild.2",
      "aws-ebs-csi-driver": "v1.45.0-eksbuild.2",
      "aws-efs-csi-driver": "v2.1.9-eksbuild.1",
    });
    const addons = resourcesOf(synthJson(stack), "aws_eks_addon");
    addons.filter((a) => ["coredns", "aws-ebs-csi-driver", "aws-efs-csi-driver"].includes(String(a.addon_name))).forEach((a) => expect(a.depends_on).toEqual(["var.nodes"]));
    addons.filter((a) => ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"].includes(String(a.addon_name))).forEach((a) => expect(a.depends_on).toBeUndefined());
  });

  test("the storage key admits EC2 of accountId in region only", () => {
    const statements = policyStatements(synthCluster().json, "storage-key");
    expect(statements.find((s) => s.sid === "AllowEbsVolumesOfThisAccount")!.condition).toEqual([
      { test: "StringEquals", variable: "kms:CallerAccount", values: ["123456789012"] },
      { test: "StringEquals", variable: "kms:ViaService", values: ["ec2.us-east-1.amazonaws.com"] },
    ]);
  });

  test("provider places the cluster and its parts with that provider", () => {
    const { stack } = awsStack("us-east-1");
    const other = new AwsProvider(stack, "other", { region: "eu-west-1", alias: "other" });
    new EksCluster(stack, "cluster", { ...REQUIRED, provider: other });
    const json = synthJson(stack);
    for (const type of ["aws_eks_cluster", "aws_kms_key", "aws_iam_role", "aws_eks_addon", "aws_iam_openid_connect_provider"]) {
      resourcesOf(json, type).forEach((block) => expect(block.provider).toBe("aws.other"));
    }
  });

  test("implements IEksCluster: names, endpoint, CA and security group refer to the cluster; dependables is the cluster", () => {
    const { stack, cluster } = synthCluster();
    new TerraformOutput(stack, "name", { value: cluster.clusterNameReference });
    new TerraformOutput(stack, "endpoint", { value: cluster.endpoint });
    new TerraformOutput(stack, "ca", { value: cluster.certificateAuthorityData });
    new TerraformOutput(stack, "oidc", { value: cluster.issuer.providerArn });
    const json = synthJson(stack);
    const id = Object.keys(json.resource.aws_eks_cluster!)[0]!;
    expect(json.output).toMatchObject({
      name: { value: `\${aws_eks_cluster.${id}.name}` },
      endpoint: { value: `\${aws_eks_cluster.${id}.endpoint}` },
      ca: { value: `\${aws_eks_cluster.${id}.certificate_authority[0].data}` },
      oidc: { value: expect.stringMatching(/^\$\{aws_iam_openid_connect_provider\..*\.arn\}$/) },
    });
    expect(cluster.clusterName).toBe("test");
    expect(cluster.kubernetesVersion).toBe("1.33");
    expect(cluster.dependables).toEqual([cluster.cluster]);
  });

  describe("refuses bad props, naming the prop, the value and the rule", () => {
    const build = (props: Partial<EksClusterProps>) => () => synthCluster(props);
    test("publicAccessCidrs open to 0.0.0.0/0 or wider than /8", () => {
      expect(build({ publicAccessCidrs: ["0.0.0.0/0"] })).toThrow('EksCluster "test": publicAccessCidrs[0] = "0.0.0.0/0" opens the API endpoint to a large part of the internet');
    });
    test("publicAccessCidrs with reserved (private) addresses, which EKS refuses", () => {
      expect(build({ publicAccessCidrs: ["198.51.100.0/24", "10.0.0.0/8"] })).toThrow('EksCluster "test": publicAccessCidrs[1] = "10.0.0.0/8" includes private (RFC 1918) addresses (10.0.0.0/8)');
    });
    test("serviceCidr outside RFC 1918 or the /12-/24 range", () => {
      expect(build({ serviceCidr: "172.20.0.0/11" })).toThrow('EksCluster "test": serviceCidr = "172.20.0.0/11" must be an RFC 1918 network block from /12 to /24');
    });
    test("control plane subnets in one AZ", () => {
      expect(build({ subnets: [subnets[0]!, { id: "subnet-x", availabilityZone: "us-east-1a" }] })).toThrow('EksCluster "test": subnets = ["us-east-1a"] must span at least 2 availability zones');
    });
    test("no admin role", () => {
      expect(build({ adminRoleArns: [] })).toThrow('EksCluster "test": adminRoleArns = [] must name at least one role');
    });
    test("a Kubernetes version that is not major.minor", () => {
      expect(build({ kubernetesVersion: "1.33.2" })).toThrow('EksCluster "test": kubernetesVersion = "1.33.2" must be major.minor');
    });
    test("a log retention that is not a CloudWatch period", () => {
      expect(build({ logRetentionDays: 100 })).toThrow('EksCluster "test": logRetentionDays = 100 is not a CloudWatch retention period');
    });
    test("a cluster name that is not an EKS name", () => {
      expect(build({ clusterName: "1-cluster" })).toThrow('EksCluster "1-cluster": clusterName = "1-cluster" must start with a letter');
    });
  });
});

describe("the EKS CIDR predicates (the catalogue calls them too)", () => {
  test.each([
    ["203.0.113.5/32", undefined],
    ["198.51.100.0/24", undefined],
    ["8.0.0.0/8", undefined],
    ["not-a-cidr", "must be an IPv4 CIDR block"],
    ["0.0.0.0/0", "opens the API endpoint"],
    ["4.0.0.0/7", "opens the API endpoint"],
    ["192.168.1.0/24", "includes private (RFC 1918) addresses"],
    ["100.64.0.0/16", "includes shared address space (RFC 6598) addresses"],
    ["127.0.0.1/32", "includes loopback addresses"],
    ["169.254.0.0/16", "includes link-local addresses"],
    ["224.0.0.0/8", "includes multicast addresses"],
    ["240.0.0.0/8", "includes reserved (class E) and broadcast addresses"],
  ])("publicAccessCidrProblem(%s)", (cidr, problem) => {
    const found = publicAccessCidrProblem(cidr);
    if (problem === undefined) {
      expect(found).toBeUndefined();
    } else {
      expect(found).toContain(problem);
    }
  });

  test.each([
    ["172.20.0.0/16", undefined],
    ["10.100.0.0/24", undefined],
    ["192.168.0.0/12", "must be an RFC 1918"],
    ["10.0.0.0/25", "must be an RFC 1918"],
    ["100.64.0.0/16", "must be an RFC 1918"],
    ["172.20.0.1/16", "must be an RFC 1918"],
  ])("serviceCidrProblem(%s)", (cidr, problem) => {
    const found = serviceCidrProblem(cidr);
    if (problem === undefined) {
      expect(found).toBeUndefined();
    } else {
      expect(found).toContain(problem);
    }
  });
});

describe("EksCluster.fromClusterAttributes", () => {
  const ATTRS: EksClusterAttributes = {
    clusterName: "team-b",
    kubernetesVersion: "1.33",
    endpoint: "https://ABC.gr7.us-east-1.eks.amazonaws.com",
    certificateAuthorityData: "LS0tLS1CRUdJTg==",
    clusterSecurityGroupId: "sg-0123456789abcdef0",
    oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC",
    oidcIssuerUrl: "https://oidc.eks.us-east-1.amazonaws.com/id/ABC",
  };
  const adopt = (attrs: Partial<EksClusterAttributes> = {}) => EksCluster.fromClusterAttributes(emptyStack(), "existing", { ...ATTRS, ...attrs });

  test("adopts the cluster as given: the issuer host drops https://, nothing to wait for", () => {
    expect(adopt()).toMatchObject({
      clusterName: "team-b",
      clusterNameReference: "team-b",
      kubernetesVersion: "1.33",
      endpoint: ATTRS.endpoint,
      certificateAuthorityData: ATTRS.certificateAuthorityData,
      clusterSecurityGroupId: "sg-0123456789abcdef0",
      issuer: { providerArn: ATTRS.oidcProviderArn, host: "oidc.eks.us-east-1.amazonaws.com/id/ABC" },
      dependables: [],
    });
    expect(adopt({ oidcIssuerUrl: "oidc.eks.us-east-1.amazonaws.com/id/ABC" }).issuer.host).toBe("oidc.eks.us-east-1.amazonaws.com/id/ABC");
  });

  test("an IRSA role trusts the adopted cluster's provider", () => {
    const { stack } = awsStack();
    const cluster = EksCluster.fromClusterAttributes(stack, "existing", ATTRS);
    new IrsaRole(stack, "role", { roleName: "team-b-app", issuer: cluster.issuer, namespace: "app", serviceAccount: "app" });
    const [statement] = policyStatements(synthJson(stack), "trust");
    expect(statement!.principals).toEqual([{ type: "Federated", identifiers: [ATTRS.oidcProviderArn] }]);
    expect(statement!.condition![0]).toMatchObject({ variable: "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub", values: ["system:serviceaccount:app:app"] });
  });

  test("refuses a bad cluster name, version or OIDC provider ARN", () => {
    expect(() => adopt({ clusterName: "-x" })).toThrow('EksCluster.fromClusterAttributes "existing": clusterName = "-x" must start with a letter');
    expect(() => adopt({ kubernetesVersion: "v1.33" })).toThrow('kubernetesVersion = "v1.33" must be major.minor');
    expect(() => adopt({ oidcProviderArn: "arn:aws:iam::123456789012:role/x" })).toThrow("oidcProviderArn = \"arn:aws:iam::123456789012:role/x\" must be an IAM OIDC provider ARN");
  });
});

describe("IrsaRole", () => {
  const issuer = { providerArn: "arn:aws:iam::123456789012:oidc-provider/x", host: "oidc.example/id/X" };
  const REQUIRED_ROLE: IrsaRoleProps = { roleName: "r", issuer, namespace: "kube-system", serviceAccount: "aws-node" };
  const synthRole = (props: Partial<IrsaRoleProps> = {}) => {
    const { stack } = awsStack();
    new IrsaRole(stack, "r", { ...REQUIRED_ROLE, ...props });
    return synthJson(stack);
  };

  test("the trust policy pins the service account (:sub) and the STS audience (:aud); no permissions by default", () => {
    const json = synthRole();
    expect(policyStatements(json, "trust")).toEqual([
      {
        effect: "Allow",
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: [issuer.providerArn] }],
        condition: [
          { test: "StringEquals", variable: "oidc.example/id/X:sub", values: ["system:serviceaccount:kube-system:aws-node"] },
          { test: "StringEquals", variable: "oidc.example/id/X:aud", values: ["sts.amazonaws.com"] },
        ],
      },
    ]);
    expect(onlyResourceOf(json, "aws_iam_role")).toMatchObject({ name: "r" });
    expect(resourcesOf(json, "aws_iam_role_policy")).toEqual([]);
    expect(resourcesOf(json, "aws_iam_role_policy_attachment")).toEqual([]);
  });

  test("additionalServiceAccounts: one trust statement each", () => {
    const subjects = policyStatements(synthRole({ additionalServiceAccounts: ["b", "c"] }), "trust").map((s) => s.condition![0]!.values[0]);
    expect(subjects).toEqual(["system:serviceaccount:kube-system:aws-node", "system:serviceaccount:kube-system:b", "system:serviceaccount:kube-system:c"]);
  });

  test("statements become an inline policy named policyName (\"permissions\" by default); managedPolicyArns are attached; description is set", () => {
    const statements = [{ effect: "Allow", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] }];
    const json = synthRole({ statements, description: "reads b" });
    expect(onlyResourceOf(json, "aws_iam_role_policy")).toMatchObject({ name: "permissions" });
    expect(onlyResourceOf(json, "aws_iam_role")).toMatchObject({ description: "reads b" });
    expect(onlyResourceOf(synthRole({ statements, policyName: "read-b" }), "aws_iam_role_policy")).toMatchObject({ name: "read-b" });
    expect(resourcesOf(synthRole({ managedPolicyArns: ["arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/B"] }), "aws_iam_role_policy_attachment").map((a) => a.policy_arn)).toEqual([
      "arn:aws:iam::aws:policy/A",
      "arn:aws:iam::aws:policy/B",
    ]);
  });

  test("provider places the role with that provider", () => {
    const { stack } = awsStack();
    const other = new AwsProvider(stack, "other", { region: "eu-west-1", alias: "other" });
    new IrsaRole(stack, "r", { ...REQUIRED_ROLE, provider: other });
    expect(onlyResourceOf(synthJson(stack), "aws_iam_role").provider).toBe("aws.other");
  });

  describe("refuses bad props", () => {
    const build = (props: Partial<IrsaRoleProps>) => () => synthRole(props);
    test("a service account that is not a Kubernetes name", () => {
      expect(build({ serviceAccount: "Bad_Name" })).toThrow('IrsaRole "r": serviceAccount "Bad_Name" is not a Kubernetes name');
    });
    test("a service account listed twice", () => {
      expect(build({ namespace: "argocd", serviceAccount: "server", additionalServiceAccounts: ["repo", "server"] })).toThrow('IrsaRole "r": service account "server" is listed twice');
    });
    test("an additional service account that is not a Kubernetes name", () => {
      expect(build({ namespace: "argocd", serviceAccount: "server", additionalServiceAccounts: ["Repo"] })).toThrow('IrsaRole "r": additionalServiceAccounts[0] "Repo" is not a Kubernetes name');
    });
    test("a role name longer than IAM allows", () => {
      const roleName = "r".repeat(65);
      expect(build({ roleName })).toThrow(`IrsaRole "${roleName}": roleName "${roleName}" is 65 characters; IAM allows 64`);
    });
  });
});

test("the README's usage example synthesizes (snapshot)", () => {
  expect(synthJson(new EksClusterExample(Testing.app(), "example"))).toMatchSnapshot();
});
