import { basename } from "node:path";
import type { TerraformJson } from "../verification/synthesized-stacks";
import { isObject } from "./terraform-values";

/** Where a stack's resource values came from. */
export type ValueSource = "plan" | "synthesized";

/** One resource as the rules see it. */
export interface PolicyResource {
  readonly stack: string;
  /** `type.name`, with `[index]` for counted resources in a plan. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  /**
   * Attribute values: as planned (plan JSON) or as configured (synthesized JSON). Values known
   * only after apply are `UNKNOWN` (see terraform-values.ts).
   */
  readonly values: Readonly<Record<string, unknown>>;
  /**
   * The synthesized block, interpolations intact: where references to other resources are read
   * (a plan only has their unknown results), and where suppressions live. `{}` when the plan has
   * a resource the synthesized JSON does not (it never should).
   */
  readonly config: Readonly<Record<string, unknown>>;
}

/** One stack as the rules see it. */
export interface PolicyStack {
  readonly name: string;
  readonly source: ValueSource;
  /** Why the synthesized JSON was used (no plan, plan out of date, …). */
  readonly sourceNote?: string;
  /** The synthesized configuration: providers, backend, data sources, outputs. */
  readonly config: TerraformJson;
  readonly resources: readonly PolicyResource[];
}

/** A reference from one resource's configuration to a resource or data source, possibly in another stack. */
export interface ResolvedReference {
  readonly stack: string;
  /** `type.name` or `data.type.name`. */
  readonly address: string;
  /** The attribute path after the address (`arn`, `vpc_config[0].cluster_security_group_id`), or "". */
  readonly attribute: string;
  /** The managed resource, when the reference is to one this input holds. */
  readonly resource?: PolicyResource;
}

const REMOTE_STATE = /^data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)/;
const ADDRESS = /(?<![\w.-])((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][\w-]*)((?:\.[\w-]+|\[\d+\])*)/g;

/**
 * The stacks under evaluation, indexed for rules that look across resources and stacks:
 * resources by type, references resolved through `${...}` and cross-stack remote-state outputs,
 * the region a resource's provider points at, and the environment a stack belongs to.
 */
export class PolicyInput {
  readonly stacks: readonly PolicyStack[];
  private readonly byStack = new Map<string, PolicyStack>();
  private readonly byAddress = new Map<string, PolicyResource>();
  private readonly byType = new Map<string, PolicyResource[]>();

  constructor(stacks: readonly PolicyStack[]) {
    this.stacks = stacks;
    for (const stack of stacks) {
      this.byStack.set(stack.name, stack);
      for (const resource of stack.resources) {
        this.byAddress.set(`${stack.name}\u0000${resource.address}`, resource);
        // A counted resource (`type.name[0]`) is also found by the address configurations use.
        const configured = `${stack.name}\u0000${resource.type}.${resource.name}`;
        if (!this.byAddress.has(configured)) {
          this.byAddress.set(configured, resource);
        }
        const key = `${stack.name}\u0000${resource.type}`;
        const list = this.byType.get(key) ?? [];
        list.push(resource);
        this.byType.set(key, list);
      }
    }
  }

  /** Resources of a type in one stack. */
  resourcesOf(stack: string, type: string): readonly PolicyResource[] {
    return this.byType.get(`${stack}\u0000${type}`) ?? [];
  }

  /** Resources of a type in every stack. */
  allResourcesOf(type: string): PolicyResource[] {
    return this.stacks.flatMap((stack) => this.resourcesOf(stack.name, type));
  }

  resource(stack: string, address: string): PolicyResource | undefined {
    return this.byAddress.get(`${stack}\u0000${address}`);
  }

  /** A data source block of a stack's synthesized JSON (`data.type.name`). */
  dataSource(stack: string, address: string): Record<string, unknown> | undefined {
    const [, type, name] = address.split(".");
    return this.byStack.get(stack)?.config.data?.[type ?? ""]?.[name ?? ""];
  }

  /**
   * Everything a configured value refers to, following cross-stack remote-state outputs to the
   * producing stack. Plain values refer to nothing.
   */
  references(stack: string, value: unknown, depth = 0): ResolvedReference[] {
    const found: ResolvedReference[] = [];
    for (const expression of interpolations(value)) {
      for (const match of expression.matchAll(ADDRESS)) {
        const address = match[1]!;
        const attribute = (match[2] ?? "").replace(/^\./, "");
        if (address.startsWith("data.terraform_remote_state.")) {
          found.push(...this.remoteStateReferences(stack, `${address}.${attribute}`, depth));
          continue;
        }
        if (address.startsWith("data.")) {
          if (this.dataSource(stack, address)) {
            found.push({ stack, address, attribute });
          }
          continue;
        }
        const resource = this.resource(stack, address);
        if (resource) {
          found.push({ stack, address, attribute, resource });
        }
      }
    }
    return found;
  }

  /** The managed resources a configured value refers to, optionally only of some types. */
  referencedResources(resource: PolicyResource, value: unknown, types?: readonly string[]): PolicyResource[] {
    return this.references(resource.stack, value)
      .map((ref) => ref.resource)
      .filter((r): r is PolicyResource => r !== undefined && (!types || types.includes(r.type)));
  }

  /** Resources of `type` in the same stack whose attribute `attribute` refers to `target`. */
  referrers(target: PolicyResource, type: string, attribute: string): PolicyResource[] {
    return this.resourcesOf(target.stack, type).filter((candidate) =>
      this.references(candidate.stack, candidate.config[attribute]).some((ref) => ref.resource === target),
    );
  }

  /** Region of the provider a resource uses; undefined when the configuration does not say. */
  regionOf(resource: PolicyResource): string | undefined {
    const stack = this.byStack.get(resource.stack);
    const providerRef = typeof resource.config.provider === "string" ? resource.config.provider : resource.type.split("_")[0]!;
    const [providerName, alias] = providerRef.split(".");
    const blocks = stack?.config.provider?.[providerName ?? ""] ?? [];
    const block = blocks.find((b) => (alias ? b.alias === alias : b.alias === undefined)) ?? (alias ? undefined : blocks[0]);
    const region = block?.region;
    return typeof region === "string" && !region.includes("${") ? region : undefined;
  }

  /**
   * The environment a stack belongs to: the `environment` default tag of its AWS provider, else
   * the stack name up to the first hyphen.
   */
  environmentOf(stackName: string): string {
    const stack = this.byStack.get(stackName);
    for (const provider of stack?.config.provider?.aws ?? []) {
      const tags = (provider.default_tags as { tags?: Record<string, unknown> }[] | undefined)?.[0]?.tags;
      if (typeof tags?.environment === "string") {
        return tags.environment;
      }
    }
    return stackName.split("-")[0]!;
  }

  /** Bucket names of the S3 backends the stacks keep their state in. */
  stateBucketNames(): Set<string> {
    const names = new Set<string>();
    for (const stack of this.stacks) {
      const bucket = stack.config.terraform?.backend?.s3?.bucket;
      if (typeof bucket === "string") {
        names.add(bucket);
      }
    }
    return names;
  }

  private remoteStateReferences(stack: string, expression: string, depth: number): ResolvedReference[] {
    const match = REMOTE_STATE.exec(expression);
    if (!match || depth > 4) {
      return [];
    }
    const [, dataName, output] = match;
    const producer = this.producerStack(stack, dataName!);
    const value = producer?.config.output?.[output!]?.value;
    return producer ? this.references(producer.name, value, depth + 1) : [];
  }

  /** The stack a `terraform_remote_state` data source reads: by its state key, else by cdktf's naming. */
  private producerStack(stack: string, dataName: string): PolicyStack | undefined {
    const block = this.dataSource(stack, `data.terraform_remote_state.${dataName}`);
    const config = isObject(block?.config) ? block.config : {};
    const key = typeof config.key === "string" ? config.key : typeof config.path === "string" ? config.path : undefined;
    const byKey = key ? this.byStack.get(basename(key).replace(/\.tfstate$/, "")) : undefined;
    return byKey ?? this.byStack.get(dataName.replace(/^cross-stack-reference-input-/, ""));
  }
}

/** The `${...}` expressions anywhere inside a configured value. */
export function interpolations(value: unknown): string[] {
  const found: string[] = [];
  const visit = (v: unknown) => {
    if (typeof v === "string") {
      let start = v.indexOf("${");
      while (start !== -1) {
        let depth = 0;
        let end = start + 2;
        for (; end < v.length; end++) {
          if (v[end] === "{") {
            depth++;
          } else if (v[end] === "}") {
            if (depth === 0) {
              break;
            }
            depth--;
          }
        }
        found.push(v.slice(start + 2, end));
        start = v.indexOf("${", end);
      }
    } else if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (isObject(v)) {
      Object.values(v).forEach(visit);
    }
  };
  visit(value);
  return found;
}
