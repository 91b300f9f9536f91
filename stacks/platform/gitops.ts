import { Release } from "@cdktf/provider-helm/lib/release";
import { Token, type ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import { TeamProjects } from "@meridian/constructs";
import { KARPENTER_NAMESPACE } from "@meridian/constructs";
import { gitOpsHubSite, isGitOpsHub } from "../../src/config/gitops-hub";
import { partitionOf } from "@meridian/constructs";
import { argoCdClusterName, clusterName as clusterNameOf } from "../../src/config/naming";
import { SUPPORTED_KUBERNETES_VERSIONS, type Catalogue, type EnvironmentConfig } from "../../src/config/schema";
import type { EksCluster } from "@meridian/constructs";
import { IrsaRole } from "@meridian/constructs";
import { ArgoCdHubRole } from "@meridian/constructs";
import { crossplaneEksStatements, crossplaneIamStatements, type CrossplanePolicyContext } from "@meridian/constructs";
import { argoCdHubRoleName, argoCdSpokeRoleName, crossplaneProviderRoleName } from "@meridian/constructs";
import { iamRoleArn } from "@meridian/constructs";
import { GitOpsSpokeAccess } from "@meridian/constructs";
import { AppOfAppsBootstrap, BOOTSTRAP_SELECTOR } from "@meridian/constructs";
import { ArgoCd } from "@meridian/constructs";
import { ArgoCdClusterSecret } from "@meridian/constructs";
import { Crossplane } from "@meridian/constructs";
import { AWS_SERVICE_PROVIDERS, CROSSPLANE_NAMESPACE, XCLUSTER_SCOPE } from "@meridian/constructs";
import type { RegionalHandles } from "../regional-stack";
import type { PlatformContext } from "./platform-context";

/**
 * The GitOps layer (issue 6): Argo CD hub-and-spoke plus Crossplane on the hub cluster.
 *
 * AWS side, in every regional stack ({@link installGitOpsAccess}): a spoke access role trusted by
 * the hub's Argo CD role, with an EKS access entry; on the hub's regional stack also the Argo CD
 * IRSA role and one IRSA role per Crossplane AWS provider. In-cluster side, in the hub's platform
 * stack ({@link installGitOps}): Argo CD, one cluster secret per managed cluster, the bootstrap
 * ApplicationSet, and Crossplane. Role ARNs are built from account ids and deterministic names on
 * both sides, so no stack reads another environment's state for them. See docs/gitops.md.
 */

/** One cluster of the catalogue as GitOps sees it. */
export interface GitOpsCluster {
  readonly environment: EnvironmentConfig;
  readonly region: string;
  /** EKS cluster name, e.g. `meridian-staging-us-west-2`. */
  readonly clusterName: string;
  /** Argo CD's name for it, e.g. `staging-us-west-2`. */
  readonly argoCdName: string;
  readonly partition: string;
  /** The role the hub's Argo CD assumes to manage it. */
  readonly spokeRoleArn: string;
}

export interface GitOpsTopology {
  readonly hub: GitOpsCluster & { readonly argoCdRoleArn: string; readonly crossplaneRoleArns: Readonly<Record<string, string>> };
  /** Every cluster of the catalogue, the hub's included. */
  readonly clusters: readonly GitOpsCluster[];
}

/**
 * The hub and every cluster it may manage, from the catalogue alone. Throws when a cluster is in
 * another partition than the hub: IAM cannot trust a role across partitions.
 */
export function gitOpsTopology(catalogue: Catalogue): GitOpsTopology {
  // Every regional stack and the hub's platform stack ask: compute it once per catalogue.
  let topology = TOPOLOGIES.get(catalogue);
  if (!topology) {
    topology = computeGitOpsTopology(catalogue);
    TOPOLOGIES.set(catalogue, topology);
  }
  return topology;
}

const TOPOLOGIES = new WeakMap<Catalogue, GitOpsTopology>();

function computeGitOpsTopology(catalogue: Catalogue): GitOpsTopology {
  const clusters = catalogue.environments.flatMap((environment) =>
    environment.regions.map(({ region }): GitOpsCluster => {
      const clusterName = clusterNameOf(catalogue.project, environment.name, region);
      const partition = partitionOf(region);
      return {
        environment,
        region,
        clusterName,
        argoCdName: argoCdClusterName(environment.name, region),
        partition,
        spokeRoleArn: iamRoleArn(partition, environment.accountId, argoCdSpokeRoleName(clusterName)),
      };
    }),
  );
  gitOpsHubSite(catalogue); // throws, naming the hub, when the catalogue has no such cluster
  const hub = clusters.find((c) => isGitOpsHub(catalogue, c.environment.name, c.region))!;
  for (const cluster of clusters) {
    if (cluster.partition !== hub.partition) {
      throw new Error(
        `GitOps: environments.${cluster.environment.name} region ${cluster.region} is in partition ${cluster.partition}, the hub (${hub.region}) in ${hub.partition}; IAM cannot trust across partitions, so the hub cannot manage it`,
      );
    }
  }
  const accountId = hub.environment.accountId;
  return {
    hub: {
      ...hub,
      argoCdRoleArn: iamRoleArn(hub.partition, accountId, argoCdHubRoleName(hub.clusterName)),
      crossplaneRoleArns: Object.fromEntries(
        AWS_SERVICE_PROVIDERS.map((p) => [p.service, iamRoleArn(hub.partition, accountId, crossplaneProviderRoleName(hub.clusterName, p.service))]),
      ),
    },
    clusters,
  };
}

/** Regions a KubernetesCluster may be created in: every region of the catalogue. */
function xClusterRegions(catalogue: Catalogue): string[] {
  return [...new Set(catalogue.environments.flatMap((env) => env.regions.map((r) => r.region)))].sort();
}

export interface GitOpsAccessProps {
  readonly catalogue: Catalogue;
  readonly environment: EnvironmentConfig;
  readonly region: string;
  /** This stack's partition (a token from aws_partition is fine). */
  readonly partition: string;
  readonly cluster: EksCluster;
}

export interface GitOpsAccessResources {
  readonly spokeAccess: GitOpsSpokeAccess;
  /** Only in the hub's regional stack. */
  readonly argoCdHubRole?: ArgoCdHubRole;
  /** Only in the hub's regional stack, by service. */
  readonly crossplaneRoles?: Readonly<Record<string, IrsaRole>>;
}

/**
 * The AWS side of GitOps for one regional stack (AWS provider only; plans offline): the spoke
 * access role and its access entry on every cluster, and on the hub the Argo CD and Crossplane
 * IRSA roles.
 */
export function installGitOpsAccess(scope: Construct, props: GitOpsAccessProps): GitOpsAccessResources {
  const { catalogue, environment, region, partition, cluster } = props;
  const topology = gitOpsTopology(catalogue);
  const clusterName = clusterNameOf(catalogue.project, environment.name, region);
  const spokeAccess = new GitOpsSpokeAccess(scope, "gitops-spoke-access", {
    clusterName: cluster.cluster.name,
    roleName: argoCdSpokeRoleName(clusterName),
    hubRoleArn: topology.hub.argoCdRoleArn,
    partition,
  });
  if (topology.hub.clusterName !== clusterName) {
    return { spokeAccess };
  }
  const argoCdHubRole = new ArgoCdHubRole(scope, "argocd-hub-role", {
    roleName: argoCdHubRoleName(clusterName),
    issuer: cluster.issuer,
    spokeRoleArns: topology.clusters.map((c) => c.spokeRoleArn),
  });
  const policyContext: CrossplanePolicyContext = {
    partition,
    accountId: environment.accountId,
    regions: xClusterRegions(catalogue),
    clusterNamePrefix: XCLUSTER_SCOPE.clusterNamePrefix,
    rolePath: XCLUSTER_SCOPE.rolePath,
  };
  const statements: Record<string, typeof crossplaneEksStatements> = { eks: crossplaneEksStatements, iam: crossplaneIamStatements };
  const crossplaneRoles = Object.fromEntries(
    AWS_SERVICE_PROVIDERS.map((provider) => {
      const build = statements[provider.service];
      if (!build) {
        throw new Error(`GitOps: no IAM statements for Crossplane provider ${provider.name}; add them to crossplane-policies.ts`);
      }
      const role = new IrsaRole(scope, `crossplane-${provider.service}-role`, {
        roleName: crossplaneProviderRoleName(clusterName, provider.service),
        issuer: cluster.issuer,
        namespace: CROSSPLANE_NAMESPACE,
        serviceAccount: provider.serviceAccount,
        statements: build(policyContext),
      });
      return [provider.service, role];
    }),
  );
  return { spokeAccess, argoCdHubRole, crossplaneRoles };
}

/** The regional stacks' cluster of a managed stack, as the catalogue names it. */
function clusterOf(topology: GitOpsTopology, stack: RegionalHandles, catalogue: Catalogue): GitOpsCluster {
  const found = topology.clusters.find((c) => c.clusterName === stack.cluster.clusterName);
  if (!found) {
    throw new Error(`GitOps: managed cluster ${stack.cluster.clusterName} (stack ${stack.stackName}) is not a cluster of catalogue ${catalogue.project}`);
  }
  return found;
}

/**
 * The in-cluster side, on the hub only: Argo CD (HA, IRSA), a cluster secret per managed cluster
 * (the hub's own included; a cluster removed from the catalogue loses its secret and so is
 * deregistered), the app-of-apps ApplicationSet, and Crossplane with the AWS providers and the
 * KubernetesCluster API (Crossplane v2). Other platform stacks get nothing from here.
 */
export function installGitOps(context: PlatformContext, policyEngine: ITerraformDependable): void {
  if (!context.isHub) {
    return;
  }
  const { stack, catalogue } = context;
  const topology = gitOpsTopology(catalogue);
  // Every namespace an add-on release of this stack installs into, before Argo CD adds its own.
  const platformNamespaces = releaseNamespaces(stack);
  const argoCd = new ArgoCd(stack, "argocd", { hubRoleArn: topology.hub.argoCdRoleArn });
  for (const regional of context.managedClusters) {
    const cluster = clusterOf(topology, regional, catalogue);
    new ArgoCdClusterSecret(stack, `argocd-cluster-${cluster.argoCdName}`, {
      name: cluster.argoCdName,
      server: regional.cluster.endpoint,
      caData: regional.cluster.certificateAuthorityData,
      clusterName: cluster.clusterName,
      roleArn: cluster.spokeRoleArn,
      environment: cluster.environment.name,
      region: cluster.region,
      labels: BOOTSTRAP_SELECTOR,
      namespace: argoCd.namespace,
      dependsOn: [argoCd.chart.release],
    });
  }
  new AppOfAppsBootstrap(stack, "argocd-bootstrap", {
    repository: catalogue.gitopsHub.repository,
    namespace: argoCd.namespace,
    // Not on the cluster secrets: the generator picks clusters up whenever they appear, and the
    // release stays unchanged when the catalogue's order of clusters does (e.g. a primary flip).
    dependsOn: [argoCd.chart.release],
  });
  // Team projects, and a guard so no Application uses Argo CD's unrestricted `default` project.
  new TeamProjects(stack, "argocd-team-projects", {
    projects: catalogue.gitopsHub.projects,
    clusters: topology.clusters.map((c) => ({ environment: c.environment.name, argoCdName: c.argoCdName })),
    // Karpenter's too, whichever autoscaler the hub runs: a spoke may run the other one.
    platformNamespaces: [...platformNamespaces, argoCd.namespace, CROSSPLANE_NAMESPACE, KARPENTER_NAMESPACE],
    namespace: argoCd.namespace,
    dependsOn: [argoCd.chart.release, policyEngine],
  });
  new Crossplane(stack, "crossplane", {
    providerRoleArns: topology.hub.crossplaneRoleArns,
    xcluster: {
      group: `platform.${catalogue.project}.io`,
      regions: xClusterRegions(catalogue),
      kubernetesVersions: [...SUPPORTED_KUBERNETES_VERSIONS],
      partition: topology.hub.partition,
      accountId: topology.hub.environment.accountId,
    },
  });
}

/** Namespaces of every Helm release in `scope` (literal inputs only). */
function releaseNamespaces(scope: Construct): string[] {
  const namespaces = scope.node
    .findAll()
    .filter((c): c is Release => c instanceof Release)
    .map((release) => release.namespaceInput)
    .filter((ns): ns is string => typeof ns === "string" && !Token.isUnresolved(ns));
  return [...new Set(namespaces)].sort();
}
