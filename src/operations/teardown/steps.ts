import { ARGOCD_NAMESPACE } from "@meridian/constructs";
import { BOOTSTRAP_SELECTOR, IN_CLUSTER_SERVER, RESOURCES_FINALIZER } from "@meridian/constructs";
import { CLUSTER_LABEL_KEYS, CLUSTER_SECRET_TYPE_LABEL } from "@meridian/constructs";
import type { Clock } from "../command-line/clock";
import type { Output } from "../command-line/output";
import { byNamespace, isMissingResourceType, itemsOf, nameList, type KubeObject } from "./kubectl";
import { commandLine, type Command, type CommandRunner } from "./runner";
import { spokePeeringName } from "@meridian/constructs";

/** One EKS cluster of the environment being torn down (or the GitOps hub that manages it). */
export interface ClusterTarget {
  readonly environment: string;
  readonly region: string;
  /** EKS cluster name, also the kube context name the command creates. */
  readonly clusterName: string;
  /** Argo CD's name of the cluster (`destination.name`), `<environment>-<region>`. */
  readonly argoCdName: string;
  readonly autoscaler: "karpenter" | "cluster-autoscaler";
  /** This cluster runs the GitOps hub (Argo CD, Crossplane). */
  readonly isGitOpsHub: boolean;
  /** The account the cluster lives in (the environment's). */
  readonly accountId: string;
  /** AWS CLI profile for that account. @default - the default credential chain */
  readonly profile?: string;
}

/** What the connect steps learn about a cluster. */
export interface ClusterFacts {
  /** False when EKS says there is no such cluster (deleted already): its in-cluster steps are skipped. */
  readonly exists: boolean;
  readonly endpoint?: string;
}

export interface StepContext {
  readonly run: CommandRunner;
  readonly output: Output;
  readonly clock: Clock;
  /** Without it, only read-only commands run; every change is printed as "would run". */
  readonly execute: boolean;
  readonly waitTimeoutMs: number;
  readonly pollMs: number;
  /** The kubeconfig file this command writes its contexts to (never the operator's own). */
  readonly kubeconfig: string;
  /** Filled by the connect steps, read by the later ones. */
  readonly clusters: Map<string, ClusterFacts>;
}

export type StepOutcome =
  | { readonly status: "done" | "skipped"; readonly summary: string }
  | { readonly status: "failed"; readonly summary: string; readonly hint?: string };

export type Phase = "connect" | "gitops" | "cluster" | "aws" | "destroy";

export interface TeardownStep {
  readonly phase: Phase;
  readonly title: string;
  /** Runs the step; throws {@link StepFailure} (or any error) when it cannot complete. */
  perform(ctx: StepContext): Promise<StepOutcome>;
}

/** A step could not complete; `hint` tells the operator what to look at before re-running. */
export class StepFailure extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export const KUBECTL_TIMEOUT_MS = 90_000;
export const AWS_TIMEOUT_MS = 120_000;
export const SYNTH_TIMEOUT_MS = 30 * 60_000;
export const DESTROY_TIMEOUT_MS = 3 * 60 * 60_000;

/**
 * Namespaces of the platform's own, Terraform-installed controllers. An Argo CD Application that
 * deploys into one of them is deleted without cascading: its objects stay until the cluster goes,
 * so the controllers the cleanup relies on (load balancer controller, Karpenter, Crossplane) keep
 * running until the end.
 */
export const PLATFORM_NAMESPACES = ["kube-system", "karpenter", "crossplane-system"] as const;

/** `45s`, `3m05s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m${String(seconds % 60).padStart(2, "0")}s` : `${seconds}s`;
}

// ---------------------------------------------------------------------------------------------
// Command helpers

function kubectl(ctx: StepContext, context: string, args: readonly string[]): Command {
  return { program: "kubectl", args: ["--kubeconfig", ctx.kubeconfig, "--context", context, "--request-timeout=60s", ...args], timeoutMs: KUBECTL_TIMEOUT_MS };
}

function aws(args: readonly string[], profile: string | undefined): Command {
  return { program: "aws", args: [...args, ...(profile ? ["--profile", profile] : [])], timeoutMs: AWS_TIMEOUT_MS };
}

/** Runs a read-only command (in a dry run too); throws when it fails. */
async function read(ctx: StepContext, command: Command): Promise<string> {
  const result = await ctx.run(command);
  if (result.exitCode !== 0) {
    throw new StepFailure(`\`${commandLine(command)}\` failed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`);
  }
  return result.stdout;
}

/** Runs a change with --execute; in a dry run only prints it. Throws when it fails. */
async function change(ctx: StepContext, command: Command, hint?: string): Promise<void> {
  if (!ctx.execute) {
    ctx.output.out(`    would run: ${commandLine(command)}`);
    return;
  }
  ctx.output.out(`    $ ${commandLine(command)}`);
  const result = await ctx.run(command);
  if (result.exitCode !== 0) {
    throw new StepFailure(`\`${commandLine(command)}\` failed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`, hint);
  }
}

export interface ListScope {
  /** Cluster-scoped resources and `-A` lists leave it out. */
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
  /** `-l` label selector. */
  readonly selector?: string;
}

/** `kubectl get <resource> -o json`; `"absent"` when the cluster has no such API (its CRD is missing). */
async function list(ctx: StepContext, context: string, resource: string, scope: ListScope = {}): Promise<KubeObject[] | "absent"> {
  const args = ["get", resource, ...(scope.allNamespaces ? ["--all-namespaces"] : scope.namespace ? ["--namespace", scope.namespace] : []), ...(scope.selector ? ["--selector", scope.selector] : []), "--output", "json"];
  const command = kubectl(ctx, context, args);
  const result = await ctx.run(command);
  if (result.exitCode !== 0) {
    if (isMissingResourceType(result)) {
      return "absent";
    }
    throw new StepFailure(`\`${commandLine(command)}\` failed (exit ${result.exitCode}): ${result.stderr.trim()}`);
  }
  return itemsOf(result.stdout);
}

/**
 * Polls `remaining` until it is empty, printing what is left on every poll; a {@link StepFailure}
 * naming what is left when `ctx.waitTimeoutMs` passes first.
 */
async function waitUntilGone(ctx: StepContext, what: string, remaining: () => Promise<readonly string[]>, hint: string): Promise<number> {
  const started = ctx.clock.now();
  for (;;) {
    const left = await remaining();
    const elapsed = ctx.clock.now() - started;
    if (left.length === 0) {
      return elapsed;
    }
    const names = left.length > 8 ? `${left.slice(0, 8).join(", ")} and ${left.length - 8} more` : left.join(", ");
    ctx.output.out(`    [${formatDuration(elapsed)}] ${left.length} ${what} left: ${names}`);
    if (elapsed + ctx.pollMs > ctx.waitTimeoutMs) {
      throw new StepFailure(`timed out after ${formatDuration(elapsed)} (--timeout-minutes) with ${left.length} ${what} left: ${names}`, hint);
    }
    await ctx.clock.sleep(ctx.pollMs);
  }
}

const names = (objects: readonly KubeObject[]) => objects.map((o) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name));

/** Skips a step on a cluster the connect step found gone. */
function gone(ctx: StepContext, cluster: ClusterTarget): StepOutcome | undefined {
  const facts = ctx.clusters.get(cluster.clusterName);
  if (!facts) {
    throw new StepFailure(`internal: cluster ${cluster.clusterName} was never connected; the connect steps run first`);
  }
  return facts.exists ? undefined : { status: "skipped", summary: `cluster ${cluster.clusterName} does not exist` };
}

// ---------------------------------------------------------------------------------------------
// Steps

/**
 * Looks the cluster up in EKS and writes a context for it (named after the cluster) into the
 * command's own kubeconfig file. A cluster EKS does not know is recorded as gone, so a re-run
 * after a partial teardown skips it. Read-only for the cloud: it runs in a dry run too.
 */
export function connectStep(cluster: ClusterTarget, role: "cluster" | "GitOps hub"): TeardownStep {
  return {
    phase: "connect",
    title: `connect to ${role === "GitOps hub" ? "the GitOps hub " : ""}${cluster.clusterName} (${cluster.region})`,
    async perform(ctx) {
      // EKS answers "not found" for a cluster of another account: check the account first.
      const account = (await read(ctx, aws(["sts", "get-caller-identity", "--query", "Account", "--output", "text"], cluster.profile))).trim();
      if (account !== cluster.accountId) {
        throw new StepFailure(
          `the AWS credentials${cluster.profile ? ` of profile ${cluster.profile}` : ""} are for account ${account}, but ${cluster.clusterName} lives in account ${cluster.accountId}`,
          `pass ${role === "GitOps hub" ? "--hub-profile" : "--profile"} <profile> with credentials for account ${cluster.accountId}`,
        );
      }
      const describe = aws(["eks", "describe-cluster", "--name", cluster.clusterName, "--region", cluster.region, "--query", "cluster.endpoint", "--output", "text"], cluster.profile);
      const result = await ctx.run(describe);
      if (result.exitCode !== 0) {
        if (/ResourceNotFoundException/.test(result.stderr)) {
          ctx.clusters.set(cluster.clusterName, { exists: false });
          return { status: "done", summary: `${cluster.clusterName} does not exist (already deleted); its in-cluster steps are skipped` };
        }
        throw new StepFailure(`\`${commandLine(describe)}\` failed (exit ${result.exitCode}): ${result.stderr.trim()}`, "check that the credentials may call eks:DescribeCluster in that region");
      }
      const endpoint = result.stdout.trim();
      // With --profile the kubeconfig's token command uses the same profile.
      await read(ctx, aws(["eks", "update-kubeconfig", "--name", cluster.clusterName, "--region", cluster.region, "--alias", cluster.clusterName, "--kubeconfig", ctx.kubeconfig], cluster.profile));
      ctx.clusters.set(cluster.clusterName, { exists: true, endpoint });
      return { status: "done", summary: `reachable at ${endpoint}` };
    },
  };
}

/** The Argo CD Applications on the hub that manage `cluster`: its root (labelled with the cluster) and every Application deploying to it. */
export function applicationsOf(apps: readonly KubeObject[], cluster: ClusterTarget, endpoint: string | undefined): KubeObject[] {
  return apps.filter((app) => {
    const labelled = app.metadata.labels?.[CLUSTER_LABEL_KEYS.cluster];
    if (labelled !== undefined) {
      return labelled === cluster.clusterName;
    }
    const destination = (app.spec?.destination ?? {}) as { name?: string; server?: string };
    if (destination.name === cluster.argoCdName || (endpoint !== undefined && destination.server === endpoint)) {
      return true;
    }
    return cluster.isGitOpsHub && (destination.server === IN_CLUSTER_SERVER || destination.name === "in-cluster");
  });
}

/** Root (app-of-apps) Applications deploy Applications into the hub's Argo CD namespace. */
function isRoot(app: KubeObject): boolean {
  return ((app.spec?.destination ?? {}) as { namespace?: string }).namespace === ARGOCD_NAMESPACE;
}

/** The patch that makes deleting `app` cascade (or not), or undefined when its finalizers already do. */
export function finalizerPatch(app: KubeObject, cascade: boolean): Record<string, unknown> | undefined {
  const current = [...(app.metadata.finalizers ?? [])];
  const argo = current.filter((f) => f === RESOURCES_FINALIZER || f.startsWith(`${RESOURCES_FINALIZER}/`));
  if (cascade) {
    return argo.length > 0 ? undefined : { metadata: { finalizers: [...current, RESOURCES_FINALIZER] } };
  }
  return argo.length === 0 ? undefined : { metadata: { finalizers: current.filter((f) => !argo.includes(f)) } };
}

/**
 * On the hub: stop managing `cluster` and delete what Argo CD deployed to it, while Argo CD can
 * still reach it. (1) Every Application of the cluster gets Argo CD's resources finalizer, so
 * deleting it deletes its resources (Services, TargetGroupBindings, claims …) through Argo CD;
 * Applications deploying into a platform namespace lose it instead (orphaned, see
 * {@link PLATFORM_NAMESPACES}); when the cluster is already gone every Application is orphaned.
 * (2) The cluster secret loses the bootstrap label, so the bootstrap ApplicationSet stops
 * generating the cluster's root Application (the secret itself stays: Argo CD needs it to reach
 * the cluster, and Terraform removes it with the hub's platform stack). (3) The root Application
 * is deleted and waited for (it cascades to its child Applications), then whatever still targets
 * the cluster.
 */
export function gitOpsStep(hub: ClusterTarget, cluster: ClusterTarget): TeardownStep {
  return {
    phase: "gitops",
    title: `GitOps: the hub stops managing ${cluster.clusterName} and deletes its Argo CD Applications`,
    async perform(ctx) {
      const hubFacts = ctx.clusters.get(hub.clusterName);
      if (!hubFacts?.exists) {
        return { status: "skipped", summary: `the GitOps hub ${hub.clusterName} does not exist` };
      }
      const clusterFacts = ctx.clusters.get(cluster.clusterName);
      const reachable = clusterFacts?.exists ?? false;
      const listApps = async () => {
        const apps = await list(ctx, hub.clusterName, "applications.argoproj.io", { allNamespaces: true });
        return apps === "absent" ? "absent" : applicationsOf(apps, cluster, clusterFacts?.endpoint);
      };
      const apps = await listApps();
      if (apps === "absent") {
        return { status: "skipped", summary: `no Argo CD on ${hub.clusterName}` };
      }
      const selector = [...Object.entries(CLUSTER_SECRET_TYPE_LABEL), [CLUSTER_LABEL_KEYS.cluster, cluster.clusterName]].map(([k, v]) => `${k}=${v}`).join(",");
      const secrets = await list(ctx, hub.clusterName, "secrets", { namespace: ARGOCD_NAMESPACE, selector });
      const [bootstrapKey] = Object.keys(BOOTSTRAP_SELECTOR);
      const labelled = secrets === "absent" ? [] : secrets.filter((s) => s.metadata.labels?.[bootstrapKey!] !== undefined);

      const cascades = (app: KubeObject) => reachable && !(PLATFORM_NAMESPACES as readonly string[]).includes(((app.spec?.destination ?? {}) as { namespace?: string }).namespace ?? "");
      const roots = apps.filter(isRoot);
      const orphaned = apps.filter((app) => !cascades(app));
      ctx.output.out(
        `    ${apps.length} Application${apps.length === 1 ? "" : "s"} manage ${cluster.clusterName}` +
          (apps.length > 0 ? `: ${nameList(apps)} (${roots.length} root, ${orphaned.length} deleted without cascading${reachable ? "" : ": the cluster is gone"})` : ""),
      );

      for (const app of apps) {
        const patch = finalizerPatch(app, cascades(app));
        if (patch) {
          await change(ctx, kubectl(ctx, hub.clusterName, ["patch", "applications.argoproj.io", app.metadata.name, "--namespace", app.metadata.namespace ?? ARGOCD_NAMESPACE, "--type", "merge", "--patch", JSON.stringify(patch)]));
        }
      }
      for (const secret of labelled) {
        await change(ctx, kubectl(ctx, hub.clusterName, ["label", "secrets", secret.metadata.name, "--namespace", ARGOCD_NAMESPACE, `${bootstrapKey}-`]));
      }
      const hint = `a stuck Application usually waits for a resource with its own finalizer in ${cluster.clusterName}: \`kubectl --context ${hub.clusterName} -n ${ARGOCD_NAMESPACE} get applications\`, then look at the resources it still lists`;
      for (const [wave, members] of [
        ["root", roots],
        ["other", apps.filter((app) => !isRoot(app))],
      ] as const) {
        if (members.length === 0) {
          continue;
        }
        for (const [namespace, appNames] of byNamespace(members)) {
          await change(ctx, kubectl(ctx, hub.clusterName, ["delete", "applications.argoproj.io", ...appNames, "--namespace", namespace || ARGOCD_NAMESPACE, "--ignore-not-found", "--wait=false"]));
        }
        if (!ctx.execute) {
          ctx.output.out(`    would wait up to ${formatDuration(ctx.waitTimeoutMs)} for the ${wave} Application${members.length === 1 ? "" : "s"} to be gone`);
          continue;
        }
        await waitUntilGone(
          ctx,
          `${wave} Applications`,
          async () => {
            const now = await listApps();
            const wanted = new Set(names(members));
            return now === "absent" ? [] : names(now).filter((n) => wanted.has(n));
          },
          hint,
        );
      }
      if (ctx.execute) {
        // Child Applications created by a root while it was being deleted, or by hand.
        const left = await listApps();
        if (left !== "absent" && left.length > 0) {
          for (const [namespace, appNames] of byNamespace(left)) {
            await change(ctx, kubectl(ctx, hub.clusterName, ["delete", "applications.argoproj.io", ...appNames, "--namespace", namespace || ARGOCD_NAMESPACE, "--ignore-not-found", "--wait=false"]));
          }
          await waitUntilGone(ctx, "Applications", async () => {
            const now = await listApps();
            return now === "absent" ? [] : names(now);
          }, hint);
        }
      }
      return { status: "done", summary: ctx.execute ? `no Application manages ${cluster.clusterName} any more` : `${apps.length} Application(s) would be deleted` };
    },
  };
}

export interface DeleteStepOptions {
  readonly cluster: ClusterTarget;
  /** `kubectl` resource, e.g. `services`, `nodepools.karpenter.sh`. */
  readonly resource: string;
  /** Plural for the operator, e.g. `Services of type LoadBalancer`. */
  readonly what: string;
  readonly namespaced: boolean;
  /** Only these objects are deleted. @default every object */
  readonly filter?: (object: KubeObject) => boolean;
  /** Wait for other objects instead (NodeClaims after NodePools). @default the deleted objects */
  readonly waitFor?: { readonly resource: string; readonly what: string };
  /** Why the objects go, printed with the step. */
  readonly why: string;
  readonly hint: string;
}

/**
 * Deletes every matching object in one cluster (`--wait=false`, so finalizers run in parallel),
 * then waits until they are gone (their controllers have cleaned up in AWS) or, with `waitFor`,
 * until the objects that follow from them are gone.
 */
export function deleteStep(options: DeleteStepOptions): TeardownStep {
  const { cluster, resource, what, namespaced } = options;
  const scope: ListScope = namespaced ? { allNamespaces: true } : {};
  return {
    phase: "cluster",
    title: `${cluster.clusterName}: delete ${what} (${options.why})`,
    async perform(ctx) {
      const skipped = gone(ctx, cluster);
      if (skipped) {
        return skipped;
      }
      const select = async () => {
        const objects = await list(ctx, cluster.clusterName, resource, scope);
        return objects === "absent" ? "absent" : objects.filter(options.filter ?? (() => true));
      };
      const objects = await select();
      if (objects === "absent") {
        return { status: "skipped", summary: `the cluster has no ${resource} API` };
      }
      ctx.output.out(`    ${objects.length} ${what}${objects.length > 0 ? `: ${nameList(objects)}` : ""}`);
      for (const [namespace, objectNames] of byNamespace(objects)) {
        await change(ctx, kubectl(ctx, cluster.clusterName, ["delete", resource, ...objectNames, ...(namespace ? ["--namespace", namespace] : []), "--ignore-not-found", "--wait=false"]), options.hint);
      }
      const waitFor = options.waitFor;
      if (!ctx.execute) {
        if (waitFor) {
          const followers = await list(ctx, cluster.clusterName, waitFor.resource, {});
          const count = followers === "absent" ? 0 : followers.length;
          ctx.output.out(`    would wait up to ${formatDuration(ctx.waitTimeoutMs)} for ${count} ${waitFor.what} to be gone`);
        } else if (objects.length > 0) {
          ctx.output.out(`    would wait up to ${formatDuration(ctx.waitTimeoutMs)} for them to be gone`);
        }
        return { status: "done", summary: `${objects.length} ${what} would be deleted` };
      }
      if (objects.length === 0 && !waitFor) {
        return { status: "done", summary: `no ${what}` };
      }
      const elapsed = await waitUntilGone(
        ctx,
        waitFor ? waitFor.what : what,
        async () => {
          if (waitFor) {
            const followers = await list(ctx, cluster.clusterName, waitFor.resource, {});
            return followers === "absent" ? [] : names(followers);
          }
          const now = await select();
          return now === "absent" ? [] : names(now);
        },
        options.hint,
      );
      return { status: "done", summary: `${objects.length} ${what} deleted${waitFor ? `, ${waitFor.what} gone` : ""} after ${formatDuration(elapsed)}` };
    },
  };
}

/**
 * On the hub, when its own environment goes: Crossplane's managed resources (AWS resources it
 * created) must be gone before Crossplane is uninstalled, or they live on unmanaged. Deleting the
 * Applications deleted their claims; this waits for Crossplane to finish, and deletes nothing.
 */
export function crossplaneStep(hub: ClusterTarget): TeardownStep {
  return {
    phase: "cluster",
    title: `${hub.clusterName}: wait for Crossplane to delete the AWS resources it manages`,
    async perform(ctx) {
      const skipped = gone(ctx, hub);
      if (skipped) {
        return skipped;
      }
      const managed = await list(ctx, hub.clusterName, "managed", {});
      if (managed === "absent") {
        return { status: "skipped", summary: "no Crossplane managed resource types in the cluster" };
      }
      ctx.output.out(`    ${managed.length} managed resources${managed.length > 0 ? `: ${nameList(managed)}` : ""}`);
      if (!ctx.execute) {
        if (managed.length > 0) {
          ctx.output.out(`    would wait up to ${formatDuration(ctx.waitTimeoutMs)} for them to be deleted (by deleting their claims through Argo CD)`);
        }
        return { status: "done", summary: `${managed.length} managed resources` };
      }
      const elapsed = await waitUntilGone(
        ctx,
        "Crossplane managed resources",
        async () => {
          const now = await list(ctx, hub.clusterName, "managed", {});
          return now === "absent" ? [] : names(now);
        },
        `delete their claims or composite resources (\`kubectl --context ${hub.clusterName} get claim,composite --all-namespaces\`); a managed resource with deletionPolicy Orphan stays in AWS by design`,
      );
      return { status: "done", summary: `no managed resources left after ${formatDuration(elapsed)}` };
    },
  };
}

/**
 * Deletes the GitOps hub's VPC peering to a spoke, from the spoke's account (the accepter may
 * delete it). The spoke's hub link only accepted it, so destroying that stack forgets the peering
 * without deleting it, and an active peering keeps the spoke's VPC from being deleted.
 */
export function hubPeeringStep(cluster: ClusterTarget): TeardownStep {
  const query = aws([
    "ec2",
    "describe-vpc-peering-connections",
    "--region",
    cluster.region,
    "--filters",
    `Name=tag:Name,Values=${spokePeeringName(cluster.clusterName)}`,
    "Name=status-code,Values=pending-acceptance,provisioning,active",
    "--query",
    "VpcPeeringConnections[].VpcPeeringConnectionId",
    "--output",
    "json",
  ], cluster.profile);
  return {
    phase: "aws",
    title: `${cluster.clusterName}: delete the GitOps hub's VPC peering (an active peering keeps the VPC from being deleted)`,
    async perform(ctx) {
      const parsed = JSON.parse((await read(ctx, query)).trim() || "[]") as unknown;
      const peerings = Array.isArray(parsed) ? (parsed as string[]) : [];
      for (const id of peerings) {
        await change(ctx, aws(["ec2", "delete-vpc-peering-connection", "--region", cluster.region, "--vpc-peering-connection-id", id], cluster.profile));
      }
      return { status: "done", summary: peerings.length === 0 ? "no peering to the hub" : ctx.execute ? `${peerings.length} peering(s) deleted` : `${peerings.length} peering(s) would be deleted` };
    },
  };
}

/**
 * What the controllers may have left in AWS after the in-cluster steps: load balancers tagged for
 * the cluster (by the load balancer controller or the in-tree service controller), Karpenter
 * instances, and network interfaces the VPC CNI left detached (they block subnet and security
 * group deletion). Detached ENIs are deleted; the rest is waited for (their controllers delete
 * them), and a timeout names what is left. Runs even when the cluster is gone.
 */
export function awsLeftoversStep(cluster: ClusterTarget): TeardownStep {
  const region = cluster.region;
  const tagged = (filters: string[]) =>
    aws(["resourcegroupstaggingapi", "get-resources", "--region", region, "--resource-type-filters", "elasticloadbalancing:loadbalancer", "--tag-filters", ...filters, "--query", "ResourceTagMappingList[].ResourceARN", "--output", "json"], cluster.profile);
  const loadBalancerQueries = [tagged([`Key=elbv2.k8s.aws/cluster,Values=${cluster.clusterName}`]), tagged([`Key=kubernetes.io/cluster/${cluster.clusterName},Values=owned`])];
  const instancesQuery = aws([
    "ec2",
    "describe-instances",
    "--region",
    region,
    "--filters",
    "Name=tag-key,Values=karpenter.sh/nodepool",
    `Name=tag:kubernetes.io/cluster/${cluster.clusterName},Values=owned`,
    "Name=instance-state-name,Values=pending,running,shutting-down,stopping,stopped",
    "--query",
    "Reservations[].Instances[].InstanceId",
    "--output",
    "json",
  ], cluster.profile);
  const enisQuery = aws([
    "ec2",
    "describe-network-interfaces",
    "--region",
    region,
    "--filters",
    `Name=tag:cluster.k8s.amazonaws.com/name,Values=${cluster.clusterName}`,
    "Name=status,Values=available",
    "--query",
    "NetworkInterfaces[].NetworkInterfaceId",
    "--output",
    "json",
  ], cluster.profile);
  const ids = async (ctx: StepContext, command: Command): Promise<string[]> => {
    const stdout = await read(ctx, command);
    const parsed = JSON.parse(stdout.trim() || "[]") as unknown;
    return Array.isArray(parsed) ? (parsed as string[]) : [];
  };
  const loadBalancers = async (ctx: StepContext) => [...new Set((await Promise.all(loadBalancerQueries.map((q) => ids(ctx, q)))).flat())];
  const instances = async (ctx: StepContext) => (cluster.autoscaler === "karpenter" ? ids(ctx, instancesQuery) : []);

  return {
    phase: "aws",
    title: `${cluster.clusterName}: no controller-made load balancers${cluster.autoscaler === "karpenter" ? ", Karpenter instances" : ""} or detached ENIs left in ${region}`,
    async perform(ctx) {
      const [lbs, nodes, enis] = [await loadBalancers(ctx), await instances(ctx), await ids(ctx, enisQuery)];
      ctx.output.out(`    ${lbs.length} load balancers, ${cluster.autoscaler === "karpenter" ? `${nodes.length} Karpenter instances, ` : ""}${enis.length} detached ENIs`);
      for (const eni of enis) {
        await change(ctx, aws(["ec2", "delete-network-interface", "--region", region, "--network-interface-id", eni], cluster.profile));
      }
      if (!ctx.execute) {
        if (lbs.length + nodes.length > 0) {
          ctx.output.out(`    would wait up to ${formatDuration(ctx.waitTimeoutMs)} for the load balancers and instances to be deleted by their controllers`);
        }
        return { status: "done", summary: `${lbs.length + nodes.length + enis.length} leftovers now` };
      }
      const elapsed = await waitUntilGone(
        ctx,
        "load balancers, instances or ENIs",
        async () => [...(await loadBalancers(ctx)), ...(await instances(ctx)), ...(await ids(ctx, enisQuery))],
        "the controller that owns them is gone or stuck: delete a leftover load balancer with `aws elbv2 delete-load-balancer`, an instance with `aws ec2 terminate-instances`, after checking it belongs to this cluster",
      );
      return { status: "done", summary: `nothing left after ${formatDuration(elapsed)}` };
    },
  };
}

/** `cdktf synth` once for the environment, so every destroy can skip it. */
/** The environment of the cdktf commands: the environment to synthesize, and the profile if one was given. */
/** `environment` undefined: the whole catalogue (the GitOps hub's stacks exist only there). */
function cdktfEnv(environment: string | undefined, profile: string | undefined): Record<string, string> {
  return { ...(environment ? { ENVIRONMENTS: environment } : {}), ...(profile ? { AWS_PROFILE: profile } : {}) };
}

/** Synthesizes `environment`'s stacks, or the whole catalogue's when undefined. */
export function synthStep(environment: string | undefined, profile?: string): TeardownStep {
  return {
    phase: "destroy",
    title: environment ? `synthesize ${environment}'s stacks` : "synthesize the whole catalogue (the GitOps hub's stacks exist only there)",
    async perform(ctx) {
      await change(ctx, { program: "npx", args: ["cdktf", "synth"], env: cdktfEnv(environment, profile), timeoutMs: SYNTH_TIMEOUT_MS, streamOutput: true });
      return { status: "done", summary: ctx.execute ? "synthesized into cdktf.out" : "would synthesize" };
    },
  };
}

/** Why `cdktf destroy` of a stack may refuse, for the failure hint. */
export type StackKind = "platform" | "edge" | "hub-link" | "hub-network" | "regional" | "global-database";

const DESTROY_HINTS: Record<StackKind, string> = {
  platform: "a Helm release or namespace that does not uninstall usually waits for a finalizer; the in-cluster steps above delete them, so re-run the command",
  edge: "Global Accelerator disables the accelerator before deleting it; re-run if it timed out",
  "hub-link":
    "the peering itself was deleted in the AWS step above; if a route still refers to it, delete the route and re-run (docs/runbooks/teardown.md)",
  "hub-network": "a route or peering that is already gone is fine; re-run if AWS was still deleting a peering",
  regional:
    "the regional stack keeps prevent_destroy on its KMS keys and EFS file system, and deletion protection on the Aurora member and (production) the NLB: lift them in a reviewed change first (docs/runbooks/teardown.md, step 5)",
  "global-database":
    "the global-database stack keeps prevent_destroy on the multi-Region key and the global tables, and deletion protection on the global cluster: lift them in a reviewed change first (docs/runbooks/teardown.md, step 5)",
};

/** `cdktf destroy` of one stack, dependants already destroyed (hence `--ignore-missing-stack-dependencies`). */
export function destroyStep(environment: string | undefined, stack: string, kind: StackKind, profile?: string): TeardownStep {
  return {
    phase: "destroy",
    title: `cdktf destroy ${stack}`,
    async perform(ctx) {
      await change(
        ctx,
        {
          program: "npx",
          args: ["cdktf", "destroy", stack, "--auto-approve", "--ignore-missing-stack-dependencies", "--skip-synth"],
          env: cdktfEnv(environment, profile),
          timeoutMs: DESTROY_TIMEOUT_MS,
          streamOutput: true,
        },
        DESTROY_HINTS[kind],
      );
      return { status: "done", summary: ctx.execute ? `${stack} destroyed` : `would destroy ${stack}` };
    },
  };
}
