import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Fn, Token, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { LOG_RETENTION_DAYS } from "../core/aws-limits";
import { isNetworkAddress, isPrivateBlock, nonPublicRangeIn, parseCidr } from "../core/cidr";
import { CustomerKey } from "../customer-key/customer-key";
import type { ZonalSubnet } from "../network/network";
import { EBS_CSI_DRIVER_MANAGED_POLICY, EFS_CSI_DRIVER_MANAGED_POLICY } from "./controller-policies";
import { IrsaRole, type OidcIssuer } from "./irsa-role";

/** The five control-plane log types; all are shipped (CKV_AWS_37). */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** Versions of the EKS managed add-ons (`addonVersion`, e.g. `v1.19.6-eksbuild.7`), pinned so every cluster runs the same bits. */
export interface AddonVersions {
  /** Amazon VPC CNI (`vpc-cni`). */
  readonly vpcCni: string;
  /** CoreDNS (`coredns`). */
  readonly coreDns: string;
  /** kube-proxy (`kube-proxy`); its minor version must be the cluster's. */
  readonly kubeProxy: string;
  /** EBS CSI driver (`aws-ebs-csi-driver`). */
  readonly ebsCsiDriver: string;
  /** EFS CSI driver (`aws-efs-csi-driver`). */
  readonly efsCsiDriver: string;
  /** EKS Pod Identity Agent (`eks-pod-identity-agent`). */
  readonly podIdentityAgent: string;
}

/** A subnet the control plane places its network interfaces in: its id and its zone. */
export type ClusterSubnet = ZonalSubnet;

/**
 * What add-ons, IRSA roles, node groups and platform stacks need to know about an EKS cluster.
 * {@link EksCluster} implements it; {@link EksCluster.fromClusterAttributes} adopts a cluster
 * made elsewhere.
 */
export interface IEksCluster {
  /** The cluster's name as written (known at synth time: used in names, tags and policy conditions). */
  readonly clusterName: string;
  /**
   * The cluster's name as a reference to the cluster resource where there is one, so a resource
   * that names it is created after the cluster; for an adopted cluster, `clusterName`.
   */
  readonly clusterNameReference: string;
  /** Kubernetes `major.minor` of the control plane, e.g. `1.33`. */
  readonly kubernetesVersion: string;
  /** URL of the Kubernetes API server. */
  readonly endpoint: string;
  /** Base64 PEM of the cluster's certificate authority. */
  readonly certificateAuthorityData: string;
  /** Security group EKS attaches to the control plane and to managed nodes. */
  readonly clusterSecurityGroupId: string;
  /** The cluster's IAM OIDC provider, which IRSA trust policies name. */
  readonly issuer: OidcIssuer;
  /** What a resource that uses the cluster must wait for: the cluster resource of an EksCluster, nothing for an adopted one. */
  readonly dependables: readonly ITerraformDependable[];
}

/** An existing EKS cluster, as {@link EksCluster.fromClusterAttributes} adopts it. */
export interface EksClusterAttributes {
  /** The cluster's name. */
  readonly clusterName: string;
  /** Kubernetes `major.minor` of the control plane, e.g. `1.33`. */
  readonly kubernetesVersion: string;
  /** URL of the Kubernetes API server. */
  readonly endpoint: string;
  /** Base64 PEM of the cluster's certificate authority. */
  readonly certificateAuthorityData: string;
  /** The cluster security group (`vpc_config[0].cluster_security_group_id`). */
  readonly clusterSecurityGroupId: string;
  /** ARN of the cluster's IAM OIDC provider (`arn:<partition>:iam::<account>:oidc-provider/<issuer host>`). */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer URL, with or without `https://`. */
  readonly oidcIssuerUrl: string;
}

/** Smallest prefix the public endpoint accepts: a /7 or wider block is a large share of the internet, not "the networks that need it". */
export const PUBLIC_ACCESS_MIN_PREFIX = 8;

/**
 * Why `cidr` cannot be a block of `publicAccessCidrs`, or `undefined`. EKS: "The block cannot
 * include reserved addresses" (EKS User Guide, "Configure network access to cluster API server
 * endpoint"), so no private, loopback, CGNAT, link-local, multicast or class-E address may be in
 * it (see NON_PUBLIC_RANGES); this library adds that the block is at least a /8, which also keeps
 * 0.0.0.0/0 (the EKS default) out.
 */
export function publicAccessCidrProblem(cidr: string): string | undefined {
  const block = parseCidr(cidr);
  if (!block) {
    return "must be an IPv4 CIDR block such as 203.0.113.0/24";
  }
  if (block.subnetMask < PUBLIC_ACCESS_MIN_PREFIX) {
    return `opens the API endpoint to a large part of the internet; list the networks that need it (/${PUBLIC_ACCESS_MIN_PREFIX} or longer)`;
  }
  const reserved = nonPublicRangeIn(block);
  if (reserved) {
    return `includes ${reserved.name} addresses (${reserved.cidr}), which EKS refuses for the public endpoint; reach the private endpoint from inside the VPC instead`;
  }
  return undefined;
}

/**
 * Why `cidr` cannot be the cluster's `serviceIpv4Cidr`, or `undefined`. EKS API
 * (KubernetesNetworkConfigRequest): inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, and
 * between /24 and /12. (It must also not overlap the VPC; only the caller knows every VPC.)
 */
export function serviceCidrProblem(cidr: string): string | undefined {
  const block = parseCidr(cidr);
  if (!block || !isNetworkAddress(block) || !isPrivateBlock(block) || block.subnetMask < 12 || block.subnetMask > 24) {
    return "must be an RFC 1918 network block from /12 to /24, such as 172.20.0.0/16";
  }
  return undefined;
}

/** EKS cluster names (CreateCluster `name`): a letter, then up to 99 letters, digits, '-' and '_'. */
export const EKS_CLUSTER_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{0,99}$/;

/** Kubernetes `major.minor` as EKS takes it (`version`). */
export const KUBERNETES_MINOR_VERSION = /^1\.\d{2}$/;

export interface EksClusterProps {
  /** The cluster's name; prefixes its keys, roles and log group. */
  readonly clusterName: string;
  /** `major.minor`, e.g. `1.33`. */
  readonly kubernetesVersion: string;
  /** The account the cluster is in: its keys trust this account only. */
  readonly accountId: string;
  /** AWS partition (a token from aws_partition is fine). */
  readonly partition: string;
  /** The cluster's region (the storage key admits EC2 of this region only). */
  readonly region: string;
  /** Private subnets for the control plane's interfaces, with their zones (e.g. `network.privateSubnets`); at least 2 AZs. */
  readonly subnets: readonly ZonalSubnet[];
  /** IAM roles given AmazonEKSClusterAdminPolicy through access entries; at least one. */
  readonly adminRoleArns: readonly string[];
  /** Versions of the EKS managed add-ons. */
  readonly addonVersions: AddonVersions;
  /**
   * CIDRs allowed to reach the public endpoint (see `publicAccessCidrProblem`); empty
   * disables the public endpoint.
   * @default [] (private endpoint only)
   */
  readonly publicAccessCidrs?: readonly string[];
  /** Control-plane log retention in days; one of CloudWatch's periods. @default 90 */
  readonly logRetentionDays?: number;
  /** Kubernetes service CIDR (see `serviceCidrProblem`); must not overlap the VPC. @default "172.20.0.0/16" */
  readonly serviceCidr?: string;
  /** The AWS provider (region and account) the resources are created with. @default - the stack's default AWS provider */
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
export class EksCluster extends Construct implements IEksCluster {
  /**
   * Adopts a cluster made elsewhere (a team's own cluster): IRSA roles, Karpenter's AWS side and
   * the add-ons take the result wherever they take an {@link IEksCluster}. Creates nothing.
   */
  static fromClusterAttributes(scope: Construct, id: string, attrs: EksClusterAttributes): IEksCluster {
    return new ImportedEksCluster(scope, id, attrs);
  }

  /** The `aws_eks_cluster` resource. */
  readonly cluster: EksClusterResource;
  /** The cluster's name as written. */
  readonly clusterName: string;
  /** The cluster's name as a reference to the cluster resource. */
  readonly clusterNameReference: string;
  /** Kubernetes `major.minor` of the control plane. */
  readonly kubernetesVersion: string;
  /** The cluster's IAM OIDC provider, for IRSA trust policies. */
  readonly issuer: OidcIssuer;
  /** Security group EKS attaches to the control plane and managed nodes. */
  readonly clusterSecurityGroupId: string;
  /** Encrypts node root volumes, EBS persistent volumes and EFS. */
  readonly storageKey: CustomerKey;
  /** Envelope-encrypts Kubernetes secrets. */
  readonly secretsKey: CustomerKey;
  /** Add-ons nodes need before they become Ready. */
  readonly networkingAddons: EksAddon[];

  private readonly props: EksClusterProps;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    validate(props);
    this.props = props;
    this.clusterName = props.clusterName;
    this.kubernetesVersion = props.kubernetesVersion;
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
    this.clusterNameReference = this.cluster.name;

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

  /** URL of the Kubernetes API server. */
  get endpoint(): string {
    return this.cluster.endpoint;
  }

  /** Base64 PEM of the cluster's certificate authority. */
  get certificateAuthorityData(): string {
    return this.cluster.certificateAuthority.get(0).data;
  }

  /** The cluster resource: what uses the cluster waits for it. */
  get dependables(): readonly ITerraformDependable[] {
    return [this.cluster];
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

/** A cluster created elsewhere, adopted by {@link EksCluster.fromClusterAttributes}; it creates nothing. */
class ImportedEksCluster extends Construct implements IEksCluster {
  readonly clusterName: string;
  readonly clusterNameReference: string;
  readonly kubernetesVersion: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  readonly clusterSecurityGroupId: string;
  readonly issuer: OidcIssuer;
  readonly dependables: readonly ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, attrs: EksClusterAttributes) {
    super(scope, id);
    const fail = (setting: string, value: unknown, rule: string): never => {
      throw new Error(`EksCluster.fromClusterAttributes "${id}": ${setting} = ${JSON.stringify(value)} ${rule}`);
    };
    const literal = (value: string) => !Token.isUnresolved(value);
    if (literal(attrs.clusterName) && !EKS_CLUSTER_NAME.test(attrs.clusterName)) {
      fail("clusterName", attrs.clusterName, "must start with a letter and hold at most 100 letters, digits, '-' and '_'");
    }
    if (literal(attrs.kubernetesVersion) && !KUBERNETES_MINOR_VERSION.test(attrs.kubernetesVersion)) {
      fail("kubernetesVersion", attrs.kubernetesVersion, "must be major.minor, e.g. 1.33");
    }
    if (literal(attrs.oidcProviderArn) && !/^arn:aws(-[a-z]+)*:iam::\d{12}:oidc-provider\/.+$/.test(attrs.oidcProviderArn)) {
      fail("oidcProviderArn", attrs.oidcProviderArn, "must be an IAM OIDC provider ARN (arn:<partition>:iam::<account>:oidc-provider/<issuer host>)");
    }
    this.clusterName = attrs.clusterName;
    this.clusterNameReference = attrs.clusterName;
    this.kubernetesVersion = attrs.kubernetesVersion;
    this.endpoint = attrs.endpoint;
    this.certificateAuthorityData = attrs.certificateAuthorityData;
    this.clusterSecurityGroupId = attrs.clusterSecurityGroupId;
    const host = literal(attrs.oidcIssuerUrl) ? attrs.oidcIssuerUrl.replace(/^https:\/\//, "") : Fn.replace(attrs.oidcIssuerUrl, "https://", "");
    this.issuer = { providerArn: attrs.oidcProviderArn, host };
  }
}

function validate(props: EksClusterProps): void {
  const fail = (setting: string, value: unknown, rule: string): never => {
    throw new Error(`EksCluster "${props.clusterName}": ${setting} = ${JSON.stringify(value)} ${rule}`);
  };
  if (!EKS_CLUSTER_NAME.test(props.clusterName)) {
    fail("clusterName", props.clusterName, "must start with a letter and hold at most 100 letters, digits, '-' and '_'");
  }
  if (!KUBERNETES_MINOR_VERSION.test(props.kubernetesVersion)) {
    fail("kubernetesVersion", props.kubernetesVersion, "must be major.minor, e.g. 1.33");
  }
  const zones = new Set(props.subnets.map((s) => s.availabilityZone));
  if (zones.size < 2) {
    fail("subnets", [...zones], "must span at least 2 availability zones so the control plane survives one AZ");
  }
  (props.publicAccessCidrs ?? []).forEach((cidr, index) => {
    const problem = publicAccessCidrProblem(cidr);
    if (problem) {
      fail(`publicAccessCidrs[${index}]`, cidr, problem);
    }
  });
  if (props.serviceCidr !== undefined) {
    const problem = serviceCidrProblem(props.serviceCidr);
    if (problem) {
      fail("serviceCidr", props.serviceCidr, problem);
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
