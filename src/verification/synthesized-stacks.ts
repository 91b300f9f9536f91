import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A stack as `cdktf synth` wrote it. */
export interface SynthesizedStack {
  readonly name: string;
  /** Directory holding `cdk.tf.json`, absolute. */
  readonly directory: string;
  readonly config: TerraformJson;
  /** Provider names from `required_providers` (`aws`, `kubernetes`, …). */
  readonly providers: readonly string[];
  /** Stacks this one reads outputs from. */
  readonly dependencies: readonly string[];
}

/** The parts of Terraform JSON configuration the verification reads. */
export interface TerraformJson {
  readonly terraform?: {
    readonly backend?: Record<string, Record<string, unknown>>;
    readonly required_providers?: Record<string, { source?: string; version?: string }>;
  };
  readonly provider?: Record<string, Record<string, unknown>[]>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { value: unknown }>;
}

interface Manifest {
  readonly stacks: Record<string, { name: string; workingDirectory: string; synthesizedStackPath: string; dependencies?: string[] }>;
}

/** The file cdktf writes in each stack directory. */
export const SYNTHESIZED_FILE = "cdk.tf.json";

/** Providers whose binaries exist offline; a stack needing any other provider cannot be planned here. */
export const OFFLINE_PROVIDERS: readonly string[] = ["aws"];

/** Reads every stack listed in `<outdir>/manifest.json`. */
export function readSynthesizedStacks(outdir: string): SynthesizedStack[] {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as Manifest;
  } catch (error) {
    throw new Error(`no synthesized output in ${outdir} (run the synth first): ${(error as Error).message}`);
  }
  return Object.values(manifest.stacks).map((entry) => {
    const config = JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), "utf8")) as TerraformJson;
    return {
      name: entry.name,
      directory: join(outdir, entry.workingDirectory),
      config,
      providers: Object.keys(config.terraform?.required_providers ?? {}),
      dependencies: entry.dependencies ?? [],
    };
  });
}

/** Why a stack cannot be planned offline, or undefined when it can. */
export function offlineBlocker(stack: SynthesizedStack): string | undefined {
  const missing = stack.providers.filter((p) => !OFFLINE_PROVIDERS.includes(p));
  return missing.length === 0
    ? undefined
    : `uses provider${missing.length > 1 ? "s" : ""} ${missing.join(", ")}, which ${missing.length > 1 ? "have" : "has"} no offline binary; proven by unit, snapshot and schema tests instead`;
}

/** A digest of a stack's synthesized configuration, written next to its offline plan. */
export function configDigest(config: TerraformJson): string {
  return createHash("sha256").update(JSON.stringify(config)).digest("hex");
}

/** Where the digest of the configuration a plan was made from lives. */
export function planDigestFile(plansDirectory: string, stack: string): string {
  return join(plansDirectory, `${stack}.config.sha256`);
}

/** A synthesized configuration without cdktf's `//` metadata (comments, suppressions), to compare what Terraform sees. */
export function withoutCdktfMetadata(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === "//" ? undefined : v)));
}
