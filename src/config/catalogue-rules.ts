import { cidrsOverlap } from "./cidr";
import type { Catalogue } from "./schema";

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
    for (const [field, wanted] of [["primaryRegion", env.primaryRegion], ["secondaryRegion", env.secondaryRegion]] as const) {
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
    if (!env.nodeGroups.some((g) => g.class === "system")) {
      violations.push({ path: at("nodeGroups"), message: "needs a node group of class 'system' for cluster add-ons" });
    }
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
  }

  if (catalogue.state.region === catalogue.state.replicaRegion) {
    violations.push({ path: ["state", "replicaRegion"], message: "must differ from state.region so state survives a region outage" });
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
