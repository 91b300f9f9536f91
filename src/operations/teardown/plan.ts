import { isGitOpsHub, gitOpsHubSite } from "../../config/gitops-hub";
import { argoCdClusterName, clusterName, edgeStackName, globalDatabaseStackName, hubLinkStackName, hubNetworkStackName, platformStackName, regionalStackName } from "../../config/naming";
import type { Catalogue, EnvironmentConfig } from "../../config/schema";
import type { TeardownRequest } from "./arguments";
import { awsLeftoversStep, connectStep, hubPeeringStep, crossplaneStep, deleteStep, destroyStep, gitOpsStep, synthStep, type ClusterTarget, type StackKind, type TeardownStep } from "./steps";

export interface TeardownPlan {
  /** Set when the command must not run at all; says why. */
  readonly refusal?: string;
  /** The environment's clusters, in catalogue region order. */
  readonly clusters: readonly ClusterTarget[];
  /** The cluster that runs Argo CD for every environment. */
  readonly hub: ClusterTarget;
  /** Stacks in the order `cdktf destroy` takes them. */
  readonly stacks: readonly { readonly name: string; readonly kind: StackKind }[];
  readonly steps: readonly TeardownStep[];
}

/** Only Services of type LoadBalancer have a load balancer in AWS behind them. */
const isLoadBalancerService = (service: { spec?: Readonly<Record<string, unknown>> }) => service.spec?.type === "LoadBalancer";

function clusterTarget(catalogue: Catalogue, environment: EnvironmentConfig, region: string, profile?: string): ClusterTarget {
  return {
    environment: environment.name,
    region,
    clusterName: clusterName(catalogue.project, environment.name, region),
    argoCdName: argoCdClusterName(environment.name, region),
    autoscaler: environment.cluster.autoscaler,
    isGitOpsHub: isGitOpsHub(catalogue, environment.name, region),
    accountId: environment.accountId,
    ...(profile ? { profile } : {}),
  };
}

/**
 * The stacks of an environment in destroy order: the platform stacks (the hub's last: the other
 * clusters' cleanup needs its Argo CD), the edge (it points at the regional NLBs), the spokes'
 * hub links and, in the hub's environment, the hub network (both route over the regional VPCs),
 * the regional stacks with the Aurora reader first (it leaves the global cluster before the
 * writer goes), and the global-database stack.
 */
export function destroyOrder(catalogue: Catalogue, environment: EnvironmentConfig): { name: string; kind: StackKind }[] {
  const regions = environment.regions.map((r) => r.region);
  const hubLast = [...regions].sort((a, b) => Number(clusterTarget(catalogue, environment, a).isGitOpsHub) - Number(clusterTarget(catalogue, environment, b).isGitOpsHub));
  const readerFirst = [...regions].sort((a, b) => Number(a === environment.primaryRegion) - Number(b === environment.primaryRegion));
  // An environment that has not joined the hub has neither platform stacks nor hub links.
  const joined = environment.joinedToHub;
  return [
    ...(joined ? hubLast : []).map((region) => ({ name: platformStackName(environment.name, region), kind: "platform" as const })),
    ...(environment.edge ? [{ name: edgeStackName(environment.name), kind: "edge" as const }] : []),
    ...regions
      .filter((region) => joined && !clusterTarget(catalogue, environment, region).isGitOpsHub)
      .map((region) => ({ name: hubLinkStackName(environment.name, region), kind: "hub-link" as const })),
    ...(catalogue.gitopsHub.environment === environment.name ? [{ name: hubNetworkStackName(environment.name), kind: "hub-network" as const }] : []),
    ...readerFirst.map((region) => ({ name: regionalStackName(environment.name, region), kind: "regional" as const })),
    ...(environment.database || environment.keyValueTables.length > 0 ? [{ name: globalDatabaseStackName(environment.name), kind: "global-database" as const }] : []),
  ];
}

/**
 * The ordered teardown of one environment, so that `cdktf destroy` finds nothing a controller
 * created outside Terraform (load balancers, ENIs, nodes) in its way:
 * 1. connect: the GitOps hub and every cluster of the environment;
 * 2. GitOps: on the hub, stop generating and delete the Applications of each cluster (the hub's
 *    own last), cascading into the clusters while Argo CD can still reach them;
 * 3. per cluster: Ingresses and Services of type LoadBalancer (their load balancers),
 *    TargetGroupBindings (registered targets and the controller's security group rules),
 *    Karpenter NodePools (Karpenter drains and terminates its nodes; wait for the NodeClaims)
 *    and EC2NodeClasses (its instance profiles); on the hub, Crossplane's managed resources;
 * 4. per cluster: the AWS check for leftovers (and detached ENIs deleted);
 * 5. `cdktf destroy` stack by stack ({@link destroyOrder}), unless `skipDestroy`.
 */
export function teardownPlan(catalogue: Catalogue, request: TeardownRequest): TeardownPlan {
  const environment = request.environment;
  const clusters = environment.regions.map((r) => clusterTarget(catalogue, environment, r.region, request.profile));
  const { environment: hubEnvironment, region: hubRegion } = gitOpsHubSite(catalogue);
  const hub = hubEnvironment.name === environment.name ? clusters.find((c) => c.isGitOpsHub)! : clusterTarget(catalogue, hubEnvironment, hubRegion.region, request.hubProfile);
  const stacks = destroyOrder(catalogue, environment);

  const others = catalogue.environments.filter((e) => e.name !== environment.name).map((e) => e.name);
  const refusal =
    hub.environment === environment.name && others.length > 0 && !request.includingGitOpsHub
      ? `environment ${environment.name} runs the GitOps hub (${hub.clusterName}), which also manages ${others.join(", ")}: ` +
        "their Applications would stop being reconciled. Tear those environments down first, or move the hub (catalogue gitopsHub), " +
        "or pass --including-gitops-hub to go ahead."
      : undefined;

  // The hub's platform and network stacks exist only in a synth of the whole catalogue.
  const synthScope = hub.environment === environment.name ? undefined : environment.name;
  const hubFirstOrLast = [...clusters].sort((a, b) => Number(a.isGitOpsHub) - Number(b.isGitOpsHub));
  const steps: TeardownStep[] = [
    ...(hub.environment === environment.name ? [] : [connectStep(hub, "GitOps hub")]),
    ...clusters.map((cluster) => connectStep(cluster, cluster.isGitOpsHub ? "GitOps hub" : "cluster")),
    ...hubFirstOrLast.map((cluster) => gitOpsStep(hub, cluster)),
    ...clusters.flatMap((cluster) => clusterSteps(cluster)),
    ...clusters.map((cluster) => awsLeftoversStep(cluster)),
    ...clusters.filter((cluster) => environment.joinedToHub && !cluster.isGitOpsHub).map((cluster) => hubPeeringStep(cluster)),
    ...(request.skipDestroy ? [] : [synthStep(synthScope, request.profile), ...stacks.map((s) => destroyStep(synthScope, s.name, s.kind, request.profile))]),
  ];
  return { refusal, clusters, hub, stacks, steps };
}

function clusterSteps(cluster: ClusterTarget): TeardownStep[] {
  const steps: TeardownStep[] = [
    deleteStep({
      cluster,
      resource: "ingresses.networking.k8s.io",
      what: "Ingresses",
      namespaced: true,
      why: "the load balancer controller deletes their ALBs",
      hint: "an Ingress that stays has the controller's finalizer: check the aws-load-balancer-controller logs in kube-system",
    }),
    deleteStep({
      cluster,
      resource: "services",
      what: "Services of type LoadBalancer",
      namespaced: true,
      filter: isLoadBalancerService,
      why: "their load balancers and the ENIs behind them go",
      hint: "a Service that stays has the service.kubernetes.io/load-balancer-cleanup finalizer: check the aws-load-balancer-controller logs in kube-system",
    }),
    deleteStep({
      cluster,
      resource: "targetgroupbindings.elbv2.k8s.aws",
      what: "TargetGroupBindings",
      namespaced: true,
      why: "targets leave the Terraform-owned target groups and the controller removes its security group rules",
      hint: "a TargetGroupBinding that stays has the elbv2.k8s.aws/resources finalizer: check the aws-load-balancer-controller logs in kube-system",
    }),
  ];
  if (cluster.autoscaler === "karpenter") {
    steps.push(
      deleteStep({
        cluster,
        resource: "nodepools.karpenter.sh",
        what: "Karpenter NodePools",
        namespaced: false,
        waitFor: { resource: "nodeclaims.karpenter.sh", what: "NodeClaims" },
        why: "Karpenter drains and terminates every node it launched",
        hint: "a NodeClaim that stays is usually a node whose pods a PodDisruptionBudget protects (terminationGracePeriod ends it after 24 h): `kubectl get nodeclaims`, `kubectl describe node`",
      }),
      deleteStep({
        cluster,
        resource: "ec2nodeclasses.karpenter.k8s.aws",
        what: "EC2NodeClasses",
        namespaced: false,
        why: "Karpenter deletes the instance profiles it created",
        hint: "an EC2NodeClass waits for its NodeClaims; check the karpenter controller logs in the karpenter namespace",
      }),
    );
  }
  if (cluster.isGitOpsHub) {
    steps.push(crossplaneStep(cluster));
  }
  return steps;
}
