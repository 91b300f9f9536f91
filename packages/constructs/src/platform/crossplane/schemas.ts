import { z } from "zod";
import { DNS_SUBDOMAIN } from "../../core/kubernetes-formats";

/**
 * Schemas of the Crossplane objects the hub renders, strict so a misspelt field fails at synth
 * instead of on the cluster. No kubernetes-models package exists for Crossplane's API groups
 * (`pkg.crossplane.io`, `apiextensions.crossplane.io`) nor for the AWS provider's
 * (`*.aws.m.upbound.io`), so these are their check. Each covers the fields of the CRD (Crossplane
 * v2.3, provider-upjet-aws v2.6: the CRDs under `cluster/crds` and `package/crds` at those tags)
 * that this code base uses or could reasonably use; a field the CRD has but the schema lacks is
 * rejected too, which errs on the safe side: add it here first. Only the v2 forms are known: a
 * legacy (cluster-scoped, claim-based) object is refused, naming what replaced it.
 *
 * The managed-resource schemas describe the objects inside the KubernetesCluster composition's template,
 * where a value may be a Go-template expression instead of a literal.
 */

const dnsSubdomain = z
  .string()
  .regex(DNS_SUBDOMAIN, { message: "must be a DNS subdomain (lower-case alphanumerics, '-', '.')" })
  .max(253, { message: "must be at most 253 characters" });
const stringMap = z.record(z.string(), z.string());

/** Metadata of a cluster-scoped object. */
const clusterScopedMetadata = z.strictObject({ name: dnsSubdomain, labels: stringMap.optional(), annotations: stringMap.optional() });

/** Keys of a v1 (or Crossplane v1-era) object that v2 removed, and what replaced each. */
const removedInV2 = (removed: Readonly<Record<string, string>>) => (object: Record<string, unknown>, ctx: z.RefinementCtx, path: readonly string[]) => {
  for (const [key, replacement] of Object.entries(removed)) {
    if (key in object) {
      ctx.addIssue({ code: "custom", path: [...path, key], message: `is Crossplane v1 only; ${replacement}` });
    }
  }
};

/** A fully qualified package reference with a tag: registry host, repository and version (Crossplane v2 refuses short names). */
const packageReference = z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}(:\d+)?\/[a-z0-9._/-]+:v\d+\.\d+\.\d+$/, {
  message: "must be a fully qualified, pinned package such as xpkg.crossplane.io/crossplane-contrib/provider-aws-eks:v2.6.0",
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
  apiVersion: z.literal("pkg.crossplane.io/v1"),
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

/** The cluster-wide ProviderConfig of namespaced AWS managed resources. */
export const AwsClusterProviderConfigSchema = z.strictObject({
  apiVersion: z.literal("aws.m.upbound.io/v1beta1"),
  kind: z.literal("ClusterProviderConfig"),
  metadata: clusterScopedMetadata,
  spec: z.strictObject({
    credentials: z.strictObject({
      source: z.enum(["IRSA", "PodIdentity", "WebIdentity", "Secret", "Upbound", "None"]),
      secretRef: z.strictObject({ name: z.string(), namespace: z.string(), key: z.string() }).optional(),
    }),
    assumeRoleChain: z
      .array(z.strictObject({ roleARN: z.string(), externalID: z.string().optional(), tags: z.array(z.unknown()).optional(), transitiveTagKeys: z.array(z.string()).optional() }))
      .optional(),
  }),
});

/** MRD names to activate (`<plural>.<group>`), or a wildcard prefix such as `*.aws.m.upbound.io`. */
const activation = z.string().regex(/^(\*|[a-z0-9-]+)(\.[a-z0-9-]+)+$|^\*$/, { message: "must be an MRD name <plural>.<group> or a wildcard prefix such as *.aws.m.upbound.io" });

export const ManagedResourceActivationPolicySchema = z.strictObject({
  apiVersion: z.literal("apiextensions.crossplane.io/v1alpha1"),
  kind: z.literal("ManagedResourceActivationPolicy"),
  metadata: clusterScopedMetadata,
  spec: z.strictObject({ activate: z.array(activation).min(1) }),
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

const xrdNames = z.strictObject({ kind: kindName, plural, singular: plural.optional(), shortNames: z.array(plural).optional(), categories: z.array(z.string()).optional() });

/**
 * An `apiextensions.crossplane.io/v2` XRD: Namespaced or Cluster scope (`LegacyCluster` is the
 * v1 API's), and neither claims nor composite connection secrets, which v2 removed (its CRD has
 * CEL rules refusing both).
 */
export const CompositeResourceDefinitionSchema = z
  .strictObject({
    apiVersion: z.literal("apiextensions.crossplane.io/v2"),
    kind: z.literal("CompositeResourceDefinition"),
    metadata: clusterScopedMetadata,
    spec: z.looseObject({
      scope: z.enum(["Namespaced", "Cluster"], { message: 'must be "Namespaced" or "Cluster" (LegacyCluster is the v1 API\'s scope, with claims)' }),
      group: dnsSubdomain,
      names: xrdNames,
      defaultCompositionRef: z.strictObject({ name: dnsSubdomain }).optional(),
      enforcedCompositionRef: z.strictObject({ name: dnsSubdomain }).optional(),
      defaultCompositionUpdatePolicy: z.enum(["Automatic", "Manual"]).optional(),
      defaultCompositeDeletePolicy: z.enum(["Background", "Foreground"]).optional(),
      versions: z
        .array(
          z.strictObject({
            name: z.string().regex(/^v\d+((alpha|beta)\d+)?$/, { message: "must be a Kubernetes API version such as v1alpha1" }),
            served: z.boolean(),
            referenceable: z.boolean(),
            deprecated: z.boolean().optional(),
            deprecationWarning: z.string().optional(),
            schema: z.strictObject({ openAPIV3Schema: JsonSchemaSchema }),
            additionalPrinterColumns: z.array(z.strictObject({ name: z.string(), type: z.string(), jsonPath: z.string(), description: z.string().optional() })).optional(),
          }),
        )
        .min(1),
    }),
  })
  .superRefine((xrd, ctx) => {
    // Unknown keys are refused here rather than by strictObject, so a v1-only key gets its reason.
    const knownSpec = ["scope", "group", "names", "defaultCompositionRef", "enforcedCompositionRef", "defaultCompositionUpdatePolicy", "defaultCompositeDeletePolicy", "versions"];
    const v1Only: Record<string, string> = {
      claimNames: "v2 XRDs have no claims: the composite resource itself is namespaced (scope: Namespaced)",
      connectionSecretKeys: "v2 composites have no connection secrets: compose a Secret instead",
    };
    removedInV2(v1Only)(xrd.spec, ctx, ["spec"]);
    for (const key of Object.keys(xrd.spec).filter((k) => !knownSpec.includes(k) && !(k in v1Only))) {
      ctx.addIssue({ code: "custom", path: ["spec"], message: `Unrecognized key: "${key}"` });
    }
    // Crossplane names the XRD after the composite's plural and group; anything else is refused.
    const expected = `${xrd.spec.names.plural}.${xrd.spec.group}`;
    if (xrd.metadata.name !== expected) {
      ctx.addIssue({ code: "custom", path: ["metadata", "name"], message: `must be ${expected} (<names.plural>.<group>)` });
    }
    if (xrd.spec.versions.filter((v) => v.referenceable).length !== 1) {
      ctx.addIssue({ code: "custom", path: ["spec", "versions"], message: "exactly one version must be referenceable" });
    }
    // Crossplane v2 keeps its own fields (compositionRef, resourceRefs, ...) under spec.crossplane.
    xrd.spec.versions.forEach((version, index) => {
      if (version.schema.openAPIV3Schema.properties?.spec?.properties?.crossplane) {
        ctx.addIssue({ code: "custom", path: ["spec", "versions", index, "schema", "openAPIV3Schema", "properties", "spec", "properties", "crossplane"], message: "is reserved for Crossplane's own fields in v2" });
      }
    });
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
// Namespaced managed resources (`*.aws.m.upbound.io`): no `deletionPolicy` (managementPolicies
// replaced it), a providerConfigRef with a kind, selectors within the composite's namespace (the
// v2 selectors could name another namespace; the composition never does).

/** Prefix of a value the template writes unquoted (numbers, lists); see `xcluster.ts`. */
export const RAW_TEMPLATE_PREFIX = "__raw__:";

const expression = z.string().regex(/^[^"]*\{\{[^"]*\}\}[^"]*$/, { message: "must be a Go-template expression without double quotes" });
const rawExpression = z.string().regex(new RegExp(`^${RAW_TEMPLATE_PREFIX}\\{\\{[^"]+\\}\\}$`), { message: "must be a raw Go-template expression" });
/** A literal matching `literal`, or a template expression standing for one. */
const templated = <T extends z.ZodType>(literal: T) => z.union([literal, rawExpression, expression]);

/** No namespace: Crossplane puts the composed resources of a namespaced composite in its namespace. */
const composedMetadata = z.strictObject({ name: z.string().optional(), labels: stringMap.optional(), annotations: stringMap });
const selector = z.strictObject({ matchControllerRef: z.boolean().optional(), matchLabels: stringMap.optional() });
const managedSpec = {
  providerConfigRef: z.strictObject({ kind: z.enum(["ClusterProviderConfig", "ProviderConfig"]), name: dnsSubdomain }),
  managementPolicies: z.array(z.enum(["Observe", "Create", "Update", "Delete", "LateInitialize", "*"])).min(1).optional(),
};
/** A managed-resource schema for the namespaced v2 form, refusing the v1 form's `deletionPolicy` with its replacement. */
const managed = <T extends z.ZodRawShape>(shape: T) =>
  z
    .looseObject({ ...managedSpec, ...shape })
    .superRefine((spec, ctx) => {
      removedInV2({ deletionPolicy: 'namespaced managed resources use managementPolicies (omit "Delete" to keep the AWS resource)' })(spec, ctx, []);
      for (const key of Object.keys(spec).filter((k) => !(k in managedSpec) && !(k in shape) && k !== "deletionPolicy")) {
        ctx.addIssue({ code: "custom", path: [], message: `Unrecognized key: "${key}"` });
      }
    });
const region = templated(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/));

export const IamRoleSchema = z.strictObject({
  apiVersion: z.literal("iam.aws.m.upbound.io/v1beta1"),
  kind: z.literal("Role"),
  metadata: composedMetadata,
  spec: managed({
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
  apiVersion: z.literal("iam.aws.m.upbound.io/v1beta1"),
  kind: z.literal("RolePolicyAttachment"),
  metadata: composedMetadata,
  spec: managed({ forProvider: z.strictObject({ policyArn: z.string().regex(/^arn:aws[a-z-]*:iam::aws:policy\/[\w+=,.@/-]+$/), roleSelector: selector }) }),
});

export const EksClusterSchema = z.strictObject({
  apiVersion: z.literal("eks.aws.m.upbound.io/v1beta1"),
  kind: z.literal("Cluster"),
  metadata: composedMetadata,
  spec: managed({
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
  apiVersion: z.literal("eks.aws.m.upbound.io/v1beta1"),
  kind: z.literal("NodeGroup"),
  metadata: composedMetadata,
  spec: managed({
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
  apiVersion: z.literal("eks.aws.m.upbound.io/v1beta1"),
  kind: z.literal("AccessEntry"),
  metadata: composedMetadata,
  spec: managed({
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
  apiVersion: z.literal("eks.aws.m.upbound.io/v1beta1"),
  kind: z.literal("AccessPolicyAssociation"),
  metadata: composedMetadata,
  spec: managed({
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
  "pkg.crossplane.io/v1/Function": FunctionSchema,
  "pkg.crossplane.io/v1beta1/DeploymentRuntimeConfig": DeploymentRuntimeConfigSchema,
  "aws.m.upbound.io/v1beta1/ClusterProviderConfig": AwsClusterProviderConfigSchema,
  "apiextensions.crossplane.io/v1alpha1/ManagedResourceActivationPolicy": ManagedResourceActivationPolicySchema,
  "apiextensions.crossplane.io/v2/CompositeResourceDefinition": CompositeResourceDefinitionSchema,
  "apiextensions.crossplane.io/v1/Composition": CompositionSchema,
  "iam.aws.m.upbound.io/v1beta1/Role": IamRoleSchema,
  "iam.aws.m.upbound.io/v1beta1/RolePolicyAttachment": IamRolePolicyAttachmentSchema,
  "eks.aws.m.upbound.io/v1beta1/Cluster": EksClusterSchema,
  "eks.aws.m.upbound.io/v1beta1/NodeGroup": EksNodeGroupSchema,
  "eks.aws.m.upbound.io/v1beta1/AccessEntry": EksAccessEntrySchema,
  "eks.aws.m.upbound.io/v1beta1/AccessPolicyAssociation": EksAccessPolicyAssociationSchema,
};

/**
 * The v1 forms the hub rendered before Crossplane v2, with what replaced each: named in the error
 * when one is validated, so a leftover legacy object says how to move on rather than just "unknown".
 */
const REPLACED_IN_V2: Readonly<Record<string, string>> = {
  "apiextensions.crossplane.io/v1/CompositeResourceDefinition": "apiextensions.crossplane.io/v2 (a namespaced composite instead of a claim)",
  "pkg.crossplane.io/v1beta1/Function": "pkg.crossplane.io/v1",
  "aws.upbound.io/v1beta1/ProviderConfig": "aws.m.upbound.io/v1beta1 ClusterProviderConfig (the cluster-scoped managed resources it served are legacy)",
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
    const replaced = REPLACED_IN_V2[key] ?? (/^[a-z0-9-]+\.aws\.upbound\.io\//.test(apiVersion ?? "") ? "its namespaced form in <service>.aws.m.upbound.io" : undefined);
    const hint = replaced ? `${key} is a Crossplane v1 form, replaced by ${replaced}; ` : "";
    throw new Error(`${name}: ${hint}no Crossplane schema for ${key}; known: ${Object.keys(CROSSPLANE_SCHEMAS).join(", ")}`);
  }
  const result = schema.safeParse(object);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
    throw new Error(`${name}: ${issues}`);
  }
}
