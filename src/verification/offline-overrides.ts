import { placeholderString } from "../terraform/provider-schema";
import type { SynthesizedStack, TerraformJson } from "./synthesized-stacks";

/**
 * Override files that make a synthesized stack plannable without AWS: a local backend, fake
 * credentials with every provider check that would call AWS switched off, and cross-stack
 * `terraform_remote_state` reads answered from placeholders. They are written next to a *copy*
 * of the stack, never into the synthesized output.
 */

/** The local state file the override's backend points at (the gate writes simulated state there). */
export const WORKSPACE_STATE_FILE = "terraform.tfstate";

/** File name of the override Terraform merges over `cdk.tf.json`. */
export const OVERRIDE_FILE = "offline_override.tf.json";
/** Empty state that placeholder remote states read; their `defaults` supply the outputs. */
export const EMPTY_REMOTE_STATE_FILE = "offline-remote-state.tfstate";

export const EMPTY_STATE = {
  version: 4,
  terraform_version: "1.11.0",
  serial: 1,
  lineage: "offline-verification",
  outputs: {},
  resources: [],
};

const FAKE_CREDENTIALS = {
  access_key: "AKIAOFFLINEVERIFY000",
  secret_key: "offline-verification-not-a-secret",
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: false,
  // The account guard needs the caller's account from STS; the synthesized stack keeps it.
  allowed_account_ids: null,
};

/**
 * @param servedRemoteStates - for the deploy rehearsal: per `terraform_remote_state` name, the local
 *   state file (relative to the workspace) holding the producer's simulated outputs. Reads are then
 *   answered from those files without `defaults`, so an output the producer lacks fails the plan.
 *   @default - every read answered from placeholders
 */
export function offlineOverrides(stack: SynthesizedStack, all: readonly SynthesizedStack[], servedRemoteStates?: ReadonlyMap<string, string>): TerraformJson {
  const providers: Record<string, Record<string, unknown>[]> = {};
  for (const block of stack.config.provider?.aws ?? []) {
    providers.aws = [...(providers.aws ?? []), { ...(block.alias ? { alias: block.alias } : {}), ...FAKE_CREDENTIALS }];
  }
  const remoteStates = stack.config.data?.terraform_remote_state ?? {};
  const data: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [name, block] of Object.entries(remoteStates)) {
    const served = servedRemoteStates?.get(name);
    if (servedRemoteStates && served === undefined) {
      throw new Error(`${stack.name}: data.terraform_remote_state.${name} has no simulated state to read`);
    }
    data.terraform_remote_state = {
      ...data.terraform_remote_state,
      [name]: served !== undefined
        ? { backend: "local", config: { path: served } }
        : { backend: "local", config: { path: EMPTY_REMOTE_STATE_FILE }, defaults: placeholderOutputs(stack, name, block, all) },
    };
  }
  return {
    terraform: { backend: { local: { path: WORKSPACE_STATE_FILE } } },
    provider: providers,
    ...(Object.keys(data).length > 0 ? { data } : {}),
  };
}

/**
 * A placeholder for every output the consumer reads from `remoteStateName`, shaped like the
 * value it stands for: a list when the producer's output is a list or the consumer converts it
 * with `tolist`/`toset` (how cdktf passes list attributes across stacks), and shaped by the
 * attribute the producer's output reads (`${aws_lb.ingress.arn}` → an ARN), which is what the
 * provider validates on the consumer's side.
 */
function placeholderOutputs(
  consumer: SynthesizedStack,
  remoteStateName: string,
  block: Record<string, unknown>,
  all: readonly SynthesizedStack[],
): Record<string, unknown> {
  const config = block.config as Record<string, unknown> | undefined;
  // The producer is the stack whose backend holds the state read: an S3 key (this app), or the
  // local state file cdktf's default backend writes (an app without a backend, e.g. examples/).
  const producer =
    block.backend === "local"
      ? all.find((s) => s.config.terraform?.backend?.local?.path === config?.path)
      : all.find((s) => config?.key !== undefined && s.config.terraform?.backend?.s3?.key === config.key);
  const text = JSON.stringify(consumer.config);
  const pattern = new RegExp(`(tolist\\(|toset\\()?data\\.terraform_remote_state\\.${escape(remoteStateName)}\\.outputs\\.([A-Za-z0-9_-]+)`, "g");
  const defaults: Record<string, unknown> = {};
  for (const match of text.matchAll(pattern)) {
    const output = match[2]!;
    const producerValue = producer?.config.output?.[output]?.value;
    const isList = match[1] !== undefined || Array.isArray(producerValue) || (typeof producerValue === "string" && /^\$\{\[|\[\*\]|\.\*\./.test(producerValue));
    if (!(output in defaults) || isList) {
      defaults[output] = placeholderFor(producer, output, producerValue, isList);
    }
  }
  return defaults;
}

/** What a producer output reads, e.g. `aws_lb` and `arn` for `${aws_lb.ingress_nlb.arn}`; undefined for anything else. */
function referencedAttribute(producerValue: unknown): { type: string; attribute: string } | undefined {
  const match = typeof producerValue === "string" ? /^\$\{([\w-]+)\.[\w-]+\.(\w+)(\[\d+\]\.\w+)*\}$/.exec(producerValue) : null;
  return match ? { type: match[1]!, attribute: match[2]! } : undefined;
}

/**
 * The gate's placeholder for that attribute (an ARN of the producer's type, a hosted zone id, a
 * DNS name …), in the region of the producer's default AWS provider (an aliased provider's
 * resources get it too: offline, only the shape matters).
 */
function placeholderFor(producer: SynthesizedStack | undefined, output: string, producerValue: unknown, isList: boolean): unknown {
  const read = referencedAttribute(producerValue);
  const region = producer?.config.provider?.aws?.[0]?.region;
  const scalar = placeholderString({
    type: read?.type ?? "",
    address: `${producer?.name ?? "unknown"}.${output}`,
    path: [read?.attribute ?? output],
    region: typeof region === "string" ? region : "us-east-1",
  });
  return isList ? [scalar, scalar, scalar] : scalar;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The stack's configuration with every `ephemeral` block made *unknown at plan time*, so
 * Terraform defers opening it ("Configuration unknown, deferring...") instead of calling AWS
 * (Secrets Manager) with fake credentials. Terraform 1.11 does not apply override files to
 * ephemeral blocks, so the harness rewrites its own copy of the stack instead; `timestamp()` is
 * the one expression that is always unknown during plan. Returns `undefined` when the stack has
 * no ephemeral block.
 */
export function deferEphemeralResources(config: TerraformJson): TerraformJson | undefined {
  const ephemeral = (config as { ephemeral?: Record<string, Record<string, Record<string, unknown>>> }).ephemeral;
  if (!ephemeral) {
    return undefined;
  }
  const deferred: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [type, blocks] of Object.entries(ephemeral)) {
    deferred[type] = {};
    for (const [name, block] of Object.entries(blocks)) {
      const argument = Object.keys(block).find((key) => !["provider", "depends_on", "count", "for_each", "lifecycle"].includes(key));
      if (!argument) {
        throw new Error(`ephemeral.${type}.${name} has no argument that could be made unknown; the offline harness cannot defer it`);
      }
      // A quoted HCL string is a template: escape `${` and `%{` so the value stays literal.
      const literal = JSON.stringify(JSON.stringify(block[argument])).replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
      deferred[type][name] = { ...block, [argument]: `\${timestamp() != "" ? jsondecode(${literal}) : null}` };
    }
  }
  return { ...config, ephemeral: deferred } as TerraformJson;
}
