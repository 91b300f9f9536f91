import { movesWithTheAuroraWriter } from "@meridian/constructs";
import { REPLACEMENT_ARGUMENTS, STATEFUL_RESOURCE_TYPES } from "../../src/verification/replacement-attributes";
import { diffStacks, synthStacks, validCatalogue, type Block, type SynthesizedJson } from "../helpers";

/**
 * After a switchover or failover the operator swaps primaryRegion and secondaryRegion in the
 * catalogue. The next plan must replace nothing: these tests synthesize every environment both
 * ways and compare them resource by resource.
 */

// GIVEN the built-in catalogue, and the same catalogue after a switchover of every environment
const before = synthStacks();
const after = synthStacks(
  validCatalogue((raw) => {
    for (const env of raw.environments) {
      [env.primaryRegion, env.secondaryRegion] = [env.secondaryRegion, env.primaryRegion];
    }
  }),
);
const environmentStacks = [...before.keys()].filter((name) => name !== "state-bootstrap");

type Address = string;

// The writer failover drill's template, role and policy follow the writer (movesWithTheAuroraWriter).
const movesWithTheWriter = (address: Address) => movesWithTheAuroraWriter(address);

function resources(json: SynthesizedJson): Map<Address, { type: string; block: Block }> {
  const found = new Map<Address, { type: string; block: Block }>();
  for (const [type, blocks] of Object.entries(json.resource ?? {})) {
    for (const [name, block] of Object.entries(blocks)) {
      found.set(`${type}.${name}`, { type, block });
    }
  }
  return found;
}

function ignoredChanges(block: Block): string[] {
  return ((block.lifecycle as { ignore_changes?: string[] } | undefined)?.ignore_changes ?? []) as string[];
}

/** The region a resource's provider points at: its alias, or the default provider. */
function regionOf(json: SynthesizedJson, block: Block): string {
  if (!json.provider.aws) {
    return "(in-cluster)"; // platform stacks: kubernetes and helm only
  }
  const reference = (block.provider as string | undefined) ?? "aws";
  const alias = reference.split(".")[1];
  const provider = json.provider.aws!.find((p) => (p.alias as string | undefined) === alias);
  return provider!.region as string;
}

/** Top-level arguments whose values differ, ignoring cdktf's metadata. */
function differingArguments(a: Block, b: Block): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => k !== "//"));
  return [...keys].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
}

describe("flipping the primary region", () => {
  test("synthesizes the same stacks", () => {
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  });

  test.each(environmentStacks)("%s: every resource keeps its address, except the writer failover drill, which follows the writer", (name) => {
    const kept = (json: SynthesizedJson) => [...resources(json).keys()].filter((a) => !movesWithTheWriter(a)).sort();
    expect(kept(after.get(name)!)).toEqual(kept(before.get(name)!));
    const moving = (json: SynthesizedJson) => [...resources(json).keys()].filter(movesWithTheWriter).length;
    if (name.includes("-regional-")) {
      const region = name.split("-regional-")[1]!;
      const environment = validCatalogue().environments.find((e) => name.startsWith(`${e.name}-`))!;
      // THEN the drill is in the writer's stack before the flip and in the other one after it
      expect([moving(before.get(name)!), moving(after.get(name)!)]).toEqual(region === environment.primaryRegion ? [3, 0] : [0, 3]);
    } else {
      expect([moving(before.get(name)!), moving(after.get(name)!)]).toEqual([0, 0]);
    }
  });

  test.each(environmentStacks)("%s: the stack holds its stateful resources before and after", (name) => {
    const stateful = [...resources(before.get(name)!).values()].filter((r) => (STATEFUL_RESOURCE_TYPES as readonly string[]).includes(r.type));
    if (name.endsWith("-global-database")) {
      expect(stateful.map((r) => r.type)).toEqual(expect.arrayContaining(["aws_rds_global_cluster", "aws_kms_key", "aws_kms_replica_key", "aws_secretsmanager_secret", "aws_dynamodb_table"]));
    } else if (name.endsWith("-edge")) {
      expect(stateful.map((r) => r.type)).toEqual(["aws_kms_key"]); // the flow-log bucket's key
    } else if (name.includes("-platform-") || name.includes("-hub-")) {
      expect(stateful).toEqual([]); // in-cluster objects, or the GitOps network path (peering, routes)
    } else {
      expect(stateful.map((r) => r.type)).toEqual(expect.arrayContaining(["aws_rds_cluster", "aws_rds_cluster_instance"]));
    }
  });

  test.each(environmentStacks)("%s: every resource stays in its region", (name) => {
    const was = before.get(name)!;
    const is = after.get(name)!;
    for (const [address, { block }] of [...resources(was)].filter(([a]) => !movesWithTheWriter(a))) {
      const now = resources(is).get(address)!.block;
      expect([address, regionOf(is, now)]).toEqual([address, regionOf(was, block)]);
    }
  });

  test.each(environmentStacks)("%s: no argument that forces replacement changes, unless Terraform is told to ignore it", (name) => {
    const was = resources(before.get(name)!);
    const is = resources(after.get(name)!);
    for (const [address, { type, block }] of [...was].filter(([a]) => !movesWithTheWriter(a))) {
      const forcing = REPLACEMENT_ARGUMENTS[type] ?? [];
      const now = is.get(address)!.block;
      for (const argument of differingArguments(block, now).filter((a) => forcing.includes(a))) {
        // THEN a differing replacement argument is ignored both before and after the flip
        expect({ address, argument, ignoredBefore: ignoredChanges(block).includes(argument), ignoredAfter: ignoredChanges(now).includes(argument) }).toEqual({
          address,
          argument,
          ignoredBefore: true,
          ignoredAfter: true,
        });
      }
    }
  });

  // The explicit list: everything a flip changes, in resources, data sources, ephemeral values,
  // outputs, providers and the backend. Anything else differing fails.
  test.each(environmentStacks)("%s: only the member clusters' role arguments, the writer's secret read, the writer failover drill and the role-named provider aliases change", (name) => {
    const changed = diffStacks(before.get(name)!, after.get(name)!);
    if (name.endsWith("-global-database")) {
      // The `primary` and `secondary` aliases swap regions; the replica key and its alias, in the
      // non-home region, take that region's new alias: same region, new alias name.
      expect(changed).toEqual([
        "provider.aws[1]",
        "provider.aws[2]",
        "resource.aws_kms_alias.data-key_replica-alias.provider",
        "resource.aws_kms_replica_key.data-key_replica.provider",
      ]);
    } else if (name.endsWith("-edge") || name.includes("-platform-") || name.includes("-hub-")) {
      // Endpoint groups, in-cluster add-ons and the GitOps network path are per region, never per role.
      expect(changed).toEqual([]);
    } else {
      // The member's role arguments, the ephemeral read of the master secret, which only the
      // writer makes, and the writer failover drill, which only the writer's region has.
      expect(changed).toEqual([
        "data.aws_iam_policy_document.region-failure-drill_aurora-writer-failover-permissions",
        "ephemeral.aws_secretsmanager_secret_version.aurora_master-secret",
        "resource.aws_fis_experiment_template.region-failure-drill_aurora-writer-failover-template",
        "resource.aws_iam_role.region-failure-drill_aurora-writer-failover-role",
        "resource.aws_iam_role_policy.region-failure-drill_aurora-writer-failover-role-policy",
        "resource.aws_rds_cluster.aurora_cluster.database_name",
        "resource.aws_rds_cluster.aurora_cluster.lifecycle",
        "resource.aws_rds_cluster.aurora_cluster.master_password_wo",
        "resource.aws_rds_cluster.aurora_cluster.master_password_wo_version",
        "resource.aws_rds_cluster.aurora_cluster.master_username",
        "resource.aws_rds_cluster.aurora_cluster.source_region",
      ]);
    }
  });

  test.each(environmentStacks.filter((name) => name.endsWith("-global-database")))("%s: the aliases swap regions, the default provider stays in the home region", (name) => {
    const regions = (json: SynthesizedJson) => json.provider.aws!.map((p) => [(p.alias as string | undefined) ?? "(default)", p.region]);
    const [home, other] = name.startsWith("production") ? ["us-east-1", "eu-west-1"] : ["us-east-1", "us-west-2"];
    expect(regions(before.get(name)!)).toEqual([
      ["(default)", home],
      ["primary", home],
      ["secondary", other],
    ]);
    expect(regions(after.get(name)!)).toEqual([
      ["(default)", home],
      ["primary", other],
      ["secondary", home],
    ]);
  });

  test("the member clusters' replacement arguments that differ by role are exactly the ignored ones", () => {
    // GIVEN the member in eu-west-1, a reader before the flip and the writer after it
    const find = (json: SynthesizedJson) => Object.values(json.resource.aws_rds_cluster!)[0]!;
    const reader = find(before.get("production-regional-eu-west-1")!);
    const writer = find(after.get("production-regional-eu-west-1")!);
    // THEN source_region, database_name and master_username differ, and all three are ignored
    expect(differingArguments(reader, writer).filter((a) => REPLACEMENT_ARGUMENTS.aws_rds_cluster!.includes(a))).toEqual(["database_name", "master_username", "source_region"]);
    const membership = ["engine_version", "global_cluster_identifier", "replication_source_identifier", "source_region", "database_name", "master_username"];
    expect(ignoredChanges(reader)).toEqual([...membership, "master_password_wo_version"]);
    expect(ignoredChanges(writer)).toEqual(membership);
    // AND what must never differ is the same
    for (const argument of ["cluster_identifier", "engine", "engine_mode", "kms_key_id", "storage_encrypted", "db_subnet_group_name", "global_cluster_identifier"]) {
      expect([argument, writer[argument]]).toEqual([argument, reader[argument]]);
    }
    expect(reader.source_region).toBe("us-east-1");
    expect(writer.source_region).toBeUndefined();
  });

  test("the writer moves: the old reader gets the password from the replicated secret, the old writer stops asking for it", () => {
    const cluster = (json: SynthesizedJson) => Object.values(json.resource.aws_rds_cluster!)[0]!;
    const euAfter = cluster(after.get("production-regional-eu-west-1")!);
    const usAfter = cluster(after.get("production-regional-us-east-1")!);
    expect(euAfter.master_password_wo).toMatch(/^\$\{jsondecode\(ephemeral\.aws_secretsmanager_secret_version\.[\w-]+\.secret_string\)\["password"\]\}$/);
    expect(euAfter.master_password_wo_version).toBe(1);
    expect(usAfter.master_password_wo).toBeUndefined();
    // A reader must not clear the writer's password version Terraform recorded before the flip.
    expect(ignoredChanges(usAfter)).toContain("master_password_wo_version");
  });
});
