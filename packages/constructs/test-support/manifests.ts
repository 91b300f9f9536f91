import { parseAllDocuments } from "yaml";

/**
 * Schema validation of rendered Kubernetes manifests with kubernetes-models: the Kubernetes API
 * schemas, and the CRD schemas of the add-ons that have a model package (Karpenter, Argo CD,
 * Prometheus Operator, Kyverno). It catches wrong types, values outside an enum, missing
 * required fields and — strictly, unlike the API server's own pruning — fields the schema does
 * not know, so a misspelt optional field fails too ({@link unknownFields}).
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
  let Model: { prototype: { validate(this: unknown): void } };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Model = (require(modulePath) as Record<string, { prototype: { validate(this: unknown): void } }>)[manifest.kind]!;
  } catch (error) {
    throw new Error(`${name}: no model ${modulePath} (${(error as Error).message.split("\n")[0]})`);
  }
  // The model's compiled schema validator runs on a traced copy, which records the fields it knows.
  const trace = tracedCopy(manifest);
  try {
    Model.prototype.validate.call(trace.root);
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
  const unknown = unknownFields(trace);
  if (unknown.length > 0) {
    throw new Error(`${name}: ${unknown.map((path) => `${path} is not a field of the schema`).join("; ")}`);
  }
}

/**
 * A copy of a manifest whose objects record which keys the schema validator reads. kubernetes-
 * models ships its schemas compiled (ajv standalone code), not as JSON, so the known fields are
 * observed rather than looked up: a compiled validator reads every property its schema declares
 * (`data.<field> !== undefined`), enumerates the keys of a map (`additionalProperties`), and
 * touches nothing inside a free-form object (`x-kubernetes-preserve-unknown-fields`).
 */
interface Trace {
  readonly root: unknown;
  readonly objects: Map<string, Record<string, unknown>>;
  readonly reads: Map<string, Set<string>>;
  readonly enumerated: Set<string>;
}

function tracedCopy(manifest: unknown): Trace {
  const trace: Trace = { root: undefined, objects: new Map(), reads: new Map(), enumerated: new Set() };
  const copy = (value: unknown, path: string): unknown => {
    if (Array.isArray(value)) {
      return value.map((item, i) => copy(item, `${path}/${i}`));
    }
    if (value === null || typeof value !== "object") {
      return value;
    }
    const object = value as Record<string, unknown>;
    const reads = new Set<string>();
    trace.objects.set(path, object);
    trace.reads.set(path, reads);
    const target = Object.fromEntries(Object.entries(object).map(([key, child]) => [key, copy(child, `${path}/${key}`)]));
    return new Proxy(target, {
      get(t, key, receiver) {
        if (typeof key === "string") {
          reads.add(key);
        }
        return Reflect.get(t, key, receiver) as unknown;
      },
      has(t, key) {
        if (typeof key === "string") {
          reads.add(key);
        }
        return Reflect.has(t, key);
      },
      ownKeys(t) {
        trace.enumerated.add(path);
        return Reflect.ownKeys(t);
      },
    });
  };
  return { ...trace, root: copy(manifest, "") };
}

/**
 * Fields the compiled schemas lose: the generator strips every `description` key (the
 * documentation annotation), which also removes real fields named `description`
 * (PriorityClass.description, AppProject spec.description). They are accepted everywhere.
 */
const LOST_IN_COMPILATION = new Set(["description"]);

/**
 * Paths (`/spec/template/spec/topologySpreadConstraint`) of keys no schema branch declared:
 * keys of objects whose schema names its fields (the validator read some) and which it did not
 * treat as a map (it did not enumerate them). Free-form objects are left alone.
 */
export function unknownFields(trace: Trace): string[] {
  const unknown: string[] = [];
  for (const [path, object] of trace.objects) {
    const reads = trace.reads.get(path)!;
    if (reads.size === 0 || trace.enumerated.has(path)) {
      continue;
    }
    unknown.push(...Object.keys(object).filter((key) => !reads.has(key) && !LOST_IN_COMPILATION.has(key)).map((key) => `${path}/${key}`));
  }
  return unknown.sort();
}

/** Every object in a YAML stream (e.g. a Helm values string holding manifests, or a rendered chart). */
export function manifestsInYaml(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null && typeof m === "object" && "kind" in m);
}
