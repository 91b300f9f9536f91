import type { INodeSelectorRequirement } from "kubernetes-models/v1/NodeSelectorRequirement";
import type { IToleration } from "kubernetes-models/v1/Toleration";
import { Construct } from "constructs";
import type { NodeGroupConfig } from "@meridian/constructs";
import { ClusterAutoscaler } from "@meridian/constructs";
import { Karpenter } from "@meridian/constructs";
import { NODE_CLASS_LABEL, TAINT_EFFECT } from "@meridian/constructs";
import { amiTypeOf, karpenterAmiAlias } from "@meridian/constructs";
import { NodeTerminationHandler } from "@meridian/constructs";
import { controllerRoleArn, type PlatformContext } from "./platform-context";

/** What the autoscaling part installed: Karpenter, or Cluster Autoscaler with the Node Termination Handler. */
export interface Autoscaling {
  readonly autoscaler: "karpenter" | "cluster-autoscaler";
  readonly karpenter?: Karpenter;
  readonly clusterAutoscaler?: ClusterAutoscaler;
  readonly nodeTerminationHandler?: NodeTerminationHandler;
  /**
   * The one component that reads the cluster's interruption queue. SQS hands each message to a
   * single reader, so a second reader would make each miss about half the interruptions.
   */
  readonly interruptionQueueReader: "karpenter" | "aws-node-termination-handler";
}


/**
 * Node autoscaling and interruption handling (issue 6, item 2), following
 * `environment.cluster.autoscaler` and the AWS side the regional stack built for it:
 * - `karpenter`: the Karpenter controller (IRSA, interruption queue) on the system managed nodes,
 *   and a NodePool + EC2NodeClass per catalogue node group;
 * - `cluster-autoscaler`: Cluster Autoscaler over the managed node groups, and the Node
 *   Termination Handler in queue mode.
 * Either way exactly one component reads the interruption queue. The controllers run only on the
 * system managed node group (`node.meridian.io/class=system`), never on capacity they remove.
 */
export function installAutoscaling(context: PlatformContext): Autoscaling {
  const { environment, region, regional, clusterName } = context;
  const scope = new Construct(context.stack, "autoscaling");
  const where = `installAutoscaling ${context.stack.node.id}`;

  const systemGroups = environment.nodeGroups.filter((g) => g.class === "system");
  if (systemGroups.length === 0) {
    throw new Error(`${where}: environment ${environment.name} has no node group of class "system"; the autoscaler must run on capacity it does not manage`);
  }
  const nodeAffinity: INodeSelectorRequirement[] = [{ key: NODE_CLASS_LABEL, operator: "In", values: ["system"] }];
  const tolerations = tolerationsOf(systemGroups);

  if (environment.cluster.autoscaler === "karpenter") {
    const aws = regional.karpenterRoles;
    if (!aws) {
      throw new Error(`${where}: environment ${environment.name} uses Karpenter, but regional stack ${regional.stackName} has no karpenterRoles (its KarpenterAwsResources: controller role, node role)`);
    }
    const karpenter = new Karpenter(scope, "karpenter", {
      clusterName,
      clusterEndpoint: regional.cluster.endpoint,
      controllerRoleArn: aws.controllerRoleArn,
      interruptionQueueName: regional.interruptionQueueName,
      nodeRoleName: aws.nodeRoleName,
      securityGroupIds: [regional.cluster.clusterSecurityGroupId],
      volumeKmsKeyArn: regional.volumeKeyArn,
      availabilityZones: region.availabilityZones,
      nodePools: environment.nodeGroups,
      // The release the managed system nodes are pinned to (the catalogue requires that pin).
      amiAlias: karpenterAmiAlias(environment.nodeAmiReleaseVersions[amiTypeOf(systemGroups[0]!)]!),
      controllerNodeAffinity: nodeAffinity,
      controllerTolerations: tolerations,
    });
    return { autoscaler: "karpenter", karpenter, interruptionQueueReader: "karpenter" };
  }

  const clusterAutoscaler = new ClusterAutoscaler(scope, "cluster-autoscaler", {
    clusterName,
    region: region.region,
    kubernetesVersion: environment.kubernetesVersion,
    roleArn: controllerRoleArn(context, "clusterAutoscaler"),
    nodeGroups: environment.nodeGroups,
    availabilityZones: region.availabilityZones,
    nodeAffinity,
    tolerations,
  });
  const nodeTerminationHandler = new NodeTerminationHandler(scope, "node-termination-handler", {
    clusterName,
    region: region.region,
    queueUrl: regional.interruptionQueueUrl,
    roleArn: controllerRoleArn(context, "nodeTerminationHandler"),
    nodeAffinity,
    tolerations,
  });
  return { autoscaler: "cluster-autoscaler", clusterAutoscaler, nodeTerminationHandler, interruptionQueueReader: "aws-node-termination-handler" };
}

/** Tolerations for every taint of the given node groups (each distinct taint once). */
export function tolerationsOf(groups: readonly NodeGroupConfig[]): IToleration[] {
  const seen = new Set<string>();
  return groups
    .flatMap((g) => g.taints)
    .filter((t) => {
      const key = `${t.key}=${t.value ?? ""}:${t.effect}`;
      return !seen.has(key) && seen.add(key) !== undefined;
    })
    .map((t) => (t.value === undefined ? { key: t.key, operator: "Exists", effect: TAINT_EFFECT[t.effect] } : { key: t.key, operator: "Equal", value: t.value, effect: TAINT_EFFECT[t.effect] }));
}

