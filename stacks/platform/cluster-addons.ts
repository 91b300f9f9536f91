import { Construct } from "constructs";
import { AwsLoadBalancerController } from "@meridian/constructs";
import type { TargetGroupBinding } from "@meridian/constructs";
import { ExternalDns } from "@meridian/constructs";
import { MetricsServer } from "@meridian/constructs";
import { NvidiaDevicePlugin } from "@meridian/constructs";
import { StorageClasses } from "@meridian/constructs";
import { PriorityClasses } from "@meridian/constructs";
import { WorkloadDefaults } from "@meridian/constructs";
import { tolerationsOf } from "./autoscaling";
import { controllerRoleArn, type PlatformContext } from "./platform-context";

/** What the cluster add-ons installed, for the other parts of the platform stack to depend on. */
export interface ClusterAddons {
  /** The platform's PriorityClasses; releases whose pods name one depend on `priorityClasses.all`. */
  readonly priorityClasses: PriorityClasses;
  readonly loadBalancerController: AwsLoadBalancerController;
  /** The ingress Service bound to the regional NLB's target group. */
  readonly ingressBinding: TargetGroupBinding;
  readonly metricsServer: MetricsServer;
  /** Only when the environment lists hosted zones for it. */
  readonly externalDns?: ExternalDns;
  /** Only when the environment has a GPU class (managed node group or Karpenter pool). */
  readonly nvidiaDevicePlugin?: NvidiaDevicePlugin;
  readonly storageClasses: StorageClasses;
  /** Kyverno and the workload-default policies. */
  readonly workloadDefaults: WorkloadDefaults;
}

/**
 * The cluster's own add-ons (issue 6, items 2 and 3 without autoscaling, GitOps or observability):
 * priority classes, the AWS Load Balancer Controller and the binding of the ingress Service to
 * the Terraform-owned NLB, metrics-server, external-dns, the NVIDIA device plugin on GPU nodes,
 * storage classes, and Kyverno with the workload defaults. Ordering is explicit: classes before the releases that use them, the
 * controller before its TargetGroupBinding, Kyverno before its policies.
 */
export function installClusterAddons(context: PlatformContext): ClusterAddons {
  const { environment, region, regional, clusterName } = context;
  const scope = new Construct(context.stack, "cluster-addons");

  const priorityClasses = new PriorityClasses(scope, "priority-classes");

  const loadBalancerController = new AwsLoadBalancerController(scope, "aws-load-balancer-controller", {
    clusterName,
    region: region.region,
    vpcId: regional.vpcId,
    roleArn: controllerRoleArn(context, "loadBalancerController"),
  });
  const ingressBinding = loadBalancerController.bindTargetGroup("ingress-binding", {
    targetGroupArn: regional.ingressTargetGroupArn,
    service: { ...environment.ingress.service, port: environment.ingress.targetPort },
    targetType: "ip",
    // No `networking`: the regional stack already admits the NLB's security group to the
    // cluster security group on the target port (Terraform-owned rule).
  });

  const metricsServer = new MetricsServer(scope, "metrics-server");

  const zones = environment.cluster.externalDnsHostedZoneIds;
  const externalDns =
    zones.length > 0
      ? new ExternalDns(scope, "external-dns", {
          txtOwnerId: clusterName,
          region: region.region,
          roleArn: controllerRoleArn(context, "externalDns"),
          hostedZoneIds: zones,
          dependsOn: priorityClasses.all,
        })
      : undefined;

  // GPU nodes advertise nvidia.com/gpu only once the device plugin runs on them.
  const gpuGroups = environment.nodeGroups.filter((g) => g.class === "gpu");
  const nvidiaDevicePlugin = gpuGroups.length > 0 ? new NvidiaDevicePlugin(scope, "nvidia-device-plugin", { tolerations: tolerationsOf(gpuGroups) }) : undefined;

  const storageClasses = new StorageClasses(scope, "storage-classes", {
    fileSystemId: regional.fileSystemId,
    ebsKmsKeyArn: regional.volumeKeyArn,
  });

  const workloadDefaults = new WorkloadDefaults(scope, "workload-defaults", { dependsOn: priorityClasses.all });

  return { priorityClasses, loadBalancerController, ingressBinding, metricsServer, externalDns, nvidiaDevicePlugin, storageClasses, workloadDefaults };
}

