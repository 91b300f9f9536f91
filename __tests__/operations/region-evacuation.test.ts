import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  EKSClient,
  ListNodegroupsCommand,
  UpdateNodegroupConfigCommand,
  type UpdateNodegroupConfigCommandInput,
} from "@aws-sdk/client-eks";
import { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  DescribeAcceleratorCommand,
  GlobalAcceleratorClient,
  ListAcceleratorsCommand,
  ListEndpointGroupsCommand,
  ListListenersCommand,
  UpdateEndpointGroupCommand,
  type UpdateEndpointGroupCommandInput,
} from "@aws-sdk/client-global-accelerator";
import {
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  RDSClient,
  SwitchoverGlobalClusterCommand,
  type DescribeGlobalClustersCommandOutput,
} from "@aws-sdk/client-rds";
import { GetHealthCheckCommand, ListResourceRecordSetsCommand, Route53Client, UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { mockClient } from "aws-sdk-client-mock";
import { mkdtempSync, readFileSync } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { BUILT_IN_CATALOGUE } from "../../src/config/catalogue";
import { loadCatalogue } from "../../src/config/load";
import { systemClock, type Clock } from "../../src/operations/command-line/clock";
import type { Probe } from "../../src/operations/smoke-check/analysis";
import { measureRpo, measureRto } from "../../src/operations/region-evacuation/evidence";
import { runEvacuation } from "../../src/operations/region-evacuation/command";
import { commandLineOf, parseEvacuationArguments } from "../../src/operations/region-evacuation/arguments";
import { planLines, planSteps } from "../../src/operations/region-evacuation/plan";
import { trafficStep } from "../../src/operations/region-evacuation/traffic";
import { DEFAULT_SMOKE, type StepContext } from "../../src/operations/region-evacuation/context";
import { httpProbe } from "../../src/operations/smoke-check/probe";
import { newReport, reportMarkdown } from "../../src/operations/region-evacuation/report";
import type { EvacuationClients } from "../../src/operations/region-evacuation/clients";
import type { Command } from "../../src/operations/teardown/runner";
import { CatalogueSchema } from "../../src/config/schema";

// The built-in production environment: writer and traffic in us-east-1 and eu-west-1, Karpenter,
// latency records; evacuating us-east-1 towards eu-west-1.
const ACCOUNT = "333333333333";
const GLOBAL_ID = "meridian-production";
const ARN = (region: string) => `arn:aws:rds:${region}:${ACCOUNT}:cluster:meridian-production-${region}`;
const ACCELERATOR_ARN = "arn:aws:globalaccelerator::333333333333:accelerator/abcd";
const LISTENER_ARN = `${ACCELERATOR_ARN}/listener/l443`;
const GROUP_ARN = (region: string) => `${LISTENER_ARN}/endpoint-group/${region}`;
const HEALTH_CHECK = (region: string) => `hc-${region}`;
const REGIONS = ["us-east-1", "eu-west-1"] as const;
type Region = (typeof REGIONS)[number];
const ZONES: Record<Region, string[]> = { "us-east-1": ["us-east-1a", "us-east-1b", "us-east-1c"], "eu-west-1": ["eu-west-1a", "eu-west-1b", "eu-west-1c"] };

interface LiveGroup {
  name: string;
  tag: string;
  minSize: number;
  maxSize: number;
  desiredSize: number;
  status: string;
}

/** The live node groups a region runs, as the node-group construct names and tags them, at catalogue size. */
function nodeGroupsOf(region: Region): LiveGroup[] {
  const cluster = `meridian-production-${region}`;
  return [
    ...ZONES[region].map((zone) => ({ name: `system-${zone}-20250601`, tag: `${cluster}-system-${zone}`, minSize: 1, maxSize: 3, desiredSize: 1, status: "ACTIVE" })),
    { name: "spot-20250601", tag: `${cluster}-spot`, minSize: 0, maxSize: 30, desiredSize: 0, status: "ACTIVE" },
    { name: "gpu-20250601", tag: `${cluster}-gpu`, minSize: 0, maxSize: 6, desiredSize: 0, status: "ACTIVE" },
  ];
}

/** Makes a failure injectable once per named operation. */
type FailOnce = Partial<Record<"UpdateNodegroupConfig" | "UpdateEndpointGroup" | "SwitchoverGlobalCluster" | "kubectl patch", string>>;

/**
 * A stateful mocked production environment: every SDK client is a real client object whose
 * `send` aws-sdk-client-mock answers from this state (so a change is visible to the next read, and
 * a resumed run sees what the first run did), the kubectl runner is scripted, and the smoke check
 * probes a loopback HTTP server. Nothing reaches AWS or a cluster.
 */
async function world() {
  const catalogue = loadCatalogue(structuredClone(BUILT_IN_CATALOGUE)).catalogue;
  const state = {
    writer: "us-east-1" as Region,
    dials: { "us-east-1": 100, "eu-west-1": 100 } as Record<Region, number>,
    inverted: { "us-east-1": false, "eu-west-1": false } as Record<Region, boolean>,
    groups: { "us-east-1": nodeGroupsOf("us-east-1"), "eu-west-1": nodeGroupsOf("eu-west-1") } as Record<Region, LiveGroup[]>,
    poolLimits: { system: "36", spot: "120", gpu: "48" } as Record<string, string>,
    lagMs: [120, 80, 95],
    /** Regions whose regional APIs (EKS, RDS) do not answer. */
    down: new Set<Region>(),
    failOnce: {} as FailOnce,
    /** Requests to the loopback server answer 503 while this is above 0 (counting down). */
    failingRequests: 0,
  };
  const failIfAsked = (operation: keyof FailOnce) => {
    const message = state.failOnce[operation];
    if (message) {
      delete state.failOnce[operation];
      throw new Error(message);
    }
  };
  const unreachable = (region: Region) => {
    if (state.down.has(region)) {
      throw Object.assign(new Error(`connect ETIMEDOUT (${region})`), { name: "TimeoutError" });
    }
  };

  const globalCluster = (): DescribeGlobalClustersCommandOutput => ({
    $metadata: {},
    GlobalClusters: [
      {
        GlobalClusterIdentifier: GLOBAL_ID,
        Status: "available",
        EngineVersion: "16.6",
        GlobalClusterMembers: REGIONS.map((region) => ({
          DBClusterArn: ARN(region),
          IsWriter: state.writer === region,
          SynchronizationStatus: state.writer === region ? undefined : "connected",
        })),
      },
    ],
  });

  const regional = (region: Region) => {
    const rds = new RDSClient({ region });
    const cloudwatch = new CloudWatchClient({ region });
    const eks = new EKSClient({ region });
    const elbv2 = new ElasticLoadBalancingV2Client({ region });
    const rdsMock = mockClient(rds);
    const cloudwatchMock = mockClient(cloudwatch);
    const eksMock = mockClient(eks);
    const elbv2Mock = mockClient(elbv2);
    rdsMock.on(DescribeGlobalClustersCommand).callsFake(() => {
      unreachable(region);
      return globalCluster();
    });
    rdsMock.on(DescribeDBClustersCommand).callsFake((input: { DBClusterIdentifier: string }) => {
      unreachable(region);
      return { DBClusters: [{ DBClusterIdentifier: input.DBClusterIdentifier, EngineVersion: "16.6", Status: "available" }] };
    });
    const promote = () => {
      unreachable(region);
      state.writer = region;
      return {};
    };
    rdsMock.on(SwitchoverGlobalClusterCommand).callsFake(() => {
      failIfAsked("SwitchoverGlobalCluster");
      if (state.down.has(state.writer)) {
        throw new Error("the writer does not answer");
      }
      return promote();
    });
    rdsMock.on(FailoverGlobalClusterCommand).callsFake(promote);
    cloudwatchMock.on(GetMetricDataCommand).callsFake(() => ({ MetricDataResults: [{ Id: "lag", Values: state.lagMs }] }));
    eksMock.on(DescribeClusterCommand).callsFake(() => {
      unreachable(region);
      return { cluster: { status: "ACTIVE" } };
    });
    eksMock.on(ListNodegroupsCommand).callsFake(() => {
      unreachable(region);
      return { nodegroups: state.groups[region].map((g) => g.name) };
    });
    eksMock.on(DescribeNodegroupCommand).callsFake((input: { nodegroupName: string }) => {
      const group = state.groups[region].find((g) => g.name === input.nodegroupName)!;
      return { nodegroup: { status: group.status, tags: { Name: group.tag }, scalingConfig: { minSize: group.minSize, maxSize: group.maxSize, desiredSize: group.desiredSize } } };
    });
    eksMock.on(UpdateNodegroupConfigCommand).callsFake((input: UpdateNodegroupConfigCommandInput) => {
      failIfAsked("UpdateNodegroupConfig");
      const group = state.groups[region].find((g) => g.name === input.nodegroupName)!;
      Object.assign(group, input.scalingConfig);
      return { update: { id: `update-${input.nodegroupName}` } };
    });
    eksMock.on(DescribeUpdateCommand).resolves({ update: { status: "Successful" } });
    elbv2Mock.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [{ LoadBalancerArn: `nlb-${region}`, State: { Code: "active" } }] });
    elbv2Mock.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [{ TargetGroupArn: `tg-${region}` }] });
    elbv2Mock.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [{ TargetHealth: { State: "healthy" } }, { TargetHealth: { State: "healthy" } }] });
    return { rds, cloudwatch, eks, elbv2, rdsMock, cloudwatchMock, eksMock, elbv2Mock };
  };
  const mocks = { "us-east-1": regional("us-east-1"), "eu-west-1": regional("eu-west-1") };
  const pick = (region: string) => {
    const found = mocks[region as Region];
    if (!found) {
      throw new Error(`test asked for clients of unexpected region ${region}`);
    }
    return found;
  };

  const ga = new GlobalAcceleratorClient({ region: "us-west-2" });
  const gaMock = mockClient(ga);
  gaMock.on(ListAcceleratorsCommand).resolves({ Accelerators: [{ AcceleratorArn: ACCELERATOR_ARN, Name: GLOBAL_ID, DnsName: "a1234.awsglobalaccelerator.com", Status: "DEPLOYED" }] });
  gaMock.on(ListListenersCommand).resolves({ Listeners: [{ ListenerArn: LISTENER_ARN, PortRanges: [{ FromPort: 443, ToPort: 443 }] }] });
  gaMock.on(ListEndpointGroupsCommand).callsFake(() => ({
    EndpointGroups: REGIONS.map((region) => ({
      EndpointGroupArn: GROUP_ARN(region),
      EndpointGroupRegion: region,
      TrafficDialPercentage: state.dials[region],
      EndpointDescriptions: [{ EndpointId: `nlb-${region}`, HealthState: "HEALTHY" }],
    })),
  }));
  gaMock.on(UpdateEndpointGroupCommand).callsFake((input: UpdateEndpointGroupCommandInput) => {
    failIfAsked("UpdateEndpointGroup");
    const region = REGIONS.find((r) => GROUP_ARN(r) === input.EndpointGroupArn)!;
    state.dials[region] = input.TrafficDialPercentage!;
    return {};
  });
  // The first status read after a change is still IN_PROGRESS, then DEPLOYED.
  gaMock.on(DescribeAcceleratorCommand).resolvesOnce({ Accelerator: { Status: "IN_PROGRESS" } }).resolves({ Accelerator: { Status: "DEPLOYED" } });

  const route53 = new Route53Client({ region: "us-east-1" });
  const route53Mock = mockClient(route53);
  route53Mock.on(ListResourceRecordSetsCommand).resolves({
    ResourceRecordSets: REGIONS.map((region) => ({ Name: "direct.app.meridian.example.com.", Type: "A", SetIdentifier: region, Region: region, HealthCheckId: HEALTH_CHECK(region) })),
  });
  route53Mock.on(GetHealthCheckCommand).callsFake((input: { HealthCheckId: string }) => {
    const region = REGIONS.find((r) => HEALTH_CHECK(r) === input.HealthCheckId)!;
    return { HealthCheck: { Id: input.HealthCheckId, CallerReference: "x", HealthCheckVersion: 1, HealthCheckConfig: { Type: "TCP", Inverted: state.inverted[region] } } };
  });
  route53Mock.on(UpdateHealthCheckCommand).callsFake((input: { HealthCheckId: string; Inverted: boolean }) => {
    const region = REGIONS.find((r) => HEALTH_CHECK(r) === input.HealthCheckId)!;
    state.inverted[region] = input.Inverted;
    return {};
  });

  const commands: Command[] = [];
  const run = async (command: Command) => {
    commands.push(command);
    const args = command.args.join(" ");
    const pool = /nodepool (\w+)/.exec(args)?.[1] ?? "";
    if (args.includes(" patch ")) {
      const message = state.failOnce["kubectl patch"];
      if (message) {
        delete state.failOnce["kubectl patch"];
        return { exitCode: 1, stdout: "", stderr: message };
      }
      state.poolLimits[pool] = (JSON.parse(command.args.at(-1)!) as { spec: { limits: { cpu: string } } }).spec.limits.cpu;
      return { exitCode: 0, stdout: "patched", stderr: "" };
    }
    if (args.includes(" get nodepool ")) {
      return { exitCode: 0, stdout: JSON.stringify({ spec: { limits: { cpu: state.poolLimits[pool] } } }), stderr: "" };
    }
    return { exitCode: 0, stdout: "", stderr: "" };
  };

  const clients: EvacuationClients = {
    aurora: (region) => pick(region),
    eks: (region) => pick(region).eks,
    elbv2: (region) => pick(region).elbv2,
    globalAccelerator: ga,
    route53,
    run,
  };

  // The smoke check's target: a loopback server that answers 200, or 503 while told to fail.
  const server = http.createServer((_request, response) => {
    if (state.failingRequests > 0) {
      state.failingRequests -= 1;
      response.writeHead(503).end("down");
    } else {
      response.writeHead(200).end("ok");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const smokeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;

  // Real time for the probes (they hit a real socket); a wait of a second or more (a poll) takes
  // 1 ms of real time, so the probes in flight can answer, and then moves the clock on.
  let skipped = 0;
  const clock: Clock = {
    now: () => Date.now() + skipped,
    sleep: async (ms, signal) => {
      if (ms >= 1000) {
        await systemClock.sleep(1, signal);
        skipped += ms;
        return;
      }
      await systemClock.sleep(ms, signal);
    },
  };
  const reportDir = mkdtempSync(join(tmpdir(), "evacuation-test-"));
  const stdout: string[] = [];
  const stderr: string[] = [];
  const evacuate = async (...argv: string[]) => {
    stdout.length = 0;
    stderr.length = 0;
    const result = await runEvacuation([...argv, "--report-dir", reportDir, "--smoke-url", smokeUrl, "--settle-seconds", "0"], {
      catalogue,
      clients,
      clock,
      output: { out: (line) => stdout.push(line), err: (line) => stderr.push(line) },
      smoke: { intervalMs: 10, timeoutMs: 5000, recoveredAfter: 3 },
      kubeconfig: join(reportDir, "kubeconfig"),
    });
    return { ...result, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
  };
  /** Every call that changes live state, from any client or the kubectl runner. */
  const mutations = () => [
    ...gaMock.commandCalls(UpdateEndpointGroupCommand).map(() => "UpdateEndpointGroup"),
    ...route53Mock.commandCalls(UpdateHealthCheckCommand).map(() => "UpdateHealthCheck"),
    ...REGIONS.flatMap((r) => [
      ...mocks[r].eksMock.commandCalls(UpdateNodegroupConfigCommand).map(() => `UpdateNodegroupConfig ${r}`),
      ...mocks[r].rdsMock.commandCalls(SwitchoverGlobalClusterCommand).map(() => `SwitchoverGlobalCluster ${r}`),
      ...mocks[r].rdsMock.commandCalls(FailoverGlobalClusterCommand).map(() => `FailoverGlobalCluster ${r}`),
    ]),
    ...commands.filter((c) => c.args.includes("patch")).map(() => "kubectl patch"),
  ];
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { state, mocks, gaMock, route53Mock, commands, evacuate, mutations, close, reportDir };
}

type World = Awaited<ReturnType<typeof world>>;
let w: World;
beforeEach(async () => {
  w = await world();
});
afterEach(async () => {
  await w.close();
});

const EVACUATE_EAST = ["--environment", "production", "--from", "us-east-1"];

describe("npm run evacuate: dry run", () => {
  test("prints the plan with each step's control planes, runs every check and changes nothing", async () => {
    // GIVEN a healthy production environment
    // WHEN the operator runs without --execute
    const result = await w.evacuate(...EVACUATE_EAST);

    // THEN it passes, and no call that changes anything was made
    expect(result.exitCode).toBe(0);
    expect(w.mutations()).toEqual([]);
    expect(result.report!.outcome).toBe("dry-run");
    // the plan names the order and where each step's control plane is, flagging the evacuated region
    expect(result.stdout).toMatch(/1\. preflight[\s\S]*2\. capacity[\s\S]*3\. traffic[\s\S]*4\. data[\s\S]*5\. verification/);
    expect(result.stdout).toContain("control planes: Global Accelerator in us-west-2; Route 53 in us-east-1 (best effort, IN THE EVACUATED REGION)");
    expect(result.stdout).toContain("control planes: EKS and the cluster's Kubernetes API in eu-west-1");
    // every step says what it would do
    const summary = Object.fromEntries(result.report!.steps.map((s) => [s.id, `${s.status}: ${s.summary}`]));
    expect(summary.capacity).toContain("would set node group system-eu-west-1a-20250601: min 1 → 2, max 3 → 6, desired 1 → 2");
    expect(summary.capacity).toContain("would set Karpenter NodePool system CPU limit: 36 → 72");
    expect(summary.traffic).toContain(`would set traffic dial of ${GROUP_ARN("us-east-1")} (us-east-1): 100% → 0%`);
    expect(summary.traffic).toContain("would set Route 53 health check hc-us-east-1 of direct.app.meridian.example.com (us-east-1): inverted false → true");
    expect(summary.data).toContain(`would send SwitchoverGlobalCluster {"GlobalClusterIdentifier":"${GLOBAL_ID}","TargetDbClusterIdentifier":"${ARN("eu-west-1")}"} through RDS in eu-west-1`);
    // a dry run changed nothing, so it leaves no catalogue change to commit
    expect(result.report!.catalogueChange).toEqual([]);
    // and the report files exist
    expect(JSON.parse(readFileSync(result.reportPath!, "utf8")).outcome).toBe("dry-run");
    expect(readFileSync(result.reportPath!.replace(/\.json$/, ".md"), "utf8")).toContain("# Evacuation of production from us-east-1 to eu-west-1");
  });

  test("never calls a regional API of the evacuated region except to read what it carried", async () => {
    await w.evacuate(...EVACUATE_EAST);
    const east = w.mocks["us-east-1"];
    expect(east.elbv2Mock.calls()).toHaveLength(0);
    expect(east.eksMock.commandCalls(DescribeClusterCommand)).toHaveLength(0);
    expect(east.rdsMock.commandCalls(DescribeGlobalClustersCommand)).toHaveLength(0);
  });
});

describe("npm run evacuate --execute", () => {
  test("raises capacity, drains the region, switches the writer over, verifies, and writes the evidence", async () => {
    // GIVEN a healthy production environment
    // WHEN the evacuation runs
    const result = await w.evacuate(...EVACUATE_EAST, "--execute");

    // THEN every step is done, in plan order, and live state is the evacuated one
    expect(result.exitCode).toBe(0);
    const report = result.report!;
    expect(report.steps.map((s) => `${s.id}:${s.status}`)).toEqual(["preflight:checked", "capacity:done", "traffic:done", "data:done", "verification:checked"]);
    expect(w.state.dials).toEqual({ "us-east-1": 0, "eu-west-1": 100 });
    expect(w.state.inverted).toEqual({ "us-east-1": true, "eu-west-1": false });
    // the health check is updated at the version read, so a concurrent change is refused, not overwritten
    expect(w.route53Mock.commandCalls(UpdateHealthCheckCommand).map((c) => c.args[0].input)).toEqual([{ HealthCheckId: HEALTH_CHECK("us-east-1"), HealthCheckVersion: 1, Inverted: true }]);
    expect(w.state.writer).toBe("eu-west-1");
    expect(w.state.groups["eu-west-1"].map((g) => [g.minSize, g.maxSize, g.desiredSize])).toEqual([[2, 6, 2], [2, 6, 2], [2, 6, 2], [0, 60, 0], [0, 6, 0]]);
    expect(w.state.groups["us-east-1"].map((g) => g.minSize)).toEqual([1, 1, 1, 0, 0]);
    expect(w.state.poolLimits).toEqual({ system: "72", spot: "240", gpu: "48" });
    // capacity went up before the dial went down
    const changed = (prefix: string) => report.timeline.findIndex((e) => e.message.startsWith(`changed: set ${prefix}`));
    expect(changed("node group")).toBeGreaterThanOrEqual(0);
    expect(changed("node group")).toBeLessThan(changed("traffic dial"));
    expect(changed("traffic dial")).toBeLessThan(report.timeline.findIndex((e) => e.message.startsWith("changed: sent SwitchoverGlobalCluster")));
    // the switchover went to the surviving region's RDS endpoint
    expect(w.mocks["eu-west-1"].rdsMock.commandCalls(SwitchoverGlobalClusterCommand)).toHaveLength(1);
    expect(w.mocks["us-east-1"].rdsMock.commandCalls(SwitchoverGlobalClusterCommand)).toHaveLength(0);
    // the evidence: no outage, RTO 0, RPO 0 (switchover), the catalogue change
    expect(report.outcome).toBe("succeeded");
    expect(report.smokeCheck!.probes).toBeGreaterThan(0);
    expect(report.rto!.ms).toBe(0);
    expect(report.rpo).toEqual({ ms: 0, basis: expect.stringContaining("replication lag just before: 120 ms") });
    expect(report.catalogueChange).toEqual(
      expect.arrayContaining([
        'In src/config/catalogue.ts, environment "production": edge.trafficDials["us-east-1"]: 100 → 0',
        '  primaryRegion: "us-east-1" → "eu-west-1"',
        expect.stringContaining("replacement gate on production-edge, production-global-database, production-regional-us-east-1, production-regional-eu-west-1"),
      ]),
    );
    expect(report.timeline.some((e) => e.step === "traffic" && e.message === "accelerator status: IN_PROGRESS")).toBe(true);
  });

  test("an outage the smoke check sees during the run is in the report with its RTO", async () => {
    // GIVEN the service answers 503 to the next 20 requests once the dial changes
    w.gaMock.on(UpdateEndpointGroupCommand).callsFake((input: UpdateEndpointGroupCommandInput) => {
      w.state.dials["us-east-1"] = input.TrafficDialPercentage!;
      w.state.failingRequests = 20;
      return {};
    });
    // WHEN the evacuation runs
    const result = await w.evacuate(...EVACUATE_EAST, "--execute");

    // THEN the outage is listed and the RTO spans it
    expect(result.exitCode).toBe(0);
    const outages = result.report!.smokeCheck!.outages;
    expect(outages).toHaveLength(1);
    expect(outages[0]!.failedProbes).toBe(20);
    expect(result.report!.rto!.ms).toBe(outages[0]!.end! - outages[0]!.start);
    expect(result.report!.rto!.ms).toBeGreaterThan(0);
  });

  test("--rehearse acts on a non-production environment and the report says it is a rehearsal; a production one is refused", async () => {
    // GIVEN the built-in catalogue
    const catalogue = loadCatalogue(structuredClone(BUILT_IN_CATALOGUE)).catalogue;
    // WHEN a rehearsal on staging is asked for
    const request = parseEvacuationArguments(["--environment", "staging", "--from", "us-east-1", "--rehearse"], catalogue);
    if (request === "help") {
      throw new Error("unexpected help");
    }
    // THEN it acts (a drill is real) and its report is titled and described as a rehearsal
    expect(request).toMatchObject({ rehearsal: true, execute: true, survivingRegion: "us-west-2" });
    const markdown = reportMarkdown(newReport(request, "r1", Date.parse("2025-06-01T12:00:00Z"), planSteps(request)));
    expect(markdown).toContain("# Rehearsal: Evacuation of staging from us-east-1 to us-west-2");
    expect(markdown).toContain("a rehearsal on a non-production environment of the plan production runs");
    expect(commandLineOf(request)).toBe("npm run evacuate -- --environment staging --from us-east-1 --rehearse");
    // AND production is refused
    const refused = await w.evacuate(...EVACUATE_EAST, "--rehearse");
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('--rehearse with --environment "production": a rehearsal runs the same plan on a non-production environment (staging)');
    // AND evacuating us-west-2 says the traffic step then depends on a control plane in the evacuated region
    const west = parseEvacuationArguments(["--environment", "staging", "--from", "us-west-2"], catalogue);
    if (west === "help") {
      throw new Error("unexpected help");
    }
    expect(planLines(west, planSteps(west))).toContain("     control planes: Global Accelerator in us-west-2 (IN THE EVACUATED REGION)");
  });
});

describe("a step that fails stops the run and the resume finishes it", () => {
  const cases = [
    { step: "capacity", fail: { UpdateNodegroupConfig: "ThrottlingException: Rate exceeded" }, doneBefore: [] as string[] },
    { step: "capacity", fail: { "kubectl patch": "the server is currently unable to handle the request" }, doneBefore: [] },
    { step: "traffic", fail: { UpdateEndpointGroup: "InternalServiceErrorException: try again" }, doneBefore: ["capacity"] },
    { step: "data", fail: { SwitchoverGlobalCluster: "InvalidDBClusterStateFault: busy" }, doneBefore: ["capacity", "traffic"] },
  ] as const;

  test.each(cases)("$step failing ($fail)", async ({ step, fail, doneBefore }) => {
    // GIVEN one call of the step fails once
    w.state.failOnce = { ...fail };

    // WHEN the evacuation runs
    const first = await w.evacuate(...EVACUATE_EAST, "--execute");

    // THEN it stops at that step, reports what was done and not, and how to resume or roll back
    expect(first.exitCode).toBe(1);
    const report = first.report!;
    expect(report.outcome).toBe("failed");
    expect(report.failure!.step).toBe(step);
    expect(report.steps.filter((s) => s.status === "done").map((s) => s.id)).toEqual(doneBefore);
    expect(report.steps.filter((s) => s.status === "not-run").length).toBeGreaterThan(0);
    expect(report.failure!.notDone[0]).toMatch(new RegExp(`step ${step}`));
    // The resume repeats the settings of the interrupted run (this test's --settle-seconds 0 and report directory).
    expect(report.failure!.resume).toBe(`npm run evacuate -- --environment production --from us-east-1 --execute --smoke-url ${report.smokeCheck!.url} --settle-seconds 0 --report-dir ${dirname(first.reportPath!)} --resume ${first.reportPath}`);
    expect(report.failure!.rollback).toContain("--fail-back");
    expect(first.stderr).toContain(`FAILED at step ${step}`);
    expect(first.stderr).toContain(`resume:    ${report.failure!.resume}`);

    // WHEN the operator resumes
    const second = await w.evacuate(...EVACUATE_EAST, "--execute", "--resume", first.reportPath!);

    // THEN the steps done before are found already done, the rest is done, and the run continues the same report
    expect(second.exitCode).toBe(0);
    expect(second.reportPath).toBe(first.reportPath);
    const resumed = second.report!;
    expect(resumed.runId).toBe(report.runId);
    expect(resumed.attempts).toHaveLength(1);
    for (const id of doneBefore) {
      expect(resumed.steps.find((s) => s.id === id)!.status).toBe("already-done");
    }
    expect(resumed.outcome).toBe("succeeded");
    expect(resumed.timeline.length).toBeGreaterThan(report.timeline.length);
    expect(w.state.writer).toBe("eu-west-1");
    expect(w.state.dials["us-east-1"]).toBe(0);
  });

  test("a failing verification stops with the evidence of the outage", async () => {
    // GIVEN the service stops answering once the writer has moved, for longer than the timeout allows
    w.mocks["eu-west-1"].rdsMock.on(SwitchoverGlobalClusterCommand).callsFake(() => {
      w.state.writer = "eu-west-1";
      w.state.failingRequests = Number.MAX_SAFE_INTEGER;
      return {};
    });
    const result = await w.evacuate(...EVACUATE_EAST, "--execute", "--timeout-minutes", "1", "--poll-seconds", "1");
    expect(result.exitCode).toBe(1);
    expect(result.report!.failure!.step).toBe("verification");
    expect(result.report!.rto!.ms).toBeUndefined();
    expect(result.report!.rto!.basis).toMatch(/^not recovered/);
  });

  test("--resume refuses a report of another run", async () => {
    const first = await w.evacuate(...EVACUATE_EAST);
    const other = await w.evacuate("--environment", "production", "--from", "eu-west-1", "--resume", first.reportPath!);
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toContain("that report is a evacuation of production from us-east-1; this run's fromRegion differs");
  });
});

describe("refusals before anything changes", () => {
  test("the writer's region does not answer: a failover with data loss is refused without --allow-data-loss", async () => {
    // GIVEN us-east-1's regional APIs (RDS, EKS) do not answer
    w.state.down.add("us-east-1");

    // WHEN the evacuation runs without --allow-data-loss
    const result = await w.evacuate(...EVACUATE_EAST, "--execute");

    // THEN the preflight refuses, names the flag, and nothing changed
    expect(result.exitCode).toBe(1);
    expect(result.report!.outcome).toBe("refused");
    expect(result.report!.failure!.step).toBe("preflight");
    expect(result.stderr).toContain("--allow-data-loss fails over instead, losing up to the replication lag");
    expect(result.stderr).toContain("done: nothing was changed");
    expect(w.mutations()).toEqual([]);
  });

  test("with --allow-data-loss it fails over and the RPO is the replication lag before the failover", async () => {
    w.state.down.add("us-east-1");
    w.state.lagMs = [250, 1800, 900];
    const result = await w.evacuate(...EVACUATE_EAST, "--execute", "--allow-data-loss");
    expect(result.exitCode).toBe(0);
    const failovers = w.mocks["eu-west-1"].rdsMock.commandCalls(FailoverGlobalClusterCommand);
    expect(failovers.map((c) => c.args[0].input)).toEqual([{ GlobalClusterIdentifier: GLOBAL_ID, TargetDbClusterIdentifier: ARN("eu-west-1"), AllowDataLoss: true }]);
    expect(result.report!.rpo!.ms).toBe(1800);
    // the evacuated region's node groups could not be read: the catalogue's sizes stood in
    expect(result.report!.timeline.some((e) => e.message.includes("using the catalogue's desired sizes"))).toBe(true);
  });

  test("a surviving region without headroom for what the evacuated one carries is refused", async () => {
    // GIVEN us-east-1 runs 35 spot nodes and eu-west-1 already 30, and evacuation.maxSize of spot is 60
    w.state.groups["us-east-1"].find((g) => g.name.startsWith("spot"))!.desiredSize = 35;
    w.state.groups["eu-west-1"].find((g) => g.name.startsWith("spot"))!.desiredSize = 30;
    const result = await w.evacuate(...EVACUATE_EAST, "--execute");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("headroom of node group spot: 30 nodes here + 35 from us-east-1 = 65, evacuation.maxSize 60; the surviving region cannot take the load: raise nodeGroups[1].evacuation.maxSize");
    expect(w.mutations()).toEqual([]);
  });

  test("a node group still updating counts as an operation in progress", async () => {
    w.state.groups["eu-west-1"][0]!.status = "UPDATING";
    const result = await w.evacuate(...EVACUATE_EAST);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("node group system-eu-west-1a-20250601: UPDATING");
  });
});

describe("evacuating us-west-2, where Global Accelerator's control plane is", () => {
  test("the traffic step does not block the run when that control plane does not answer; elsewhere it fails", async () => {
    // GIVEN staging evacuating us-west-2 and a Global Accelerator API that does not answer
    const catalogue = loadCatalogue(structuredClone(BUILT_IN_CATALOGUE)).catalogue;
    const ga = new GlobalAcceleratorClient({ region: "us-west-2" });
    mockClient(ga).onAnyCommand().rejects(Object.assign(new Error("connect ETIMEDOUT"), { name: "TimeoutError" }));
    const context = (from: string): StepContext => {
      const request = parseEvacuationArguments(["--environment", "staging", "--from", from, "--execute"], catalogue);
      if (request === "help") {
        throw new Error("unexpected help");
      }
      const unused = () => {
        throw new Error("the traffic step must not call regional clients");
      };
      return {
        request,
        clients: { aurora: unused, eks: unused, elbv2: unused, globalAccelerator: ga, route53: new Route53Client({ region: "us-east-1" }), run: unused },
        clock: systemClock,
        output: { out: () => undefined, err: () => undefined },
        probe: httpProbe,
        smoke: DEFAULT_SMOKE,
        kubeconfig: "/dev/null",
        facts: {},
        log: () => undefined,
        changed: () => undefined,
      };
    };
    // WHEN the traffic step runs for us-west-2 THEN it is skipped and says why and what to do
    const skipped = await trafficStep(context("us-west-2"));
    expect(skipped.status).toBe("skipped");
    expect(skipped.summary).toContain("It is in the evacuated region: the dial stays as it is and the accelerator's health checks keep clients off the failed region; resume once us-west-2 answers");
    // AND for us-east-1 it fails the step
    await expect(trafficStep(context("us-east-1"))).rejects.toThrow("cannot read the accelerator through Global Accelerator's control plane in us-west-2: TimeoutError: connect ETIMEDOUT");
  });
});

describe("the resume and rollback commands", () => {
  test("repeat every setting of the interrupted run that is not the default", () => {
    // GIVEN a run with a longer timeout, a faster poll and a higher accepted lag
    const catalogue = loadCatalogue(structuredClone(BUILT_IN_CATALOGUE)).catalogue;
    const request = parseEvacuationArguments(["--environment", "production", "--from", "us-east-1", "--execute", "--timeout-minutes", "90", "--poll-seconds", "5", "--max-lag-ms", "5000"], catalogue);
    if (request === "help") {
      throw new Error("unexpected help");
    }
    // WHEN its resume command is written THEN the resumed run waits, polls and accepts lag the same way
    expect(commandLineOf(request, { resume: "r.json" })).toBe("npm run evacuate -- --environment production --from us-east-1 --execute --max-lag-ms 5000 --timeout-minutes 90 --poll-seconds 5 --resume r.json");
  });
});

describe("Route 53 (best effort)", () => {
  test("when its control plane does not answer, the traffic step still succeeds and its summary says Route 53 was not changed", async () => {
    // GIVEN Route 53 refuses the health-check update (its control plane is in the evacuated us-east-1)
    w.route53Mock.on(UpdateHealthCheckCommand).rejects(new Error("ServiceUnavailable: Route 53 is not available"));
    // WHEN the evacuation runs
    const result = await w.evacuate(...EVACUATE_EAST, "--execute");
    // THEN the run completes and the traffic step reports the dial change and the unchanged record
    expect(result.exitCode).toBe(0);
    const traffic = result.report!.steps.find((step) => step.id === "traffic")!;
    expect(traffic.status).toBe("done");
    expect(traffic.summary).toContain("Route 53 (control plane in us-east-1) could not be changed: ServiceUnavailable: Route 53 is not available");
    expect(w.state.dials["us-east-1"]).toBe(0);
  });
});

describe("fail-back", () => {
  test("after an evacuation, the reverse run brings writer, dial, health check and capacity back", async () => {
    // GIVEN a completed evacuation
    expect((await w.evacuate(...EVACUATE_EAST, "--execute")).exitCode).toBe(0);

    // WHEN the fail-back runs
    const result = await w.evacuate(...EVACUATE_EAST, "--fail-back", "--execute");

    // THEN the writer is back, then traffic, then capacity, in that order
    expect(result.exitCode).toBe(0);
    expect(result.report!.steps.map((s) => `${s.id}:${s.status}`)).toEqual(["preflight:checked", "data:done", "traffic:done", "capacity:done", "verification:checked"]);
    expect(w.state.writer).toBe("us-east-1");
    expect(w.state.dials).toEqual({ "us-east-1": 100, "eu-west-1": 100 });
    expect(w.state.inverted["us-east-1"]).toBe(false);
    expect(w.state.groups["eu-west-1"].map((g) => [g.minSize, g.maxSize])).toEqual([[1, 3], [1, 3], [1, 3], [0, 30], [0, 6]]);
    expect(w.state.poolLimits).toEqual({ system: "36", spot: "120", gpu: "48" });
    expect(result.report!.catalogueChange).toContain('edge.trafficDials["us-east-1"] is already 100 in the catalogue.');
  });
});

describe("RTO and RPO from a scripted timeline", () => {
  const T0 = Date.parse("2025-06-01T12:00:00Z");
  /** One probe a second from T0; `failing` lists the seconds that fail. */
  const probes = (seconds: number, failing: (s: number) => boolean): Probe[] =>
    Array.from({ length: seconds }, (_, s) => ({ at: T0 + s * 1000, ok: !failing(s), latencyMs: 5, ...(failing(s) ? { error: "timeout" } : {}) }));

  test("first failed probe to the first good probe of the recovery after the traffic step", () => {
    // GIVEN probes fail from second 10 to 41 and the traffic step started at second 20
    const scripted = probes(60, (s) => s >= 10 && s < 42);
    // THEN the RTO is 32 s: from the failure at 10 s to the success at 42 s
    expect(measureRto(scripted, T0 + 20_000, 3, T0 + 60_000)).toMatchObject({ ms: 32_000, firstFailedProbeAt: T0 + 10_000, firstGoodProbeAt: T0 + 42_000 });
  });

  test("an outage that ended before the traffic step does not count; flapping spans both outages", () => {
    const before = probes(60, (s) => s >= 2 && s < 5);
    expect(measureRto(before, T0 + 20_000, 3, T0 + 60_000).ms).toBe(0);
    // failures at 25-29 and 31-34, one success at 30 (fewer than 3 in a row): one outage 25 → 35
    const flapping = probes(60, (s) => (s >= 25 && s < 30) || (s >= 31 && s < 35));
    expect(measureRto(flapping, T0 + 20_000, 3, T0 + 60_000).ms).toBe(10_000);
    // two separate outages after the traffic step: from the first failure to the last recovery
    const twice = probes(60, (s) => (s >= 25 && s < 28) || (s >= 40 && s < 43));
    expect(measureRto(twice, T0 + 20_000, 3, T0 + 60_000).ms).toBe(18_000);
  });

  test("not recovered: no RTO, and the basis says since when", () => {
    const result = measureRto(probes(60, (s) => s >= 50), T0 + 20_000, 3, T0 + 60_000);
    expect(result.ms).toBeUndefined();
    expect(result.basis).toBe("not recovered: failing since 2025-06-01T12:00:50.000Z (at least 10000 ms)");
  });

  test("RPO: 0 for a switchover, the lag for a failover, unknown without an action", () => {
    expect(measureRpo({ dataAction: { operation: "SwitchoverGlobalCluster", at: T0, lagMs: 140 } }).ms).toBe(0);
    expect(measureRpo({ dataAction: { operation: "FailoverGlobalCluster", at: T0, lagMs: 2300 } })).toEqual({
      ms: 2300,
      basis: "failover with data loss: AuroraGlobalDBReplicationLag of the target, maximum over the 5 minutes before 2025-06-01T12:00:00.000Z (2300 ms)",
    });
    expect(measureRpo({ writerRegionAfter: "eu-west-1" }).ms).toBeUndefined();
  });
});

describe("catalogue: nodeGroups[].evacuation", () => {
  const withSpotEvacuation = (evacuation: unknown) => {
    const raw = structuredClone(BUILT_IN_CATALOGUE) as unknown as { environments: { nodeGroups: Record<string, unknown>[] }[] };
    raw.environments[1]!.nodeGroups[1]!.evacuation = evacuation;
    return CatalogueSchema.safeParse(raw);
  };
  const messages = (parsed: ReturnType<typeof withSpotEvacuation>) => (parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));

  test("below the normal sizes or min above max is refused, naming the setting and the rule", () => {
    expect(messages(withSpotEvacuation({ minSize: 0, maxSize: 20 }))).toEqual(["environments.1.nodeGroups.1.evacuation.maxSize: must be >= maxSize (30): an evacuation never shrinks the surviving region"]);
    expect(messages(withSpotEvacuation({ minSize: 70, maxSize: 60 }))).toEqual(["environments.1.nodeGroups.1.evacuation.minSize: must be <= evacuation.maxSize (60)"]);
    expect(messages(withSpotEvacuation({ minSize: 0, maxSize: 2000 }))).toEqual(["environments.1.nodeGroups.1.evacuation.maxSize: must be <= 1000"]);
    expect(messages(withSpotEvacuation({ minSize: 0, maxSize: 60 }))).toEqual([]);
  });
});
