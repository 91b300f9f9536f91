import { labelKeyProblem, labelValueProblem } from "./kubernetes-formats";

/**
 * What EKS accepts for the nodes of a managed node group, shared by the catalogue schema, the
 * node-group construct, the Karpenter pools and the policy rules, so each value is checked once
 * and the same way.
 */

/**
 * Label every platform node carries with its class (`system`, `spot`, `gpu`), managed or
 * Karpenter-launched. The platform's own domain: EKS refuses `kubernetes.io/` keys on node groups.
 */
export const NODE_CLASS_LABEL = "node.meridian.io/class";

/**
 * Substrings the EKS node-group API refuses in a label key: "Label cannot contain reserved
 * prefixes [kubernetes.io/, k8s.io/, eks.amazonaws.com/]" (InvalidParameterException on
 * CreateNodegroup; aws/containers-roadmap#1451, eksctl-io/eksctl#4007). `node.kubernetes.io/x`
 * contains `kubernetes.io/`, so it is refused too.
 */
export const EKS_RESERVED_LABEL_PREFIXES = ["kubernetes.io/", "k8s.io/", "eks.amazonaws.com/"] as const;

/** EKS API model (eks-2017-11-01): `labelKey`, `labelValue` and `taintKey`, `taintValue` are 1-63 (taint values 0-63) characters. */
export const EKS_LABEL_LIMIT = 63;

/** "Maximum of 50 taints are allowed for one node group" (EKS User Guide, node taints on managed node groups). */
export const EKS_TAINTS_PER_NODE_GROUP = 50;

/**
 * Why EKS (or Kubernetes) would refuse the node label `key=value` on a managed node group, or
 * `undefined`: the Kubernetes label syntax, the API's 63-character key and non-empty value, and
 * no reserved prefix.
 */
export function nodeGroupLabelProblem(key: string, value: string): string | undefined {
  const reserved = EKS_RESERVED_LABEL_PREFIXES.find((prefix) => key.includes(prefix));
  if (reserved) {
    return `contains the reserved prefix "${reserved}", which the EKS node group API refuses (reserved: ${EKS_RESERVED_LABEL_PREFIXES.join(", ")}); use the platform's domain, e.g. node.meridian.io/...`;
  }
  const keyProblem = labelKeyProblem(key);
  if (keyProblem) {
    return `label key ${keyProblem}`;
  }
  if (key.length > EKS_LABEL_LIMIT) {
    return `label key is ${key.length} characters; the EKS node group API takes at most ${EKS_LABEL_LIMIT} including the prefix`;
  }
  if (value === "") {
    return "label value is empty; the EKS node group API needs 1-63 characters";
  }
  const valueProblem = labelValueProblem(value);
  return valueProblem ? `label value ${JSON.stringify(value)} ${valueProblem}` : undefined;
}

/** Why EKS would refuse the taint `key=value`, or `undefined`: label-key syntax of at most 63 characters, a label value. */
export function nodeGroupTaintProblem(key: string, value: string | undefined): string | undefined {
  const keyProblem = labelKeyProblem(key);
  if (keyProblem) {
    return `taint key ${keyProblem}`;
  }
  if (key.length > EKS_LABEL_LIMIT) {
    return `taint key is ${key.length} characters; the EKS node group API takes at most ${EKS_LABEL_LIMIT}`;
  }
  const valueProblem = value === undefined ? undefined : labelValueProblem(value);
  return valueProblem ? `taint value ${JSON.stringify(value)} ${valueProblem}` : undefined;
}

/** Graviton families carry a `g` after the generation digit: m7g, c6gn, r8g, t4g (not g5, which is NVIDIA). */
export function isGravitonType(instanceType: string): boolean {
  return /^[a-z]+\d+g[a-z]*\./.test(instanceType);
}

/**
 * The EKS-optimized Amazon Linux 2023 AMI types the node groups use (CreateNodegroup `amiType`).
 * GPU classes take only x86_64 NVIDIA families, so there is no ARM NVIDIA type here.
 */
export const EKS_AMI_TYPES = ["AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "AL2023_x86_64_NVIDIA"] as const;
export type EksAmiType = (typeof EKS_AMI_TYPES)[number];

/** The AMI type of a node class: NVIDIA for `gpu`, ARM for Graviton instance types. */
export function amiTypeOf(group: { readonly class: string; readonly instanceTypes: readonly string[] }): EksAmiType {
  if (group.class === "gpu") {
    return "AL2023_x86_64_NVIDIA";
  }
  return group.instanceTypes.some(isGravitonType) ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}

/**
 * An EKS-optimized AMI release version as node groups take it (`release_version`):
 * `<kubernetes major.minor.patch>-<build date YYYYMMDD>`, e.g. `1.33.13-20260714` (the "Release
 * version" column of the amazon-eks-ami release notes; one version covers every AL2023 type).
 */
export const AMI_RELEASE_VERSION = /^(\d+)\.(\d+)\.(\d+)-(\d{8})$/;

/** The rule an AMI release's shape breaks; the catalogue schema and {@link amiReleaseVersionProblem} both say it. */
export const AMI_RELEASE_VERSION_RULE = "must be an EKS AMI release version such as 1.33.13-20260714 (<kubernetes version>-<YYYYMMDD>)";

/** Why `release` cannot be the AMI release of nodes running Kubernetes `kubernetesVersion` (major.minor), or `undefined`. */
export function amiReleaseVersionProblem(release: string, kubernetesVersion: string): string | undefined {
  const match = AMI_RELEASE_VERSION.exec(release);
  if (!match) {
    return AMI_RELEASE_VERSION_RULE;
  }
  const minor = `${match[1]}.${match[2]}`;
  return minor === kubernetesVersion ? undefined : `is a release for Kubernetes ${minor}, but the cluster runs ${kubernetesVersion}; raise it with kubernetesVersion`;
}

/**
 * The node groups that become EKS managed node groups. Under Karpenter only the `system` class
 * does (the controller and the cluster add-ons run there, on capacity Karpenter does not remove);
 * every other class is a Karpenter NodePool only, so a managed group of it would be idle capacity
 * nothing scales. Under Cluster Autoscaler every class is a managed node group.
 */
export function managedNodeGroupsOf<G extends { readonly class: string }>(autoscaler: "karpenter" | "cluster-autoscaler", groups: readonly G[]): G[] {
  return groups.filter((group) => autoscaler === "cluster-autoscaler" || group.class === "system");
}

/**
 * The Karpenter AMI alias of the same EKS AMI release (`1.33.13-20260714` → `al2023@v20260714`):
 * Karpenter resolves it to that release's AL2023 AMIs (standard or NVIDIA per instance type) for
 * the cluster's Kubernetes version, so its nodes move with the pin like the managed ones instead
 * of following every new AMI (`al2023@latest`).
 */
export function karpenterAmiAlias(release: string): string {
  const match = AMI_RELEASE_VERSION.exec(release);
  if (!match) {
    throw new Error(`karpenterAmiAlias: ${JSON.stringify(release)} is not an EKS AMI release version such as 1.33.13-20260714`);
  }
  return `al2023@v${match[4]}`;
}
