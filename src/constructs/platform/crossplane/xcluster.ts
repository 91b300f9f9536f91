import { stringify } from "yaml";
import type { KubernetesManifest } from "../manifests-release";
import { COMPOSITION_FUNCTIONS, XCLUSTER_SCOPE } from "./packages";
import { RAW_TEMPLATE_PREFIX, type JsonSchema } from "./schemas";
import { XCLUSTER_MANAGED_POLICIES } from "../../gitops-access/crossplane-policies";
import { API_GROUP, DNS_1035_LABEL } from "../../../kubernetes-formats";

/**
 * The `XCluster` platform API: a CompositeResourceDefinition (with a namespaced claim,
 * `ClusterClaim`) and a Composition that turns one XCluster into a private EKS cluster:
 *
 * - an IAM role for the control plane (AmazonEKSClusterPolicy) and one for the nodes (worker, CNI,
 *   ECR read-only), under the `/xcluster/` path the IAM provider is scoped to;
 * - the EKS cluster (`xcluster-<name>`): private endpoint only, API authentication mode with no
 *   implicit creator admin, all control-plane log types, standard support;
 * - one managed node group per entry of `nodePools`, spread over the given subnets, whose desired
 *   size is set at creation only (an autoscaler owns it afterwards);
 * - an access entry with AmazonEKSClusterAdminPolicy per `adminRoleArns` entry, so someone can
 *   reach the cluster.
 *
 * The composition is a pipeline: function-go-templating renders the managed resources (a loop per
 * node pool and admin role, which patch-and-transform cannot express), then function-auto-ready
 * marks the XCluster ready once they all are. The cluster lives in the hub's account, in existing
 * subnets (at least two AZs); networking, add-ons and registration with Argo CD are left to the
 * consumer (or a later composition).
 */

export interface XClusterApiProps {
  /** API group of the XCluster, e.g. `platform.meridian.io`. */
  readonly group: string;
  /** Regions an XCluster may be created in (the providers' IAM policies allow exactly these). */
  readonly regions: readonly string[];
  /** Kubernetes versions an XCluster may run. */
  readonly kubernetesVersions: readonly string[];
  /** The hub's partition, for managed-policy ARNs (literal). */
  readonly partition: string;
  /**
   * The hub's account, where XClusters are created: `adminRoleArns` may only name its roles, so
   * a claim cannot hand cluster-admin to a principal of another account.
   */
  readonly accountId: string;
}

export const XCLUSTER_KIND = "XCluster";
export const XCLUSTER_VERSION = "v1alpha1";
export const XCLUSTER_CLAIM_KIND = "ClusterClaim";
/** Name of the composition, and the XRD's default. */
export const XCLUSTER_COMPOSITION = "xcluster-eks";

/** The annotation function-go-templating names composed resources by. */
const RESOURCE_NAME = "gotemplating.fn.crossplane.io/composition-resource-name";
const EXTERNAL_NAME = "crossplane.io/external-name";
/** Label the role selectors match (together with the controller reference). */
const ROLE_LABEL = "xcluster.platform/role";

/** A value written unquoted into the rendered YAML: a number or a list. */
const raw = (expression: string) => `${RAW_TEMPLATE_PREFIX}{{ ${expression} }}`;


function validate(props: XClusterApiProps): void {
  if (!API_GROUP.test(props.group)) {
    throw new Error(`XCluster API: group "${props.group}" must be a DNS subdomain with at least one dot, such as platform.example.com`);
  }
  if (props.regions.length === 0 || props.kubernetesVersions.length === 0) {
    throw new Error("XCluster API: regions and kubernetesVersions must each list at least one value");
  }
  if (!/^aws(-[a-z]+)*$/.test(props.partition)) {
    throw new Error(`XCluster API: partition "${props.partition}" must be a literal AWS partition (aws, aws-cn, aws-us-gov)`);
  }
  if (!/^\d{12}$/.test(props.accountId)) {
    throw new Error(`XCluster API: accountId "${props.accountId}" must be a literal 12-digit AWS account id`);
  }
}


/** The XCluster's spec as an OpenAPI schema; the API server enforces it before Crossplane sees the object. */
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

export function xClusterDefinition(props: XClusterApiProps): KubernetesManifest {
  validate(props);
  return {
    apiVersion: "apiextensions.crossplane.io/v1",
    kind: "CompositeResourceDefinition",
    metadata: { name: `xclusters.${props.group}` },
    spec: {
      group: props.group,
      names: { kind: XCLUSTER_KIND, plural: "xclusters" },
      claimNames: { kind: XCLUSTER_CLAIM_KIND, plural: "clusterclaims" },
      defaultCompositionRef: { name: XCLUSTER_COMPOSITION },
      versions: [
        {
          name: XCLUSTER_VERSION,
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

/** The managed resources of one XCluster, with template expressions where the XCluster's values go. */
export function xClusterComposedResources(props: XClusterApiProps): ComposedResource[] {
  validate(props);
  const meta = (resourceName: string, extra: { externalName?: string; role?: string } = {}) => ({
    annotations: { [RESOURCE_NAME]: resourceName, ...(extra.externalName ? { [EXTERNAL_NAME]: extra.externalName } : {}) },
    ...(extra.role ? { labels: { [ROLE_LABEL]: extra.role } } : {}),
  });
  const ownSelector = { matchControllerRef: true };
  const roleSelector = (role: string) => ({ matchControllerRef: true, matchLabels: { [ROLE_LABEL]: role } });
  const role = (id: string, service: string, description: string): ComposedResource => ({
    manifest: {
      apiVersion: "iam.aws.upbound.io/v1beta1",
      kind: "Role",
      metadata: meta(`${id}-role`, { externalName: `{{ $name }}-${id}`, role: id }),
      spec: { forProvider: { path: XCLUSTER_SCOPE.rolePath, description, assumeRolePolicy: roleTrust(service) } },
    } as unknown as KubernetesManifest,
  });
  const attachment = (id: string, policy: string): ComposedResource => ({
    manifest: {
      apiVersion: "iam.aws.upbound.io/v1beta1",
      kind: "RolePolicyAttachment",
      metadata: meta(`${id}-role-${policy.toLowerCase().replace(/_/g, "-")}`),
      spec: { forProvider: { policyArn: `arn:${props.partition}:iam::aws:policy/${policy}`, roleSelector: roleSelector(id) } },
    } as unknown as KubernetesManifest,
  });
  const composed: ComposedResource[] = [
    role("cluster", "eks.amazonaws.com", "EKS control plane of an XCluster"),
    // The same list the Crossplane IAM provider may attach (crossplane-policies.ts).
    ...XCLUSTER_MANAGED_POLICIES.cluster.map((policy) => attachment("cluster", policy)),
    role("node", "ec2.amazonaws.com", "Nodes of an XCluster"),
    ...XCLUSTER_MANAGED_POLICIES.node.map((policy) => attachment("node", policy)),
    {
      manifest: {
        apiVersion: "eks.aws.upbound.io/v1beta2",
        kind: "Cluster",
        metadata: meta("cluster", { externalName: "{{ $name }}" }),
        spec: {
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
        apiVersion: "eks.aws.upbound.io/v1beta2",
        kind: "NodeGroup",
        metadata: meta("nodegroup-{{ $pool.name }}", { externalName: "{{ $pool.name }}" }),
        spec: {
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
        apiVersion: "eks.aws.upbound.io/v1beta1",
        kind: "AccessEntry",
        metadata: meta("admin-{{ $i }}"),
        spec: { forProvider: { region: "{{ $spec.region }}", clusterNameSelector: ownSelector, principalArn: "{{ $admin }}", type: "STANDARD" } },
      } as unknown as KubernetesManifest,
    },
    {
      range: "$i, $admin := $spec.adminRoleArns",
      manifest: {
        apiVersion: "eks.aws.upbound.io/v1beta1",
        kind: "AccessPolicyAssociation",
        metadata: meta("admin-{{ $i }}-policy"),
        spec: {
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

/**
 * The Go template function-go-templating runs: variables first (the XCluster, its spec, and the
 * cluster name `xcluster-<xr name>`, cut so role names stay within IAM's 64 characters), then
 * each composed resource as a YAML document, inside a `range` where it is rendered per item.
 */
export function xClusterTemplate(composed: readonly ComposedResource[]): string {
  const header = [
    "{{- $xr := .observed.composite.resource }}",
    "{{- $spec := $xr.spec }}",
    `{{- $name := printf "%s%s" "${XCLUSTER_SCOPE.clusterNamePrefix}" (trunc 46 $xr.metadata.name | trimSuffix "-") }}`,
  ];
  // One expression at a time, never across lines or quotes.
  const unquote = new RegExp(`["']?${RAW_TEMPLATE_PREFIX}(\\{\\{[^"'\\n]+?\\}\\})["']?`, "g");
  const documents = composed.map(({ manifest, range }) => {
    const yaml = stringify(manifest, { lineWidth: 0 }).replace(unquote, "$1").trimEnd();
    return range ? `{{- range ${range} }}\n---\n${yaml}\n{{- end }}` : `---\n${yaml}`;
  });
  return `${[...header, ...documents].join("\n")}\n`;
}

/** The Composition: render the managed resources, then mark the XCluster ready when they are. */
export function xClusterComposition(props: XClusterApiProps, composed: readonly ComposedResource[] = xClusterComposedResources(props)): KubernetesManifest {
  return {
    apiVersion: "apiextensions.crossplane.io/v1",
    kind: "Composition",
    metadata: { name: XCLUSTER_COMPOSITION, labels: { provider: "aws", service: "eks" } },
    spec: {
      compositeTypeRef: { apiVersion: `${props.group}/${XCLUSTER_VERSION}`, kind: XCLUSTER_KIND },
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
