import { App } from "cdktf";
import { isGitOpsHub } from "../src/config/gitops-hub";
import { hubNetworkStackName, platformStackName } from "../src/config/naming";
import type { Catalogue, EnvironmentConfig } from "../src/config/schema";
import type { StateSite } from "../src/state/s3-backend";
import { checkSuppressedRules } from "../src/policy/suppressions";
import { EdgeStack } from "./edge-stack";
import { GlobalDatabaseStack } from "./global-database-stack";
import { HubLinkStack } from "./hub-link-stack";
import { HubNetworkStack } from "./hub-network-stack";
import { PlatformStack } from "./platform-stack";
import { RegionalStack } from "./regional-stack";
import { StateBootstrapStack } from "./state-bootstrap-stack";

export interface PlatformAppOptions {
  /** Environments to synthesize. @default - every environment of the catalogue */
  readonly environments?: readonly EnvironmentConfig[];
  /** @default "cdktf.out" */
  readonly outdir?: string;
  /** Copy of the state the stacks read and write; `replica` during an outage of the state region. @default "primary" */
  readonly stateSite?: StateSite;
  /** Receives notices about stacks left out of a partial synth. @default - ignored */
  readonly onWarning?: (message: string) => void;
}

/** Composes the stacks of a validated catalogue into one cdktf App. */
export function buildPlatformApp(catalogue: Catalogue, options: PlatformAppOptions = {}): App {
  const app = new App({ outdir: options.outdir ?? "cdktf.out", skipValidation: false });
  const stateSite = options.stateSite ?? "primary";
  new StateBootstrapStack(app, catalogue, stateSite);
  const clusters: { environment: EnvironmentConfig; stack: RegionalStack }[] = [];
  for (const environment of options.environments ?? catalogue.environments) {
    const globalData =
      environment.database || environment.keyValueTables.length > 0 ? new GlobalDatabaseStack(app, { catalogue, environment, stateSite }) : undefined;
    // The writer's region first: the reader joins the global cluster through the writer.
    const ordered = [...environment.regions].sort((a, b) => Number(b.region === environment.primaryRegion) - Number(a.region === environment.primaryRegion));
    const [writer, ...readers] = ordered.map((region) => new RegionalStack(app, { catalogue, environment, region, stateSite, globalData }));
    if (environment.database) {
      readers.forEach((reader) => reader.addDependency(writer!));
    }
    if (environment.edge) {
      new EdgeStack(app, { catalogue, environment, ingresses: [writer!, ...readers].map((stack) => stack.ingress), stateSite });
    }
    clusters.push(...[writer!, ...readers].map((stack) => ({ environment, stack })));
  }
  // Platform stacks last: the GitOps hub registers every joined cluster of the catalogue. With
  // only some environments selected it would register only theirs, and deploying it would
  // deregister the rest, so the hub's platform stack exists only in a synth of the whole catalogue.
  const hub = catalogue.gitopsHub;
  const wholeCatalogue = catalogue.environments.every((env) => clusters.some((c) => c.environment.name === env.name));
  const isHub = ({ environment, stack }: (typeof clusters)[number]) => isGitOpsHub(catalogue, environment.name, stack.region);
  const hubCluster = clusters.find(isHub);
  // Registration follows deployment: the hub's stacks read a spoke's regional state, which exists
  // only once the spoke is deployed, so an environment joins (`joinedToHub`) in a later change.
  // Until then it has no hub links and no platform stacks (their runners reach the API over the peering).
  const joined = clusters.filter((c) => c.environment.joinedToHub);
  for (const environment of new Set(clusters.filter((c) => !c.environment.joinedToHub).map((c) => c.environment))) {
    options.onWarning?.(
      `${environment.name} has not joined the GitOps hub (joinedToHub: false): only its AWS stacks are synthesized; once they are deployed, set joinedToHub: true (docs/catalogue.md, "Adding an environment")`,
    );
  }
  const spokes = joined.filter((c) => !isHub(c));
  // The private network path hub → spokes: the hub's half lists every spoke, so (like the hub's
  // platform stack) it exists only in a whole-catalogue synth; each spoke's half reads it by key.
  const hubNetwork = wholeCatalogue && hubCluster ? new HubNetworkStack(app, { catalogue, hub: hubCluster.stack, spokes, stateSite }) : undefined;
  if (!hubNetwork) {
    options.onWarning?.(`${hubNetworkStackName(hub.environment)} (the GitOps hub's network path) is left out: it peers with every cluster of the catalogue, so synthesize it without ENVIRONMENTS`);
  }
  for (const spoke of spokes) {
    const link = new HubLinkStack(app, { catalogue, environment: spoke.environment, regional: spoke.stack, stateSite });
    // Its cross-stack references imply this too; stating it first keeps the manifest's order.
    link.addDependency(spoke.stack);
    if (hubNetwork) {
      link.addDependency(hubNetwork);
    }
  }
  for (const cluster of joined) {
    const { environment, stack } = cluster;
    if (isHub(cluster) && !wholeCatalogue) {
      options.onWarning?.(
        `${platformStackName(environment.name, stack.region)} (the GitOps hub) is left out: it registers every cluster of the catalogue, so synthesize it without ENVIRONMENTS`,
      );
      continue;
    }
    const region = environment.regions.find((r) => r.region === stack.region)!;
    new PlatformStack(app, { catalogue, environment, region, regional: stack, stateSite, managedClusters: isHub(cluster) ? joined.map((c) => c.stack) : [] });
  }
  checkSuppressedRules(app);
  return app;
}
