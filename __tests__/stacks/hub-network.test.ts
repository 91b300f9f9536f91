import { buildPlatformApp } from "../../stacks/platform-app";
import { loadCatalogue, selectEnvironments } from "../../src/config/load";
import { BUILT_IN_CATALOGUE } from "../../src/config/catalogue";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generatedEnvironment } from "../../src/config/generated-environments";
import { otherEnvironmentKeysRead } from "../../src/state/state-access";
import { hubPeeringOutputName } from "../../src/config/naming";
import { REGIONAL_OUTPUTS } from "../../stacks/regional-outputs";
import { resourcesOf, synthStacks, validCatalogue, type Block, type SynthesizedJson } from "../helpers";

/**
 * The private network path from the GitOps hub (production/us-east-1) to every spoke: peering
 * requests and hub routes in `production-hub-network`, acceptance, routes and API access in each
 * spoke's `<env>-hub-link-<region>`.
 */
const stacks = synthStacks();
const catalogue = validCatalogue();
const hubNetwork = stacks.get("production-hub-network")!;
const SPOKES = [
  { env: "staging", region: "us-east-1", account: "222222222222" },
  { env: "staging", region: "us-west-2", account: "222222222222" },
  { env: "production", region: "eu-west-1", account: "333333333333" },
] as const;
const cidrOf = (env: string, region: string) => catalogue.environments.find((e) => e.name === env)!.regions.find((r) => r.region === region)!.vpcCidr;
const HUB_CIDR = cidrOf("production", "us-east-1");

/** `${data.terraform_remote_state.<name>.outputs.<output>}` → the backend key of `<name>`, and the output. */
function remoteRead(json: SynthesizedJson, expression: unknown): { key: string; output: string } {
  const match = /^\$\{data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)\}$/.exec(String(expression));
  if (!match) {
    throw new Error(`not a remote-state read: ${String(expression)}`);
  }
  const block = json.data!.terraform_remote_state![match[1]!]! as { config: { key: string } };
  return { key: block.config.key, output: match[2]! };
}

describe("hub network stack (hub side)", () => {
  const peerings = resourcesOf(hubNetwork, "aws_vpc_peering_connection");

  test("requests one peering per spoke, from the hub VPC, with the spoke's account and region explicit", () => {
    expect(peerings.map((p) => `${p.peer_owner_id}/${p.peer_region}`).sort()).toEqual(SPOKES.map((s) => `${s.account}/${s.region}`).sort());
    for (const peering of peerings) {
      expect(remoteRead(hubNetwork, peering.vpc_id)).toEqual({ key: "meridian/production/production-regional-us-east-1.tfstate", output: REGIONAL_OUTPUTS.vpcId });
      expect(peering).not.toHaveProperty("auto_accept");
    }
  });

  test("each request targets its spoke's own VPC, read from that spoke's regional stack", () => {
    for (const spoke of SPOKES) {
      const peering = peerings.find((p) => p.peer_region === spoke.region && p.peer_owner_id === spoke.account)!;
      expect(remoteRead(hubNetwork, peering.peer_vpc_id).key).toBe(`meridian/${spoke.env}/${spoke.env}-regional-${spoke.region}.tfstate`);
    }
  });

  test("routes every spoke's CIDR from each of the hub's three private route tables over that spoke's peering", () => {
    const routes = resourcesOf(hubNetwork, "aws_route");
    for (const spoke of SPOKES) {
      const toSpoke = routes.filter((r) => r.destination_cidr_block === cidrOf(spoke.env, spoke.region));
      expect(toSpoke).toHaveLength(3);
      expect(new Set(toSpoke.map((r) => r.route_table_id)).size).toBe(3);
      const peeringId = Object.entries(hubNetwork.resource.aws_vpc_peering_connection!).find(([, p]) => p.peer_region === spoke.region && p.peer_owner_id === spoke.account)![0];
      expect(new Set(toSpoke.map((r) => r.vpc_peering_connection_id))).toEqual(new Set([`\${aws_vpc_peering_connection.${peeringId}.id}`]));
    }
    expect(routes).toHaveLength(SPOKES.length * 3);
  });

  test("publishes one output per spoke with the peering id, named as the link stacks read it", () => {
    expect(Object.keys(hubNetwork.output ?? {}).filter((o) => o.startsWith("peering_connection_")).sort()).toEqual([
      "peering_connection_production_eu_west_1",
      "peering_connection_staging_us_east_1",
      "peering_connection_staging_us_west_2",
    ]);
  });

  test("lives in the hub's account and region", () => {
    expect(hubNetwork.provider.aws).toEqual([expect.objectContaining({ region: "us-east-1", allowed_account_ids: ["333333333333"] })]);
    expect(hubNetwork.terraform.backend.s3).toMatchObject({ key: "meridian/production/production-hub-network.tfstate" });
  });

  test("the hub itself has no link stack; every other cluster has one", () => {
    const links = [...stacks.keys()].filter((name) => name.includes("-hub-link-")).sort();
    expect(links).toEqual(SPOKES.map((s) => `${s.env}-hub-link-${s.region}`).sort());
  });
});

describe.each(SPOKES)("hub link stack of $env/$region (spoke side)", (spoke) => {
  const link = stacks.get(`${spoke.env}-hub-link-${spoke.region}`)!;

  test("accepts the request the hub network stack publishes for this spoke", () => {
    const [accepter, ...others] = resourcesOf(link, "aws_vpc_peering_connection_accepter");
    expect(others).toHaveLength(0);
    expect(accepter!.auto_accept).toBe(true);
    expect(remoteRead(link, accepter!.vpc_peering_connection_id)).toEqual({
      key: "meridian/production/production-hub-network.tfstate",
      output: `peering_connection_${spoke.env}_${spoke.region.replace(/-/g, "_")}`,
    });
    expect(hubNetwork.output).toHaveProperty(hubPeeringOutputName(spoke.env, spoke.region));
  });

  test("routes the hub's CIDR from each of its three private route tables over the accepted peering", () => {
    const routes = resourcesOf(link, "aws_route");
    expect(routes).toHaveLength(3);
    expect(routes.every((r) => r.destination_cidr_block === HUB_CIDR && /^\$\{aws_vpc_peering_connection_accepter\.[\w-]+\.vpc_peering_connection_id\}$/.test(String(r.vpc_peering_connection_id)))).toBe(true);
    expect(new Set(routes.map((r) => remoteRead(link, r.route_table_id).key))).toEqual(new Set([`meridian/${spoke.env}/${spoke.env}-regional-${spoke.region}.tfstate`]));
  });

  test("admits only TCP 443 from the hub's VPC on the cluster security group", () => {
    const rules = resourcesOf(link, "aws_vpc_security_group_ingress_rule");
    expect(rules).toEqual([expect.objectContaining({ ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: HUB_CIDR, description: expect.stringMatching(/GitOps hub/) })]);
    expect(remoteRead(link, rules[0]!.security_group_id)).toMatchObject({ key: `meridian/${spoke.env}/${spoke.env}-regional-${spoke.region}.tfstate` });
  });

  test("lives in the spoke's own account and region", () => {
    expect(link.provider.aws).toEqual([expect.objectContaining({ region: spoke.region, allowed_account_ids: [spoke.account] })]);
  });
});

describe("partial synth", () => {
  test("without the whole catalogue the hub network stack is left out with a warning, and the spokes' links still read it by key", () => {
    // GIVEN only staging selected
    const { catalogue: loaded } = loadCatalogue(BUILT_IN_CATALOGUE);
    const outdir = mkdtempSync(join(tmpdir(), "partial-"));
    const warnings: string[] = [];
    try {
      // WHEN
      buildPlatformApp(loaded, { outdir, environments: selectEnvironments(loaded, "staging"), onWarning: (w) => warnings.push(w) }).synth();
      const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
      // THEN
      expect(Object.keys(manifest.stacks)).not.toContain("production-hub-network");
      expect(warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^production-hub-network .* is left out: it peers with every cluster of the catalogue/)]));
      const link = JSON.parse(readFileSync(join(outdir, manifest.stacks["staging-hub-link-us-west-2"]!.synthesizedStackPath), "utf8")) as SynthesizedJson;
      const remoteStates = Object.values(link.data!.terraform_remote_state!) as Block[];
      expect(remoteStates.map((r) => (r.config as Block).key)).toContain("meridian/production/production-hub-network.tfstate");
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe("an environment joins the hub only after it is deployed (joinedToHub)", () => {
  // GIVEN the built-in catalogue plus a new environment (own account, new VPC slots) that has not joined
  const withNewEnvironment = validCatalogue((raw) => {
    raw.environments.push(generatedEnvironment(raw.environments[0]!, { name: "qa", firstVpcSlot: 16, accountId: "444444444444", joinedToHub: false }));
  });
  const pending = synthStacks(withNewEnvironment);

  test("WHEN synthesized THEN only its AWS stacks exist: no hub link, no platform stack", () => {
    expect([...pending.keys()].filter((name) => name.startsWith("qa-")).sort()).toEqual(["qa-edge", "qa-global-database", "qa-regional-us-east-1", "qa-regional-us-west-2"]);
  });

  test("THEN the hub's network and platform stacks are exactly as before: they read no state of it", () => {
    for (const name of ["production-hub-network", "production-platform-us-east-1"]) {
      expect([name, JSON.stringify(pending.get(name)).includes("/qa/")]).toEqual([name, false]);
      expect(pending.get(name)).toEqual(stacks.get(name));
    }
  });

  test("THEN the state roles grant no read of it to the hub, nor of the hub network to it (least privilege follows joinedToHub)", () => {
    const production = withNewEnvironment.environments.find((e) => e.name === "production")!;
    const qa = withNewEnvironment.environments.find((e) => e.name === "qa")!;
    expect(otherEnvironmentKeysRead(withNewEnvironment, production).filter((key) => key.includes("/qa/"))).toEqual([]);
    expect(otherEnvironmentKeysRead(withNewEnvironment, qa)).toEqual([]);
    expect(otherEnvironmentKeysRead(catalogue, catalogue.environments.find((e) => e.name === "staging")!)).toEqual(["meridian/production/production-hub-network.tfstate"]);
  });

  test("a joined spoke is read by the hub network (the built-in staging is)", () => {
    const keys = Object.values(hubNetwork.data!.terraform_remote_state!).map((block) => (block as { config: { key: string } }).config.key);
    expect(keys).toContain("meridian/staging/staging-regional-us-west-2.tfstate");
  });
});
