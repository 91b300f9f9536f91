import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** Where a provider mirror is looked for when `TF_PLUGIN_MIRROR` is not set. */
export const MIRROR_CANDIDATES = [
  "/opt/tf-plugins",
  join(homedir(), ".terraform.d", "plugins"),
  "/usr/local/share/terraform/plugins",
  "/usr/share/terraform/plugins",
];

export const MINIMUM_TERRAFORM = "1.11.0";

/**
 * The filesystem mirror to install providers from: `TF_PLUGIN_MIRROR` when set (it must exist),
 * else the first candidate that holds providers in the unpacked layout
 * (`<host>/<namespace>/<type>/<version>/<os_arch>`), else undefined (install from the registry).
 */
export function findPluginMirror(env: NodeJS.ProcessEnv = process.env, candidates = MIRROR_CANDIDATES): string | undefined {
  const configured = env.TF_PLUGIN_MIRROR;
  if (configured) {
    if (!existsSync(configured)) {
      throw new Error(`TF_PLUGIN_MIRROR=${configured} does not exist`);
    }
    return configured;
  }
  return candidates.find((dir) => mirroredProviders(dir).length > 0);
}

/** Provider addresses (`registry.terraform.io/hashicorp/aws`) present in a mirror directory. */
export function mirroredProviders(mirror: string): string[] {
  const list = (dir: string) => {
    try {
      return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    } catch {
      return [];
    }
  };
  return list(mirror).flatMap((host) =>
    list(join(mirror, host)).flatMap((ns) => list(join(mirror, host, ns)).map((type) => `${host}/${ns}/${type}`)),
  );
}

/**
 * Writes a Terraform CLI configuration that takes mirrored providers from the mirror only, the
 * rest from the registry, and shares one plugin cache (links, not copies) across stacks.
 * Returns its path; pass it as `TF_CLI_CONFIG_FILE` so no user-level file is ever consulted.
 */
export function writeCliConfig(directory: string, mirror: string | undefined): string {
  mkdirSync(directory, { recursive: true });
  const cache = join(directory, "plugin-cache");
  mkdirSync(cache, { recursive: true });
  const providers = mirror ? mirroredProviders(mirror) : [];
  const hcl = (values: string[]) => `[${values.map((v) => JSON.stringify(v)).join(", ")}]`;
  const installation = mirror
    ? `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = ${hcl(providers)}
  }
  direct {
    exclude = ${hcl(providers)}
  }
}
`
    : "";
  const file = join(directory, "terraform.rc");
  writeFileSync(file, `# Written by the offline verification; do not edit.\n${installation}plugin_cache_dir = ${JSON.stringify(cache)}\n`);
  return file;
}

export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runTerraform(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<TerraformResult> {
  return new Promise((resolve) => {
    execFile("terraform", args, { cwd, env, maxBuffer: 512 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 127) : 0;
      resolve({ code, stdout, stderr: error && code === 127 ? `${stderr}${error.message}` : stderr });
    });
  });
}

/** The installed Terraform version; throws when Terraform is missing or older than required. */
export async function terraformVersion(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const result = await runTerraform(["version", "-json"], process.cwd(), env);
  if (result.code !== 0) {
    throw new Error(`terraform is not on PATH (need >= ${MINIMUM_TERRAFORM}): ${result.stderr.trim() || `exit ${result.code}`}`);
  }
  const version = (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
  if (compareVersions(version, MINIMUM_TERRAFORM) < 0) {
    throw new Error(`terraform ${version} is too old: the S3 backend's use_lockfile needs >= ${MINIMUM_TERRAFORM}`);
  }
  return version;
}

export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[.-]/).slice(0, 3).map((n) => Number.parseInt(n, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) {
    if (x[i] !== y[i]) {
      return (x[i] ?? 0) - (y[i] ?? 0);
    }
  }
  return 0;
}

/** The `Error:` blocks of Terraform's output, without the surrounding noise. */
export function terraformErrors(result: TerraformResult): string {
  // Commands run with -no-color, so there are no escape sequences to strip.
  const text = `${result.stderr}\n${result.stdout}`;
  const blocks = text.split(/\n(?=Error: )/).filter((b) => b.startsWith("Error: "));
  return (blocks.length > 0 ? blocks.join("\n") : text).trim().slice(0, 4000);
}
