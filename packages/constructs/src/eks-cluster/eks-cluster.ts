import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Fn, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { LOG_RETENTION_DAYS } from "../core/aws-limits";
import { parseCidr } from "../core/cidr";
import { CustomerKey } from "../customer-key/customer-key";
import { EBS_CSI_DRIVER_MANAGED_POLICY, EFS_CSI_DRIVER_MANAGED_POLICY } from "./controller-policies";
import { IrsaRole, type OidcIssuer } from "./irsa-role";

/** The five control-plane log types; all are shipped (CKV_AWS_37). */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** Versions of the EKS managed add-ons, pinned per environment. */
export interface AddonVersions {
  readonly vpcCni: string;
  readonly coreDns: string;
  readonly kubeProxy: string;
  readonly ebsCsiDriver: string;
  readonly efsCsiDriver: string;
  readonly podIdentityAgent: string;
}

/** A subnet the control plane places its network interfaces in. */
export interface ClusterSubnet {
  readonly id: string;
  readonly availabilityZone: string;
}

export interface EksClusterProps {
  readonly clusterName: string;
  /** `major.minor`, e.g. `1.33`. */
  readonly kubernetesVersion: string;
  readonly accountId: string;
  /** AWS partition (a token from aws_partition is fine). */
  readonly partition: string;
  readonly region: string;
  /** Private subnets for the control plane's interfaces; at least 2 AZs. */
  readonly subnets: readonly ClusterSubnet[];
  /** IAM roles given AmazonEKSClusterAdminPolicy through access entries. */
  readonly adminRoleArns: readonly string[];
  readonly addonVersions: AddonVersions;
  /**
   * CIDRs allowed to reach the public endpoint; empty disables the public endpoint.
   * @default [] (private endpoint only)
   */
  readonly publicAccessCidrs?: readonly string[];
  /** Control-plane log retention in days. @default 90 */
  readonly logRetentionDays?: number;
  /** Kubernetes service CIDR. @default "172.20.0.0/16" */
  readonly serviceCidr?: string;
  /** @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * An EKS cluster as production needs it: secrets envelope-encrypted with a customer key, every
 * control-plane log type in a retention-bounded log group, a private endpoint (public only for
 * listed CIDRs), API-mode access entries instead of the aws-auth ConfigMap, an OIDC provider for
 * IRSA, zonal shift, and the EKS managed add-ons at pinned versions.
 *
 * Add-ons that need nodes to run (CoreDNS, the CSI drivers) are created by
 * {@link installWorkloadAddons} once node groups exist; the networking add-ons go first.
 */
export class EksCluster extends Construct {
  readonly cluster: EksClusterResource;
  readonly clusterName: string;
  readonly issuer: OidcIssuer;
  /** Security group EKS attaches to the control plane and managed nodes. */
  readonly clusterSecurityGroupId: string;
  /** Encrypts node root volumes, EBS persistent volumes and EFS. */
  readonly storageKey: CustomerKey;
  readonly secretsKey: CustomerKey;
  /** Add-ons nodes need before they become Ready. */
  readonly networkingAddons: EksAddon[];

  private readonly props: EksClusterProps;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    validate(props);
    this.props = props;
    this.clusterName = props.clusterName;
    const provider = props.provider;
    const publicCidrs = [...(props.publicAccessCidrs ?? [])];

    this.secretsKey = new CustomerKey(this, "secrets-key", {
      provider,
      alias: `${props.clusterName}-secrets`,
      description: `EKS secrets envelope encryption for ${props.clusterName}`,
      accountId: props.accountId,
      partition: props.partition,
    });
    this.storageKey = new CustomerKey(this, "storage-key", {
      provider,
      alias: `${props.clusterName}-storage`,
      description: `Node volumes, EBS and EFS volumes of ${props.clusterName}`,
      accountId: props.accountId,
      partition: props.partition,
      serviceStatements: [
        {
          // The pattern of the AWS-managed aws/ebs key: EC2 (and the Auto Scaling role that
          // launches managed nodes) may use the key for volumes of this account only.
          sid: "AllowEbsVolumesOfThisAccount",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: ["*"] }],
          actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
          resources: ["*"],
          condition: [
            { test: "StringEquals", variable: "kms:CallerAccount", values: [props.accountId] },
            { test: "StringEquals", variable: "kms:ViaService", values: [`ec2.${props.region}.amazonaws.com`] },
          ],
        },
      ],
    });

    const logGroup = new CloudwatchLogGroup(this, "control-plane-logs", {
      provider,
      // EKS writes to exactly this name; creating it first bounds its retention.
      name: `/aws/eks/${props.clusterName}/cluster`,
      retentionInDays: props.logRetentionDays ?? 90,
    });

    const role = this.clusterRole();
    this.cluster = new EksClusterResource(this, "cluster", {
      provider,
      name: props.clusterName,
      version: props.kubernetesVersion,
      roleArn: role.role.arn,
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      vpcConfig: {
        subnetIds: props.subnets.map((s) => s.id),
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs.length > 0,
        publicAccessCidrs: publicCidrs.length > 0 ? publicCidrs : undefined,
      },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: this.secretsKey.arn } },
      kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: props.serviceCidr ?? "172.20.0.0/16" },
      // Standard support only: extended support silently multiplies the control-plane price.
      upgradePolicy: { supportType: "STANDARD" },
      // Lets ARC zonal shift move traffic away from an impaired AZ.
      zonalShiftConfig: { enabled: true },
      // The managed add-ons below replace the self-managed defaults.
      bootstrapSelfManagedAddons: false,
      dependsOn: [logGroup, role.policy],
      tags: { Name: props.clusterName },
    });
    this.clusterSecurityGroupId = this.cluster.vpcConfig.clusterSecurityGroupId;

    for (const [index, principalArn] of props.adminRoleArns.entries()) {
      const entry = new EksAccessEntry(this, `admin-${index}`, { provider, clusterName: this.cluster.name, principalArn, type: "STANDARD" });
      new EksAccessPolicyAssociation(this, `admin-${index}-policy`, {
        provider,
        clusterName: this.cluster.name,
        principalArn: entry.principalArn,
        policyArn: `arn:${props.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
        accessScope: { type: "cluster" },
      });
    }

    const issuerUrl = this.cluster.identity.get(0).oidc.get(0).issuer;
    const oidc = new IamOpenidConnectProvider(this, "oidc-provider", {
      provider,
      url: issuerUrl,
      clientIdList: ["sts.amazonaws.com"],
      tags: { Name: `${props.clusterName}-irsa` },
    });
    this.issuer = { providerArn: oidc.arn, host: Fn.replace(issuerUrl, "https://", "") };

    const cniRole = new IrsaRole(this, "vpc-cni-role", {
      provider,
      roleName: `${props.clusterName}-vpc-cni`,
      issuer: this.issuer,
      namespace: "kube-system",
      serviceAccount: "aws-node",
      managedPolicyArns: [`arn:${props.partition}:iam::aws:policy/AmazonEKS_CNI_Policy`],
    });
    this.networkingAddons = [
      this.addon("vpc-cni", props.addonVersions.vpcCni, { serviceAccountRoleArn: cniRole.arn }),
      this.addon("kube-proxy", props.addonVersions.kubeProxy),
      this.addon("eks-pod-identity-agent", props.addonVersions.podIdentityAgent),
    ];
  }

  /**
   * CoreDNS and the EBS/EFS CSI drivers: they run as pods, so they wait for `nodes`
   * (an add-on created before any node exists never becomes ACTIVE).
   */
  installWorkloadAddons(nodes: ITerraformDependable[]): EksAddon[] {
    const { props } = this;
    const ebsRole = new IrsaRole(this, "ebs-csi-role", {
      provider: props.provider,
      roleName: `${props.clusterName}-ebs-csi`,
      issuer: this.issuer,
      namespace: "kube-system",
      serviceAccount: "ebs-csi-controller-sa",
      managedPolicyArns: [`arn:${props.partition}:iam::aws:policy/${EBS_CSI_DRIVER_MANAGED_POLICY}`],
      statements: [
        {
          sid: "EncryptVolumesWithTheStorageKey",
          effect: "Allow",
          actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
          resources: [this.storageKey.arn],
        },
        {
          sid: "GrantTheStorageKeyToEbsOnly",
          effect: "Allow",
          actions: ["kms:CreateGrant"],
          resources: [this.storageKey.arn],
          condition: [{ test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }],
        },
      ],
    });
    const efsRole = new IrsaRole(this, "efs-csi-role", {
      provider: props.provider,
      roleName: `${props.clusterName}-efs-csi`,
      issuer: this.issuer,
      namespace: "kube-system",
      serviceAccount: "efs-csi-controller-sa",
      managedPolicyArns: [`arn:${props.partition}:iam::aws:policy/${EFS_CSI_DRIVER_MANAGED_POLICY}`],
    });
    return [
      this.addon("coredns", props.addonVersions.coreDns, {
        dependsOn: nodes,
        configurationValues: JSON.stringify({
          replicaCount: 2,
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: "topology.kubernetes.io/zone",
              whenUnsatisfiable: "ScheduleAnyway",
              labelSelector: { matchLabels: { "k8s-app": "kube-dns" } },
            },
          ],
        }),
      }),
      this.addon("aws-ebs-csi-driver", props.addonVersions.ebsCsiDriver, { dependsOn: nodes, serviceAccountRoleArn: ebsRole.arn }),
      this.addon("aws-efs-csi-driver", props.addonVersions.efsCsiDriver, { dependsOn: nodes, serviceAccountRoleArn: efsRole.arn }),
    ];
  }

  private addon(
    name: string,
    version: string,
    extra: { serviceAccountRoleArn?: string; configurationValues?: string; dependsOn?: ITerraformDependable[] } = {},
  ): EksAddon {
    return new EksAddon(this, `addon-${name}`, {
      provider: this.props.provider,
      clusterName: this.cluster.name,
      addonName: name,
      addonVersion: version,
      // Take ownership on create; never overwrite settings someone changed in the cluster on update.
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "PRESERVE",
      ...extra,
    });
  }

  private clusterRole(): { role: IamRole; policy: IamRolePolicyAttachment } {
    const provider = this.props.provider;
    const trust = new DataAwsIamPolicyDocument(this, "cluster-role-trust", {
      provider,
      statement: [
        { effect: "Allow", actions: ["sts:AssumeRole", "sts:TagSession"], principals: [{ type: "Service", identifiers: ["eks.amazonaws.com"] }] },
      ],
    });
    const role = new IamRole(this, "cluster-role", { provider, name: `${this.props.clusterName}-cluster`, assumeRolePolicy: trust.json });
    const policy = new IamRolePolicyAttachment(this, "cluster-role-policy", {
      provider,
      role: role.name,
      policyArn: `arn:${this.props.partition}:iam::aws:policy/AmazonEKSClusterPolicy`,
    });
    return { role, policy };
  }
}

function validate(props: EksClusterProps): void {
  const fail = (setting: string, value: unknown, rule: string) => {
    throw new Error(`EksCluster ${props.clusterName}: ${setting} ${JSON.stringify(value)} ${rule}`);
  };
  if (!/^[a-zA-Z][a-zA-Z0-9_-]{0,99}$/.test(props.clusterName)) {
    fail("clusterName", props.clusterName, "must start with a letter and hold at most 100 letters, digits, '-' and '_'");
  }
  if (!/^1\.\d{2}$/.test(props.kubernetesVersion)) {
    fail("kubernetesVersion", props.kubernetesVersion, "must be major.minor, e.g. 1.33");
  }
  const zones = new Set(props.subnets.map((s) => s.availabilityZone));
  if (zones.size < 2) {
    fail("subnets", [...zones], "must span at least 2 availability zones so the control plane survives one AZ");
  }
  for (const cidr of props.publicAccessCidrs ?? []) {
    const block = parseCidr(cidr);
    if (!block || block.subnetMask === 0) {
      fail("publicAccessCidrs", cidr, "must be specific CIDR blocks; the endpoint is never open to 0.0.0.0/0");
    }
  }
  if (props.adminRoleArns.length === 0) {
    fail("adminRoleArns", props.adminRoleArns, "must name at least one role: with API authentication nobody else can administer the cluster");
  }
  const retention = props.logRetentionDays ?? 90;
  if (!LOG_RETENTION_DAYS.includes(retention)) {
    fail("logRetentionDays", retention, `is not a CloudWatch retention period (${LOG_RETENTION_DAYS.join(", ")})`);
  }
}
