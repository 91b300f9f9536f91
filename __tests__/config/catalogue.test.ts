import { cidrsOverlap, planSubnets } from "@meridian/constructs";
import { loadCatalogue, selectEnvironments } from "../../src/config/load";
import { rawCatalogue, validCatalogue } from "../helpers";

describe("built-in catalogue", () => {
  test("is valid and raises no warnings", () => {
    const { catalogue, warnings } = loadCatalogue(rawCatalogue());
    expect(catalogue.environments.map((e) => e.name)).toEqual(["staging", "production"]);
    expect(warnings).toEqual([]);
  });

  test("staging: us-east-1 + us-west-2, single NAT, still 3 AZs per region", () => {
    const staging = validCatalogue().environments.find((e) => e.name === "staging")!;
    expect([staging.primaryRegion, staging.secondaryRegion]).toEqual(["us-east-1", "us-west-2"]);
    expect(staging.natGateways).toBe("single");
    staging.regions.forEach((r) => expect(r.availabilityZones).toHaveLength(3));
  });

  test("production: us-east-1 + eu-west-1, NAT per AZ, 3 AZs per region, and the GitOps hub", () => {
    const catalogue = validCatalogue();
    const production = catalogue.environments.find((e) => e.name === "production")!;
    expect([production.primaryRegion, production.secondaryRegion]).toEqual(["us-east-1", "eu-west-1"]);
    expect(production.natGateways).toBe("per-az");
    production.regions.forEach((r) => expect(r.availabilityZones).toHaveLength(3));
    expect(catalogue.gitopsHub).toMatchObject({ environment: "production", region: "us-east-1", repository: { path: "clusters", revision: "main" } });
  });

  test("no two subnets of any region of any environment overlap", () => {
    const subnets = validCatalogue().environments.flatMap((env) =>
      env.regions.flatMap((r) => planSubnets(r.vpcCidr, r.availabilityZones).flatMap((p) => [p.public, p.private, p.database])),
    );
    subnets.forEach((a, i) => subnets.slice(i + 1).forEach((b) => expect([a, b, cidrsOverlap(a, b)]).toEqual([a, b, false])));
    expect(subnets).toHaveLength(2 * 2 * 3 * 3);
  });

  test("warns, but accepts, a region with 2 AZs", () => {
    const raw = rawCatalogue();
    raw.environments[0]!.regions[1]!.availabilityZones = ["us-west-2a", "us-west-2b"];
    const { warnings } = loadCatalogue(raw);
    expect(warnings).toEqual([expect.stringMatching(/^environments\[0\]\.regions\[1\]\.availabilityZones: staging\/us-west-2 uses 2 AZs; 3 are recommended/)]);
  });

  test("ENVIRONMENTS selects environments by name, all when empty", () => {
    const catalogue = validCatalogue();
    expect(selectEnvironments(catalogue, "production").map((e) => e.name)).toEqual(["production"]);
    expect(selectEnvironments(catalogue, " staging , production ").map((e) => e.name)).toEqual(["staging", "production"]);
    expect(selectEnvironments(catalogue, undefined)).toHaveLength(2);
    expect(selectEnvironments(catalogue, "")).toHaveLength(2);
  });
});
