import { Token, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { z } from "zod";
import { ManifestsRelease, type KubernetesManifest } from "../manifests-release";
import { DNS_1035_LABEL, DNS_SUBDOMAIN } from "../../core/kubernetes-formats";

/**
 * The TargetGroupBinding custom resource (`elbv2.k8s.aws/v1beta1`) as the controller's CRD
 * (v2.13) defines it, strict so a misspelt field fails here. No kubernetes-models package exists
 * for this group, so this schema is its check. Only the fields the CRD knows are accepted;
 * `serviceRef` is required, and one of `targetGroupARN` / `targetGroupName`.
 */
const dnsLabel = z.string().regex(DNS_1035_LABEL, { message: "must be a DNS label" }).max(63, { message: "must be at most 63 characters" });
const intOrString = z.union([z.int().min(1).max(65535), z.string().min(1)]);
const labelSelector = z.strictObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(z.strictObject({ key: z.string(), operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]), values: z.array(z.string()).optional() }))
    .optional(),
});
const networkingPeer = z.union([
  z.strictObject({ securityGroup: z.strictObject({ groupID: z.string().min(1) }) }),
  z.strictObject({ ipBlock: z.strictObject({ cidr: z.string().min(1) }) }),
]);
/** A token (before synthesis) or a Terraform expression (after) stands for a value known at apply time. */
const isReference = (value: string) => Token.isUnresolved(value) || /^\$\{[^{}]+\}$/.test(value);
const targetGroupArn = z.string().refine((value) => isReference(value) || /^arn:aws(-[a-z]+)*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[\w-]{1,32}\/[0-9a-f]+$/.test(value), {
  message: "must be an ELBv2 target group ARN (or a Terraform reference to one)",
});

export const TargetGroupBindingSchema = z.strictObject({
  apiVersion: z.literal("elbv2.k8s.aws/v1beta1"),
  kind: z.literal("TargetGroupBinding"),
  metadata: z.strictObject({
    name: z.string().regex(DNS_SUBDOMAIN, { message: "must be a DNS subdomain" }).max(253),
    namespace: dnsLabel,
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z
    .strictObject({
      targetGroupARN: targetGroupArn.optional(),
      targetGroupName: z.string().min(1).max(32).optional(),
      targetType: z.enum(["instance", "ip"]).optional(),
      serviceRef: z.strictObject({ name: dnsLabel, port: intOrString }),
      networking: z
        .strictObject({
          ingress: z.array(
            z.strictObject({
              from: z.array(networkingPeer).min(1, { message: "needs at least one peer" }),
              ports: z.array(z.strictObject({ port: intOrString.optional(), protocol: z.enum(["TCP", "UDP"]).optional() })),
            }),
          ),
        })
        .optional(),
      nodeSelector: labelSelector.optional(),
      ipAddressType: z.enum(["ipv4", "ipv6"]).optional(),
      vpcID: z.string().optional(),
      multiClusterTargetGroup: z.boolean().optional(),
      iamRoleArnToAssume: z.string().optional(),
      assumeRoleExternalId: z.string().optional(),
    })
    .refine((spec) => (spec.targetGroupARN === undefined) !== (spec.targetGroupName === undefined), {
      message: "needs exactly one of targetGroupARN and targetGroupName",
      path: ["targetGroupARN"],
    }),
});

export type TargetGroupBindingManifest = z.infer<typeof TargetGroupBindingSchema> & KubernetesManifest;

/** Checks a TargetGroupBinding against the CRD's schema; throws naming each bad field. */
export function validateTargetGroupBinding(manifest: unknown): TargetGroupBindingManifest {
  const result = TargetGroupBindingSchema.safeParse(manifest);
  if (!result.success) {
    const name = (manifest as { metadata?: { namespace?: string; name?: string } })?.metadata;
    const issues = result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
    throw new Error(`TargetGroupBinding ${name?.namespace ?? ""}/${name?.name ?? "(no name)"}: ${issues}`);
  }
  return result.data as TargetGroupBindingManifest;
}

export interface TargetGroupBindingProps {
  /** Object name. @default - the Service's name */
  readonly name?: string;
  /** ARN of the Terraform-owned target group (a cross-stack reference is fine). */
  readonly targetGroupArn: string;
  /** The Service whose endpoints become targets; the binding lives in its namespace. */
  readonly service: {
    /** The Service's namespace; the binding is created there (the controller only binds Services of its own namespace). */
    readonly namespace: string;
    /** The Service's name. */
    readonly name: string;
    /** A port of the Service (number or name); with IP targets the pods are registered on its targetPort. */
    readonly port: number | string;
  };
  /** Must match the target group's type. @default "ip" */
  readonly targetType?: "ip" | "instance";
  /**
   * Security groups the controller should admit to the targets on `port` (TGB `networking`).
   * Leave empty when Terraform already owns that rule (the regional ingress does): the controller
   * would otherwise try to add the same rule and fail on the duplicate.
   * @default - no networking rules; the controller changes no security group
   */
  readonly allowFromSecurityGroups?: { readonly groupIds: readonly string[]; readonly port: number | string };
  /** The controller's release (its CRD and webhooks must be in place first). */
  readonly dependsOn: ITerraformDependable[];
  /** The helm provider (cluster) the binding is installed with. @default - the stack's default helm provider */
  readonly provider?: TerraformProvider;
}

/**
 * Attaches a Service's pods to a Terraform-owned target group: a TargetGroupBinding delivered
 * through the in-repo manifests chart (no CRD needed at plan time), after the controller.
 */
export class TargetGroupBinding extends Construct {
  readonly manifest: TargetGroupBindingManifest;
  readonly release: ManifestsRelease;

  constructor(scope: Construct, id: string, props: TargetGroupBindingProps) {
    super(scope, id);
    const name = props.name ?? props.service.name;
    const fail = (setting: string, value: unknown, rule: string) => {
      throw new Error(`TargetGroupBinding ${props.service.namespace}/${name}: ${setting} ${JSON.stringify(value)} ${rule}`);
    };
    if (props.dependsOn.length === 0) {
      fail("dependsOn", [], "must name the load balancer controller's release: its CRD and webhook must exist first");
    }
    if (typeof props.service.port === "number" && (!Number.isInteger(props.service.port) || props.service.port < 1 || props.service.port > 65535)) {
      fail("service.port", props.service.port, "must be a port 1-65535 or a port name");
    }
    if (props.allowFromSecurityGroups && props.allowFromSecurityGroups.groupIds.length === 0) {
      fail("allowFromSecurityGroups.groupIds", [], "must name at least one security group (or leave allowFromSecurityGroups out)");
    }
    const manifest = {
      apiVersion: "elbv2.k8s.aws/v1beta1",
      kind: "TargetGroupBinding",
      metadata: { name, namespace: props.service.namespace },
      spec: {
        targetGroupARN: props.targetGroupArn,
        targetType: props.targetType ?? "ip",
        serviceRef: { name: props.service.name, port: props.service.port },
        ...(props.allowFromSecurityGroups
          ? {
              networking: {
                ingress: [
                  {
                    from: props.allowFromSecurityGroups.groupIds.map((groupID) => ({ securityGroup: { groupID } })),
                    ports: [{ protocol: "TCP" as const, port: props.allowFromSecurityGroups.port }],
                  },
                ],
              },
            }
          : {}),
      },
    };
    this.manifest = validateTargetGroupBinding(manifest);
    this.release = new ManifestsRelease(this, "manifests", {
      releaseName: `${name}-tgb`.slice(0, 53).replace(/-+$/, ""),
      namespace: props.service.namespace,
      manifests: [this.manifest],
      dependsOn: props.dependsOn,
      provider: props.provider,
    });
  }
}
