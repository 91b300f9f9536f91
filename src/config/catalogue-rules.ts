import { backupAndMaintenanceWindowsOverlap, readerCanCarryWriter } from "@meridian/constructs";
import { amiReleaseVersionProblem, amiTypeOf, managedNodeGroupsOf, type EksAmiType } from "@meridian/constructs";
import { cidrsOverlap } from "@meridian/constructs";
import { TLS_LISTENER_HEALTH_CHECK_PROTOCOLS, acceleratorIngressProblems, everyTrafficDialClosed } from "@meridian/constructs";
import { isGitOpsHub } from "./gitops-hub";
import { parseRoleArn } from "@meridian/constructs";
import { RESERVED_PROJECT_NAMES, partitionOf } from "@meridian/constructs";
import type { Catalogue, EnvironmentConfig } from "./schema";

/** A rule broken by a valid-looking catalogue: where, and why. */
export interface RuleViolation {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * Rules that relate several fields of the catalogue. They run after every field passed its own
 * schema, so they can rely on well-formed values.
 */
export function checkCatalogueRules(catalogue: Catalogue): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const seenEnvironments = new Map<string, number>();
  const allVpcs: { path: (string | number)[]; cidr: string; owner: string }[] = [];

  catalogue.environments.forEach((env, e) => {
    const at = (...rest: (string | number)[]) => ["environments", e, ...rest];

    const first = seenEnvironments.get(env.name);
    if (first !== undefined) {
      violations.push({ path: at("name"), message: `duplicates the name of environments[${first}]` });
    } else {
      seenEnvironments.set(env.name, e);
    }

    if (env.primaryRegion === env.secondaryRegion) {
      violations.push({ path: at("secondaryRegion"), message: "must differ from primaryRegion: a global database needs two regions" });
    }

    const listed = env.regions.map((r) => r.region);
    env.regions.forEach((r, i) => {
      if (listed.indexOf(r.region) !== i) {
        violations.push({ path: at("regions", i, "region"), message: "is listed twice" });
      } else if (r.region !== env.primaryRegion && r.region !== env.secondaryRegion) {
        violations.push({
          path: at("regions", i, "region"),
          message: `is neither primaryRegion (${env.primaryRegion}) nor secondaryRegion (${env.secondaryRegion})`,
        });
      }
      allVpcs.push({ path: at("regions", i, "vpcCidr"), cidr: r.vpcCidr, owner: `${env.name}/${r.region}` });
    });
    for (const [field, wanted] of [["primaryRegion", env.primaryRegion], ["secondaryRegion", env.secondaryRegion], ["homeRegion", env.homeRegion]] as const) {
      if (!listed.includes(wanted)) {
        violations.push({ path: at(field), message: `has no entry in regions (listed: ${listed.join(", ")})` });
      }
    }

    if (env.tier === "production" && env.natGateways !== "per-az") {
      violations.push({
        path: at("natGateways"),
        message: "production environments need a NAT gateway per AZ so one AZ's failure does not cut every AZ's egress",
      });
    }

    const groupNames = env.nodeGroups.map((g) => g.name);
    groupNames.forEach((name, g) => {
      if (groupNames.indexOf(name) !== g) {
        violations.push({ path: at("nodeGroups", g, "name"), message: "duplicates another node group's name" });
      }
    });
    const kubeProxyMinor = /^v(\d+\.\d+)\./.exec(env.cluster.addonVersions.kubeProxy)?.[1];
    if (kubeProxyMinor !== env.kubernetesVersion) {
      violations.push({
        path: at("cluster", "addonVersions", "kubeProxy"),
        message: `is built for Kubernetes ${kubeProxyMinor}, but kubernetesVersion is ${env.kubernetesVersion}; kube-proxy must match the control plane's minor version`,
      });
    }
    env.regions.forEach((r) => {
      if (cidrsOverlap(env.cluster.serviceCidr, r.vpcCidr)) {
        violations.push({ path: at("cluster", "serviceCidr"), message: `overlaps the VPC ${r.vpcCidr} of ${env.name}/${r.region}; pods could not reach those addresses` });
      }
    });
    if (env.ingress.protocol === "TLS") {
      env.regions.forEach((r) => {
        const arn = env.ingress.certificateArns[r.region];
        if (!arn) {
          violations.push({ path: at("ingress", "certificateArns"), message: `has no certificate for ${r.region}; a TLS listener needs one ACM certificate per region` });
        } else if (arn.split(":")[3] !== r.region) {
          violations.push({ path: at("ingress", "certificateArns", r.region), message: `is a certificate of ${arn.split(":")[3]}; ACM certificates are regional` });
        }
      });
    }
    if (env.database) {
      violations.push(...databaseRules(env, at));
    }
    if (env.edge) {
      violations.push(...edgeRules(env, at));
    }
    const tableNames = env.keyValueTables.map((t) => t.name);
    tableNames.forEach((name, t) => {
      if (tableNames.indexOf(name) !== t) {
        violations.push({ path: at("keyValueTables", t, "name"), message: "duplicates another table's name" });
      }
    });
    if (!env.nodeGroups.some((g) => g.class === "system")) {
      violations.push({ path: at("nodeGroups"), message: "needs a node group of class 'system' for cluster add-ons" });
    }
    violations.push(...nodeCapacityRules(env, at));
    violations.push(...ciRoleRules(env, at));
  });

  // Every VPC of every environment is routable to every other one (peering, transit gateway,
  // VPN to the office), so no two blocks may overlap anywhere in the catalogue.
  allVpcs.forEach((vpc, i) => {
    for (const other of allVpcs.slice(0, i)) {
      if (cidrsOverlap(vpc.cidr, other.cidr)) {
        violations.push({ path: vpc.path, message: `overlaps ${other.cidr} of ${other.owner}` });
      }
    }
  });

  const hub = catalogue.environments.find((env) => env.name === catalogue.gitopsHub.environment);
  if (!hub) {
    violations.push({
      path: ["gitopsHub", "environment"],
      message: `names no environment; known: ${catalogue.environments.map((env) => env.name).join(", ")}`,
    });
  } else if (!hub.regions.some((r) => r.region === catalogue.gitopsHub.region)) {
    violations.push({ path: ["gitopsHub", "region"], message: `is not a region of environment ${hub.name}` });
  } else {
    violations.push(...spokeEndpointRules(catalogue));
    if (!hub.joinedToHub) {
      violations.push({
        path: ["environments", catalogue.environments.indexOf(hub), "joinedToHub"],
        message: `is false, but ${hub.name} runs the GitOps hub (gitopsHub.environment): the hub's own environment is always joined; set it true`,
      });
    }
  }
  violations.push(...gitOpsProjectRules(catalogue));

  if (catalogue.state.region === catalogue.state.replicaRegion) {
    violations.push({ path: ["state", "replicaRegion"], message: "must differ from state.region so state survives a region outage" });
  }
  return violations;
}

/**
 * The CI roles run the environment's stacks, whose providers accept only `accountId`
 * (`allowed_account_ids`), and the state-access roles trust exactly them: a role of another
 * account or partition could never deploy the environment.
 */
function ciRoleRules(env: EnvironmentConfig, at: (...rest: (string | number)[]) => (string | number)[]): RuleViolation[] {
  const partition = partitionOf(env.homeRegion);
  return (["deployRoleArn", "planRoleArn"] as const).flatMap((field) => {
    const arn = env[field];
    const parsed = arn === undefined ? undefined : parseRoleArn(arn);
    if (!parsed) {
      return [];
    }
    if (parsed.accountId !== env.accountId) {
      return [{ path: at(field), message: `is a role of account ${parsed.accountId}; it must be a role of the environment's account ${env.accountId}` }];
    }
    if (parsed.partition !== partition) {
      return [{ path: at(field), message: `is in partition ${parsed.partition}; the environment's regions are in ${partition}` }];
    }
    return [];
  });
}

/**
 * The hub reaches every spoke's API over VPC peering. That only works for a private-only
 * endpoint: EKS then publishes the endpoint's private addresses under its public DNS name,
 * while an endpoint with public access resolves to public addresses outside its VPC, which the
 * hub's traffic would reach through its NAT gateways, from addresses no allow-list names.
 */
function spokeEndpointRules(catalogue: Catalogue): RuleViolation[] {
  const { environment: hubEnvironment, region: hubRegion } = catalogue.gitopsHub;
  return catalogue.environments.flatMap((env, e) => {
    const spokeRegions = env.regions.map((r) => r.region).filter((region) => !isGitOpsHub(catalogue, env.name, region));
    if (spokeRegions.length === 0 || env.cluster.publicAccessCidrs.length === 0) {
      return [];
    }
    return [
      {
        path: ["environments", e, "cluster", "publicAccessCidrs"],
        message: `is ${JSON.stringify(env.cluster.publicAccessCidrs)}, but ${spokeRegions.map((r) => `${env.name}/${r}`).join(", ")} ${spokeRegions.length > 1 ? "are GitOps spokes" : "is a GitOps spoke"}: the hub (${hubEnvironment}/${hubRegion}) reaches spokes over VPC peering, which needs a private-only API endpoint; use [] and reach the API through the VPN or a peered network`,
      },
    ];
  });
}

function gitOpsProjectRules(catalogue: Catalogue): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const known = catalogue.environments.map((env) => env.name);
  const seen = new Map<string, number>();
  catalogue.gitopsHub.projects.forEach((project, p) => {
    const at = (...rest: (string | number)[]) => ["gitopsHub", "projects", p, ...rest];
    if (RESERVED_PROJECT_NAMES.includes(project.name)) {
      violations.push({ path: at("name"), message: `is reserved (${RESERVED_PROJECT_NAMES.join(", ")}): Argo CD's default project is refused on the hub, the bootstrap's is the platform's` });
    } else if (seen.has(project.name)) {
      violations.push({ path: at("name"), message: `duplicates the name of gitopsHub.projects[${seen.get(project.name)}]` });
    }
    seen.set(project.name, seen.get(project.name) ?? p);
    project.environments.forEach((env, e) => {
      if (!known.includes(env)) {
        violations.push({ path: at("environments", e), message: `names no environment; known: ${known.join(", ")}` });
      }
    });
  });
  return violations;
}

/** Per-region settings keyed by a region the environment does not have. */
function unknownRegionKeys(env: EnvironmentConfig, byRegion: Readonly<Record<string, unknown>>, path: (region: string) => (string | number)[], why = ""): RuleViolation[] {
  const listed = env.regions.map((r) => r.region);
  return Object.keys(byRegion)
    .filter((region) => !listed.includes(region))
    .map((region) => ({ path: path(region), message: `names a region that is not in regions (listed: ${listed.join(", ")})${why}` }));
}

function databaseRules(env: EnvironmentConfig, at: (...rest: (string | number)[]) => (string | number)[]): RuleViolation[] {
  const db = env.database!;
  const violations: RuleViolation[] = [];
  violations.push(...unknownRegionKeys(env, db.instanceClassOverrides, (region) => at("database", "instanceClassOverrides", region)));
  const classOf = (region: string) => db.instanceClassOverrides[region] ?? db.instanceClass;
  const writerClass = classOf(env.primaryRegion);
  const readerClass = classOf(env.secondaryRegion);
  if (!readerCanCarryWriter(readerClass, writerClass)) {
    // Point at the setting that made the difference: the reader's override, else the writer's.
    const culprit = env.secondaryRegion in db.instanceClassOverrides ? env.secondaryRegion : env.primaryRegion;
    violations.push({
      path: at("database", "instanceClassOverrides", culprit),
      message: `leaves the secondary (${env.secondaryRegion}: ${readerClass}) smaller than the writer (${env.primaryRegion}: ${writerClass}); the secondary must be able to take the writer's load after a switchover`,
    });
  }
  if (db.globalDbRpoSeconds !== undefined) {
    // Managed RPO (Aurora user guide, "Managing RPOs for Aurora PostgreSQL-based global databases"):
    // when no secondary is within the RPO, the writer blocks commits until one is. With the one
    // secondary every environment has, losing that region would stop production writes.
    violations.push({
      path: at("database", "globalDbRpoSeconds"),
      message:
        `blocks every commit on the writer in ${env.primaryRegion} whenever the only secondary (${env.secondaryRegion}) lags more than ${db.globalDbRpoSeconds} s: ` +
        "an outage of the secondary region would stop production writes. Leave it unset; the replication-lag alarm pages when the secondary falls behind (docs/runbooks/aurora-global-database.md, \"Managed RPO\")",
    });
  }
  if (env.tier === "production" && db.backupRetentionDays < 7) {
    violations.push({ path: at("database", "backupRetentionDays"), message: "must be >= 7 in production" });
  }
  if (backupAndMaintenanceWindowsOverlap(db.backupWindow, db.maintenanceWindow)) {
    violations.push({ path: at("database", "maintenanceWindow"), message: `overlaps the daily backup window ${db.backupWindow}; Aurora refuses overlapping windows` });
  }
  return violations;
}

function edgeRules(env: EnvironmentConfig, at: (...rest: (string | number)[]) => (string | number)[]): RuleViolation[] {
  const edge = env.edge!;
  const violations: RuleViolation[] = [];
  const listed = env.regions.map((r) => r.region);
  for (const field of ["trafficDials", "endpointWeights"] as const) {
    violations.push(...unknownRegionKeys(env, edge[field], (region) => at("edge", field, region), "; every region gets exactly one endpoint group"));
  }
  if (everyTrafficDialClosed(listed.map((region) => edge.trafficDials[region] ?? 100))) {
    violations.push({ path: at("edge", "trafficDials"), message: "sets every region's dial to 0: the accelerator would accept no traffic at all" });
  }
  // GlobalAccelerator's rules for the environment's RegionalIngress (the same ingress settings in every region).
  const ingress = { listenerPort: env.ingress.port, listenerProtocol: env.ingress.protocol, listenerHealthCheckProtocols: TLS_LISTENER_HEALTH_CHECK_PROTOCOLS };
  for (const problem of acceleratorIngressProblems(edge, ingress)) {
    violations.push({ path: at("edge", ...problem.path), message: problem.rule });
  }
  return violations;
}

/**
 * Node capacity that nothing would use, and the AMI pins of the managed node groups. Under
 * Karpenter, non-system classes are NodePools only: their minimum, desired size and per-AZ
 * fan-out describe managed groups that do not exist, so setting them is refused rather than
 * silently ignored. Every AMI type a managed group uses needs a pinned release of the cluster's
 * Kubernetes version, and no pin may be left for a type nothing uses.
 */
function nodeCapacityRules(env: EnvironmentConfig, at: (...rest: (string | number)[]) => (string | number)[]): RuleViolation[] {
  const violations: RuleViolation[] = [];
  if (env.cluster.autoscaler === "karpenter") {
    env.nodeGroups.forEach((group, g) => {
      if (group.class === "system") {
        return;
      }
      const why = `: with cluster.autoscaler "karpenter" class ${group.class} is a Karpenter NodePool, not a managed node group, and Karpenter keeps no idle nodes`;
      for (const field of ["minSize", "desiredSize"] as const) {
        if (group[field] !== 0) {
          violations.push({ path: at("nodeGroups", g, field), message: `must be 0${why}` });
        }
      }
      if (group.perAvailabilityZone) {
        violations.push({ path: at("nodeGroups", g, "perAvailabilityZone"), message: `must be false${why} (its pool spans every zone)` });
      }
    });
  }
  const managed = managedNodeGroupsOf(env.cluster.autoscaler, env.nodeGroups);
  const used = new Map(managed.map((group) => [amiTypeOf(group), group.name] as const));
  for (const [amiType, groupName] of used) {
    if (env.nodeAmiReleaseVersions[amiType] === undefined) {
      violations.push({ path: at("nodeAmiReleaseVersions"), message: `has no release for ${amiType}, which managed node group ${groupName} uses; pin one such as ${env.kubernetesVersion}.<patch>-<YYYYMMDD>` });
    }
  }
  for (const [amiType, release] of Object.entries(env.nodeAmiReleaseVersions)) {
    const problem = used.has(amiType as EksAmiType) ? amiReleaseVersionProblem(release!, env.kubernetesVersion) : "is a release for an AMI type no managed node group uses; remove it";
    if (problem) {
      violations.push({ path: at("nodeAmiReleaseVersions", amiType), message: problem });
    }
  }
  return violations;
}

/** Legal but discouraged settings, printed at synth time. */
export function catalogueWarnings(catalogue: Catalogue): string[] {
  const warnings: string[] = [];
  catalogue.environments.forEach((env, e) =>
    env.regions.forEach((r, i) => {
      if (r.availabilityZones.length < 3) {
        warnings.push(
          `environments[${e}].regions[${i}].availabilityZones: ${env.name}/${r.region} uses ${r.availabilityZones.length} AZs; 3 are recommended so losing one AZ keeps a quorum`,
        );
      }
    }),
  );
  return warnings;
}
