import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput } from "@aws-sdk/client-cloudwatch";
import {
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  RDSClient,
  SwitchoverGlobalClusterCommand,
  type DescribeGlobalClustersCommandOutput,
  type FailoverStatus,
} from "@aws-sdk/client-rds";
import { mockClient } from "aws-sdk-client-mock";
import { BUILT_IN_CATALOGUE } from "../../src/config/catalogue";
import { loadCatalogue } from "../../src/config/load";
import type { Catalogue } from "../../src/config/schema";
import type { ClientFactory } from "../../src/operations/aurora-failover/clients";
import { runFailoverCommand } from "../../src/operations/aurora-failover/command";

// The built-in production environment: writer in us-east-1, secondary in eu-west-1.
const GLOBAL_ID = "meridian-production";
const EAST_ID = "meridian-production-us-east-1";
const WEST_ID = "meridian-production-eu-west-1";
const EAST_ARN = `arn:aws:rds:us-east-1:333333333333:cluster:${EAST_ID}`;
const WEST_ARN = `arn:aws:rds:eu-west-1:333333333333:cluster:${WEST_ID}`;
const START = Date.parse("2025-06-01T12:00:00Z");

/** A DescribeGlobalClusters answer for the production global cluster. */
function globalCluster(options: {
  writer: "us-east-1" | "eu-west-1";
  /** `switching-over` is documented by AWS but missing from the SDK's FailoverStatus enum. */
  operation?: string;
  dataLossAllowed?: boolean;
  targetSync?: string;
}): DescribeGlobalClustersCommandOutput {
  const eastIsWriter = options.writer === "us-east-1";
  return {
    $metadata: {},
    GlobalClusters: [
      {
        GlobalClusterIdentifier: GLOBAL_ID,
        Status: "available",
        Engine: "aurora-postgresql",
        EngineVersion: "16.6",
        GlobalClusterMembers: [
          { DBClusterArn: EAST_ARN, IsWriter: eastIsWriter, Readers: eastIsWriter ? [WEST_ARN] : [], SynchronizationStatus: eastIsWriter ? undefined : "connected" },
          {
            DBClusterArn: WEST_ARN,
            IsWriter: !eastIsWriter,
            Readers: eastIsWriter ? [] : [EAST_ARN],
            SynchronizationStatus: (options.targetSync ?? (eastIsWriter ? "connected" : undefined)) as "connected" | undefined,
          },
        ],
        FailoverState: options.operation
          ? {
              Status: options.operation as FailoverStatus,
              FromDbClusterArn: EAST_ARN,
              ToDbClusterArn: WEST_ARN,
              IsDataLossAllowed: options.dataLossAllowed ?? false,
            }
          : undefined,
      },
    ],
  };
}

function memberCluster(identifier: string, engineVersion = "16.6", status = "available") {
  return { $metadata: {}, DBClusters: [{ DBClusterIdentifier: identifier, Engine: "aurora-postgresql", EngineVersion: engineVersion, Status: status }] };
}

function lagDatapoints(values: number[]) {
  return { $metadata: {}, MetricDataResults: [{ Id: "lag", Label: "AuroraGlobalDBReplicationLag", Values: values, StatusCode: "Complete" as const }] };
}

/**
 * One mocked RDS and CloudWatch client per region (aws-sdk-client-mock on the instances), so
 * every assertion can say which region a call went to. The clock advances only when slept on.
 */
function world(catalogue: Catalogue = loadCatalogue(structuredClone(BUILT_IN_CATALOGUE)).catalogue) {
  const region = (name: string) => {
    const rds = new RDSClient({ region: name });
    const cloudwatch = new CloudWatchClient({ region: name });
    return { rds, cloudwatch, rdsMock: mockClient(rds), cloudwatchMock: mockClient(cloudwatch) };
  };
  const east = region("us-east-1");
  const west = region("eu-west-1");
  const byRegion: Record<string, typeof east> = { "us-east-1": east, "eu-west-1": west };
  const clients: ClientFactory = (name) => {
    const regional = byRegion[name];
    if (!regional) {
      throw new Error(`test asked for clients of unexpected region ${name}`);
    }
    return regional;
  };

  // Healthy defaults: us-east-1 writes, both members on 16.6 and available, lag well under 1 s.
  west.rdsMock.on(DescribeGlobalClustersCommand).resolves(globalCluster({ writer: "us-east-1" }));
  east.rdsMock.on(DescribeDBClustersCommand).resolves(memberCluster(EAST_ID));
  west.rdsMock.on(DescribeDBClustersCommand).resolves(memberCluster(WEST_ID));
  west.cloudwatchMock.on(GetMetricDataCommand).resolves(lagDatapoints([120, 80, 95]));

  let now = START;
  const sleeps: number[] = [];
  const clock = {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
  const stdout: string[] = [];
  const stderr: string[] = [];
  const output = { out: (line: string) => stdout.push(line), err: (line: string) => stderr.push(line) };

  const run = async (...argv: string[]) => {
    const code = await runFailoverCommand(argv, { catalogue, clients, output, clock });
    return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n"), text: [...stdout, ...stderr].join("\n") };
  };
  /** Every switchover or failover request sent through any client. */
  const actionsSent = () =>
    [east, west].flatMap((r) => [...r.rdsMock.commandCalls(SwitchoverGlobalClusterCommand), ...r.rdsMock.commandCalls(FailoverGlobalClusterCommand)]);

  return { east, west, run, sleeps, stdout, actionsSent };
}

const PRODUCTION_TO_WEST = ["--environment", "production", "--to", "eu-west-1"];

/**
 * Stubs DescribeGlobalClusters through eu-west-1 (the target region) to answer with `answers` in
 * turn, the last one for every call after: the first answer is what the checks see, the rest what
 * the wait polls.
 */
function describeGlobalClusterAnswers(w: ReturnType<typeof world>, ...answers: Parameters<typeof globalCluster>[0][]): void {
  const last = answers[answers.length - 1];
  if (!last) {
    throw new Error("describeGlobalClusterAnswers needs at least one answer");
  }
  let stub = w.west.rdsMock.on(DescribeGlobalClustersCommand);
  for (const answer of answers.slice(0, -1)) {
    stub = stub.resolvesOnce(globalCluster(answer));
  }
  stub.resolves(globalCluster(last));
}

describe("aurora failover command: dry run", () => {
  test("runs every check and sends no switchover or failover", async () => {
    // GIVEN a healthy global database writing in us-east-1
    const w = world();

    // WHEN the operator runs without --execute
    const result = await w.run(...PRODUCTION_TO_WEST);

    // THEN it passes, says what it would send, and changes nothing
    expect(result.code).toBe(0);
    expect(w.actionsSent()).toHaveLength(0);
    expect(result.stdout).toContain("[dry run] switchover of environment production's global database to eu-west-1");
    expect(result.stdout).toContain(`With --execute this sends SwitchoverGlobalCluster {"GlobalClusterIdentifier":"${GLOBAL_ID}","TargetDbClusterIdentifier":"${WEST_ARN}"} through RDS in eu-west-1`);
    expect(result.stdout).toContain("every member runs engine version 16.6");
    expect(result.stdout).toContain("replication lag 120 ms is within --max-lag-ms 1000");
  });

  test("reads the global cluster through the target region and each member in its own region", async () => {
    // GIVEN a healthy global database
    const w = world();

    // WHEN the checks run
    await w.run(...PRODUCTION_TO_WEST);

    // THEN the global cluster is described through eu-west-1 only, each member in its region
    expect(w.west.rdsMock.commandCalls(DescribeGlobalClustersCommand).map((c) => c.args[0].input)).toEqual([{ GlobalClusterIdentifier: GLOBAL_ID }]);
    expect(w.east.rdsMock.commandCalls(DescribeGlobalClustersCommand)).toHaveLength(0);
    expect(w.east.rdsMock.commandCalls(DescribeDBClustersCommand).map((c) => c.args[0].input)).toEqual([{ DBClusterIdentifier: EAST_ID }]);
    expect(w.west.rdsMock.commandCalls(DescribeDBClustersCommand).map((c) => c.args[0].input)).toEqual([{ DBClusterIdentifier: WEST_ID }]);
  });

  test("asks CloudWatch in the target region for the target's maximum lag over the last 5 minutes", async () => {
    // GIVEN a healthy global database
    const w = world();

    // WHEN the checks run
    await w.run(...PRODUCTION_TO_WEST);

    // THEN one GetMetricData call went to eu-west-1 for AuroraGlobalDBReplicationLag of the target
    expect(w.east.cloudwatchMock.commandCalls(GetMetricDataCommand)).toHaveLength(0);
    const calls = w.west.cloudwatchMock.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input as GetMetricDataCommandInput;
    expect(input.EndTime).toEqual(new Date(START));
    expect(input.StartTime).toEqual(new Date(START - 5 * 60_000));
    expect(input.MetricDataQueries).toEqual([
      {
        Id: "lag",
        MetricStat: {
          Metric: { Namespace: "AWS/RDS", MetricName: "AuroraGlobalDBReplicationLag", Dimensions: [{ Name: "DBClusterIdentifier", Value: WEST_ID }] },
          Period: 60,
          Stat: "Maximum",
        },
        ReturnData: true,
      },
    ]);
  });
});

describe("aurora failover command: execute", () => {
  test("switchover sends SwitchoverGlobalCluster with the target ARN through the target region", async () => {
    // GIVEN a healthy global database that reports eu-west-1 as writer once switched over
    const w = world();
    describeGlobalClusterAnswers(w, { writer: "us-east-1" }, { writer: "eu-west-1" });

    // WHEN the operator executes a switchover to eu-west-1
    const result = await w.run(...PRODUCTION_TO_WEST, "--execute");

    // THEN exactly one SwitchoverGlobalCluster went to eu-west-1, naming the target by ARN
    expect(result.code).toBe(0);
    expect(w.west.rdsMock.commandCalls(SwitchoverGlobalClusterCommand).map((c) => c.args[0].input)).toEqual([
      { GlobalClusterIdentifier: GLOBAL_ID, TargetDbClusterIdentifier: WEST_ARN },
    ]);
    expect(w.actionsSent()).toHaveLength(1);
    expect(result.stdout).toContain(`${WEST_ID} in eu-west-1 is the writer after 0s`);
  });

  test("failover sends FailoverGlobalCluster with AllowDataLoss and reports the lag as expected data loss", async () => {
    // GIVEN a global database whose secondary lags by up to 950 ms
    const w = world();
    w.west.cloudwatchMock.on(GetMetricDataCommand).resolves(lagDatapoints([400, 950]));
    describeGlobalClusterAnswers(w, { writer: "us-east-1" }, { writer: "eu-west-1" });

    // WHEN the operator executes an unplanned failover
    const result = await w.run(...PRODUCTION_TO_WEST, "--mode", "failover", "--execute");

    // THEN FailoverGlobalCluster with AllowDataLoss went to eu-west-1, and no switchover was sent
    expect(result.code).toBe(0);
    expect(w.west.rdsMock.commandCalls(FailoverGlobalClusterCommand).map((c) => c.args[0].input)).toEqual([
      { GlobalClusterIdentifier: GLOBAL_ID, TargetDbClusterIdentifier: WEST_ARN, AllowDataLoss: true },
    ]);
    expect(w.actionsSent()).toHaveLength(1);
    expect(result.stdout).toContain("expected data loss (RPO): about 950 ms");
  });

  test("failover goes ahead when the old primary's region does not answer, using the global cluster's engine version", async () => {
    // GIVEN us-east-1 is down: describing its cluster fails
    const w = world();
    w.east.rdsMock.on(DescribeDBClustersCommand).rejects(new Error("connect ETIMEDOUT"));
    describeGlobalClusterAnswers(w, { writer: "us-east-1" }, { writer: "eu-west-1" });

    // WHEN the operator fails over to eu-west-1
    const result = await w.run(...PRODUCTION_TO_WEST, "--mode", "failover", "--execute");

    // THEN the old primary is reported unreachable and the failover still runs
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${EAST_ID} (us-east-1) did not answer (connect ETIMEDOUT); treating it as unreachable and using the engine version the global cluster reports, 16.6`);
    expect(w.west.rdsMock.commandCalls(FailoverGlobalClusterCommand)).toHaveLength(1);
  });

  test("switchover refuses when the old primary cannot be described", async () => {
    // GIVEN us-east-1 does not answer
    const w = world();
    w.east.rdsMock.on(DescribeDBClustersCommand).rejects(new Error("connect ETIMEDOUT"));

    // WHEN the operator asks for a (planned) switchover
    const result = await w.run(...PRODUCTION_TO_WEST, "--execute");

    // THEN it refuses: a switchover needs the old primary to take part
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`REFUSE cannot describe ${EAST_ID} (us-east-1): connect ETIMEDOUT`);
    expect(w.actionsSent()).toHaveLength(0);
  });

  test("waits through several polls, printing one progress line each, until the target writes", async () => {
    // GIVEN AWS reports pending, then switching-over twice, then the new writer with no operation left
    const w = world();
    describeGlobalClusterAnswers(
      w,
      { writer: "us-east-1" },
      { writer: "us-east-1", operation: "pending" },
      { writer: "us-east-1", operation: "switching-over" },
      { writer: "eu-west-1", operation: "switching-over" },
      { writer: "eu-west-1" },
    );

    // WHEN the operator executes with a 10-second poll interval
    const result = await w.run(...PRODUCTION_TO_WEST, "--execute", "--poll-seconds", "10");

    // THEN it polled four times, 10 s apart, and printed each state
    expect(result.code).toBe(0);
    expect(w.sleeps).toEqual([10_000, 10_000, 10_000]);
    expect(w.stdout.filter((line) => /^ {2}\[\d/.test(line))).toEqual([
      `  [0s] operation: pending; writer: ${EAST_ID} (us-east-1); global cluster status: available`,
      `  [10s] operation: switching-over; writer: ${EAST_ID} (us-east-1); global cluster status: available`,
      `  [20s] operation: switching-over; writer: ${WEST_ID} (eu-west-1); global cluster status: available`,
      `  [30s] operation: none; writer: ${WEST_ID} (eu-west-1); global cluster status: available`,
    ]);
    expect(result.stdout).toContain(`${WEST_ID} in eu-west-1 is the writer after 30s`);
  });

  test("times out with exit 1 when the target never becomes the writer", async () => {
    // GIVEN a switchover that stays in switching-over
    const w = world();
    describeGlobalClusterAnswers(w, { writer: "us-east-1" }, { writer: "us-east-1", operation: "switching-over" });

    // WHEN the operator allows one minute, polling every 20 seconds
    const result = await w.run(...PRODUCTION_TO_WEST, "--execute", "--timeout-minutes", "1", "--poll-seconds", "20");

    // THEN it polls at 0, 20, 40 and 60 s, then gives up without printing a config change
    expect(result.code).toBe(1);
    expect(w.sleeps).toEqual([20_000, 20_000, 20_000]);
    expect(result.stderr).toContain(`timed out after 1m00s (--timeout-minutes): ${WEST_ID} is not the writer yet`);
    expect(result.stderr).toContain(`aws rds describe-global-clusters --global-cluster-identifier ${GLOBAL_ID} --region eu-west-1`);
    expect(result.stdout).not.toContain("primaryRegion");
  });

  test("says so when it times out after the target already writes but the operation is still listed", async () => {
    // GIVEN a failover whose target writes while AWS keeps reporting failing-over
    const w = world();
    describeGlobalClusterAnswers(w, { writer: "us-east-1" }, { writer: "eu-west-1", operation: "failing-over", dataLossAllowed: true });

    // WHEN the wait runs out
    const result = await w.run(...PRODUCTION_TO_WEST, "--mode", "failover", "--execute", "--timeout-minutes", "1", "--poll-seconds", "30");

    // THEN the message tells the operator the target already writes
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`timed out after 1m00s (--timeout-minutes): ${WEST_ID} is the writer, but AWS still reports the failover as failing-over.`);
  });

  test("fails when the operation ends without promoting the target", async () => {
    // GIVEN AWS cancels the switchover: cancelling, then no operation and the old writer
    const w = world();
    describeGlobalClusterAnswers(w, { writer: "us-east-1" }, { writer: "us-east-1", operation: "cancelling" }, { writer: "us-east-1" });

    // WHEN the operator executes
    const result = await w.run(...PRODUCTION_TO_WEST, "--execute");

    // THEN it reports the cancellation and prints no config change
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the switchover ended after 15s without promoting ${WEST_ID} (writer now: ${EAST_ID} (us-east-1))`);
    expect(result.stdout).not.toContain("primaryRegion");
  });

  test("prints the catalogue change to commit and the not-inherited checklist", async () => {
    // GIVEN a switchover that completes
    const w = world();
    describeGlobalClusterAnswers(w, { writer: "us-east-1" }, { writer: "eu-west-1" });

    // WHEN it has run
    const result = await w.run(...PRODUCTION_TO_WEST, "--execute");

    // THEN it succeeds, and the operator is told to flip primary and secondary, leave homeRegion alone, and check what is not inherited
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Commit this change to src/config/catalogue.ts, environment "production":');
    expect(result.stdout).toContain('  primaryRegion: "us-east-1" → "eu-west-1"');
    expect(result.stdout).toContain('  secondaryRegion: "eu-west-1" → "us-east-1"');
    expect(result.stdout).toContain('Do NOT change homeRegion (stays "us-east-1")');
    expect(result.stdout).toContain("must show only\nin-place updates");
    expect(result.stdout).toContain("The promoted cluster in eu-west-1 does not inherit settings from the old primary (us-east-1)");
    expect(result.stdout).toMatch(/\[ \] DB cluster and DB parameter groups/);
    expect(result.stdout).toMatch(/\[ \] CloudWatch alarms/);
    expect(result.stdout).toMatch(/\[ \] integrations/);
  });

  test("reports the action's failure with exit 1", async () => {
    // GIVEN AWS rejects the switchover request
    const w = world();
    const rejection = Object.assign(new Error("Global cluster is not in a valid state"), { name: "InvalidGlobalClusterStateFault" });
    w.west.rdsMock.on(SwitchoverGlobalClusterCommand).rejects(rejection);

    // WHEN the operator executes
    const result = await w.run(...PRODUCTION_TO_WEST, "--execute");

    // THEN the SDK error is shown and no waiting happens
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("SwitchoverGlobalCluster failed: InvalidGlobalClusterStateFault: Global cluster is not in a valid state");
    expect(w.sleeps).toEqual([]);
  });
});

describe("aurora failover command: refusals", () => {
  test("refuses when the members run different engine versions, naming both", async () => {
    // GIVEN the secondary still runs 16.4
    const w = world();
    w.west.rdsMock.on(DescribeDBClustersCommand).resolves(memberCluster(WEST_ID, "16.4"));

    // WHEN the operator executes a switchover
    const result = await w.run(...PRODUCTION_TO_WEST, "--execute");

    // THEN it refuses, naming each cluster and its version, and sends nothing
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`REFUSE engine versions differ: ${EAST_ID} (us-east-1) runs 16.6, ${WEST_ID} (eu-west-1) runs 16.4`);
    expect(result.stderr).toContain("refused: 1 check failed; nothing was changed.");
    expect(w.actionsSent()).toHaveLength(0);
  });

  test("refuses a failover too when engine versions differ", async () => {
    // GIVEN the secondary still runs 16.4
    const w = world();
    w.west.rdsMock.on(DescribeDBClustersCommand).resolves(memberCluster(WEST_ID, "16.4"));

    // WHEN the operator executes a failover
    const result = await w.run(...PRODUCTION_TO_WEST, "--mode", "failover", "--execute");

    // THEN it refuses: AWS cannot fail over across versions either
    expect(result.code).toBe(1);
    expect(w.stdout).toContain(
      `  REFUSE engine versions differ: ${EAST_ID} (us-east-1) runs 16.6, ${WEST_ID} (eu-west-1) runs 16.4; ` +
        "Aurora cannot switch over or fail over while members run different engine versions: finish the upgrade through the global cluster first",
    );
    expect(w.actionsSent()).toHaveLength(0);
  });

  test("refuses a switchover when the target lags more than --max-lag-ms", async () => {
    // GIVEN the secondary lagged 1.5 s within the last 5 minutes (alarm threshold: 1000 ms)
    const w = world();
    w.west.cloudwatchMock.on(GetMetricDataCommand).resolves(lagDatapoints([200, 1500, 300]));

    // WHEN the operator executes a switchover with the default limit
    const result = await w.run(...PRODUCTION_TO_WEST, "--execute");

    // THEN it refuses, naming the lag and the limit
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("REFUSE replication lag 1500 ms is above --max-lag-ms 1000");
    expect(w.actionsSent()).toHaveLength(0);
  });

  test("accepts the same lag when --max-lag-ms allows it", async () => {
    // GIVEN the secondary lagged 1.5 s
    const w = world();
    w.west.cloudwatchMock.on(GetMetricDataCommand).resolves(lagDatapoints([1500]));

    // WHEN the operator raises the limit for a dry run
    const result = await w.run(...PRODUCTION_TO_WEST, "--max-lag-ms", "2000");

    // THEN the checks pass
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("replication lag 1500 ms is within --max-lag-ms 2000");
  });

  test("refuses a switchover when CloudWatch has no lag datapoints", async () => {
    // GIVEN CloudWatch returns no values for the target
    const w = world();
    w.west.cloudwatchMock.on(GetMetricDataCommand).resolves(lagDatapoints([]));

    // WHEN the operator runs the checks
    const result = await w.run(...PRODUCTION_TO_WEST);

    // THEN it refuses and says there were no datapoints
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("REFUSE no lag datapoints");
  });

  test("refuses when a switchover or failover is already in progress", async () => {
    // GIVEN AWS reports an operation in progress
    const w = world();
    describeGlobalClusterAnswers(w, { writer: "us-east-1", operation: "failing-over", dataLossAllowed: true });

    // WHEN the operator executes
    const result = await w.run(...PRODUCTION_TO_WEST, "--execute");

    // THEN it refuses, describing the running operation
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`REFUSE a failover is already in progress (status failing-over, from ${EAST_ARN} to ${WEST_ARN})`);
    expect(w.actionsSent()).toHaveLength(0);
  });

  test("refuses when the target is already the writer", async () => {
    // GIVEN eu-west-1 already writes
    const w = world();
    describeGlobalClusterAnswers(w, { writer: "eu-west-1" });

    // WHEN the operator asks to move the writer to eu-west-1
    const result = await w.run(...PRODUCTION_TO_WEST, "--execute");

    // THEN it refuses and sends nothing
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`REFUSE ${WEST_ID} (eu-west-1) is already the writer; nothing to do (the other region is us-east-1)`);
    expect(w.actionsSent()).toHaveLength(0);
  });

  test("refuses a switchover when the target cluster is not available", async () => {
    // GIVEN the target is being modified
    const w = world();
    w.west.rdsMock.on(DescribeDBClustersCommand).resolves(memberCluster(WEST_ID, "16.6", "modifying"));

    // WHEN the operator executes a switchover
    const result = await w.run(...PRODUCTION_TO_WEST, "--execute");

    // THEN it refuses, naming the status
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`REFUSE ${WEST_ID} (eu-west-1): reader, status modifying, engine 16.6; a switchover needs it available`);
    expect(w.actionsSent()).toHaveLength(0);
  });

  test("refuses a switchover when the target is pending-resync", async () => {
    // GIVEN the target has stopped receiving changes
    const w = world();
    describeGlobalClusterAnswers(w, { writer: "us-east-1", targetSync: "pending-resync" });

    // WHEN the operator runs the checks
    const result = await w.run(...PRODUCTION_TO_WEST);

    // THEN it refuses
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`REFUSE ${WEST_ID} (eu-west-1) is pending-resync`);
  });

  test("refuses when the global cluster cannot be described", async () => {
    // GIVEN the global cluster does not exist
    const w = world();
    const notFound = Object.assign(new Error(`GlobalCluster ${GLOBAL_ID} not found.`), { name: "GlobalClusterNotFoundFault" });
    w.west.rdsMock.on(DescribeGlobalClustersCommand).rejects(notFound);

    // WHEN the operator runs the checks
    const result = await w.run(...PRODUCTION_TO_WEST);

    // THEN it refuses, quoting AWS
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`REFUSE cannot describe global cluster ${GLOBAL_ID} through eu-west-1: GlobalClusterNotFoundFault: GlobalCluster ${GLOBAL_ID} not found.`);
  });

  test("lists every failed check of one run, not only the first", async () => {
    // GIVEN both a version mismatch and too much lag
    const w = world();
    w.west.rdsMock.on(DescribeDBClustersCommand).resolves(memberCluster(WEST_ID, "16.4"));
    w.west.cloudwatchMock.on(GetMetricDataCommand).resolves(lagDatapoints([5000]));

    // WHEN the operator runs the checks
    const result = await w.run(...PRODUCTION_TO_WEST);

    // THEN it refuses, reporting both
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("REFUSE engine versions differ");
    expect(result.stdout).toContain("REFUSE replication lag 5000 ms");
    expect(result.stderr).toContain("refused: 2 checks failed");
  });
});

describe("aurora failover command: usage", () => {
  test.each([
    { when: "the environment is unknown", argv: ["--environment", "qa", "--to", "eu-west-1"], message: '--environment "qa": names no environment; known: staging, production' },
    { when: "--environment is missing", argv: ["--to", "eu-west-1"], message: "--environment is required" },
    { when: "--to is missing", argv: ["--environment", "production"], message: "--to is required: the region whose cluster becomes the writer (us-east-1 or eu-west-1)" },
    {
      when: "--to is not a region of the environment",
      argv: ["--environment", "production", "--to", "us-west-2"],
      message: '--to "us-west-2": must be a region of environment production: us-east-1 or eu-west-1',
    },
    { when: "--mode is neither switchover nor failover", argv: [...PRODUCTION_TO_WEST, "--mode", "planned"], message: '--mode "planned": must be switchover (planned) or failover' },
    { when: "--max-lag-ms is not a number", argv: [...PRODUCTION_TO_WEST, "--max-lag-ms", "1s"], message: '--max-lag-ms "1s": must be a whole number of milliseconds from 0 to 3600000' },
    { when: "--timeout-minutes is zero", argv: [...PRODUCTION_TO_WEST, "--timeout-minutes", "0"], message: '--timeout-minutes "0": must be a whole number of minutes from 1 to 1440' },
    { when: "--poll-seconds is negative", argv: [...PRODUCTION_TO_WEST, "--poll-seconds=-5"], message: '--poll-seconds "-5": must be a whole number of seconds from 1 to 3600' },
    {
      when: "--poll-seconds exceeds the timeout",
      argv: [...PRODUCTION_TO_WEST, "--timeout-minutes", "1", "--poll-seconds", "90"],
      message: '--poll-seconds "90": must not exceed --timeout-minutes (1 min = 60 s)',
    },
    { when: "an option is unknown", argv: [...PRODUCTION_TO_WEST, "--force"], message: "Unknown option '--force'" },
    { when: "a positional argument is given", argv: [...PRODUCTION_TO_WEST, "now"], message: "Unexpected argument 'now'" },
  ])("exits 2 when $when", async ({ argv, message }) => {
    // GIVEN the built-in catalogue
    const w = world();

    // WHEN the command line is wrong
    const result = await w.run(...argv);

    // THEN it exits 2 with the rule and the usage text, before calling AWS
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: ${message}`);
    expect(result.stderr).toContain("usage: npm run failover -- --environment <name> --to <region>");
    expect(w.west.rdsMock.calls()).toHaveLength(0);
    expect(w.east.rdsMock.calls()).toHaveLength(0);
    expect(w.west.cloudwatchMock.calls()).toHaveLength(0);
    expect(w.east.cloudwatchMock.calls()).toHaveLength(0);
  });

  test("exits 2 when the environment has no database", async () => {
    // GIVEN a catalogue whose staging environment has no global database
    const raw: Record<string, unknown> = structuredClone(BUILT_IN_CATALOGUE);
    const environments = raw.environments as Record<string, unknown>[];
    delete environments[0]!.database;
    const w = world(loadCatalogue(raw).catalogue);

    // WHEN the operator names staging
    const result = await w.run("--environment", "staging", "--to", "us-west-2");

    // THEN it says there is nothing to switch over
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: --environment "staging": has no database in the catalogue, so there is no global cluster to switch over');
  });

  test("--help prints the usage and exits 0", async () => {
    // GIVEN the built-in catalogue
    const w = world();

    // WHEN the operator asks for help
    const result = await w.run("--help");

    // THEN the usage is printed
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--mode <mode>");
  });
});
