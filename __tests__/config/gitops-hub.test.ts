import { BUILT_IN_CATALOGUE } from "../../src/config/catalogue";
import { gitOpsHubSite, isGitOpsHub } from "../../src/config/gitops-hub";
import { loadCatalogue } from "../../src/config/load";

const { catalogue } = loadCatalogue(BUILT_IN_CATALOGUE);
const { environment: hubEnvironment, region: hubRegion } = catalogue.gitopsHub;

describe("the GitOps hub's site", () => {
  test("exactly one cluster of the catalogue is the hub", () => {
    const hubs = catalogue.environments.flatMap((e) => e.regions.filter((r) => isGitOpsHub(catalogue, e.name, r.region)).map((r) => `${e.name}/${r.region}`));
    expect(hubs).toEqual([`${hubEnvironment}/${hubRegion}`]);
  });

  test("resolves the hub's environment and region configuration", () => {
    const site = gitOpsHubSite(catalogue);
    expect(site.environment.name).toBe(hubEnvironment);
    expect(site.region.region).toBe(hubRegion);
    expect(site.region.vpcCidr).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
  });

  test("throws naming the hub when the catalogue does not have that cluster", () => {
    const elsewhere = { ...catalogue, gitopsHub: { ...catalogue.gitopsHub, region: "ap-south-1" } };
    expect(() => gitOpsHubSite(elsewhere)).toThrow(`gitopsHub ${hubEnvironment}/ap-south-1 is not a cluster of the catalogue`);
  });
});
