import { stringify } from "yaml";
import type { KubernetesManifest } from "../manifests-release";
import { CLUSTER_PROVIDER_CONFIG_KIND, COMPOSITION_FUNCTIONS, DEFAULT_PROVIDER_CONFIG, XCLUSTER_SCOPE } from "./packages";
import { RAW_TEMPLATE_PREFIX, type JsonSchema } from "./schemas";
import { XCLUSTER_MANAGED_POLICIES } from "../../gitops-access/crossplane-policies";
import { API_GROUP, DNS_1035_LABEL } from "../../core/kubernetes-formats";

/**
 * The cluster platform API, in Crossplane v2's model: a namespaced composite resource
 * `KubernetesCluster` (apiextensions.crossplane.io/v2 CompositeResourceDefinition, `scope:
 * Namespaced`, no claim: a team creates the composite itself in its namespace) and a Composition
 * that turns one into a private EKS cluster, from namespaced managed resources (`*.aws.m.upbound.io`)
 * created in the composite's namespace:
 *
 * - an IAM role for the control plane (AmazonEKSClusterPolicy) and one for the nodes (worker, CNI,
 *   ECR read-only), under the `/xcluster/` path the IAM provider is scoped to;
 * - the EKS cluster (`xcluster-<name>-<hash>`): private endpoint only, API authentication mode with
 *   no implicit creator admin, all control-plane log types, standard support;
 * - one managed node group per entry of `nodePools`, spread over the given subnets, whose desired
 *   size is set at creation only (an autoscaler owns it afterwards);
 * - an access entry with AmazonEKSClusterAdminPolicy per `adminRoleArns` entry, so someone can
 *   reach the cluster.
 *
 * It replaces the Crossplane v1 `XCluster` API (cluster-scoped composite, namespaced claim
 * `ClusterClaim`), under new names so both can run side by side on a hub that is being migrated
 * (docs/gitops.md): a legacy XRD's scope is immutable, so it cannot become namespaced in place.
 *
 * The composition is a pipeline: function-go-templating renders the managed resources (a loop per
 * node pool and admin role, which patch-and-transform cannot express), then function-auto-ready
 * marks the composite ready once they all are. The cluster lives in the hub's account, in existing
 * subnets (at least two AZs); networking, add-ons and registration with Argo CD are left to the
 * consumer (or a later composition).
 */

export interface XClusterApiProps {
  /** API group of the composite, e.g. `platform.meridian.io`. */
  readonly group: string;
  /** Regions a cluster may be created in (the providers' IAM policies allow exactly these). */
  readonly regions: readonly string[];
  /** Kubernetes versions a cluster may run. */
  readonly kubernetesVersions: readonly string[];
  /** The hub's partition, for managed-policy ARNs (literal). */
  readonly partition: string;
  /**
   * The hub's account, where clusters are created: `adminRoleArns` may only name its roles, so
   * a team cannot hand cluster-admin to a principal of another account.
   */
  readonly accountId: string;
}

/** The composite resource of the v2 API. */
export const CLUSTER_API = {
  kind: "KubernetesCluster",
  plural: "kubernetesclusters",
  version: "v1alpha1",
  /** Name of the composition, and the XRD's default. */
  composition: "kubernetescluster-eks",
} as const;

/**
 * Names of the Crossplane v1 API this one replaces, as a v1 hub still has them: the v2 API must
 * not reuse them (see the module comment), and docs/gitops.md migrates from them.
 */
export const LEGACY_XCLUSTER_API = {
  kind: "XCluster",
  plural: "xclusters",
  claimKind: "ClusterClaim",
  claimPlural: "clusterclaims",
  composition: "xcluster-eks",
} as const;

/** The annotation function-go-templating names composed resources by. */
const RESOURCE_NAME = "gotemplating.fn.crossplane.io/composition-resource-name";
const EXTERNAL_NAME = "crossplane.io/external-name";
/** Label the role selectors match (together with the controller reference). */
const ROLE_LABEL = "xcluster.platform/role";

/** A value written unquoted into the rendered YAML: a number or a list. */
const raw = (expression: string) => `${RAW_TEMPLATE_PREFIX}{{ ${expression} }}`;


function validate(props: XClusterApiProps): void {
  if (!API_GROUP.test(props.group)) {
    throw new Error(`KubernetesCluster API: group "${props.group}" must be a DNS subdomain with at least one dot, such as platform.example.com`);
  }
  if (props.regions.length === 0 || props.kubernetesVersions.length === 0) {
    throw new Error("KubernetesCluster API: regions and kubernetesVersions must each list at least one value");
  }
  if (!/^aws(-[a-z]+)*$/.test(props.partition)) {
    throw new Error(`KubernetesCluster API: partition "${props.partition}" must be a literal AWS partition (aws, aws-cn, aws-us-gov)`);
  }
  if (!/^\d{12}$/.test(props.accountId)) {
    throw new Error(`KubernetesCluster API: accountId "${props.accountId}" must be a literal 12-digit AWS account id`);
  }
}


/**
 * The composite's own spec as an OpenAPI schema; the API server enforces it before Crossplane sees
 * the object. Crossplane v2 adds its machinery (composition selection, resource references) under
 * `spec.crossplane`, so that name is left to it.
 */
export function xClusterSpecSchema(props: XClusterApiProps): JsonSchema {
  return {
    type: "object",
    required: ["region", "version", "subnetIds", "nodePools", "adminRoleArns"],
    properties: {
      region: { type: "string", description: "AWS region of the cluster.", enum: [...props.regions] },
      version: { type: "string", description: "Kubernetes minor version, e.g. 1.33.", enum: [...props.kubernetesVersions] },
      subnetIds: {
        type: "array",
        description: "Existing private subnets in at least two availability zones; the control plane and every node pool use them.",
        minItems: 2,
        maxItems: 16,
        items: { type: "string", pattern: "^subnet-[0-9a-f]{8,17}$" },
      },
      adminRoleArns: {
        type: "array",
        description: "IAM roles of the hub's account granted AmazonEKSClusterAdminPolicy through access entries (the creator gets no implicit access).",
        minItems: 1,
        maxItems: 10,
        // Roles of the hub's account only: the cluster is created there.
        items: { type: "string", pattern: `^arn:${props.partition}:iam::${props.accountId}:role/[A-Za-z0-9+=,.@_/-]+$` },
      },
      nodePools: {
        type: "array",
        description: "Managed node groups.",
        minItems: 1,
        maxItems: 10,
        items: {
          type: "object",
          required: ["name", "instanceTypes", "min", "max"],
          properties: {
            name: { type: "string", description: "Node group name, unique in the cluster.", pattern: DNS_1035_LABEL.source, maxLength: 38 },
            instanceTypes: { type: "array", minItems: 1, maxItems: 20, items: { type: "string", pattern: "^[a-z][a-z0-9-]*\\.[a-z0-9]+$", maxLength: 32 } },
            min: { type: "integer", description: "Minimum (and initial) number of nodes.", minimum: 0, maximum: 1000 },
            max: { type: "integer", description: "Maximum number of nodes.", minimum: 1, maximum: 1000 },
            capacityType: { type: "string", enum: ["ON_DEMAND", "SPOT"], default: "ON_DEMAND" },
          },
          "x-kubernetes-validations": [{ rule: "self.min <= self.max", message: "min must not exceed max" }],
        },
        "x-kubernetes-validations": [{ rule: "self.all(p, self.exists_one(q, q.name == p.name))", message: "node pool names must be unique" }],
      },
    },
  };
}

/**
 * Namespaced, not Cluster: a team creates its clusters in its own namespace under its own RBAC (what
 * claims gave in v1), and the composed managed resources land in that namespace too.
 */
export function xClusterDefinition(props: XClusterApiProps): KubernetesManifest {
  validate(props);
  return {
    apiVersion: "apiextensions.crossplane.io/v2",
    kind: "CompositeResourceDefinition",
    metadata: { name: `${CLUSTER_API.plural}.${props.group}` },
    spec: {
      scope: "Namespaced",
      group: props.group,
      names: { kind: CLUSTER_API.kind, plural: CLUSTER_API.plural },
      defaultCompositionRef: { name: CLUSTER_API.composition },
      versions: [
        {
          name: CLUSTER_API.version,
          served: true,
          referenceable: true,
          schema: { openAPIV3Schema: { type: "object", properties: { spec: xClusterSpecSchema(props) } } },
        },
      ],
    },
  };
}

/** A composed resource and, when rendered once per list item, the Go-template range around it. */
export interface ComposedResource {
  readonly manifest: KubernetesManifest;
  /** e.g. `$pool := $spec.nodePools`. @default - rendered once */
  readonly range?: string;
}

const roleTrust = (service: string) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: ["sts:AssumeRole"] }] });

/**
 * The managed resources of one cluster, with template expressions where the composite's values go:
 * the namespaced v2 kinds of provider-upjet-aws (`*.aws.m.upbound.io`, whose versions restart at
 * v1beta1), without `metadata.namespace` (Crossplane puts them in the composite's namespace), each
 * naming the cluster-wide ProviderConfig explicitly. They have no `deletionPolicy` (v2 managed
 * resources dropped it); the default `managementPolicies: ["*"]` deletes the AWS resource with the
 * composite, as the v1 API did.
 */
export function xClusterComposedResources(props: XClusterApiProps): ComposedResource[] {
  validate(props);
  const meta = (resourceName: string, extra: { externalName?: string; role?: string } = {}) => ({
    annotations: { [RESOURCE_NAME]: resourceName, ...(extra.externalName ? { [EXTERNAL_NAME]: extra.externalName } : {}) },
    ...(extra.role ? { labels: { [ROLE_LABEL]: extra.role } } : {}),
  });
  const ownSelector = { matchControllerRef: true };
  const providerConfigRef = { kind: CLUSTER_PROVIDER_CONFIG_KIND, name: DEFAULT_PROVIDER_CONFIG };
  const roleSelector = (role: string) => ({ matchControllerRef: true, matchLabels: { [ROLE_LABEL]: role } });
  const role = (id: string, service: string, description: string): ComposedResource => ({
    manifest: {
      apiVersion: "iam.aws.m.upbound.io/v1beta1",
      kind: "Role",
      metadata: meta(`${id}-role`, { externalName: `{{ $name }}-${id}`, role: id }),
      spec: { providerConfigRef, forProvider: { path: XCLUSTER_SCOPE.rolePath, description, assumeRolePolicy: roleTrust(service) } },
    } as unknown as KubernetesManifest,
  });
  const attachment = (id: string, policy: string): ComposedResource => ({
    manifest: {
      apiVersion: "iam.aws.m.upbound.io/v1beta1",
      kind: "RolePolicyAttachment",
      metadata: meta(`${id}-role-${policy.toLowerCase().replace(/_/g, "-")}`),
      spec: { providerConfigRef, forProvider: { policyArn: `arn:${props.partition}:iam::aws:policy/${policy}`, roleSelector: roleSelector(id) } },
    } as unknown as KubernetesManifest,
  });
  const composed: ComposedResource[] = [
    role("cluster", "eks.amazonaws.com", "EKS control plane of a KubernetesCluster"),
    // The same list the Crossplane IAM provider may attach (crossplane-policies.ts).
    ...XCLUSTER_MANAGED_POLICIES.cluster.map((policy) => attachment("cluster", policy)),
    role("node", "ec2.amazonaws.com", "Nodes of a KubernetesCluster"),
    ...XCLUSTER_MANAGED_POLICIES.node.map((policy) => attachment("node", policy)),
    {
      manifest: {
        apiVersion: "eks.aws.m.upbound.io/v1beta1",
        kind: "Cluster",
        metadata: meta("cluster", { externalName: "{{ $name }}" }),
        spec: {
          providerConfigRef,
          forProvider: {
            region: "{{ $spec.region }}",
            version: "{{ $spec.version }}",
            roleArnSelector: roleSelector("cluster"),
            vpcConfig: { subnetIds: raw("toJson $spec.subnetIds"), endpointPrivateAccess: true, endpointPublicAccess: false },
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
            enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
            upgradePolicy: { supportType: "STANDARD" },
            zonalShiftConfig: { enabled: true },
          },
        },
      } as unknown as KubernetesManifest,
    },
    {
      range: "$pool := $spec.nodePools",
      manifest: {
        apiVersion: "eks.aws.m.upbound.io/v1beta1",
        kind: "NodeGroup",
        metadata: meta("nodegroup-{{ $pool.name }}", { externalName: "{{ $pool.name }}" }),
        spec: {
          providerConfigRef,
          initProvider: { scalingConfig: { desiredSize: raw("$pool.min") } },
          forProvider: {
            region: "{{ $spec.region }}",
            version: "{{ $spec.version }}",
            clusterNameSelector: ownSelector,
            nodeRoleArnSelector: roleSelector("node"),
            subnetIds: raw("toJson $spec.subnetIds"),
            instanceTypes: raw("toJson $pool.instanceTypes"),
            capacityType: "{{ $pool.capacityType }}",
            scalingConfig: { minSize: raw("$pool.min"), maxSize: raw("$pool.max") },
            updateConfig: { maxUnavailablePercentage: 33 },
          },
        },
      } as unknown as KubernetesManifest,
    },
    {
      range: "$i, $admin := $spec.adminRoleArns",
      manifest: {
        apiVersion: "eks.aws.m.upbound.io/v1beta1",
        kind: "AccessEntry",
        metadata: meta("admin-{{ $i }}"),
        spec: { providerConfigRef, forProvider: { region: "{{ $spec.region }}", clusterNameSelector: ownSelector, principalArn: "{{ $admin }}", type: "STANDARD" } },
      } as unknown as KubernetesManifest,
    },
    {
      range: "$i, $admin := $spec.adminRoleArns",
      manifest: {
        apiVersion: "eks.aws.m.upbound.io/v1beta1",
        kind: "AccessPolicyAssociation",
        metadata: meta("admin-{{ $i }}-policy"),
        spec: {
          providerConfigRef,
          forProvider: {
            region: "{{ $spec.region }}",
            clusterNameSelector: ownSelector,
            principalArn: "{{ $admin }}",
            policyArn: `arn:${props.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
            accessScope: { type: "cluster" },
          },
        },
      } as unknown as KubernetesManifest,
    },
  ];
  return composed;
}

/** Characters of the composite's name kept in AWS names: `xcluster-` + 37 + `-` + 8-hex hash + `-cluster` is IAM's 64. */
export const NAME_CHARACTERS_KEPT = 37;
/** Hex characters of sha256("<namespace>/<name>") that make AWS names unique across namespaces. */
export const NAME_HASH_LENGTH = 8;

/**
 * The Go template function-go-templating runs: variables first (the composite, its spec, and the
 * AWS name `xcluster-<name>-<hash>`), then each composed resource as a YAML document, inside a
 * `range` where it is rendered per item.
 *
 * Composite names are unique per namespace only, while EKS cluster and IAM role names are unique
 * per account (and composed resources adopt an existing AWS resource of their external name), so
 * the name carries a hash of namespace and name: team B's `dev` can never take over team A's.
 */
export function xClusterTemplate(composed: readonly ComposedResource[]): string {
  const header = [
    "{{- $xr := .observed.composite.resource }}",
    "{{- $spec := $xr.spec }}",
    `{{- $id := printf "%s/%s" $xr.metadata.namespace $xr.metadata.name | sha256sum | trunc ${NAME_HASH_LENGTH} }}`,
    `{{- $name := printf "%s%s-%s" "${XCLUSTER_SCOPE.clusterNamePrefix}" (trunc ${NAME_CHARACTERS_KEPT} $xr.metadata.name | trimSuffix "-") $id }}`,
  ];
  // One expression at a time, never across lines or quotes.
  const unquote = new RegExp(`["']?${RAW_TEMPLATE_PREFIX}(\\{\\{[^"'\\n]+?\\}\\})["']?`, "g");
  const documents = composed.map(({ manifest, range }) => {
    const yaml = stringify(manifest, { lineWidth: 0 }).replace(unquote, "$1").trimEnd();
    return range ? `{{- range ${range} }}\n---\n${yaml}\n{{- end }}` : `---\n${yaml}`;
  });
  return `${[...header, ...documents].join("\n")}\n`;
}

/**
 * The Composition (still `apiextensions.crossplane.io/v1` in Crossplane v2, pipeline mode only):
 * render the managed resources, then mark the composite ready when they are.
 */
export function xClusterComposition(props: XClusterApiProps, composed: readonly ComposedResource[] = xClusterComposedResources(props)): KubernetesManifest {
  return {
    apiVersion: "apiextensions.crossplane.io/v1",
    kind: "Composition",
    metadata: { name: CLUSTER_API.composition, labels: { provider: "aws", service: "eks" } },
    spec: {
      compositeTypeRef: { apiVersion: `${props.group}/${CLUSTER_API.version}`, kind: CLUSTER_API.kind },
      mode: "Pipeline",
      pipeline: [
        {
          step: "render-eks-resources",
          functionRef: { name: COMPOSITION_FUNCTIONS.goTemplating.name },
          input: { apiVersion: "gotemplating.fn.crossplane.io/v1beta1", kind: "GoTemplate", source: "Inline", inline: { template: xClusterTemplate(composed) } },
        },
        { step: "mark-ready", functionRef: { name: COMPOSITION_FUNCTIONS.autoReady.name } },
      ],
    },
  };
}
