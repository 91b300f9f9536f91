import type { CommandResult } from "./runner";

/** The parts of a Kubernetes object the teardown reads. */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly finalizers?: readonly string[];
    readonly deletionTimestamp?: string;
  };
  readonly spec?: Readonly<Record<string, unknown>>;
}

/** `kubectl get` when the cluster has no such resource type (its CRD is not installed). */
export function isMissingResourceType(result: CommandResult): boolean {
  return /the server doesn't have a resource type|no matches for kind|could not find the requested resource/i.test(result.stderr);
}

/** The items of `kubectl get … -o json`; throws when the output is not a list. */
export function itemsOf(stdout: string): KubeObject[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new Error(`kubectl printed no JSON list: ${stdout.slice(0, 200)}`);
  }
  const items = (parsed as { items?: unknown }).items;
  if (!Array.isArray(items)) {
    throw new Error(`kubectl printed no JSON list: ${stdout.slice(0, 200)}`);
  }
  return items as KubeObject[];
}

/** `namespace/name`, or `name` for cluster-scoped objects. */
export function objectName(object: KubeObject): string {
  return object.metadata.namespace ? `${object.metadata.namespace}/${object.metadata.name}` : object.metadata.name;
}

/** Up to `max` names, then how many more. */
export function nameList(objects: readonly KubeObject[], max = 8): string {
  const names = objects.slice(0, max).map(objectName);
  return objects.length > max ? `${names.join(", ")} and ${objects.length - max} more` : names.join(", ");
}

/** The objects grouped by namespace (`""` for cluster-scoped), so one delete call covers a namespace. */
export function byNamespace(objects: readonly KubeObject[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const object of objects) {
    const namespace = object.metadata.namespace ?? "";
    groups.set(namespace, [...(groups.get(namespace) ?? []), object.metadata.name]);
  }
  return groups;
}
