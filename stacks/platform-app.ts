import { App } from "cdktf";
import type { Catalogue, EnvironmentConfig } from "../src/config/schema";
import type { StateSite } from "../src/state/s3-backend";
import { RegionalStack } from "./regional-stack";
import { StateBootstrapStack } from "./state-bootstrap-stack";

export interface PlatformAppOptions {
  /** Environments to synthesize. @default - every environment of the catalogue */
  readonly environments?: readonly EnvironmentConfig[];
  /** @default "cdktf.out" */
  readonly outdir?: string;
  /** Copy of the state the stacks read and write; `replica` during an outage of the state region. @default "primary" */
  readonly stateSite?: StateSite;
}

/** Composes the stacks of a validated catalogue into one cdktf App. */
export function buildPlatformApp(catalogue: Catalogue, options: PlatformAppOptions = {}): App {
  const app = new App({ outdir: options.outdir ?? "cdktf.out", skipValidation: false });
  const stateSite = options.stateSite ?? "primary";
  new StateBootstrapStack(app, catalogue, stateSite);
  for (const environment of options.environments ?? catalogue.environments) {
    for (const region of environment.regions) {
      new RegionalStack(app, { catalogue, environment, region, stateSite });
    }
  }
  return app;
}
