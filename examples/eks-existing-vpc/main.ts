/**
 * An EKS cluster with managed node groups in a VPC that already exists (created by another team
 * or another Terraform configuration): the cluster and its nodes adopt the VPC's private subnets
 * by id and availability zone; nothing here creates or changes the VPC.
 */
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { EksCluster, ManagedNodeGroups, Network, type ManagedNodeGroupSpec, type ZonalSubnet } from "@meridian/constructs";

const REGION = "eu-central-1";
const ACCOUNT_ID = "123456789012";
const KUBERNETES_VERSION = "1.35";

/**
 * The existing VPC's private subnets, one or more per AZ (e.g. from `terraform output` of the
 * configuration that owns the VPC). Their route tables must reach ECR, STS and EC2 (NAT or VPC
 * endpoints), or nodes never join the cluster.
 */
const PRIVATE_SUBNETS: readonly ZonalSubnet[] = [
  { id: "subnet-0a1b2c3d4e5f60001", availabilityZone: "eu-central-1a" },
  { id: "subnet-0a1b2c3d4e5f60002", availabilityZone: "eu-central-1b" },
  { id: "subnet-0a1b2c3d4e5f60003", availabilityZone: "eu-central-1c" },
];

const NODE_GROUPS: readonly ManagedNodeGroupSpec[] = [
  {
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
  },
  {
    // Interruptible capacity for batch jobs, one group per AZ so the autoscaler can grow the zone
    // a pending pod needs; the taint keeps everything else off it.
    name: "batch",
    class: "spot",
    instanceTypes: ["m6i.xlarge", "m6a.xlarge", "m5.xlarge"],
    minSize: 0,
    desiredSize: 0,
    maxSize: 10,
    diskSizeGiB: 100,
    perAvailabilityZone: true,
    maxUnavailablePercentage: 50,
    labels: { "example.com/workload": "batch" },
    taints: [{ key: "example.com/batch", value: "true", effect: "NO_SCHEDULE" }],
    metadataHopLimit: 1,
  },
];

class EksInExistingVpcStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: REGION, allowedAccountIds: [ACCOUNT_ID] });
    const partition = new DataAwsPartition(this, "partition").partition;
    // Adopted, not created: the handle checks the subnets cover at least two AZs.
    const vpc = Network.fromNetworkAttributes(this, "vpc", { vpcId: "vpc-0a1b2c3d4e5f60000", vpcCidr: "10.20.0.0/16", privateSubnets: PRIVATE_SUBNETS });

    const cluster = new EksCluster(this, "cluster", {
      clusterName: "team-a",
      kubernetesVersion: KUBERNETES_VERSION,
      accountId: ACCOUNT_ID,
      partition,
      region: REGION,
      subnets: vpc.privateSubnets,
      adminRoleArns: [`arn:aws:iam::${ACCOUNT_ID}:role/team-a-admin`],
      // EKS add-on builds for Kubernetes 1.35; confirm each with
      // `aws eks describe-addon-versions --kubernetes-version 1.35 --addon-name <name>`.
      addonVersions: {
        vpcCni: "v1.22.3-eksbuild.1",
        coreDns: "v1.14.2-eksbuild.4",
        kubeProxy: "v1.35.3-eksbuild.2",
        ebsCsiDriver: "v1.66.0-eksbuild.1",
        efsCsiDriver: "v2.1.9-eksbuild.1",
        podIdentityAgent: "v1.3.9-eksbuild.1",
      },
      // The office egress range may reach the public endpoint; without it the endpoint is private only.
      publicAccessCidrs: ["203.0.113.0/24"],
      logRetentionDays: 30,
    });
    const nodes = new ManagedNodeGroups(this, "node-groups", {
      clusterName: cluster.clusterNameReference,
      partition,
      subnets: vpc.privateSubnets,
      groups: NODE_GROUPS,
      kubernetesVersion: KUBERNETES_VERSION,
      // The EKS-optimized AL2023 AMI release of 1.35 (amazon-eks-ami release v20260714).
      amiReleaseVersions: { AL2023_x86_64_STANDARD: "1.35.6-20260714" },
      volumeKeyArn: cluster.storageKey.arn,
      // Nodes become Ready only once the VPC CNI and kube-proxy run.
      dependsOn: cluster.networkingAddons,
    });
    // CoreDNS and the CSI drivers run as pods: they wait for the nodes.
    cluster.installWorkloadAddons(nodes.groups.map((g) => g.nodeGroup));

    new TerraformOutput(this, "cluster_name", { value: cluster.cluster.name });
    new TerraformOutput(this, "cluster_endpoint", { value: cluster.cluster.endpoint });
    new TerraformOutput(this, "node_groups", { value: nodes.groups.map((g) => g.nodeGroup.nodeGroupName) });
  }
}

const app = new App();
new EksInExistingVpcStack(app, "eks-existing-vpc");
app.synth();
