import type { Catalogue, EnvironmentConfig, RegionConfig } from "./schema";

/**
 * Where the catalogue's GitOps hub runs (`gitopsHub`: an environment and one of its regions),
 * answered in one place for the stacks, the platform parts and the teardown.
 */

/** Whether the cluster of `environment` in `region` is the GitOps hub. */
export function isGitOpsHub(catalogue: Catalogue, environment: string, region: string): boolean {
  return catalogue.gitopsHub.environment === environment && catalogue.gitopsHub.region === region;
}

/** The hub's environment and region. Throws when the catalogue does not have them (its rules refuse such a catalogue first). */
export function gitOpsHubSite(catalogue: Catalogue): { environment: EnvironmentConfig; region: RegionConfig } {
  const { environment: environmentName, region: regionName } = catalogue.gitopsHub;
  const environment = catalogue.environments.find((e) => e.name === environmentName);
  const region = environment?.regions.find((r) => r.region === regionName);
  if (!environment || !region) {
    throw new Error(`gitopsHub ${environmentName}/${regionName} is not a cluster of the catalogue`);
  }
  return { environment, region };
}
