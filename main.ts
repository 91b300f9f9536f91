import { loadConfiguredCatalogue } from "./src/config/catalogue-source";
import { ConfigError, selectEnvironments } from "./src/config/load";
import { STATE_SITES, type StateSite } from "./src/state/s3-backend";
import { leanSynthTraces } from "./src/synth-traces";
import { buildPlatformApp } from "./stacks/platform-app";

leanSynthTraces();

// Builds the App from the built-in catalogue, or the file CATALOGUE names. ENVIRONMENTS=a,b narrows it; STATE_SITE=replica
// points every backend at the state replica during an outage of the state region.
try {
  const { catalogue, warnings } = loadConfiguredCatalogue();
  warnings.forEach((warning) => console.warn(`warning: ${warning}`));
  const environments = selectEnvironments(catalogue, process.env.ENVIRONMENTS);
  const stateSite = (process.env.STATE_SITE || "primary") as StateSite;
  if (!STATE_SITES.includes(stateSite)) {
    throw new ConfigError([{ path: "STATE_SITE", value: stateSite, rule: `must be one of ${STATE_SITES.join(", ")}` }]);
  }
  buildPlatformApp(catalogue, { environments, stateSite, onWarning: (message) => console.warn(`warning: ${message}`) }).synth();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
