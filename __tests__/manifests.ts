import { parseAllDocuments } from "yaml";

/**
 * Schema validation of rendered Kubernetes manifests with kubernetes-models: the Kubernetes API
 * schemas, and the CRD schemas of the add-ons that have a model package (Karpenter, Argo CD,
 * Prometheus Operator, Kyverno). It catches wrong types, values outside an enum and missing
 * required fields. The schemas allow unknown keys, so a misspelt *optional* field is caught
 * instead by the models' TypeScript types, which the constructs use for what they render
 * (`import type`, checked by `npm run typecheck`).
 */

/** Model packages for custom resources, by API group. */
const CRD_PACKAGES: Readonly<Record<string, string>> = {
  "karpenter.sh": "@kubernetes-models/karpenter",
  "karpenter.k8s.aws": "@kubernetes-models/karpenter",
  "argoproj.io": "@kubernetes-models/argo-cd",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "kyverno.io": "@kubernetes-models/kyverno",
};

/** API groups without a published model package; their objects are checked by their own tests. */
export const GROUPS_WITHOUT_MODELS = ["elbv2.k8s.aws", "pkg.crossplane.io", "apiextensions.crossplane.io", "aws.upbound.io", "aws.m.upbound.io"] as const;

export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly [key: string]: unknown;
}

/** The module path of the model class for an apiVersion/kind, or undefined when none exists. */
export function modelModuleOf(apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (!group) {
    return `kubernetes-models/${version}/${kind}`;
  }
  const crdPackage = CRD_PACKAGES[group];
  if (crdPackage) {
    return `${crdPackage}/${group}/${version}/${kind}`;
  }
  if (group.endsWith(".k8s.io") || ["apps", "batch", "policy", "autoscaling"].includes(group)) {
    return `kubernetes-models/${group}/${version}/${kind}`;
  }
  return undefined;
}

/**
 * Validates one manifest against its schema; throws naming the object and the schema errors.
 * Objects of `GROUPS_WITHOUT_MODELS` are accepted here (their constructs' own tests check them);
 * any other group without a model is an error, so nothing slips through unchecked.
 */
export function validateManifest(manifest: Manifest): void {
  const name = `${manifest.apiVersion} ${manifest.kind} ${manifest.metadata?.namespace ?? ""}/${manifest.metadata?.name ?? "(no name)"}`;
  const group = manifest.apiVersion.includes("/") ? manifest.apiVersion.split("/")[0]! : "";
  if ((GROUPS_WITHOUT_MODELS as readonly string[]).includes(group)) {
    return;
  }
  const modulePath = modelModuleOf(manifest.apiVersion, manifest.kind);
  if (!modulePath) {
    throw new Error(`${name}: no schema model known for API group "${group}"`);
  }
  let Model: new (data: unknown) => { validate(): void };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Model = (require(modulePath) as Record<string, new (data: unknown) => { validate(): void }>)[manifest.kind]!;
  } catch (error) {
    throw new Error(`${name}: no model ${modulePath} (${(error as Error).message.split("\n")[0]})`);
  }
  try {
    new Model(manifest).validate();
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
}

/** Every object in a YAML stream (e.g. a Helm values string holding manifests, or a rendered chart). */
export function manifestsInYaml(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null && typeof m === "object" && "kind" in m);
}
