import type { IAppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject" with { "resolution-mode": "import" };
import type { IClusterPolicy } from "@kubernetes-models/kyverno/kyverno.io/v1/ClusterPolicy" with { "resolution-mode": "import" };
import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { RESERVED_PROJECT_NAMES } from "./project-names";
import { ARGOCD_NAMESPACE } from "../../gitops-access/names";
import { AWS_NAMESPACED_API_GROUPS } from "../crossplane/packages";
import { ManifestsRelease, type KubernetesManifest } from "../manifests-release";

/** A team's Argo CD project: what it may deploy, from where, to which clusters and namespaces. */
export interface TeamProject {
  /** AppProject name; not `default` nor `cluster-bootstrap`, unique. */
  readonly name: string;
  /** The AppProject's description. */
  readonly description: string;
  /** Repositories the project's Applications may use. */
  readonly sourceRepos: readonly string[];
  /** Environments whose clusters the project may deploy to. */
  readonly environments: readonly string[];
  /** Namespace names, or prefixes ending in `*`. */
  readonly namespaces: readonly string[];
}

/** A cluster registered in the hub's Argo CD. */
export interface RegisteredCluster {
  /** The cluster's environment. */
  readonly environment: string;
  /** The cluster secret's name, which Applications use as `destination.name`. */
  readonly argoCdName: string;
}

/** Props of {@link TeamProjects} and {@link teamProjectManifests}. */
export interface TeamProjectsProps {
  /** The team projects, one AppProject each. */
  readonly projects: readonly TeamProject[];
  /** Every cluster registered in the hub's Argo CD; a project reaches those of its environments. */
  readonly clusters: readonly RegisteredCluster[];
  /**
   * Namespaces the platform itself installs into (`kube-*` always counts): no team project may
   * deploy there, so no application can replace or remove an add-on.
   */
  readonly platformNamespaces: readonly string[];
  /** Argo CD's namespace. @default "argocd" */
  readonly namespace?: string;
  /** The Argo CD release (AppProject CRD) and the Kyverno release (ClusterPolicy CRD). */
  readonly dependsOn: ITerraformDependable[];
  /** Helm provider of the release. @default - the stack's default helm provider */
  readonly provider?: TerraformProvider;
}

/**
 * Kinds a team may not create even inside its namespaces: the platform's limits on the namespace,
 * and Crossplane's namespaced AWS managed resources and ProviderConfigs, which act with the
 * hub's provider roles; teams get AWS clusters through the KubernetesCluster API only, whose schema
 * holds the platform's rules (Argo CD matches group and kind as globs).
 */
const NAMESPACE_LIMITS = [
  { group: "", kind: "ResourceQuota" },
  { group: "", kind: "LimitRange" },
  ...AWS_NAMESPACED_API_GROUPS.map((group) => ({ group, kind: "*" })),
];

const matches = (pattern: string, namespace: string) => (pattern.endsWith("*") ? namespace.startsWith(pattern.slice(0, -1)) : namespace === pattern);
/** Kubernetes' own namespaces (`kube-system`, `kube-public`, `kube-node-lease`, …). */
const coversKubeNamespaces = (pattern: string) => pattern.startsWith("kube-") || (pattern.endsWith("*") && "kube-".startsWith(pattern.slice(0, -1)));

/**
 * One AppProject per team project: its repositories only, its namespaces only, on the clusters of
 * its environments only (by cluster-secret name, so an environment whose name is a prefix of
 * another's never matches it), cluster-scoped resources limited to Namespaces (so
 * `CreateNamespace=true` works), quotas and limit ranges left to the platform.
 */
export function teamProjectManifests(props: TeamProjectsProps): (IAppProject & KubernetesManifest)[] {
  const namespace = props.namespace ?? ARGOCD_NAMESPACE;
  const seen = new Set<string>();
  return props.projects.map((project) => {
    const where = `TeamProjects: project ${project.name}`;
    if (RESERVED_PROJECT_NAMES.includes(project.name) || seen.has(project.name)) {
      throw new Error(`${where}: the name is ${seen.has(project.name) ? "used twice" : "reserved"} (reserved: ${RESERVED_PROJECT_NAMES.join(", ")})`);
    }
    seen.add(project.name);
    for (const pattern of project.namespaces) {
      const taken = props.platformNamespaces.find((platform) => matches(pattern, platform)) ?? (coversKubeNamespaces(pattern) ? "kube-*" : undefined);
      if (taken) {
        throw new Error(`${where}: namespaces entry "${pattern}" covers the platform's namespace ${taken}; applications must not replace or remove add-ons`);
      }
    }
    const clusters = props.clusters.filter((c) => project.environments.includes(c.environment));
    const unknown = project.environments.filter((env) => !props.clusters.some((c) => c.environment === env));
    if (unknown.length > 0) {
      throw new Error(`${where}: environments ${JSON.stringify(unknown)} have no registered cluster`);
    }
    return {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "AppProject",
      metadata: { name: project.name, namespace },
      spec: {
        description: project.description,
        sourceRepos: [...project.sourceRepos],
        destinations: clusters.flatMap((cluster) => project.namespaces.map((ns) => ({ name: cluster.argoCdName, namespace: ns }))),
        // Namespaces only, and only the project's own by name (Argo CD matches cluster-scoped
        // objects by group and kind unless a name is given, so without it a team could adopt
        // and prune an add-on's namespace).
        clusterResourceWhitelist: project.namespaces.map((ns) => ({ group: "", kind: "Namespace", name: ns })),
        namespaceResourceBlacklist: NAMESPACE_LIMITS.map((limit) => ({ ...limit })),
      },
    };
  });
}

/**
 * Refuses, at admission on the hub, Applications and ApplicationSets in Argo CD's namespace that
 * use the built-in `default` project. Argo CD creates `default` itself with no restriction at
 * all; Helm cannot take it over (it exists before any release), so instead nothing may use it.
 */
export function defaultProjectGuard(namespace = ARGOCD_NAMESPACE): IClusterPolicy & KubernetesManifest {
  // Argo CD reads an empty or missing project as "default", so the check does too.
  const rule = (kind: string, projectPath: string) => ({
    name: `no-default-project-${kind.toLowerCase()}`,
    match: { any: [{ resources: { kinds: [kind], namespaces: [namespace], operations: ["CREATE", "UPDATE"] } }] },
    validate: {
      message: `${kind}s must name a team project (an AppProject of their own), not Argo CD's unrestricted "default" project (an empty project is "default").`,
      // An object already in "default" cannot be edited either: it must move to a team project.
      allowExistingViolations: false,
      deny: { conditions: { any: [{ key: `{{ request.object.${projectPath} || 'default' }}`, operator: "Equals", value: "default" }] } },
    },
  });
  return {
    apiVersion: "kyverno.io/v1",
    kind: "ClusterPolicy",
    metadata: {
      name: "argocd-no-default-project",
      annotations: {
        "policies.kyverno.io/title": "No Argo CD default project",
        "policies.kyverno.io/category": "GitOps",
        "policies.kyverno.io/subject": "Application, ApplicationSet",
        "policies.kyverno.io/description": "Argo CD's default project may deploy anything anywhere; applications must use a team project that limits repositories, clusters and namespaces.",
      },
    },
    spec: {
      validationFailureAction: "Enforce",
      background: false,
      // A guard, not a default: when Kyverno is down, nothing that could bypass it is admitted.
      failurePolicy: "Fail",
      rules: [rule("Application", "spec.project"), rule("ApplicationSet", "spec.template.spec.project")],
    },
  };
}

/** The team projects and the default-project guard, as one release on the hub. */
export class TeamProjects extends Construct {
  /** The `argocd-team-projects` release. */
  readonly release: ManifestsRelease;
  /** The AppProjects, then the default-project guard. */
  readonly manifests: readonly KubernetesManifest[];

  constructor(scope: Construct, id: string, props: TeamProjectsProps) {
    super(scope, id);
    this.manifests = [...teamProjectManifests(props), defaultProjectGuard(props.namespace)];
    this.release = new ManifestsRelease(this, "manifests", {
      releaseName: "argocd-team-projects",
      namespace: props.namespace ?? ARGOCD_NAMESPACE,
      manifests: this.manifests,
      dependsOn: props.dependsOn,
      provider: props.provider,
    });
  }
}
