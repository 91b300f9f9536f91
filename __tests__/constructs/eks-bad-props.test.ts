import { Testing, TerraformStack, type App } from "cdktf";
import { EksCluster, type EksClusterProps } from "@meridian/constructs";
import { IrsaRole } from "@meridian/constructs";
import { ManagedNodeGroups, perZoneSizes, type ManagedNodeGroupSpec } from "@meridian/constructs";
import { RegionalIngress, type RegionalIngressProps } from "@meridian/constructs";
import { SharedFileSystem } from "@meridian/constructs";

const stack = () => new TerraformStack(Testing.app() as App, "test");
const subnets = ["a", "b", "c"].map((z) => ({ id: `subnet-${z}`, availabilityZone: `us-east-1${z}` }));

const system: ManagedNodeGroupSpec = {
  name: "system",
  class: "system",
  instanceTypes: ["m6i.large"],
  minSize: 2,
  desiredSize: 3,
  maxSize: 6,
  diskSizeGiB: 50,
  perAvailabilityZone: false,
  maxUnavailablePercentage: 33,
  labels: {},
  taints: [],
  metadataHopLimit: 1,
};
const gpuTaint = [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" as const }];

const AMI_RELEASES = { AL2023_x86_64_STANDARD: "1.33.13-20260714", AL2023_ARM_64_STANDARD: "1.33.13-20260714", AL2023_x86_64_NVIDIA: "1.33.13-20260714" };

function nodeGroups(...groups: Partial<ManagedNodeGroupSpec>[]) {
  return () =>
    new ManagedNodeGroups(stack(), "groups", {
      clusterName: "test",
      partition: "aws",
      subnets,
      kubernetesVersion: "1.33",
      amiReleaseVersions: AMI_RELEASES,
      volumeKeyArn: "arn:aws:kms:us-east-1:123456789012:key/test",
      groups: groups.map((g) => ({ ...system, ...g })),
    });
}

const clusterProps: EksClusterProps = {
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
const cluster = (overrides: Partial<EksClusterProps>) => () => new EksCluster(stack(), "cluster", { ...clusterProps, ...overrides });

const ingressProps: RegionalIngressProps = {
  name: "test",
  vpcId: "vpc-1",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-a", "subnet-b"],
  targetSecurityGroupId: "sg-1",
  listenerPort: 443,
  targetPort: 8443,
  protocol: "TCP",
  healthCheckPath: "/healthz",
};
const ingress = (overrides: Partial<RegionalIngressProps>) => () => new RegionalIngress(stack(), "ingress", { ...ingressProps, ...overrides });

describe("node groups reject bad settings", () => {
  test("throws when minSize exceeds maxSize", () => {
    expect(nodeGroups({ minSize: 7, desiredSize: 7 })).toThrow("groups[0] (system).minSize: must be <= maxSize (6)");
  });
  test("throws when desiredSize is outside min..max", () => {
    expect(nodeGroups({ desiredSize: 9 })).toThrow("groups[0] (system).desiredSize: must lie between minSize (2) and maxSize (6)");
  });
  test("throws when a spot group has a single instance type", () => {
    expect(nodeGroups({ name: "spot", class: "spot", minSize: 0, desiredSize: 0 }, {})).toThrow("groups[0] (spot).instanceTypes: a spot node group needs at least 2 instance types");
  });
  test("throws when a gpu group has a non-GPU instance type", () => {
    expect(nodeGroups({}, { name: "gpu", class: "gpu", instanceTypes: ["m6i.large"], minSize: 0, desiredSize: 0, taints: gpuTaint })).toThrow(
      'groups[1] (gpu).instanceTypes[0]: is not an NVIDIA GPU instance type',
    );
  });
  test("throws when a gpu group lacks the nvidia.com/gpu taint", () => {
    expect(nodeGroups({}, { name: "gpu", class: "gpu", instanceTypes: ["g5.xlarge"], minSize: 0, desiredSize: 0 })).toThrow("groups[1] (gpu).taints: a gpu node group needs the taint nvidia.com/gpu");
  });
  test("throws when system capacity can drop below 2 nodes", () => {
    expect(nodeGroups({ minSize: 1 })).toThrow("groups[0] (system).minSize: system capacity must keep at least 2 nodes");
  });
  test("throws when a group mixes Graviton and x86 instance types", () => {
    expect(nodeGroups({ instanceTypes: ["m7g.large", "m7i.large"] })).toThrow("mixes Graviton (arm64) and x86_64 instance types");
  });
  test("throws when two groups share a name", () => {
    expect(nodeGroups({}, {})).toThrow('groups[1].name "system": another group has this name');
  });
  test("throws when the IMDS hop limit is neither 1 nor 2", () => {
    expect(nodeGroups({ metadataHopLimit: 3 as 1 })).toThrow("groups[0] (system).metadataHopLimit: must be 1, or 2 where pods need IMDS");
  });
  test("throws when the root disk is smaller than 20 GiB", () => {
    expect(nodeGroups({ diskSizeGiB: 10 })).toThrow("groups[0] (system).diskSizeGiB: must be >= 20 GiB");
  });
  test("throws when the subnets cover a single AZ", () => {
    expect(
      () => new ManagedNodeGroups(stack(), "g", { clusterName: "t", partition: "aws", subnets: subnets.slice(0, 1), kubernetesVersion: "1.33", amiReleaseVersions: AMI_RELEASES, volumeKeyArn: "k", groups: [system] }),
    ).toThrow("subnets: span 1 AZ; node groups need at least 2");
  });
  // EKS refuses these at CreateNodegroup ("Label cannot contain reserved prefixes …"), after the plan passed.
  test.each([
    ["node.kubernetes.io/class", "system", 'contains the reserved prefix "kubernetes.io/"'],
    ["node-role.kubernetes.io/worker", "true", 'contains the reserved prefix "kubernetes.io/"'],
    ["k8s.io/cluster-autoscaler/enabled", "true", 'contains the reserved prefix "k8s.io/"'],
    ["eks.amazonaws.com/capacityType", "SPOT", 'contains the reserved prefix "eks.amazonaws.com/"'],
    ["Team_Name!", "a", "label key must be [prefix/]name"],
    ["Example.com/team", "a", "label key has a prefix that is not a lower-case DNS subdomain"],
    [`node.meridian.io/${"x".repeat(50)}`, "a", "label key is 67 characters; the EKS node group API takes at most 63"],
    ["node.meridian.io/team", "", "label value is empty"],
    ["node.meridian.io/team", "payments team", 'label value "payments team" must be at most 63'],
  ])("throws when a label is %s=%s", (key, value, rule) => {
    expect(nodeGroups({ labels: { [key]: value } })).toThrow(`groups[0] (system).labels.${key}: ${rule}`);
  });
  test("throws when the class label disagrees with the class", () => {
    expect(nodeGroups({ labels: { "node.meridian.io/class": "gpu" } })).toThrow('groups[0] (system).labels.node.meridian.io/class: is set from class ("system")');
  });
  test("throws when a taint key is longer than EKS's 63 characters or malformed", () => {
    expect(nodeGroups({ taints: [{ key: `example.com/${"t".repeat(60)}`, value: "x", effect: "NO_SCHEDULE" }] })).toThrow("groups[0] (system).taints[0]: taint key is 72 characters");
    expect(nodeGroups({ taints: [{ key: "dedicated", value: "a b", effect: "NO_SCHEDULE" }] })).toThrow('groups[0] (system).taints[0]: taint value "a b" must be at most 63');
  });
  test("accepts the platform's label domain and third-party domains", () => {
    expect(nodeGroups({ labels: { "node.meridian.io/class": "system", "node.meridian.io/team": "payments", "nvidia.com/gpu.present": "true", workload: "general" } })).not.toThrow();
  });
  test("throws when an AMI type in use has no pinned release, or the release is of another Kubernetes version", () => {
    const withReleases = (amiReleaseVersions: Record<string, string>, kubernetesVersion = "1.33") => () =>
      new ManagedNodeGroups(stack(), "g", { clusterName: "t", partition: "aws", subnets, kubernetesVersion, amiReleaseVersions, volumeKeyArn: "k", groups: [system] });
    expect(withReleases({})).toThrow('amiReleaseVersions.AL2023_x86_64_STANDARD null (used by groups[0] system): no release pinned for AL2023_x86_64_STANDARD');
    expect(withReleases({ AL2023_x86_64_STANDARD: "1.32.13-20260714" })).toThrow("is a release for Kubernetes 1.32, but the cluster runs 1.33");
    expect(withReleases({ AL2023_x86_64_STANDARD: "v20260714" })).toThrow("must be an EKS AMI release version such as 1.33.13-20260714");
    expect(withReleases(AMI_RELEASES, "1.33.2")).toThrow('kubernetesVersion "1.33.2": must be major.minor');
  });
  test("reports every problem of every group at once", () => {
    expect(nodeGroups({ minSize: 1 }, { name: "spot", class: "spot", minSize: 0, desiredSize: 0 })).toThrow(/groups\[0\] \(system\)\.minSize[\s\S]*groups\[1\] \(spot\)\.instanceTypes/);
  });
});

describe("per-AZ fan-out", () => {
  test("spreads sizes over the zones, rounding up, never below the share of minSize", () => {
    expect(perZoneSizes({ ...system, minSize: 3, desiredSize: 4, maxSize: 9 }, 3)).toEqual({ minSize: 1, desiredSize: 2, maxSize: 3 });
    expect(perZoneSizes({ ...system, minSize: 0, desiredSize: 0, maxSize: 1 }, 3)).toEqual({ minSize: 0, desiredSize: 0, maxSize: 1 });
  });
});

describe("the cluster rejects bad settings", () => {
  test("throws when the public endpoint would be open to 0.0.0.0/0", () => {
    expect(cluster({ publicAccessCidrs: ["0.0.0.0/0"] })).toThrow('EksCluster test: publicAccessCidrs "0.0.0.0/0" must be specific CIDR blocks; the endpoint is never open to 0.0.0.0/0');
  });
  test("throws when the control plane subnets are in one AZ", () => {
    expect(cluster({ subnets: [subnets[0]!, { id: "subnet-x", availabilityZone: "us-east-1a" }] })).toThrow('subnets ["us-east-1a"] must span at least 2 availability zones');
  });
  test("throws when no admin role is given", () => {
    expect(cluster({ adminRoleArns: [] })).toThrow("adminRoleArns [] must name at least one role");
  });
  test("throws when the Kubernetes version is not major.minor", () => {
    expect(cluster({ kubernetesVersion: "1.33.2" })).toThrow('kubernetesVersion "1.33.2" must be major.minor');
  });
  test("throws when the log retention is not a CloudWatch period", () => {
    expect(cluster({ logRetentionDays: 100 })).toThrow("logRetentionDays 100 is not a CloudWatch retention period");
  });
  test("throws when the cluster name is not an EKS name", () => {
    expect(cluster({ clusterName: "1-cluster" })).toThrow('clusterName "1-cluster" must start with a letter');
  });
});

describe("IRSA roles, ingress and EFS reject bad settings", () => {
  const issuer = { providerArn: "arn:aws:iam::123456789012:oidc-provider/x", host: "oidc.example/id/X" };
  test("throws when the service account is not a Kubernetes name", () => {
    expect(() => new IrsaRole(stack(), "r", { roleName: "r", issuer, namespace: "kube-system", serviceAccount: "Bad_Name" })).toThrow(
      'IrsaRole r: serviceAccount "Bad_Name" is not a Kubernetes name',
    );
  });
  test("throws when a service account is listed twice", () => {
    expect(() => new IrsaRole(stack(), "r", { roleName: "r", issuer, namespace: "argocd", serviceAccount: "server", additionalServiceAccounts: ["repo", "server"] })).toThrow(
      'IrsaRole r: service account "server" is listed twice',
    );
  });
  test("throws when an additional service account is not a Kubernetes name", () => {
    expect(() => new IrsaRole(stack(), "r", { roleName: "r", issuer, namespace: "argocd", serviceAccount: "server", additionalServiceAccounts: ["Repo"] })).toThrow(
      'IrsaRole r: additionalServiceAccounts[0] "Repo" is not a Kubernetes name',
    );
  });
  test("throws when the role name is longer than IAM allows", () => {
    const roleName = "r".repeat(65);
    expect(() => new IrsaRole(stack(), "r", { roleName, issuer, namespace: "kube-system", serviceAccount: "aws-node" })).toThrow(
      `IrsaRole ${roleName}: roleName "${roleName}" is 65 characters; IAM allows 64`,
    );
  });
  test("throws when a TLS listener has no certificate", () => {
    expect(ingress({ protocol: "TLS" })).toThrow("RegionalIngress test: certificateArn undefined is required for a TLS listener");
  });
  test("throws when a port is out of range", () => {
    expect(ingress({ targetPort: 70000 })).toThrow("targetPort 70000 must be a port 1-65535");
  });
  test("throws when the NLB name is longer than ELB allows", () => {
    expect(ingress({ name: "x".repeat(33) })).toThrow("must be 1-32 letters");
  });
  test("throws when EFS would get two mount targets in one AZ", () => {
    expect(
      () => new SharedFileSystem(stack(), "efs", { name: "t", vpcId: "v", subnets: [subnets[0]!, subnets[0]!], clientSecurityGroupIds: ["sg"], kmsKeyArn: "k" }),
    ).toThrow("repeat an AZ; EFS allows one mount target per AZ");
  });
});
