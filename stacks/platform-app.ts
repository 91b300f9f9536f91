import { App } from "cdktf";
import type { Catalogue, EnvironmentConfig } from "../src/config/schema";
import { RegionalStack } from "./regional-stack";
import { StateBootstrapStack } from "./state-bootstrap-stack";

export interface PlatformAppOptions {
  /** Environments to synthesize. @default - every environment of the catalogue */
  readonly environments?: readonly EnvironmentConfig[];
  /** @default "cdktf.out" */
  readonly outdir?: string;
}

/** Composes the stacks of a validated catalogue into one cdktf App. */
export function buildPlatformApp(catalogue: Catalogue, options: PlatformAppOptions = {}): App {
  const app = new App({ outdir: options.outdir ?? "cdktf.out", skipValidation: false });
  new StateBootstrapStack(app, catalogue);
  for (const environment of options.environments ?? catalogue.environments) {
    for (const region of environment.regions) {
      new RegionalStack(app, { catalogue, environment, region });
    }
  }
  return app;
}
