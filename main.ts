import { BUILT_IN_CATALOGUE } from "./src/config/catalogue";
import { ConfigError, loadCatalogue, selectEnvironments } from "./src/config/load";
import { buildPlatformApp } from "./stacks/platform-app";

// Builds the App from the built-in catalogue; ENVIRONMENTS=a,b narrows it. Nothing else.
try {
  const { catalogue, warnings } = loadCatalogue(BUILT_IN_CATALOGUE);
  warnings.forEach((warning) => console.warn(`warning: ${warning}`));
  const environments = selectEnvironments(catalogue, process.env.ENVIRONMENTS);
  buildPlatformApp(catalogue, { environments }).synth();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
