import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { EksCluster, IrsaRole, ManagedNodeGroups, Network, loadBalancerControllerStatements } from "@meridian/constructs";

/** An EKS cluster with one system node group in an existing VPC, and an IRSA role for a controller. */
export class EksClusterExample extends TerraformStack {
  readonly cluster: EksCluster;
  readonly nodeGroups: ManagedNodeGroups;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    const network = Network.fromNetworkAttributes(this, "vpc", {
      vpcId: "vpc-0abc1234def567890",
      vpcCidr: "10.30.0.0/16",
      privateSubnets: [
        { id: "subnet-0aaa1111bbbb2222c", availabilityZone: "eu-west-1a" },
        { id: "subnet-0ddd3333eeee4444f", availabilityZone: "eu-west-1b" },
      ],
    });
    this.cluster = new EksCluster(this, "cluster", {
      clusterName: "team-a",
      kubernetesVersion: "1.33",
      accountId: "123456789012",
      partition: "aws",
      region: "eu-west-1",
      subnets: network.privateSubnets,
      adminRoleArns: ["arn:aws:iam::123456789012:role/team-a-admin"],
      addonVersions: {
        vpcCni: "v1.19.6-eksbuild.7",
        coreDns: "v1.12.1-eksbuild.2",
        kubeProxy: "v1.33.0-eksbuild.2",
        ebsCsiDriver: "v1.45.0-eksbuild.2",
        efsCsiDriver: "v2.1.9-eksbuild.1",
        podIdentityAgent: "v1.3.7-eksbuild.2",
      },
    });
    this.nodeGroups = new ManagedNodeGroups(this, "node-groups", {
      clusterName: this.cluster.clusterNameReference,
      partition: "aws",
      subnets: network.privateSubnets,
      kubernetesVersion: this.cluster.kubernetesVersion,
      amiReleaseVersions: { AL2023_x86_64_STANDARD: "1.33.13-20260714" },
      volumeKeyArn: this.cluster.storageKey.arn,
      dependsOn: this.cluster.networkingAddons,
      groups: [
        {
          name: "system",
          class: "system",
          instanceTypes: ["m6i.large"],
          minSize: 2,
          desiredSize: 2,
          maxSize: 4,
          diskSizeGiB: 50,
          perAvailabilityZone: false,
          maxUnavailablePercentage: 33,
          labels: {},
          taints: [],
          metadataHopLimit: 1,
        },
      ],
    });
    // CoreDNS and the CSI drivers run as pods: they wait for the nodes.
    this.cluster.installWorkloadAddons(this.nodeGroups.groups.map((g) => g.nodeGroup));
    new IrsaRole(this, "load-balancer-controller", {
      roleName: "team-a-load-balancer-controller",
      issuer: this.cluster.issuer,
      namespace: "kube-system",
      serviceAccount: "aws-load-balancer-controller",
      statements: loadBalancerControllerStatements({ partition: "aws", accountId: "123456789012", region: "eu-west-1", clusterName: "team-a" }),
    });
  }
}
