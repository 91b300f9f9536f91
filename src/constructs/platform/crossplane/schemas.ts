import { z } from "zod";
import { DNS_SUBDOMAIN } from "../../../kubernetes-formats";

/**
 * Schemas of the Crossplane objects the hub renders, strict so a misspelt field fails at synth
 * instead of on the cluster. No kubernetes-models package exists for Crossplane's API groups
 * (`pkg.crossplane.io`, `apiextensions.crossplane.io`) nor for the AWS provider's
 * (`*.aws.upbound.io`), so these are their check. Each covers the fields of the CRD (Crossplane
 * 1.20, provider-upjet-aws v1.23) that this code base uses or could reasonably use; a field the
 * CRD has but the schema lacks is rejected too, which errs on the safe side: add it here first.
 *
 * The managed-resource schemas describe the objects inside the XCluster composition's template,
 * where a value may be a Go-template expression instead of a literal.
 */

const dnsSubdomain = z
  .string()
  .regex(DNS_SUBDOMAIN, { message: "must be a DNS subdomain (lower-case alphanumerics, '-', '.')" })
  .max(253, { message: "must be at most 253 characters" });
const stringMap = z.record(z.string(), z.string());

/** Metadata of a cluster-scoped object. */
const clusterScopedMetadata = z.strictObject({ name: dnsSubdomain, labels: stringMap.optional(), annotations: stringMap.optional() });

/** A fully qualified package reference with a tag: registry host, repository and version (Crossplane v2 refuses short names). */
const packageReference = z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}(:\d+)?\/[a-z0-9._/-]+:v\d+\.\d+\.\d+$/, {
  message: "must be a fully qualified, pinned package such as xpkg.crossplane.io/crossplane-contrib/provider-aws-eks:v1.23.0",
});

const packageSpec = {
  package: packageReference,
  packagePullPolicy: z.enum(["Always", "Never", "IfNotPresent"]).optional(),
  revisionActivationPolicy: z.enum(["Automatic", "Manual"]).optional(),
  revisionHistoryLimit: z.int().min(0).optional(),
  skipDependencyResolution: z.boolean().optional(),
  runtimeConfigRef: z.strictObject({ apiVersion: z.string().optional(), kind: z.string().optional(), name: dnsSubdomain }).optional(),
};

export const ProviderSchema = z.strictObject({
  apiVersion: z.literal("pkg.crossplane.io/v1"),
  kind: z.literal("Provider"),
  metadata: clusterScopedMetadata,
  spec: z.strictObject(packageSpec),
});

export const FunctionSchema = z.strictObject({
  apiVersion: z.literal("pkg.crossplane.io/v1beta1"),
  kind: z.literal("Function"),
  metadata: clusterScopedMetadata,
  spec: z.strictObject(packageSpec),
});

export const DeploymentRuntimeConfigSchema = z.strictObject({
  apiVersion: z.literal("pkg.crossplane.io/v1beta1"),
  kind: z.literal("DeploymentRuntimeConfig"),
  metadata: clusterScopedMetadata,
  spec: z.strictObject({
    serviceAccountTemplate: z
      .strictObject({ metadata: z.strictObject({ name: dnsSubdomain.optional(), labels: stringMap.optional(), annotations: stringMap.optional() }) })
      .optional(),
    // Deployment and Service templates are Kubernetes objects of their own; not used here.
    deploymentTemplate: z.record(z.string(), z.unknown()).optional(),
    serviceTemplate: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const AwsProviderConfigSchema = z.strictObject({
  apiVersion: z.literal("aws.upbound.io/v1beta1"),
  kind: z.literal("ProviderConfig"),
  metadata: clusterScopedMetadata,
  spec: z.strictObject({
    credentials: z.strictObject({
      source: z.enum(["IRSA", "PodIdentity", "WebIdentity", "Secret", "Upbound"]),
      secretRef: z.strictObject({ name: z.string(), namespace: z.string(), key: z.string() }).optional(),
    }),
    assumeRoleChain: z.array(z.strictObject({ roleARN: z.string(), externalID: z.string().optional(), tags: z.array(z.unknown()).optional() })).optional(),
  }),
});

/** The subset of OpenAPI v3 a CRD (and so an XRD) schema accepts, strict so `propertis` fails. */
export interface JsonSchema {
  readonly type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly enum?: readonly (string | number)[];
  readonly default?: unknown;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly "x-kubernetes-validations"?: readonly { readonly rule: string; readonly message?: string }[];
}

const jsonSchemaType = z.enum(["object", "array", "string", "integer", "number", "boolean"]);

export const JsonSchemaSchema: z.ZodType<JsonSchema> = z.lazy(() =>
  z.strictObject({
    type: jsonSchemaType.optional(),
    description: z.string().optional(),
    properties: z.record(z.string(), JsonSchemaSchema).optional(),
    required: z.array(z.string()).optional(),
    items: JsonSchemaSchema.optional(),
    enum: z.array(z.union([z.string(), z.number()])).optional(),
    default: z.unknown().optional(),
    pattern: z.string().optional(),
    minLength: z.int().min(0).optional(),
    maxLength: z.int().min(0).optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    minItems: z.int().min(0).optional(),
    maxItems: z.int().min(0).optional(),
    "x-kubernetes-validations": z.array(z.strictObject({ rule: z.string().min(1), message: z.string().optional() })).optional(),
  }),
);

const kindName = z.string().regex(/^[A-Z][A-Za-z0-9]*$/, { message: "must be a CamelCase kind" });
const plural = z.string().regex(/^[a-z][a-z0-9]*$/, { message: "must be a lower-case plural" });

export const CompositeResourceDefinitionSchema = z
  .strictObject({
    apiVersion: z.literal("apiextensions.crossplane.io/v1"),
    kind: z.literal("CompositeResourceDefinition"),
    metadata: clusterScopedMetadata,
    spec: z.strictObject({
      group: dnsSubdomain,
      names: z.strictObject({ kind: kindName, plural, singular: plural.optional(), categories: z.array(z.string()).optional() }),
      claimNames: z.strictObject({ kind: kindName, plural, singular: plural.optional(), categories: z.array(z.string()).optional() }).optional(),
      defaultCompositionRef: z.strictObject({ name: dnsSubdomain }).optional(),
      enforcedCompositionRef: z.strictObject({ name: dnsSubdomain }).optional(),
      connectionSecretKeys: z.array(z.string()).optional(),
      versions: z
        .array(
          z.strictObject({
            name: z.string().regex(/^v\d+((alpha|beta)\d+)?$/, { message: "must be a Kubernetes API version such as v1alpha1" }),
            served: z.boolean(),
            referenceable: z.boolean(),
            schema: z.strictObject({ openAPIV3Schema: JsonSchemaSchema }),
            additionalPrinterColumns: z.array(z.strictObject({ name: z.string(), type: z.string(), jsonPath: z.string(), description: z.string().optional() })).optional(),
          }),
        )
        .min(1),
    }),
  })
  .superRefine((xrd, ctx) => {
    // Crossplane names the XRD after the composite's plural and group; anything else is refused.
    const expected = `${xrd.spec.names.plural}.${xrd.spec.group}`;
    if (xrd.metadata.name !== expected) {
      ctx.addIssue({ code: "custom", path: ["metadata", "name"], message: `must be ${expected} (<names.plural>.<group>)` });
    }
    if (xrd.spec.versions.filter((v) => v.referenceable).length !== 1) {
      ctx.addIssue({ code: "custom", path: ["spec", "versions"], message: "exactly one version must be referenceable" });
    }
  });

export const GoTemplateInputSchema = z.strictObject({
  apiVersion: z.literal("gotemplating.fn.crossplane.io/v1beta1"),
  kind: z.literal("GoTemplate"),
  source: z.literal("Inline"),
  inline: z.strictObject({ template: z.string().min(1) }),
});

export const CompositionSchema = z.strictObject({
  apiVersion: z.literal("apiextensions.crossplane.io/v1"),
  kind: z.literal("Composition"),
  metadata: clusterScopedMetadata,
  spec: z.strictObject({
    compositeTypeRef: z.strictObject({ apiVersion: z.string().regex(/^[a-z0-9.-]+\/v\d+((alpha|beta)\d+)?$/), kind: kindName }),
    mode: z.literal("Pipeline"),
    pipeline: z
      .array(z.strictObject({ step: z.string().regex(/^[a-z0-9-]+$/), functionRef: z.strictObject({ name: dnsSubdomain }), input: GoTemplateInputSchema.optional() }))
      .min(1),
    writeConnectionSecretsToNamespace: z.string().optional(),
  }),
});

// --- Managed resources inside the composition template -------------------------------------------

/** Prefix of a value the template writes unquoted (numbers, lists); see `xcluster.ts`. */
export const RAW_TEMPLATE_PREFIX = "__raw__:";

const expression = z.string().regex(/^[^"]*\{\{[^"]*\}\}[^"]*$/, { message: "must be a Go-template expression without double quotes" });
const rawExpression = z.string().regex(new RegExp(`^${RAW_TEMPLATE_PREFIX}\\{\\{[^"]+\\}\\}$`), { message: "must be a raw Go-template expression" });
/** A literal matching `literal`, or a template expression standing for one. */
const templated = <T extends z.ZodType>(literal: T) => z.union([literal, rawExpression, expression]);

const composedMetadata = z.strictObject({ name: z.string().optional(), labels: stringMap.optional(), annotations: stringMap });
const selector = z.strictObject({ matchControllerRef: z.boolean().optional(), matchLabels: stringMap.optional() });
const region = templated(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/));

export const IamRoleSchema = z.strictObject({
  apiVersion: z.literal("iam.aws.upbound.io/v1beta1"),
  kind: z.literal("Role"),
  metadata: composedMetadata,
  spec: z.strictObject({
    forProvider: z.strictObject({
      assumeRolePolicy: z.string().min(1),
      path: z.string().regex(/^\/([\w+=,.@-]+\/)*$/).optional(),
      description: z.string().optional(),
      maxSessionDuration: z.int().optional(),
      tags: stringMap.optional(),
    }),
  }),
});

export const IamRolePolicyAttachmentSchema = z.strictObject({
  apiVersion: z.literal("iam.aws.upbound.io/v1beta1"),
  kind: z.literal("RolePolicyAttachment"),
  metadata: composedMetadata,
  spec: z.strictObject({ forProvider: z.strictObject({ policyArn: z.string().regex(/^arn:aws[a-z-]*:iam::aws:policy\/[\w+=,.@/-]+$/), roleSelector: selector }) }),
});

export const EksClusterSchema = z.strictObject({
  apiVersion: z.literal("eks.aws.upbound.io/v1beta2"),
  kind: z.literal("Cluster"),
  metadata: composedMetadata,
  spec: z.strictObject({
    forProvider: z.strictObject({
      region,
      version: templated(z.string().regex(/^1\.\d+$/)),
      roleArnSelector: selector,
      vpcConfig: z.strictObject({
        subnetIds: templated(z.array(z.string())),
        endpointPrivateAccess: z.boolean(),
        endpointPublicAccess: z.boolean(),
        publicAccessCidrs: z.array(z.string()).optional(),
        securityGroupIds: z.array(z.string()).optional(),
      }),
      accessConfig: z.strictObject({ authenticationMode: z.enum(["API", "API_AND_CONFIG_MAP", "CONFIG_MAP"]), bootstrapClusterCreatorAdminPermissions: z.boolean() }),
      enabledClusterLogTypes: z.array(z.enum(["api", "audit", "authenticator", "controllerManager", "scheduler"])).optional(),
      upgradePolicy: z.strictObject({ supportType: z.enum(["STANDARD", "EXTENDED"]) }).optional(),
      zonalShiftConfig: z.strictObject({ enabled: z.boolean() }).optional(),
      tags: stringMap.optional(),
    }),
  }),
});

const scalingBounds = { minSize: templated(z.int().min(0)), maxSize: templated(z.int().min(1)) };

export const EksNodeGroupSchema = z.strictObject({
  apiVersion: z.literal("eks.aws.upbound.io/v1beta2"),
  kind: z.literal("NodeGroup"),
  metadata: composedMetadata,
  spec: z.strictObject({
    // Set only at creation, then ignored: autoscalers own the desired size (terraform-aws-eks #1879).
    initProvider: z.strictObject({ scalingConfig: z.strictObject({ desiredSize: templated(z.int().min(0)) }) }).optional(),
    forProvider: z.strictObject({
      region,
      version: templated(z.string().regex(/^1\.\d+$/)).optional(),
      clusterNameSelector: selector,
      nodeRoleArnSelector: selector,
      subnetIds: templated(z.array(z.string())),
      instanceTypes: templated(z.array(z.string())),
      capacityType: templated(z.enum(["ON_DEMAND", "SPOT", "CAPACITY_BLOCK"])).optional(),
      amiType: z.string().optional(),
      diskSize: z.int().optional(),
      scalingConfig: z.strictObject(scalingBounds),
      updateConfig: z.strictObject({ maxUnavailablePercentage: z.int().min(1).max(100) }).optional(),
      labels: stringMap.optional(),
      tags: stringMap.optional(),
    }),
  }),
});

export const EksAccessEntrySchema = z.strictObject({
  apiVersion: z.literal("eks.aws.upbound.io/v1beta1"),
  kind: z.literal("AccessEntry"),
  metadata: composedMetadata,
  spec: z.strictObject({
    forProvider: z.strictObject({
      region,
      clusterNameSelector: selector,
      principalArn: templated(z.string()),
      type: z.enum(["STANDARD", "EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX"]),
      kubernetesGroups: z.array(z.string()).optional(),
      tags: stringMap.optional(),
    }),
  }),
});

export const EksAccessPolicyAssociationSchema = z.strictObject({
  apiVersion: z.literal("eks.aws.upbound.io/v1beta1"),
  kind: z.literal("AccessPolicyAssociation"),
  metadata: composedMetadata,
  spec: z.strictObject({
    forProvider: z.strictObject({
      region,
      clusterNameSelector: selector,
      principalArn: templated(z.string()),
      policyArn: z.string().regex(/^arn:aws[a-z-]*:eks::aws:cluster-access-policy\/\w+$/),
      accessScope: z.strictObject({ type: z.enum(["cluster", "namespace"]), namespaces: z.array(z.string()).optional() }),
    }),
  }),
});

/** Every schema by `apiVersion/kind`. */
export const CROSSPLANE_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  "pkg.crossplane.io/v1/Provider": ProviderSchema,
  "pkg.crossplane.io/v1beta1/Function": FunctionSchema,
  "pkg.crossplane.io/v1beta1/DeploymentRuntimeConfig": DeploymentRuntimeConfigSchema,
  "aws.upbound.io/v1beta1/ProviderConfig": AwsProviderConfigSchema,
  "apiextensions.crossplane.io/v1/CompositeResourceDefinition": CompositeResourceDefinitionSchema,
  "apiextensions.crossplane.io/v1/Composition": CompositionSchema,
  "iam.aws.upbound.io/v1beta1/Role": IamRoleSchema,
  "iam.aws.upbound.io/v1beta1/RolePolicyAttachment": IamRolePolicyAttachmentSchema,
  "eks.aws.upbound.io/v1beta2/Cluster": EksClusterSchema,
  "eks.aws.upbound.io/v1beta2/NodeGroup": EksNodeGroupSchema,
  "eks.aws.upbound.io/v1beta1/AccessEntry": EksAccessEntrySchema,
  "eks.aws.upbound.io/v1beta1/AccessPolicyAssociation": EksAccessPolicyAssociationSchema,
};

/**
 * Checks one Crossplane (or composed AWS) object against its schema; throws naming the object,
 * each bad field and the rule. Objects of other groups are refused, so nothing passes unchecked.
 */
export function validateCrossplaneObject(object: unknown): void {
  const { apiVersion, kind, metadata } = (object ?? {}) as { apiVersion?: string; kind?: string; metadata?: { name?: string } };
  const key = `${apiVersion}/${kind}`;
  const schema = CROSSPLANE_SCHEMAS[key];
  const name = `${apiVersion} ${kind} ${metadata?.name ?? "(no name)"}`;
  if (!schema) {
    throw new Error(`${name}: no Crossplane schema for ${key}; known: ${Object.keys(CROSSPLANE_SCHEMAS).join(", ")}`);
  }
  const result = schema.safeParse(object);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
    throw new Error(`${name}: ${issues}`);
  }
}
