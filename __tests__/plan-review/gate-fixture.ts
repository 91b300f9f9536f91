import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The replacement gate's small fixture: a VPC and a subnet as the base of two stacks, and a head
 * that changes each stack differently:
 * - `retagged`: the subnet's Name tag (an update in place, nothing replaced);
 * - `renumbered`: the VPC's and the subnet's CIDR blocks (both replaced, forced by cidr_block;
 *   the VPC is a guarded type).
 * `scripts/record-gate-plans.ts` plans it with the real Terraform and provider and records the
 * plans in `recorded/`; `replacement-gate.test.ts` replays them.
 */
export const FIXTURE_STACKS = ["renumbered", "retagged"] as const;
export type FixtureStack = (typeof FIXTURE_STACKS)[number];

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const BASE: Resources = {
  aws_vpc: { main: { cidr_block: "10.0.0.0/16", tags: { Name: "gate-fixture" } } },
  aws_subnet: { a: { vpc_id: "${aws_vpc.main.id}", cidr_block: "10.0.1.0/24", availability_zone: "eu-west-1a", tags: { Name: "gate-fixture-a" } } },
};

const HEAD: Record<FixtureStack, Resources> = {
  retagged: { ...BASE, aws_subnet: { a: { ...BASE.aws_subnet!.a, tags: { Name: "gate-fixture-a-renamed" } } } },
  renumbered: {
    aws_vpc: { main: { ...BASE.aws_vpc!.main, cidr_block: "10.1.0.0/16" } },
    aws_subnet: { a: { ...BASE.aws_subnet!.a, cidr_block: "10.1.1.0/24" } },
  },
};

/** The AWS provider version the stacks pin: the one the cdktf binding was generated for. */
export function pinnedAwsVersion(): string {
  return (JSON.parse(readFileSync(require.resolve("@cdktf/provider-aws/package.json"), "utf8")) as { cdktf: { provider: { version: string } } }).cdktf.provider.version;
}

/** Writes the base and the head as synthesized outputs (manifest + `cdk.tf.json` per stack) under `root`. */
export function writeGateFixture(root: string, awsVersion: string): { base: string; head: string } {
  const write = (side: "base" | "head") => {
    const dir = join(root, side);
    const manifest = { stacks: {} as Record<string, object> };
    for (const stack of FIXTURE_STACKS) {
      mkdirSync(join(dir, "stacks", stack), { recursive: true });
      const config = {
        terraform: { required_providers: { aws: { source: "aws", version: awsVersion } } },
        provider: { aws: [{ region: "eu-west-1" }] },
        resource: side === "base" ? BASE : HEAD[stack],
      };
      writeFileSync(join(dir, "stacks", stack, "cdk.tf.json"), JSON.stringify(config, null, 2));
      manifest.stacks[stack] = { name: stack, workingDirectory: `stacks/${stack}`, synthesizedStackPath: `stacks/${stack}/cdk.tf.json`, dependencies: [] };
    }
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
    return dir;
  };
  return { base: write("base"), head: write("head") };
}

/** What `scripts/record-gate-plans.ts` writes to `recorded/gate-plans.json`. */
export interface RecordedGatePlans {
  readonly terraformVersion: string;
  readonly awsVersion: string;
  /** `terraform providers schema -json`, cut down to the fixture's resource types. */
  readonly schema: unknown;
  /** `terraform show -json` of each plan the gate makes in a stack's base workspace: the plan against an empty state, then the self-check plans until no changes. */
  readonly basePlans: readonly unknown[];
  /** Per stack, the head planned against the base's settled simulated state. */
  readonly headPlans: Readonly<Record<FixtureStack, unknown>>;
}
