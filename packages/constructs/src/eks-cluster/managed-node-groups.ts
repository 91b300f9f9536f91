import { AutoscalingGroupTagA } from "@cdktf/provider-aws/lib/autoscaling-group-tag";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Token, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import type { z } from "zod";
import { propertyPath } from "../core/property-path";
import { NodeGroupSchema, type NodeGroupConfig } from "./node-group-spec";
import { NODE_CLASS_LABEL, amiReleaseVersionProblem, amiTypeOf, type EksAmiType } from "../core/eks-nodes";
import type { ZonalSubnet } from "../network/network";

/**
 * One class of managed nodes, as a caller writes it: `NodeGroupSchema`'s input, so fields with a
 * default (`metadataHopLimit`) may be left out. The construct parses it and builds from the
 * parsed {@link NodeGroupConfig}, defaults filled in.
 */
export type ManagedNodeGroupSpec = z.input<typeof NodeGroupSchema>;

/** Managed policies every node needs: join the cluster, pull images, be reachable by SSM. */
export const NODE_MANAGED_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly", "AmazonSSMManagedInstanceCore"] as const;

export interface ManagedNodeGroupsProps {
  /** The cluster the nodes join: `clusterNameReference` of an `IEksCluster`, so the groups wait for the cluster. */
  readonly clusterName: string;
  /** AWS partition (a token from aws_partition is fine). */
  readonly partition: string;
  /** Private subnets the nodes live in, one or more per AZ, with their zones; at least 2 AZs. */
  readonly subnets: readonly ZonalSubnet[];
  /** The classes of nodes, one spec each (names unique). */
  readonly groups: readonly ManagedNodeGroupSpec[];
  /**
   * Kubernetes `major.minor` of the nodes: the cluster's. Set on every group (`version`), so a
   * cluster upgrade rolls the groups after the control plane instead of leaving them behind.
   */
  readonly kubernetesVersion: string;
  /**
   * EKS-optimized AMI release per AMI type the groups use (`release_version`, e.g.
   * `1.33.13-20260714`), of `kubernetesVersion`. Pinned: nodes change only when it is raised.
   */
  readonly amiReleaseVersions: Readonly<Partial<Record<EksAmiType, string>>>;
  /** Customer key for the encrypted root volumes (e.g. `EksCluster.storageKey.arn`). */
  readonly volumeKeyArn: string;
  /** Resources nodes need first (the networking add-ons). @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** The AWS provider (region and account) the resources are created with. @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/** A node group as created, with the AZs it covers. */
export interface CreatedNodeGroup {
  /** The class it was made from. */
  readonly spec: NodeGroupConfig;
  /** The zones its subnets are in: one for a per-AZ group, all for a spanning one. */
  readonly availabilityZones: readonly string[];
  /** The `aws_eks_node_group` resource. */
  readonly nodeGroup: EksNodeGroup;
}

/** EKS node-group taint effects (`NO_SCHEDULE` …) as Kubernetes spells them (`NoSchedule` …). */
export const TAINT_EFFECT = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" } as const;

export { NODE_CLASS_LABEL, amiTypeOf };
/** Longest `node_group_name_prefix`: EKS names are at most 63 characters and the provider's unique suffix (terraform-plugin-sdk `id.UniqueIDSuffixLength`) takes 26. */
export const NODE_GROUP_NAME_PREFIX_MAX = 37;

/**
 * EKS managed node groups, one class per spec. A class spans every AZ's subnets, or fans out
 * to one group per AZ (`perAvailabilityZone`) so Cluster Autoscaler can grow the zone a zonal
 * volume needs. Launch templates enforce IMDSv2 (hop limit 1 unless the class says 2),
 * encrypted gp3 root volumes with the customer key, no SSH key and no public IP.
 * `desired_size` is ignored after creation so the autoscaler owns it. Every group runs the
 * cluster's Kubernetes version and a pinned AMI release: the launch templates name no AMI, so
 * EKS picks the EKS-optimized AMI of `version` and `release_version`, and a change of either is
 * an in-place rolling update (UpdateNodegroupVersion), not a replacement.
 */
export class ManagedNodeGroups extends Construct {
  /** The role every node of these groups runs with. */
  readonly nodeRole: IamRole;
  /** Every node group made, per class and (for per-AZ classes) per zone. */
  readonly groups: CreatedNodeGroup[] = [];

  constructor(scope: Construct, id: string, props: ManagedNodeGroupsProps) {
    super(scope, id);
    const specs = validate(`ManagedNodeGroups "${this.node.path}"`, props);
    const provider = props.provider;
    const zones = [...new Set(props.subnets.map((s) => s.availabilityZone))];

    const trust = new DataAwsIamPolicyDocument(this, "node-trust", {
      provider,
      statement: [{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }] }],
    });
    this.nodeRole = new IamRole(this, "node-role", { provider, name: `${props.clusterName}-node`, assumeRolePolicy: trust.json });
    const attachments = NODE_MANAGED_POLICIES.map(
      (policy) =>
        new IamRolePolicyAttachment(this, `node-${policy}`, {
          provider,
          role: this.nodeRole.name,
          policyArn: `arn:${props.partition}:iam::aws:policy/${policy}`,
        }),
    );

    for (const spec of specs) {
      const template = this.launchTemplate(props, spec);
      const placements = spec.perAvailabilityZone ? zones.map((az) => [az]) : [zones];
      for (const placement of placements) {
        const sizes = spec.perAvailabilityZone ? perZoneSizes(spec, zones.length) : spec;
        const suffix = spec.perAvailabilityZone ? `-${placement[0]}` : "";
        const nodeGroup = new EksNodeGroup(this, `${spec.name}${suffix}`, {
          provider,
          clusterName: props.clusterName,
          nodeGroupNamePrefix: `${spec.name}${suffix}-`,
          nodeRoleArn: this.nodeRole.arn,
          subnetIds: props.subnets.filter((s) => placement.includes(s.availabilityZone)).map((s) => s.id),
          amiType: amiTypeOf(spec),
          version: props.kubernetesVersion,
          releaseVersion: props.amiReleaseVersions[amiTypeOf(spec)],
          capacityType: spec.class === "spot" ? "SPOT" : "ON_DEMAND",
          instanceTypes: [...spec.instanceTypes],
          scalingConfig: { minSize: sizes.minSize, desiredSize: sizes.desiredSize, maxSize: sizes.maxSize },
          updateConfig: { maxUnavailablePercentage: spec.maxUnavailablePercentage },
          nodeRepairConfig: { enabled: true },
          labels: { ...spec.labels, [NODE_CLASS_LABEL]: spec.class },
          taint: spec.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
          launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
          dependsOn: [...attachments, ...(props.dependsOn ?? [])],
          lifecycle: {
            // The autoscaler owns desired_size; a prefix lets a replacement group come up first.
            ignoreChanges: ["scaling_config[0].desired_size"],
            createBeforeDestroy: true,
          },
          tags: { Name: `${props.clusterName}-${spec.name}${suffix}` },
        });
        this.groups.push({ spec, availabilityZones: placement, nodeGroup });
        this.scaleFromZeroTags(props, spec, nodeGroup, `${spec.name}${suffix}`);
      }
    }
  }

  private launchTemplate(props: ManagedNodeGroupsProps, spec: NodeGroupConfig): LaunchTemplate {
    const tags = { Name: `${props.clusterName}-${spec.name}` };
    return new LaunchTemplate(this, `${spec.name}-launch-template`, {
      provider: props.provider,
      namePrefix: `${props.clusterName}-${spec.name}-`,
      description: `${spec.class} nodes of ${props.clusterName}`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: spec.metadataHopLimit,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: {
            volumeSize: spec.diskSizeGiB,
            volumeType: "gp3",
            encrypted: "true",
            kmsKeyId: props.volumeKeyArn,
            deleteOnTermination: "true",
          },
        },
      ],
      monitoring: { enabled: true },
      tagSpecifications: [
        { resourceType: "instance", tags },
        { resourceType: "volume", tags },
      ],
      tags,
      lifecycle: { createBeforeDestroy: true },
    });
  }

  /**
   * Cluster Autoscaler scales a group from zero only if the ASG tells it the labels and taints
   * its nodes will have; EKS does not copy them to the ASG.
   */
  private scaleFromZeroTags(props: ManagedNodeGroupsProps, spec: NodeGroupConfig, nodeGroup: EksNodeGroup, id: string): void {
    const asgName = nodeGroup.resources.get(0).autoscalingGroups.get(0).name;
    const templateTags: [string, string][] = [
      ...Object.entries({ ...spec.labels, [NODE_CLASS_LABEL]: spec.class }).map(
        ([key, value]): [string, string] => [`k8s.io/cluster-autoscaler/node-template/label/${key}`, value],
      ),
      ...spec.taints.map((t): [string, string] => [`k8s.io/cluster-autoscaler/node-template/taint/${t.key}`, `${t.value ?? ""}:${TAINT_EFFECT[t.effect]}`]),
    ];
    templateTags.forEach(([key, value], index) =>
      new AutoscalingGroupTagA(this, `${id}-asg-tag-${index}`, {
        provider: props.provider,
        autoscalingGroupName: asgName,
        tag: { key, value, propagateAtLaunch: false },
      }),
    );
  }
}

/** Sizes of each per-AZ group: the class's sizes spread over the zones, rounded up. */
export function perZoneSizes(spec: ManagedNodeGroupSpec, zoneCount: number): { minSize: number; desiredSize: number; maxSize: number } {
  const share = (n: number) => Math.ceil(n / zoneCount);
  const minSize = share(spec.minSize);
  const maxSize = Math.max(1, share(spec.maxSize));
  return { minSize, desiredSize: Math.min(maxSize, Math.max(minSize, share(spec.desiredSize))), maxSize };
}

/** The groups parsed (defaults filled in), or every problem of the props at once. */
function validate(owner: string, props: ManagedNodeGroupsProps): NodeGroupConfig[] {
  const problems: string[] = [];
  const specs: NodeGroupConfig[] = [];
  props.groups.forEach((group, index) => {
    const parsed = NodeGroupSchema.safeParse(group);
    if (parsed.success) {
      specs.push(parsed.data);
    } else {
      parsed.error.issues.forEach((issue) =>
        problems.push(`groups[${index}] (${group.name}).${propertyPath(issue.path.filter((k): k is string | number => typeof k !== "symbol"))}: ${issue.message}`),
      );
    }
    const amiType = amiTypeOf(group);
    const release = props.amiReleaseVersions[amiType];
    const releaseProblem = release === undefined ? `no release pinned for ${amiType}` : Token.isUnresolved(props.kubernetesVersion) ? undefined : amiReleaseVersionProblem(release, props.kubernetesVersion);
    if (releaseProblem) {
      problems.push(`amiReleaseVersions.${amiType} ${JSON.stringify(release ?? null)} (used by groups[${index}] ${group.name}): ${releaseProblem}`);
    }
    if (props.groups.findIndex((g) => g.name === group.name) !== index) {
      problems.push(`groups[${index}].name "${group.name}": another group has this name`);
    }
    const longestZone = Math.max(...props.subnets.map((s) => s.availabilityZone.length));
    const prefix = `${group.name}${group.perAvailabilityZone ? `-${"x".repeat(longestZone)}` : ""}-`;
    if (prefix.length > NODE_GROUP_NAME_PREFIX_MAX) {
      problems.push(`groups[${index}].name "${group.name}": node group name prefix would be ${prefix.length} characters; EKS allows ${NODE_GROUP_NAME_PREFIX_MAX}`);
    }
  });
  if (!Token.isUnresolved(props.kubernetesVersion) && !/^1\.\d{2}$/.test(props.kubernetesVersion)) {
    problems.push(`kubernetesVersion "${props.kubernetesVersion}": must be major.minor, e.g. 1.33`);
  }
  if (new Set(props.subnets.map((s) => s.availabilityZone)).size < 2) {
    problems.push(`subnets: span ${new Set(props.subnets.map((s) => s.availabilityZone)).size} AZ; node groups need at least 2`);
  }
  if (problems.length > 0) {
    throw new Error(`${owner}:\n  - ${problems.join("\n  - ")}`);
  }
  return specs;
}
