import type { IClusterPolicy } from "@kubernetes-models/kyverno/kyverno.io/v1/ClusterPolicy" with { "resolution-mode": "import" };
import type { IClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole" with { "resolution-mode": "import" };
import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { KYVERNO_CHART } from "./chart";
import { ChartRelease, mergeValues, type ChartPin, type HelmValues } from "../chart-release";
import { ManifestsRelease, type KubernetesManifest } from "../manifests-release";
import { PRIORITY_CLASSES, ZONE_TOPOLOGY_KEY, highAvailability, toggledPodDisruptionBudget, type HighAvailability } from "../resilience";
import { isDnsLabel } from "../../core/kubernetes-formats";

/** Label (on a workload or its namespace) that opts it out of every workload default. */
export const OPT_OUT_LABEL = { key: "workload-defaults.platform/skip", value: "true" } as const;
/** Label on the PodDisruptionBudgets the defaults generate, so they never count as a team's own budget. */
export const GENERATED_LABEL = { key: "workload-defaults.platform/generated", value: "true" } as const;
/** Namespaces the defaults never touch: the control plane's and Kyverno's own. */
export const ALWAYS_EXCLUDED_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease"] as const;

const KYVERNO_RELEASE = "kyverno";

/** Replicas per Kyverno controller; each must be >= 2 (see `highAvailability`). */
export interface KyvernoReplicas {
  /** Admission webhook replicas; the webhook answers every matched API request. @default 3 */
  readonly admission?: number;
  /** Background controller (generate rules, so it creates the PDBs). @default 2 */
  readonly background?: number;
  /** Cleanup controller (cleanup policies and TTL deletions). @default 2 */
  readonly cleanup?: number;
  /** Reports controller (policy reports). @default 2 */
  readonly reports?: number;
}

/** Props of {@link WorkloadDefaults}. */
export interface WorkloadDefaultsProps {
  /** Namespace of Kyverno and its releases (created; always excluded from the defaults); a DNS label. @default "kyverno" */
  readonly namespace?: string;
  /** Replicas per Kyverno controller. @default - 3 admission, 2 of each other controller (see KyvernoReplicas) */
  readonly replicas?: KyvernoReplicas;
  /** Must exist before the release (see `PriorityClasses`). @default "platform-critical" */
  readonly priorityClassName?: string;
  /** More namespaces the defaults leave alone (on top of kube-system, kube-public, kube-node-lease and Kyverno's). @default [] */
  readonly excludedNamespaces?: readonly string[];
  /** The chart to install. @default KYVERNO_CHART */
  readonly chart?: ChartPin;
  /** Helm values deep-merged over the construct's own (objects merge, arrays and scalars replace; see `mergeValues`). @default - none */
  readonly values?: HelmValues;
  /** Resources the Kyverno release waits for, e.g. the priority classes its pods name. @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** Helm provider of the three releases. @default - the stack's default helm provider */
  readonly provider?: TerraformProvider;
}

type Manifest<T> = T & KubernetesManifest;

/** Options of {@link workloadDefaultManifests}. */
export interface WorkloadDefaultPolicyOptions {
  /** Kyverno's namespace, excluded like the system namespaces. */
  readonly kyvernoNamespace: string;
  /** More namespaces the policies leave alone. @default [] */
  readonly excludedNamespaces?: readonly string[];
}

/** The two ClusterPolicies and the RBAC Kyverno needs to apply them. Pure, for tests and reviews. */
export function workloadDefaultManifests(options: WorkloadDefaultPolicyOptions): {
  readonly rbac: Manifest<IClusterRole>[];
  readonly policies: Manifest<IClusterPolicy>[];
} {
  const namespaces = [...new Set([...ALWAYS_EXCLUDED_NAMESPACES, options.kyvernoNamespace, ...(options.excludedNamespaces ?? [])])];
  const optOut = () => ({ [OPT_OUT_LABEL.key]: OPT_OUT_LABEL.value });
  // A fresh object per rule: shared objects would be rendered as YAML anchors and aliases.
  const exclude = () => ({
    any: [{ resources: { namespaces: [...namespaces] } }, { resources: { selector: { matchLabels: optOut() } } }, { resources: { namespaceSelector: { matchLabels: optOut() } } }],
  });
  const annotations = (title: string, description: string) => ({
    "policies.kyverno.io/title": title,
    "policies.kyverno.io/category": "Workload defaults",
    "policies.kyverno.io/subject": "Deployment, StatefulSet",
    "policies.kyverno.io/description": `${description} Opt out with the label ${OPT_OUT_LABEL.key}=${OPT_OUT_LABEL.value} on the workload or its namespace.`,
  });

  const zoneSpread: Manifest<IClusterPolicy> = {
    apiVersion: "kyverno.io/v1",
    kind: "ClusterPolicy",
    metadata: {
      name: "workload-defaults-zone-spread",
      annotations: annotations(
        "Spread replicas over availability zones",
        "Adds a soft topology spread over topology.kubernetes.io/zone to Deployments and StatefulSets that have none, so one zone's loss does not take every replica.",
      ),
    },
    spec: {
      admission: true,
      // Only at admission: existing workloads pick it up on their next change.
      background: false,
      // A default, not a guard: when Kyverno is down, workloads are admitted unchanged.
      failurePolicy: "Ignore",
      rules: [
        {
          name: "add-zone-spread",
          match: { any: [{ resources: { kinds: ["Deployment", "StatefulSet"], operations: ["CREATE", "UPDATE"] } }] },
          exclude: exclude(),
          preconditions: {
            all: [
              {
                key: `{{ request.object.spec.template.spec.topologySpreadConstraints[?topologyKey=='${ZONE_TOPOLOGY_KEY}'] || \`[]\` | length(@) }}`,
                operator: "Equals",
                value: 0,
              },
            ],
          },
          mutate: {
            // Strategic merge keys the list by topologyKey: a team's node spread is kept, the zone spread is added.
            patchStrategicMerge: {
              spec: {
                template: {
                  spec: {
                    topologySpreadConstraints: [
                      {
                        maxSkew: 1,
                        topologyKey: ZONE_TOPOLOGY_KEY,
                        // Soft: a team's pods are never left pending by a default they did not choose.
                        whenUnsatisfiable: "ScheduleAnyway",
                        labelSelector: "{{ request.object.spec.selector }}",
                        matchLabelKeys: ["pod-template-hash"],
                        nodeTaintsPolicy: "Honor",
                      },
                    ],
                  },
                },
              },
            },
          },
        },
      ],
    },
  };

  const budget: Manifest<IClusterPolicy> = {
    apiVersion: "kyverno.io/v1",
    kind: "ClusterPolicy",
    metadata: {
      name: "workload-defaults-disruption-budget",
      annotations: annotations(
        "Disruption budget for replicated Deployments",
        "Generates a PodDisruptionBudget (maxUnavailable 1) for each Deployment with 2 or more replicas that no budget of its team covers, so node drains and consolidation keep all but one replica serving.",
      ),
    },
    spec: {
      admission: true,
      background: true,
      failurePolicy: "Ignore",
      rules: [
        {
          name: "generate-disruption-budget",
          match: { any: [{ resources: { kinds: ["Deployment"], operations: ["CREATE", "UPDATE"] } }] },
          exclude: exclude(),
          context: [
            {
              // Budgets of the team that already select these pods: two budgets over one pod make evictions fail.
              name: "teamBudgets",
              apiCall: {
                urlPath: "/apis/policy/v1/namespaces/{{ request.object.metadata.namespace }}/poddisruptionbudgets",
                jmesPath: `items[?metadata.labels."${GENERATED_LABEL.key}" != '${GENERATED_LABEL.value}' && label_match(spec.selector.matchLabels || \`{}\`, \`{{ request.object.spec.template.metadata.labels }}\`)] | length(@)`,
              },
            },
          ],
          preconditions: {
            all: [
              { key: "{{ request.object.spec.replicas || `1` }}", operator: "GreaterThanOrEquals", value: 2 },
              { key: "{{ teamBudgets }}", operator: "Equals", value: 0 },
            ],
          },
          generate: {
            apiVersion: "policy/v1",
            kind: "PodDisruptionBudget",
            name: "{{ request.object.metadata.name }}-default",
            namespace: "{{ request.object.metadata.namespace }}",
            // Kept in step with the Deployment, deleted with it (or when it drops below 2 replicas).
            synchronize: true,
            // Also for the Deployments that existed before the policy.
            generateExisting: true,
            data: {
              metadata: { labels: { [GENERATED_LABEL.key]: GENERATED_LABEL.value } },
              // maxUnavailable (not minAvailable) never blocks a drain, whatever the replica count.
              spec: { maxUnavailable: 1, selector: "{{ request.object.spec.selector }}" },
            },
          },
        },
      ],
    },
  };

  const rbac: Manifest<IClusterRole>[] = [
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "kyverno:workload-defaults:manage-pdbs", labels: { "rbac.kyverno.io/aggregate-to-background-controller": "true" } },
      rules: [{ apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: {
        name: "kyverno:workload-defaults:read-pdbs",
        labels: { "rbac.kyverno.io/aggregate-to-admission-controller": "true", "rbac.kyverno.io/aggregate-to-reports-controller": "true" },
      },
      rules: [{ apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: ["get", "list", "watch"] }],
    },
  ];
  return { rbac, policies: [zoneSpread, budget] };
}

/**
 * Defaults for application teams, enforced by Kyverno (installed highly available): replicated
 * workloads get a zone spread and a PodDisruptionBudget unless they bring their own or opt out.
 * See README.md next to this file.
 */
export class WorkloadDefaults extends Construct {
  /** The Kyverno release. */
  readonly kyverno: ChartRelease;
  /** The ClusterRoles aggregated into Kyverno's controllers, released before the policies. */
  readonly rbac: ManifestsRelease;
  /** The two ClusterPolicies. */
  readonly policies: ManifestsRelease;
  /** The rendered replicas, budget, spread and priority, by Kyverno controller. */
  readonly highAvailability: Readonly<Record<"admission" | "background" | "cleanup" | "reports", HighAvailability>>;

  constructor(scope: Construct, id: string, props: WorkloadDefaultsProps = {}) {
    super(scope, id);
    const namespace = props.namespace ?? "kyverno";
    (props.excludedNamespaces ?? []).forEach((excluded, i) => {
      if (!isDnsLabel(excluded)) {
        throw new Error(`WorkloadDefaults ${id}: excludedNamespaces[${i}] ${JSON.stringify(excluded)} must be a namespace name (DNS label)`);
      }
    });
    const priorityClassName = props.priorityClassName ?? PRIORITY_CLASSES.platformCritical.name;
    const replicas = { admission: 3, background: 2, cleanup: 2, reports: 2, ...props.replicas };
    const controller = (component: string, count: number) =>
      highAvailability({
        component: `kyverno ${component}`,
        replicas: count,
        priorityClassName,
        selector: { "app.kubernetes.io/component": component, "app.kubernetes.io/instance": KYVERNO_RELEASE, "app.kubernetes.io/part-of": KYVERNO_RELEASE },
      });
    this.highAvailability = {
      admission: controller("admission-controller", replicas.admission),
      background: controller("background-controller", replicas.background),
      cleanup: controller("cleanup-controller", replicas.cleanup),
      reports: controller("reports-controller", replicas.reports),
    };
    const values = (ha: HighAvailability) => ({
      replicas: ha.replicas,
      podDisruptionBudget: toggledPodDisruptionBudget(ha),
      topologySpreadConstraints: ha.topologySpreadConstraints,
      priorityClassName: ha.priorityClassName,
    });
    this.kyverno = new ChartRelease(this, "kyverno", {
      releaseName: KYVERNO_RELEASE,
      namespace,
      chart: props.chart ?? KYVERNO_CHART,
      values: mergeValues(
        {
          admissionController: values(this.highAvailability.admission),
          backgroundController: values(this.highAvailability.background),
          cleanupController: values(this.highAvailability.cleanup),
          reportsController: values(this.highAvailability.reports),
        },
        props.values,
      ),
      dependsOn: props.dependsOn,
      provider: props.provider,
    });
    const manifests = workloadDefaultManifests({ kyvernoNamespace: namespace, excludedNamespaces: props.excludedNamespaces });
    // Roles first, in their own release: Kyverno refuses a generate policy its controllers lack permissions for.
    this.rbac = new ManifestsRelease(this, "rbac", {
      releaseName: "workload-defaults-rbac",
      namespace,
      manifests: manifests.rbac,
      dependsOn: [this.kyverno.release],
      provider: props.provider,
    });
    this.policies = new ManifestsRelease(this, "policies", {
      releaseName: "workload-defaults",
      namespace,
      manifests: manifests.policies,
      dependsOn: [this.kyverno.release, this.rbac.chart.release],
      provider: props.provider,
    });
  }
}
