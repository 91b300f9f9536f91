import { z } from "zod";
import {
  EKS_TAINTS_PER_NODE_GROUP,
  NODE_CLASS_LABEL,
  isGravitonType,
  nodeGroupLabelProblem,
  nodeGroupTaintProblem,
} from "../core/eks-nodes";

/**
 * The shape and rules of one class of managed nodes. The construct validates its props with it,
 * and an application's own configuration schema can embed it, so both apply the same rules.
 */

/** Instance families with NVIDIA GPUs that the EKS AL2023 NVIDIA AMI supports. */
export const GPU_INSTANCE_FAMILIES = ["g4dn", "g5", "g6", "g6e", "gr6", "p3", "p4d", "p4de", "p5", "p5e", "p5en"] as const;

/** A lower-case DNS label of at most `max` characters, with separate messages for the characters and the length. */
export const dnsLabelSchema = (max: number) =>
  z
    .string()
    // The characters only: the length has its own message below.
    .regex(/^[a-z]([a-z0-9-]*[a-z0-9])?$/, {
      message: "must be lower-case letters, digits and '-', start with a letter and not end with '-'",
    })
    .max(max, { message: `must be at most ${max} characters` });

const instanceType = z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { message: "must be an EC2 instance type such as m6i.large" });

const taint = z.strictObject({
  /** Label-key syntax, at most 63 characters (EKS `taintKey`). */
  key: z.string(),
  /** Label-value syntax. @default - no value */
  value: z.string().optional(),
  effect: z.enum(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]),
});

export const NodeGroupSchema = z
  .strictObject({
    /** Unique within the environment; prefixes the node group name (EKS allows 37 characters with the AZ). */
    name: dnsLabelSchema(16),
    /** `system`: on-demand general capacity; `spot`: interruptible; `gpu`: NVIDIA accelerated. */
    class: z.enum(["system", "spot", "gpu"]),
    instanceTypes: z.array(instanceType).min(1, { message: "at least one instance type is required" }),
    minSize: z.int().min(0, { message: "must be >= 0" }),
    desiredSize: z.int().min(0, { message: "must be >= 0" }),
    maxSize: z.int().min(1, { message: "must be >= 1" }).max(1000, { message: "must be <= 1000" }),
    /** Root volume size (encrypted gp3). */
    diskSizeGiB: z.int().min(20, { message: "must be >= 20 GiB" }).max(16384, { message: "must be <= 16384 GiB" }),
    /** One node group per AZ instead of one spanning all AZs (zonal EBS workloads, Cluster Autoscaler). */
    perAvailabilityZone: z.boolean(),
    /** Share of nodes replaced at once during updates. */
    maxUnavailablePercentage: z.int().min(1, { message: "must be 1-100" }).max(100, { message: "must be 1-100" }),
    /**
     * Node labels (Kubernetes label syntax, at most 63-character keys, non-empty values, no
     * `kubernetes.io/`, `k8s.io/` or `eks.amazonaws.com/`). The class label is set from `class`.
     */
    labels: z.record(z.string(), z.string()),
    taints: z.array(taint).max(EKS_TAINTS_PER_NODE_GROUP, { message: `must be at most ${EKS_TAINTS_PER_NODE_GROUP} taints (the EKS limit per node group)` }),
    /** IMDS hop limit: 1 keeps pods off the node's credentials; 2 only for pods that need IMDS. @default 1 */
    metadataHopLimit: z.union([z.literal(1), z.literal(2)], { message: "must be 1, or 2 where pods need IMDS" }).default(1),
    /**
     * The group's size in the surviving region while the other region is evacuated: the
     * evacuation procedure raises the live group's minimum and maximum (and, with Karpenter, the
     * pool's CPU limit) to these, and the fail-back lowers them again. The construct only carries
     * the value; it does not act on it. @default - the group keeps its size
     */
    evacuation: z
      .strictObject({
        minSize: z.int().min(0, { message: "must be >= 0" }),
        maxSize: z.int().min(1, { message: "must be >= 1" }).max(1000, { message: "must be <= 1000" }),
      })
      .optional(),
  })
  .superRefine((group, ctx) => {
    for (const [key, value] of Object.entries(group.labels)) {
      const problem =
        key === NODE_CLASS_LABEL && value !== group.class
          ? `is set from class ("${group.class}"); remove it or give it the class's value`
          : nodeGroupLabelProblem(key, value);
      if (problem) {
        ctx.addIssue({ code: "custom", path: ["labels", key], message: problem });
      }
    }
    group.taints.forEach((t, index) => {
      const problem = nodeGroupTaintProblem(t.key, t.value);
      if (problem) {
        ctx.addIssue({ code: "custom", path: ["taints", index], message: problem });
      }
    });
    if (group.evacuation) {
      const evacuation = group.evacuation;
      if (evacuation.minSize < group.minSize) {
        ctx.addIssue({ code: "custom", path: ["evacuation", "minSize"], message: `must be >= minSize (${group.minSize}): an evacuation never shrinks the surviving region` });
      }
      if (evacuation.maxSize < group.maxSize) {
        ctx.addIssue({ code: "custom", path: ["evacuation", "maxSize"], message: `must be >= maxSize (${group.maxSize}): an evacuation never shrinks the surviving region` });
      }
      if (evacuation.minSize > evacuation.maxSize) {
        ctx.addIssue({ code: "custom", path: ["evacuation", "minSize"], message: `must be <= evacuation.maxSize (${evacuation.maxSize})` });
      }
    }
    if (group.minSize > group.maxSize) {
      ctx.addIssue({ code: "custom", path: ["minSize"], message: `must be <= maxSize (${group.maxSize})` });
    }
    if (group.desiredSize < group.minSize || group.desiredSize > group.maxSize) {
      ctx.addIssue({
        code: "custom",
        path: ["desiredSize"],
        message: `must lie between minSize (${group.minSize}) and maxSize (${group.maxSize})`,
      });
    }
    if (group.class === "spot" && group.instanceTypes.length < 2) {
      ctx.addIssue({
        code: "custom",
        path: ["instanceTypes"],
        message: "a spot node group needs at least 2 instance types so one exhausted spot pool does not stop scaling",
      });
    }
    const arm = group.instanceTypes.map(isGravitonType);
    if (arm.some((a) => a !== arm[0])) {
      ctx.addIssue({ code: "custom", path: ["instanceTypes"], message: "mixes Graviton (arm64) and x86_64 instance types; one AMI cannot serve both" });
    }
    if (group.class === "gpu") {
      if (!group.taints.some((t) => t.key === "nvidia.com/gpu" && t.effect === "NO_SCHEDULE")) {
        ctx.addIssue({
          code: "custom",
          path: ["taints"],
          message: "a gpu node group needs the taint nvidia.com/gpu (NO_SCHEDULE) so only pods asking for GPUs land on GPU nodes",
        });
      }
      group.instanceTypes.forEach((type, index) => {
        const family = type.split(".")[0] ?? "";
        if (!(GPU_INSTANCE_FAMILIES as readonly string[]).includes(family)) {
          ctx.addIssue({
            code: "custom",
            path: ["instanceTypes", index],
            message: `is not an NVIDIA GPU instance type; gpu node groups take ${GPU_INSTANCE_FAMILIES.join(", ")}`,
          });
        }
      });
    }
    if (group.class === "system" && group.minSize < 2) {
      ctx.addIssue({
        code: "custom",
        path: ["minSize"],
        message: "system capacity must keep at least 2 nodes so losing one node or AZ leaves the cluster's own pods running",
      });
    }
  });

/** One class of managed nodes (the parsed form: defaults applied). */
export type NodeGroupConfig = z.infer<typeof NodeGroupSchema>;
