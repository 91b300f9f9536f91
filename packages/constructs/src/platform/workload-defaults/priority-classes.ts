import { PriorityClassV1 } from "@cdktf/provider-kubernetes/lib/priority-class-v1";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { PRIORITY_CLASSES, type PlatformPriorityClass } from "../resilience";
import { isDnsSubdomain } from "../../core/kubernetes-formats";

/** Props of {@link PriorityClasses}. */
export interface PriorityClassesProps {
  /** The classes to create; at most one may be `globalDefault`. @default Object.values(PRIORITY_CLASSES) */
  readonly classes?: readonly PlatformPriorityClass[];
  /** Kubernetes provider of the classes. @default - the stack's default kubernetes provider */
  readonly provider?: TerraformProvider;
}

/** User-defined priorities stop here; the system classes sit above. */
const MAX_USER_PRIORITY = 1_000_000_000;

/**
 * The platform's PriorityClasses as native objects. Under pressure the scheduler preempts lower
 * classes first, so platform add-ons outlive application pods and customer-facing workloads
 * outlive the default. Exactly one class is the cluster-wide default.
 */
export class PriorityClasses extends Construct {
  /** By class name. */
  readonly classes: Readonly<Record<string, PriorityClassV1>>;

  constructor(scope: Construct, id: string, props: PriorityClassesProps = {}) {
    super(scope, id);
    const wanted = props.classes ?? Object.values(PRIORITY_CLASSES);
    const fail = (setting: string, value: unknown, rule: string) => {
      throw new Error(`PriorityClasses ${id}: ${setting} ${JSON.stringify(value)} ${rule}`);
    };
    if (wanted.length === 0) {
      fail("classes", [], "must name at least one class");
    }
    const names = wanted.map((c) => c.name);
    wanted.forEach((c, i) => {
      if (!isDnsSubdomain(c.name) || c.name.startsWith("system-")) {
        fail(`classes[${i}].name`, c.name, "must be a lower-case DNS subdomain not starting with system- (reserved)");
      }
      if (names.indexOf(c.name) !== i) {
        fail(`classes[${i}].name`, c.name, "appears twice");
      }
      if (!Number.isInteger(c.value) || c.value < -MAX_USER_PRIORITY || c.value > MAX_USER_PRIORITY) {
        fail(`classes[${i}].value`, c.value, `must be an integer from -${MAX_USER_PRIORITY} to ${MAX_USER_PRIORITY} (higher is reserved for system classes)`);
      }
    });
    const defaults = wanted.filter((c) => c.globalDefault).map((c) => c.name);
    if (defaults.length > 1) {
      fail("classes", defaults, "mark more than one class globalDefault; the API server admits only one");
    }
    this.classes = Object.fromEntries(
      wanted.map((c) => [
        c.name,
        new PriorityClassV1(this, c.name, {
          provider: props.provider,
          metadata: { name: c.name },
          value: c.value,
          globalDefault: c.globalDefault,
          description: c.description,
          preemptionPolicy: "PreemptLowerPriority",
        }),
      ]),
    );
  }

  /** Every class, for `dependsOn` of releases whose pods name one. */
  get all(): PriorityClassV1[] {
    return Object.values(this.classes);
  }
}
