import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { configDigest, planDigestFile, readSynthesizedStacks, type SynthesizedStack } from "../verification/synthesized-stacks";
import { plannedResources, type PlanJson } from "./plan-json";
import type { PolicyResource, PolicyStack } from "./policy-input";
import { UNKNOWN, configuredValues, isObject } from "./terraform-values";

/** Where `npm run verify` writes `terraform show -json` of each plannable stack. */
export const PLANS_DIRECTORY = "plans";

/**
 * The stacks of a synthesized output directory as the policy engine reads them: values from
 * `<outdir>/plans/<stack>.json` where a plan exists and still matches the synthesized JSON,
 * otherwise from `<outdir>/stacks/<stack>/cdk.tf.json`.
 */
export function readPolicyStacks(outdir: string): PolicyStack[] {
  const synthesized = readSynthesizedStacks(outdir);
  const plans = new Map<string, PlanJson>();
  const notes = new Map<string, string>();
  for (const stack of synthesized) {
    const file = join(outdir, PLANS_DIRECTORY, `${stack.name}.json`);
    if (!existsSync(file)) {
      continue;
    }
    // The digest verify wrote with the plan: any change to the configuration (nested blocks
    // included) since then makes the plan stale.
    const digestFile = planDigestFile(join(outdir, PLANS_DIRECTORY), stack.name);
    if (existsSync(digestFile) && readFileSync(digestFile, "utf8").trim() !== configDigest(stack.config)) {
      notes.set(stack.name, "plan out of date (the configuration changed after `npm run verify`)");
      continue;
    }
    plans.set(stack.name, JSON.parse(readFileSync(file, "utf8")) as PlanJson);
  }
  return policyStacks(synthesized, plans, notes);
}

/** Builds the policy view of synthesized stacks, using a stack's plan when given one that matches. */
export function policyStacks(
  synthesized: readonly Pick<SynthesizedStack, "name" | "config">[],
  plans: ReadonlyMap<string, PlanJson> = new Map(),
  notes: ReadonlyMap<string, string> = new Map(),
): PolicyStack[] {
  return synthesized.map((stack) => {
    const configured = synthesizedResources(stack);
    const backend = backendResources(stack);
    const plan = plans.get(stack.name);
    if (!plan) {
      return { name: stack.name, source: "synthesized", sourceNote: notes.get(stack.name) ?? "no plan", config: stack.config, resources: [...configured, ...backend] };
    }
    const fromPlan = planResources(stack, plan);
    const drift = planDrift(configured, fromPlan);
    if (drift) {
      return { name: stack.name, source: "synthesized", sourceNote: `plan out of date (${drift})`, config: stack.config, resources: [...configured, ...backend] };
    }
    return { name: stack.name, source: "plan", config: stack.config, resources: [...fromPlan, ...backend] };
  });
}

/** Resource type under which rules see a stack's backend block (`terraform.backend.<type>`). */
export const BACKEND_RESOURCE_TYPE = "terraform_backend";

/**
 * The stack's `terraform.backend` block as a resource of type {@link BACKEND_RESOURCE_TYPE}
 * (address `terraform.backend.s3`), so rules check the backend settings like any resource; a
 * plan never holds it, so its values are always the configured ones.
 */
function backendResources(stack: Pick<SynthesizedStack, "name" | "config">): PolicyResource[] {
  return Object.entries(stack.config.terraform?.backend ?? {})
    .filter((entry): entry is [string, Record<string, unknown>] => isObject(entry[1]))
    .map(([type, config]) => ({ stack: stack.name, address: `terraform.backend.${type}`, type: BACKEND_RESOURCE_TYPE, name: type, values: configuredValues(config), config }));
}

function synthesizedResources(stack: Pick<SynthesizedStack, "name" | "config">): PolicyResource[] {
  const resources: PolicyResource[] = [];
  for (const [type, byName] of Object.entries(stack.config.resource ?? {})) {
    for (const [name, config] of Object.entries(byName)) {
      resources.push({ stack: stack.name, address: `${type}.${name}`, type, name, values: configuredValues(config), config });
    }
  }
  return resources;
}

function planResources(stack: Pick<SynthesizedStack, "name" | "config">, plan: PlanJson): PolicyResource[] {
  return plannedResources(plan).map((planned) => {
    const config = stack.config.resource?.[planned.type]?.[planned.name] ?? {};
    return {
      stack: stack.name,
      address: planned.address,
      type: planned.type,
      name: planned.name,
      values: leftToDefaults(withoutRemoteStateValues(planned.values, config), config) as Record<string, unknown>,
      config,
    };
  });
}

/**
 * Unknown planned values the configuration does not set, made unset: the provider computes
 * them from its defaults, and the rules know those defaults (as they do reading synthesized
 * JSON). Without a configuration block to compare with, nothing changes.
 */
function leftToDefaults(planned: unknown, configured: unknown): unknown {
  if (!isObject(configured) || Object.keys(configured).length === 0) {
    return planned;
  }
  if (Array.isArray(planned)) {
    return planned.map((item, i) => (i === 0 ? leftToDefaults(item, configured) : item));
  }
  if (!isObject(planned)) {
    return planned;
  }
  const settled: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(planned)) {
    const configuredValue = configured[key];
    if (configuredValue === undefined && value === UNKNOWN) {
      continue;
    }
    settled[key] = Array.isArray(configuredValue) && Array.isArray(value) ? value.map((item, i) => leftToDefaults(item, configuredValue[i])) : leftToDefaults(value, configuredValue);
  }
  return settled;
}

/**
 * Planned values read from another stack's outputs, made unknown: the offline plan answers
 * `terraform_remote_state` with placeholders (`offline-cross-stack-output-…`), not the real
 * values. Rules follow such references through the configuration instead.
 */
function withoutRemoteStateValues(planned: unknown, configured: unknown): unknown {
  if (typeof configured === "string") {
    return configured.includes("data.terraform_remote_state.") ? UNKNOWN : planned;
  }
  if (Array.isArray(configured)) {
    return Array.isArray(planned) ? planned.map((item, i) => (i < configured.length ? withoutRemoteStateValues(item, configured[i]) : item)) : planned;
  }
  if (isObject(configured)) {
    // A single nested block: an object in synthesized JSON, a one-element list in the plan.
    if (Array.isArray(planned)) {
      return planned.map((item, i) => (i === 0 ? withoutRemoteStateValues(item, configured) : item));
    }
    if (isObject(planned)) {
      const copy: Record<string, unknown> = { ...planned };
      for (const [key, value] of Object.entries(configured)) {
        if (key in copy) {
          copy[key] = withoutRemoteStateValues(copy[key], value);
        }
      }
      return copy;
    }
  }
  return planned;
}

/**
 * Why a plan no longer describes the synthesized stack (someone synthesized again since the
 * plan), or undefined when it does: the same resources, and every literal top-level argument of
 * the configuration planned with that value.
 */
function planDrift(configured: readonly PolicyResource[], planned: readonly PolicyResource[]): string | undefined {
  const plannedByAddress = new Map(planned.map((r) => [`${r.type}.${r.name}`, r]));
  const configuredAddresses = new Set(configured.map((r) => r.address));
  const onlyConfigured = configured.filter((r) => !plannedByAddress.has(r.address)).map((r) => r.address);
  const onlyPlanned = [...plannedByAddress.keys()].filter((address) => !configuredAddresses.has(address));
  if (onlyConfigured.length > 0 || onlyPlanned.length > 0) {
    const sample = [...onlyConfigured.map((a) => `${a} not planned`), ...onlyPlanned.map((a) => `${a} no longer synthesized`)];
    return `${sample.length} resource(s) differ, e.g. ${sample[0]}`;
  }
  for (const resource of configured) {
    const values = plannedByAddress.get(resource.address)!.values;
    // resource.values holds exactly the attributes (meta-arguments dropped), with literals as configured.
    for (const [key, value] of Object.entries(resource.values)) {
      if ((typeof value === "number" || typeof value === "boolean" || typeof value === "string") && !samePrimitive(value, values[key])) {
        return `${resource.address}.${key} is ${JSON.stringify(value)} but was planned as ${JSON.stringify(values[key])}`;
      }
    }
  }
  return undefined;
}

/** Equal as Terraform compares a configured literal with its planned value (JSON documents normalized). */
function samePrimitive(configured: string | number | boolean, planned: unknown): boolean {
  if (String(configured) === String(planned)) {
    return true;
  }
  if (typeof configured === "string" && typeof planned === "string" && /^\s*[[{]/.test(configured)) {
    try {
      return canonicalJson(JSON.parse(configured)) === canonicalJson(JSON.parse(planned));
    } catch {
      return false;
    }
  }
  return false;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(",")}]`;
  }
  if (isObject(value)) {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
