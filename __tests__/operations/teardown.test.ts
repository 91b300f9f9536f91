import { BUILT_IN_CATALOGUE } from "../../src/config/catalogue";
import { loadCatalogue } from "../../src/config/load";
import type { Catalogue } from "../../src/config/schema";
import type { Clock } from "../../src/operations/command-line/clock";
import type { Output } from "../../src/operations/command-line/output";
import { parseTeardownArguments, type TeardownRequest } from "../../src/operations/teardown/arguments";
import { runTeardownCommand } from "../../src/operations/teardown/command";
import type { KubeObject } from "../../src/operations/teardown/kubectl";
import { destroyOrder, teardownPlan } from "../../src/operations/teardown/plan";
import { TIMED_OUT_EXIT_CODE, commandLine, processRunner, type Command, type CommandResult } from "../../src/operations/teardown/runner";
import { applicationsOf, finalizerPatch, type ClusterTarget } from "../../src/operations/teardown/steps";

const catalogue: Catalogue = loadCatalogue(structuredClone(BUILT_IN_CATALOGUE)).catalogue;
const START = Date.parse("2025-06-01T12:00:00Z");
const KUBECONFIG = "/tmp/test.kubeconfig";
const FINALIZER = "resources-finalizer.argocd.argoproj.io";

// ---------------------------------------------------------------------------------------------
// A scripted world: clusters with Kubernetes objects, AWS leftovers, and the commands run.

interface FakeObject extends KubeObject {
  /** Polls of its resource left before a deleted object disappears (its finalizer at work). */
  deleting?: number;
}

interface FakeCluster {
  exists: boolean;
  endpoint: string;
  /** Resource → objects; a resource not listed is an API the cluster does not have. */
  objects: Record<string, FakeObject[]>;
}

interface World {
  clusters: Record<string, FakeCluster>;
  /** Per cluster: AWS leftovers as the CLI reports them, each disappearing after `polls` reads (Infinity: never). */
  aws: Record<string, { loadBalancers: { arn: string; polls: number }[]; instances: { id: string; polls: number }[]; enis: string[]; peerings: string[] }>;
  /** Polls a deleted object of a resource stays (default 1). */
  deleteDelay: Record<string, number>;
  /** Command lines (substring) that fail, with their stderr. */
  failures: { match: string; stderr: string }[];
  /** The account each AWS CLI profile's credentials belong to (`default`: no --profile). */
  profiles: Record<string, string>;
}

const obj = (name: string, namespace?: string, extra: Partial<FakeObject> = {}): FakeObject => ({ ...extra, metadata: { name, ...(namespace ? { namespace } : {}), ...extra.metadata } });

function emptyCluster(endpoint: string): FakeCluster {
  return {
    exists: true,
    endpoint,
    objects: { "ingresses.networking.k8s.io": [], services: [], "targetgroupbindings.elbv2.k8s.aws": [] },
  };
}

/** Production's hub with Argo CD (and Crossplane), every other cluster empty and reachable. */
function world(): World {
  const clusters: Record<string, FakeCluster> = {};
  for (const env of catalogue.environments) {
    for (const region of env.regions) {
      const name = `meridian-${env.name}-${region.region}`;
      clusters[name] = emptyCluster(`https://${name}.eks.example`);
      if (env.cluster.autoscaler === "karpenter") {
        clusters[name].objects["nodepools.karpenter.sh"] = [];
        clusters[name].objects["nodeclaims.karpenter.sh"] = [];
        clusters[name].objects["ec2nodeclasses.karpenter.k8s.aws"] = [];
      }
    }
  }
  const hub = clusters["meridian-production-us-east-1"]!;
  hub.objects["applications.argoproj.io"] = [];
  hub.objects.secrets = [];
  hub.objects.managed = [];
  const aws: World["aws"] = {};
  for (const name of Object.keys(clusters)) {
    aws[name] = { loadBalancers: [], instances: [], enis: [], peerings: [] };
  }
  return { clusters, aws, deleteDelay: {}, failures: [], profiles: { default: "222222222222", production: "333333333333" } };
}

/** Registers `cluster` with the hub: its secret, its root Application and one workload Application per entry. */
function registerWithHub(w: World, env: string, region: string, apps: { name: string; namespace: string; finalizers?: string[] }[]): void {
  const hub = w.clusters["meridian-production-us-east-1"]!;
  const clusterName = `meridian-${env}-${region}`;
  const labels = { environment: env, region, cluster: clusterName };
  hub.objects.secrets!.push(obj(`cluster-${env}-${region}`, "argocd", { metadata: { name: `cluster-${env}-${region}`, labels: { ...labels, bootstrap: "app-of-apps", "argocd.argoproj.io/secret-type": "cluster" } } }));
  hub.objects["applications.argoproj.io"]!.push(
    obj(`${env}-${region}-bootstrap`, "argocd", {
      metadata: { name: `${env}-${region}-bootstrap`, namespace: "argocd", labels, finalizers: [FINALIZER] },
      spec: { destination: { server: "https://kubernetes.default.svc", namespace: "argocd" } },
    }),
    ...apps.map((app) =>
      obj(app.name, "argocd", { metadata: { name: app.name, namespace: "argocd", finalizers: app.finalizers }, spec: { destination: { name: `${env}-${region}`, namespace: app.namespace } } }),
    ),
  );
}

interface Harness {
  readonly commands: Command[];
  readonly out: string[];
  readonly err: string[];
  readonly clock: Clock & { elapsed(): number };
  run(argv: string[]): Promise<number>;
}

function harness(w: World): Harness {
  const commands: Command[] = [];
  const out: string[] = [];
  const err: string[] = [];
  let now = START;
  const clock = { now: () => now, sleep: async (ms: number) => void (now += ms), elapsed: () => now - START };
  const output: Output = { out: (line) => out.push(line), err: (line) => err.push(line) };
  const ok = (stdout = ""): CommandResult => ({ exitCode: 0, stdout, stderr: "" });
  const flag = (args: readonly string[], name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

  const kubectl = (args: readonly string[]): CommandResult => {
    const cluster = w.clusters[flag(args, "--context")!]!;
    const [verb, resource, ...rest] = args.slice(5);
    const objects = cluster.objects[resource!];
    if (!objects) {
      return { exitCode: 1, stdout: "", stderr: `error: the server doesn't have a resource type "${resource}"` };
    }
    const namespace = flag(args, "--namespace");
    const inScope = (o: FakeObject) => namespace === undefined || (o.metadata.namespace ?? "") === namespace;
    if (verb === "get") {
      // Objects being deleted progress one poll per read of their resource.
      for (const o of objects.filter((o) => o.deleting !== undefined)) {
        o.deleting! -= 1;
      }
      cluster.objects[resource!] = objects.filter((o) => o.deleting === undefined || o.deleting > 0);
      const selector = flag(args, "--selector");
      const wanted = selector ? selector.split(",").map((kv) => kv.split("=")) : [];
      const items = cluster.objects[resource!]!.filter(inScope).filter((o) => wanted.every(([k, v]) => o.metadata.labels?.[k!] === v));
      return ok(JSON.stringify({ apiVersion: "v1", kind: "List", items }));
    }
    const names = rest.filter((a, i) => !a.startsWith("--") && !rest[i - 1]?.startsWith("--namespace") && !rest[i - 1]?.startsWith("--type") && !rest[i - 1]?.startsWith("--patch"));
    const targets = objects.filter((o) => inScope(o) && names.includes(o.metadata.name));
    if (verb === "delete") {
      for (const o of targets) {
        o.deleting ??= w.deleteDelay[resource!] ?? 1;
        if (resource === "nodepools.karpenter.sh") {
          for (const claim of cluster.objects["nodeclaims.karpenter.sh"]!) {
            claim.deleting ??= w.deleteDelay["nodeclaims.karpenter.sh"] ?? 1;
          }
        }
        // A root Application with the resources finalizer deletes its children with it.
        const labelled = o.metadata.labels?.cluster;
        if (resource === "applications.argoproj.io" && labelled && o.metadata.finalizers?.includes(FINALIZER)) {
          const argoName = labelled.replace(/^meridian-/, "");
          for (const child of objects.filter((c) => (c.spec?.destination as { name?: string })?.name === argoName)) {
            child.deleting ??= w.deleteDelay[resource] ?? 1;
          }
        }
      }
      return ok();
    }
    if (verb === "patch") {
      const patch = JSON.parse(flag(args, "--patch")!) as { metadata: { finalizers: string[] } };
      for (const o of targets) {
        (o.metadata as { finalizers?: string[] }).finalizers = patch.metadata.finalizers;
      }
      return ok();
    }
    if (verb === "label") {
      const key = rest.find((a) => a.endsWith("-"))!.slice(0, -1);
      for (const o of targets) {
        const labels = { ...o.metadata.labels };
        delete labels[key];
        (o.metadata as { labels?: Record<string, string> }).labels = labels;
      }
      return ok();
    }
    throw new Error(`unscripted kubectl ${verb}`);
  };

  const awsCli = (args: readonly string[]): CommandResult => {
    const region = flag(args, "--region")!;
    if (args[0] === "sts") {
      return ok(`${w.profiles[flag(args, "--profile") ?? "default"]}\n`);
    }
    if (args[0] === "eks") {
      const cluster = w.clusters[flag(args, "--name")!];
      if (!cluster?.exists) {
        return { exitCode: 254, stdout: "", stderr: `An error occurred (ResourceNotFoundException) when calling the DescribeCluster operation: No cluster found for name: ${flag(args, "--name")}.` };
      }
      return ok(args[1] === "describe-cluster" ? `${cluster.endpoint}\n` : "Added new context\n");
    }
    if (args[1] === "describe-vpc-peering-connections") {
      const name = Object.keys(w.aws).find((n) => args.includes(`Name=tag:Name,Values=${n}-from-gitops-hub`))!;
      return ok(JSON.stringify(w.aws[name]!.peerings));
    }
    if (args[1] === "delete-vpc-peering-connection") {
      const id = flag(args, "--vpc-peering-connection-id");
      Object.values(w.aws).forEach((leftovers) => (leftovers.peerings = leftovers.peerings.filter((p) => p !== id)));
      return ok();
    }
    const eni = flag(args, "--network-interface-id");
    const owner = Object.keys(w.aws).find((name) => (eni ? w.aws[name]!.enis.includes(eni) : args.some((a) => a.endsWith(`=${name}`) || a.includes(`/${name},`))) && name.endsWith(region))!;
    const leftovers = w.aws[owner]!;
    if (args[0] === "resourcegroupstaggingapi") {
      if (!args.some((a) => a.startsWith("Key=elbv2.k8s.aws/cluster"))) {
        return ok("[]");
      }
      leftovers.loadBalancers = leftovers.loadBalancers.filter((lb) => lb.polls-- > 0);
      return ok(JSON.stringify(leftovers.loadBalancers.map((lb) => lb.arn)));
    }
    if (args[1] === "describe-instances") {
      leftovers.instances = leftovers.instances.filter((i) => i.polls-- > 0);
      return ok(JSON.stringify(leftovers.instances.map((i) => i.id)));
    }
    if (args[1] === "describe-network-interfaces") {
      return ok(JSON.stringify(leftovers.enis));
    }
    if (args[1] === "delete-network-interface") {
      leftovers.enis = leftovers.enis.filter((id) => id !== flag(args, "--network-interface-id"));
      return ok();
    }
    throw new Error(`unscripted aws ${args.join(" ")}`);
  };

  const run = async (command: Command): Promise<CommandResult> => {
    commands.push(command);
    const failure = w.failures.find((f) => commandLine(command).includes(f.match));
    if (failure) {
      return { exitCode: 1, stdout: "", stderr: failure.stderr };
    }
    if (command.program === "kubectl") {
      return kubectl(command.args);
    }
    if (command.program === "aws") {
      return awsCli(command.args);
    }
    if (command.program === "npx") {
      return ok();
    }
    throw new Error(`unscripted ${command.program}`);
  };

  return { commands, out, err, clock, run: (argv) => runTeardownCommand(argv, { catalogue, run, output, clock, kubeconfig: KUBECONFIG }) };
}

const lines = (h: Harness) => h.commands.map(commandLine);
/** Commands that change something (everything but reads and the command's own kubeconfig). */
const changes = (h: Harness) =>
  h.commands.filter((c) => {
    const words = c.args.join(" ");
    return !(
      (c.program === "kubectl" && c.args[5] === "get") ||
      (c.program === "aws" && /^(sts get-caller-identity|eks describe-cluster|eks update-kubeconfig|resourcegroupstaggingapi get-resources|ec2 describe-)/.test(words))
    );
  });
/**
 * Asserts that `a` and `b` both occur in `order` and that every `a` comes before the first `b`
 * (an entry that is missing fails, rather than sorting first at index -1).
 */
function before(order: readonly (string | undefined)[], a: string, b: string): void {
  const lastA = order.lastIndexOf(a);
  const firstB = order.indexOf(b);
  expect({ a, present: lastA >= 0 }).toEqual({ a, present: true });
  expect({ b, present: firstB >= 0 }).toEqual({ b, present: true });
  expect({ a, b, lastA, firstB, inOrder: lastA < firstB }).toEqual({ a, b, lastA, firstB, inOrder: true });
}
const verbOf = (c: Command) => (c.program === "kubectl" ? `${c.args[5]} ${c.args[6]}` : c.program === "npx" ? c.args.slice(0, 3).join(" ") : c.args.slice(0, 2).join(" "));

// ---------------------------------------------------------------------------------------------

describe("teardown arguments", () => {
  const parse = (argv: string[]) => parseTeardownArguments(argv, catalogue);

  test("defaults: dry run, 20-minute waits polled every 15 s, destroy included", () => {
    const request = parse(["--environment", "staging"]) as TeardownRequest;
    expect(request).toMatchObject({ execute: false, waitTimeoutMs: 20 * 60_000, pollMs: 15_000, skipDestroy: false, includingGitOpsHub: false });
    expect(request.environment.name).toBe("staging");
    expect(request.profile).toBeUndefined();
    expect(parse(["--environment", "staging", "--profile", "staging-admin"])).toMatchObject({ profile: "staging-admin", hubProfile: "staging-admin" });
    expect(parse(["--environment", "staging", "--profile", "staging-admin", "--hub-profile", "prod"])).toMatchObject({ profile: "staging-admin", hubProfile: "prod" });
  });

  test.each([
    [[], "--environment is required: the catalogue environment to tear down (staging, production)"],
    [["--environment", "qa"], '--environment "qa": names no environment; known: staging, production'],
    [["--environment", "staging", "--timeout-minutes", "0"], '--timeout-minutes "0": must be a whole number of minutes from 1 to 240'],
    [["--environment", "staging", "--timeout-minutes", "1", "--poll-seconds", "90"], '--poll-seconds "90": must not exceed --timeout-minutes (1 min = 60 s)'],
    [["--environment", "staging", "--force"], "Unknown option '--force'"],
    [["--environment", "staging", "--profile", "my profile"], '--profile "my profile": must be an AWS CLI profile name'],
  ])("throws when %j", (argv, message) => {
    expect(() => parse(argv)).toThrow(message);
  });

  test("prints usage with exit code 2 on a usage error, and 0 on --help", async () => {
    const h = harness(world());
    expect(await h.run(["--environment", "qa"])).toBe(2);
    expect(h.err.join("\n")).toMatch(/^error: --environment "qa".*\n\nusage: npm run teardown/s);
    expect(h.commands).toEqual([]);
    const help = harness(world());
    expect(await help.run(["--help"])).toBe(0);
    expect(help.out.join("\n")).toContain("--including-gitops-hub");
  });
});

describe("teardown plan (ordering)", () => {
  const planFor = (env: string, extra: string[] = []) => teardownPlan(catalogue, parseTeardownArguments(["--environment", env, ...extra], catalogue) as TeardownRequest);

  test("staging: hub connection, GitOps per cluster, in-cluster cleanup, AWS check, then destroy from platform to data", () => {
    // GIVEN staging (Cluster Autoscaler; the hub lives in production)  WHEN planned
    const titles = planFor("staging").steps.map((s) => s.title);
    // THEN the steps come in this order
    expect(titles).toEqual([
      "connect to the GitOps hub meridian-production-us-east-1 (us-east-1)",
      "connect to meridian-staging-us-east-1 (us-east-1)",
      "connect to meridian-staging-us-west-2 (us-west-2)",
      "GitOps: the hub stops managing meridian-staging-us-east-1 and deletes its Argo CD Applications",
      "GitOps: the hub stops managing meridian-staging-us-west-2 and deletes its Argo CD Applications",
      "meridian-staging-us-east-1: delete Ingresses (the load balancer controller deletes their ALBs)",
      "meridian-staging-us-east-1: delete Services of type LoadBalancer (their load balancers and the ENIs behind them go)",
      "meridian-staging-us-east-1: delete TargetGroupBindings (targets leave the Terraform-owned target groups and the controller removes its security group rules)",
      "meridian-staging-us-west-2: delete Ingresses (the load balancer controller deletes their ALBs)",
      "meridian-staging-us-west-2: delete Services of type LoadBalancer (their load balancers and the ENIs behind them go)",
      "meridian-staging-us-west-2: delete TargetGroupBindings (targets leave the Terraform-owned target groups and the controller removes its security group rules)",
      "meridian-staging-us-east-1: no controller-made load balancers or detached ENIs left in us-east-1",
      "meridian-staging-us-west-2: no controller-made load balancers or detached ENIs left in us-west-2",
      "meridian-staging-us-east-1: delete the GitOps hub's VPC peering (an active peering keeps the VPC from being deleted)",
      "meridian-staging-us-west-2: delete the GitOps hub's VPC peering (an active peering keeps the VPC from being deleted)",
      "synthesize staging's stacks",
      "cdktf destroy staging-platform-us-east-1",
      "cdktf destroy staging-platform-us-west-2",
      "cdktf destroy staging-edge",
      "cdktf destroy staging-hub-link-us-east-1",
      "cdktf destroy staging-hub-link-us-west-2",
      "cdktf destroy staging-regional-us-west-2",
      "cdktf destroy staging-regional-us-east-1",
      "cdktf destroy staging-global-database",
    ]);
  });

  test("production: Karpenter pools after the load balancers, the hub's own GitOps and platform stack last, Crossplane on the hub", () => {
    const plan = planFor("production", ["--including-gitops-hub"]);
    const titles = plan.steps.map((s) => s.title);
    expect(plan.refusal).toBeUndefined();
    expect(titles.filter((t) => t.startsWith("GitOps"))).toEqual([
      "GitOps: the hub stops managing meridian-production-eu-west-1 and deletes its Argo CD Applications",
      "GitOps: the hub stops managing meridian-production-us-east-1 and deletes its Argo CD Applications",
    ]);
    const east = titles.filter((t) => t.startsWith("meridian-production-us-east-1:"));
    expect(east.map((t) => t.replace(/ \(.*$/, ""))).toEqual([
      "meridian-production-us-east-1: delete Ingresses",
      "meridian-production-us-east-1: delete Services of type LoadBalancer",
      "meridian-production-us-east-1: delete TargetGroupBindings",
      "meridian-production-us-east-1: delete Karpenter NodePools",
      "meridian-production-us-east-1: delete EC2NodeClasses",
      "meridian-production-us-east-1: wait for Crossplane to delete the AWS resources it manages",
      "meridian-production-us-east-1: no controller-made load balancers, Karpenter instances or detached ENIs left in us-east-1",
    ]);
    expect(plan.stacks.map((s) => s.name)).toEqual([
      "production-platform-eu-west-1",
      "production-platform-us-east-1",
      "production-edge",
      "production-hub-link-eu-west-1",
      "production-hub-network",
      "production-regional-eu-west-1",
      "production-regional-us-east-1",
      "production-global-database",
    ]);
    expect(titles.filter((t) => t.startsWith("connect"))).toEqual([
      "connect to the GitOps hub meridian-production-us-east-1 (us-east-1)",
      "connect to meridian-production-eu-west-1 (eu-west-1)",
    ]);
  });

  test("the Aurora reader's regional stack goes before the writer's, whichever region is primary", () => {
    const flipped = loadCatalogue(
      (() => {
        const raw = structuredClone(BUILT_IN_CATALOGUE);
        const env = raw.environments.find((e) => e.name === "staging")!;
        [env.primaryRegion, env.secondaryRegion] = [env.secondaryRegion, env.primaryRegion];
        return raw;
      })(),
    ).catalogue;
    const staging = flipped.environments.find((e) => e.name === "staging")!;
    expect(destroyOrder(flipped, staging).filter((s) => s.kind === "regional").map((s) => s.name)).toEqual(["staging-regional-us-east-1", "staging-regional-us-west-2"]);
  });

  test("--skip-destroy plans no cdktf command", () => {
    expect(planFor("staging", ["--skip-destroy"]).steps.some((s) => s.phase === "destroy")).toBe(false);
  });

  test("refuses the hub's environment while other environments depend on the hub", () => {
    expect(planFor("production").refusal).toMatch(/^environment production runs the GitOps hub \(meridian-production-us-east-1\), which also manages staging/);
  });
});

describe("teardown: the GitOps hub's peering to a spoke", () => {
  test("is deleted from the spoke's account before its hub link and VPC go; only listed in a dry run", async () => {
    // GIVEN staging/us-east-1 peered with the hub
    const w = world();
    w.aws["meridian-staging-us-east-1"]!.peerings = ["pcx-0123456789abcdef0"];

    // WHEN dry-run, then executed
    const dry = harness(w);
    await dry.run(["--environment", "staging", "--hub-profile", "production"]);
    const h = harness(w);
    const code = await h.run(["--environment", "staging", "--hub-profile", "production", "--execute"]);

    // THEN the dry run only says so; the real run deletes the peering before any destroy, and no other
    // Staging's own account (its default profile), not the hub's profile.
    expect(dry.out).toContain("    would run: aws ec2 delete-vpc-peering-connection --region us-east-1 --vpc-peering-connection-id pcx-0123456789abcdef0");
    expect(code).toBe(0);
    const order = changes(h).map(verbOf);
    before(order, "ec2 delete-vpc-peering-connection", "cdktf destroy staging-hub-link-us-east-1");
    expect(changes(h).filter((c) => c.args[1] === "delete-vpc-peering-connection").map((c) => c.args[c.args.indexOf("--vpc-peering-connection-id") + 1])).toEqual(["pcx-0123456789abcdef0"]);
    expect(w.aws["meridian-staging-us-east-1"]!.peerings).toEqual([]);
  });
});

describe("teardown dry run", () => {
  test("inspects with read-only commands only and prints every change it would make", async () => {
    // GIVEN staging with a workload behind a LoadBalancer Service, a TargetGroupBinding and Argo CD Applications
    const w = world();
    registerWithHub(w, "staging", "us-east-1", [{ name: "shop", namespace: "shop" }]);
    const east = w.clusters["meridian-staging-us-east-1"]!;
    east.objects.services = [obj("shop", "shop", { spec: { type: "LoadBalancer" } }), obj("internal", "shop", { spec: { type: "ClusterIP" } })];
    east.objects["targetgroupbindings.elbv2.k8s.aws"] = [obj("ingress", "ingress")];
    const h = harness(w);

    // WHEN run without --execute
    const code = await h.run(["--environment", "staging", "--hub-profile", "production"]);

    // THEN nothing changed: no mutating command ran, and every change is listed
    expect(code).toBe(0);
    expect(changes(h)).toEqual([]);
    const text = h.out.join("\n");
    expect(text).toContain("[dry run] teardown of environment staging: 24 steps");
    expect(text).toContain(`would run: kubectl --kubeconfig ${KUBECONFIG} --context meridian-production-us-east-1 --request-timeout=60s label secrets cluster-staging-us-east-1 --namespace argocd bootstrap-`);
    expect(text).toContain(`would run: kubectl --kubeconfig ${KUBECONFIG} --context meridian-staging-us-east-1 --request-timeout=60s delete services shop --namespace shop --ignore-not-found --wait=false`);
    expect(text).not.toContain("delete services internal");
    expect(text).toContain("would run: ENVIRONMENTS=staging npx cdktf destroy staging-regional-us-west-2 --auto-approve --ignore-missing-stack-dependencies --skip-synth");
    expect(text).toContain("dry run complete: nothing was changed");
    // The only file written is the command's own kubeconfig, never the operator's.
    const kubeconfigWrites = h.commands.filter((c) => c.args.includes("update-kubeconfig"));
    expect(kubeconfigWrites.length).toBeGreaterThan(0);
    expect(kubeconfigWrites.map((c) => c.args[c.args.indexOf("--kubeconfig") + 1])).toEqual(kubeconfigWrites.map(() => KUBECONFIG));
  });
});

describe("teardown --execute", () => {
  function productionWorld(): World {
    const w = world();
    registerWithHub(w, "production", "eu-west-1", [{ name: "api-eu", namespace: "api" }]);
    registerWithHub(w, "production", "us-east-1", [
      { name: "api-us", namespace: "api" },
      { name: "node-exporter", namespace: "kube-system", finalizers: [FINALIZER] },
    ]);
    const east = w.clusters["meridian-production-us-east-1"]!;
    east.objects.services = [obj("api", "api", { spec: { type: "LoadBalancer" } })];
    east.objects["targetgroupbindings.elbv2.k8s.aws"] = [obj("ingress", "ingress")];
    east.objects["nodepools.karpenter.sh"] = [obj("system"), obj("spot")];
    east.objects["nodeclaims.karpenter.sh"] = [obj("spot-abcde"), obj("spot-fghij"), obj("system-klmno")];
    east.objects["ec2nodeclasses.karpenter.k8s.aws"] = [obj("system"), obj("spot")];
    w.aws["meridian-production-us-east-1"]!.enis = ["eni-0aaa", "eni-0bbb"];
    w.deleteDelay["nodeclaims.karpenter.sh"] = 3;
    return w;
  }

  test("runs GitOps, load balancers, Karpenter, leftovers and destroys in order, waiting at each step", async () => {
    // GIVEN production with Applications, a LoadBalancer Service, a TargetGroupBinding, Karpenter nodes and detached ENIs
    const w = productionWorld();
    const h = harness(w);

    // WHEN torn down for real
    const code = await h.run(["--environment", "production", "--profile", "production", "--execute", "--including-gitops-hub", "--poll-seconds", "10"]);

    // THEN it succeeds, and the changes come in the documented order
    expect(h.err).toEqual([]);
    expect(code).toBe(0);
    const order = changes(h).map(verbOf);
    before(order, "delete applications.argoproj.io", "delete services");
    before(order, "delete services", "delete targetgroupbindings.elbv2.k8s.aws");
    before(order, "delete targetgroupbindings.elbv2.k8s.aws", "delete nodepools.karpenter.sh");
    before(order, "delete nodepools.karpenter.sh", "delete ec2nodeclasses.karpenter.k8s.aws");
    before(order, "delete ec2nodeclasses.karpenter.k8s.aws", "ec2 delete-network-interface");
    expect(order.slice(-9).map((v) => v.replace(/ production-.*$/, ""))).toEqual(["cdktf synth", ...Array(8).fill("cdktf destroy")]);
    expect(changes(h).filter((c) => c.args[1] === "destroy").map((c) => c.args[2])).toEqual([
      "production-platform-eu-west-1",
      "production-platform-us-east-1",
      "production-edge",
      "production-hub-link-eu-west-1",
      "production-hub-network",
      "production-regional-eu-west-1",
      "production-regional-us-east-1",
      "production-global-database",
    ]);
    // The hub's environment: cdktf synthesizes the whole catalogue (the hub's platform and network
    // stacks exist only there) and destroys by name, with the same credentials, output passed through.
    expect(changes(h).filter((c) => c.program === "npx").every((c) => c.env?.ENVIRONMENTS === undefined && c.env?.AWS_PROFILE === "production" && c.streamOutput)).toBe(true);
    expect(h.commands.filter((c) => c.program === "aws").every((c) => c.args.slice(-2).join(" ") === "--profile production")).toBe(true);
    // Nothing Karpenter launched is left, and the ENIs were deleted.
    expect(w.clusters["meridian-production-us-east-1"]!.objects["nodeclaims.karpenter.sh"]).toEqual([]);
    expect(w.aws["meridian-production-us-east-1"]!.enis).toEqual([]);
  });

  test("waits for the NodeClaims after deleting the NodePools, polling with the clock", async () => {
    const w = productionWorld();
    const h = harness(w);
    await h.run(["--environment", "production", "--profile", "production", "--execute", "--including-gitops-hub", "--poll-seconds", "10", "--skip-destroy"]);
    const progress = h.out.filter((l) => l.includes("NodeClaims left"));
    expect(progress[0]).toBe("    [0s] 3 NodeClaims left: spot-abcde, spot-fghij, system-klmno");
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(h.out).toContain("    2 Karpenter NodePools deleted, NodeClaims gone after 20s");
  });

  test("GitOps: workload Applications cascade, platform-namespace ones are orphaned, the bootstrap label goes, roots first", async () => {
    const w = productionWorld();
    const h = harness(w);
    await h.run(["--environment", "production", "--profile", "production", "--execute", "--including-gitops-hub", "--skip-destroy"]);
    const hubChanges = changes(h).filter((c) => c.program === "kubectl" && c.args[3] === "meridian-production-us-east-1" && c.args[6] !== "services" && !c.args[6]!.includes("."));
    const patches = changes(h).filter((c) => c.args[5] === "patch").map((c) => [c.args[7], c.args[c.args.length - 1]]);
    // api-us had no finalizer: it gets one, so deleting it deletes its resources; node-exporter (kube-system) loses its.
    expect(patches).toEqual(
      expect.arrayContaining([
        ["api-us", JSON.stringify({ metadata: { finalizers: [FINALIZER] } })],
        ["node-exporter", JSON.stringify({ metadata: { finalizers: [] } })],
      ]),
    );
    expect(patches.map(([name]) => name)).not.toContain("production-us-east-1-bootstrap");
    expect(hubChanges.filter((c) => c.args[5] === "label").map((c) => c.args[7])).toEqual(["cluster-production-eu-west-1", "cluster-production-us-east-1"]);
    const deletes = changes(h).filter((c) => c.args[5] === "delete" && c.args[6] === "applications.argoproj.io").map((c) => c.args[7]);
    before(deletes, "production-us-east-1-bootstrap", "api-us");
    expect(w.clusters["meridian-production-us-east-1"]!.objects["applications.argoproj.io"]).toEqual([]);
    expect(w.clusters["meridian-production-us-east-1"]!.objects.secrets!.map((s) => s.metadata.labels?.bootstrap)).toEqual([undefined, undefined]);
  });

  test("stops at a wait that times out, names what is left, and destroys nothing", async () => {
    // GIVEN NodeClaims that never go (a PodDisruptionBudget blocks the drain)
    const w = productionWorld();
    w.deleteDelay["nodeclaims.karpenter.sh"] = Infinity;
    const h = harness(w);

    // WHEN torn down with a 2-minute wait
    const code = await h.run(["--environment", "production", "--profile", "production", "--execute", "--including-gitops-hub", "--timeout-minutes", "2", "--poll-seconds", "30"]);

    // THEN it fails at that step after about the timeout, with a hint, and runs nothing after it
    expect(code).toBe(1);
    expect(h.err[0]).toMatch(/^step \d+ failed: timed out after 2m00s \(--timeout-minutes\) with 3 NodeClaims left: spot-abcde, spot-fghij, system-klmno$/);
    expect(h.err[1]).toMatch(/^hint: a NodeClaim that stays is usually a node whose pods a PodDisruptionBudget protects/);
    expect(h.err[2]).toMatch(/nothing after step \d+ ran\. Every step is safe to repeat: fix the cause and re-run `npm run teardown -- --environment production --profile production --execute --including-gitops-hub --timeout-minutes 2 --poll-seconds 30`\.$/);
    expect(changes(h).some((c) => c.program === "npx")).toBe(false);
    expect(changes(h).some((c) => c.args[6] === "ec2nodeclasses.karpenter.k8s.aws")).toBe(false);
  });

  test("stops when a command fails, with the stack's hint, and leaves later stacks alone", async () => {
    const w = productionWorld();
    w.failures.push({ match: "cdktf destroy production-regional-eu-west-1", stderr: "Error: Instance cannot be destroyed" });
    const h = harness(w);
    const code = await h.run(["--environment", "production", "--profile", "production", "--execute", "--including-gitops-hub"]);
    expect(code).toBe(1);
    expect(h.err[0]).toContain("cdktf destroy production-regional-eu-west-1 --auto-approve --ignore-missing-stack-dependencies --skip-synth` failed (exit 1): Error: Instance cannot be destroyed");
    expect(h.err[1]).toMatch(/^hint: the regional stack keeps prevent_destroy on its KMS keys/);
    expect(lines(h).some((l) => l.includes("destroy production-regional-us-east-1"))).toBe(false);
    expect(lines(h).some((l) => l.includes("destroy production-global-database"))).toBe(false);
  });

  test("waits for load balancers the controller is still deleting, and fails naming those that stay", async () => {
    const w = world();
    w.aws["meridian-staging-us-east-1"]!.loadBalancers = [{ arn: "arn:aws:elasticloadbalancing:us-east-1:222222222222:loadbalancer/net/k8s-shop/1", polls: 2 }];
    const h = harness(w);
    expect(await h.run(["--environment", "staging", "--hub-profile", "production", "--execute", "--skip-destroy", "--poll-seconds", "5"])).toBe(0);
    expect(h.out.some((l) => l.includes("1 load balancers, instances or ENIs left: arn:aws:elasticloadbalancing:us-east-1:222222222222:loadbalancer/net/k8s-shop/1"))).toBe(true);

    const stuck = world();
    stuck.aws["meridian-staging-us-west-2"]!.loadBalancers = [{ arn: "arn:aws:elasticloadbalancing:us-west-2:222222222222:loadbalancer/app/k8s-web/2", polls: Infinity }];
    const s = harness(stuck);
    expect(await s.run(["--environment", "staging", "--hub-profile", "production", "--execute", "--skip-destroy", "--timeout-minutes", "1", "--poll-seconds", "20"])).toBe(1);
    expect(s.err[0]).toMatch(/with 1 load balancers, instances or ENIs left: arn:aws:elasticloadbalancing:us-west-2:222222222222:loadbalancer\/app\/k8s-web\/2$/);
  });

  test("a cluster that is already gone is skipped in the cluster, its Applications orphaned on the hub, and still checked in AWS", async () => {
    // GIVEN staging-us-west-2 deleted by an earlier, interrupted run, its Applications still on the hub
    const w = world();
    w.clusters["meridian-staging-us-west-2"]!.exists = false;
    registerWithHub(w, "staging", "us-west-2", [{ name: "shop-west", namespace: "shop", finalizers: [FINALIZER] }]);
    const h = harness(w);

    const code = await h.run(["--environment", "staging", "--hub-profile", "production", "--execute"]);

    expect(code).toBe(0);
    expect(h.out).toContain("    meridian-staging-us-west-2 does not exist (already deleted); its in-cluster steps are skipped");
    expect(h.out.filter((l) => l === "    skipped: cluster meridian-staging-us-west-2 does not exist")).toHaveLength(3);
    // Argo CD cannot reach it: the finalizers go, so deleting the Applications does not hang.
    const patches = changes(h).filter((c) => c.args[5] === "patch").map((c) => [c.args[7], c.args[c.args.length - 1]]);
    expect(patches).toEqual([
      ["staging-us-west-2-bootstrap", JSON.stringify({ metadata: { finalizers: [] } })],
      ["shop-west", JSON.stringify({ metadata: { finalizers: [] } })],
    ]);
    expect(lines(h).some((l) => l.includes("describe-network-interfaces --region us-west-2"))).toBe(true);
  });

  test("refuses the hub's environment without --including-gitops-hub, before running anything", async () => {
    const h = harness(world());
    expect(await h.run(["--environment", "production", "--execute"])).toBe(1);
    expect(h.err[0]).toMatch(/^refused: environment production runs the GitOps hub/);
    expect(h.commands).toEqual([]);
  });

  test("stops when a cluster cannot be described for another reason than not existing", async () => {
    const w = world();
    w.failures.push({ match: "describe-cluster --name meridian-staging-us-east-1", stderr: "An error occurred (AccessDeniedException) when calling the DescribeCluster operation" });
    const h = harness(w);
    expect(await h.run(["--environment", "staging", "--hub-profile", "production"])).toBe(1);
    expect(h.err[0]).toMatch(/^step 2 failed: `aws eks describe-cluster --name meridian-staging-us-east-1 .*` failed \(exit 1\): An error occurred \(AccessDeniedException\)/);
    expect(h.err[1]).toBe("hint: check that the credentials may call eks:DescribeCluster in that region");
  });

  test("refuses credentials of another account instead of taking the hub for deleted", async () => {
    // GIVEN staging credentials only (EKS would answer "not found" for the hub in production's account)
    const h = harness(world());
    // WHEN run without --hub-profile
    expect(await h.run(["--environment", "staging"])).toBe(1);
    // THEN the first step stops with the accounts and the flag to use
    expect(h.err[0]).toBe("step 1 failed: the AWS credentials are for account 222222222222, but meridian-production-us-east-1 lives in account 333333333333");
    expect(h.err[1]).toBe("hint: pass --hub-profile <profile> with credentials for account 333333333333");
    expect(h.err[2]).toMatch(/^stopped after 0s; no step completed and nothing after step 1 ran\./);
    expect(h.commands.map((c) => c.args[0])).toEqual(["sts"]);
  });

  test("skips steps whose API a cluster does not have (no Karpenter, no TargetGroupBinding CRD)", async () => {
    const w = world();
    delete w.clusters["meridian-staging-us-east-1"]!.objects["targetgroupbindings.elbv2.k8s.aws"];
    const h = harness(w);
    expect(await h.run(["--environment", "staging", "--hub-profile", "production", "--execute", "--skip-destroy"])).toBe(0);
    expect(h.out).toContain("    skipped: the cluster has no targetgroupbindings.elbv2.k8s.aws API");
  });
});

describe("teardown helpers", () => {
  const target: ClusterTarget = {
    environment: "staging",
    region: "us-west-2",
    clusterName: "meridian-staging-us-west-2",
    argoCdName: "staging-us-west-2",
    autoscaler: "cluster-autoscaler",
    isGitOpsHub: false,
    accountId: "222222222222",
  };
  const app = (name: string, labels: Record<string, string> | undefined, destination: Record<string, string>, finalizers?: string[]): KubeObject => ({
    metadata: { name, namespace: "argocd", labels, finalizers },
    spec: { destination },
  });

  test("an Application belongs to a cluster by its cluster label, its destination name or its destination server", () => {
    const apps = [
      app("root", { cluster: "meridian-staging-us-west-2" }, { server: "https://kubernetes.default.svc", namespace: "argocd" }),
      app("other-root", { cluster: "meridian-staging-us-east-1" }, { server: "https://kubernetes.default.svc", namespace: "argocd" }),
      app("by-name", undefined, { name: "staging-us-west-2", namespace: "shop" }),
      app("by-server", undefined, { server: "https://west.eks.example", namespace: "shop" }),
      app("hub-local", undefined, { server: "https://kubernetes.default.svc", namespace: "shop" }),
    ];
    expect(applicationsOf(apps, target, "https://west.eks.example").map((a) => a.metadata.name)).toEqual(["root", "by-name", "by-server"]);
    expect(applicationsOf(apps, { ...target, isGitOpsHub: true }, undefined).map((a) => a.metadata.name)).toEqual(["root", "by-name", "hub-local"]);
  });

  test("finalizer patches keep other finalizers and change nothing that is already right", () => {
    const post = "post-delete-finalizer.argocd.argoproj.io";
    expect(finalizerPatch(app("a", undefined, {}, [post]), true)).toEqual({ metadata: { finalizers: [post, FINALIZER] } });
    expect(finalizerPatch(app("a", undefined, {}, [`${FINALIZER}/background`]), true)).toBeUndefined();
    expect(finalizerPatch(app("a", undefined, {}, [FINALIZER, post]), false)).toEqual({ metadata: { finalizers: [post] } });
    expect(finalizerPatch(app("a", undefined, {}, undefined), false)).toBeUndefined();
  });

  test("command lines quote what a shell would split", () => {
    expect(commandLine({ program: "kubectl", args: ["patch", "--patch", '{"a":1}'], env: { ENVIRONMENTS: "staging" } })).toBe(`ENVIRONMENTS=staging kubectl patch --patch '{"a":1}'`);
  });

  test("the process runner captures output and exit codes, and kills a command at its timeout", async () => {
    const ok = await processRunner({ program: process.execPath, args: ["-e", "process.stdout.write('hi'); process.stderr.write('warn'); process.exit(3)"], timeoutMs: 10_000 });
    expect(ok).toEqual({ exitCode: 3, stdout: "hi", stderr: "warn" });
    const slow = await processRunner({ program: process.execPath, args: ["-e", "setTimeout(() => {}, 10000)"], timeoutMs: 200 });
    expect(slow.exitCode).toBe(TIMED_OUT_EXIT_CODE);
    expect(slow.stderr).toContain("timed out after 0 s");
    const missing = await processRunner({ program: "no-such-program-for-teardown", args: [], timeoutMs: 1000 });
    expect(missing.exitCode).toBe(127);
  });
});
