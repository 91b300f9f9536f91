import { createHash } from "node:crypto";
import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, S3Client } from "@aws-sdk/client-s3";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { BUILT_IN_CATALOGUE } from "../../src/config/catalogue";
import { loadCatalogue } from "../../src/config/load";
import type { SiteClientFactory } from "../../src/operations/state-failback/clients";
import { runStateFailbackCommand } from "../../src/operations/state-failback/command";

// The built-in state: home bucket in us-east-1, replica in us-west-2, one global lock table.
const HOME = "meridian-tfstate-111111111111";
const REPLICA = "meridian-tfstate-111111111111-us-west-2";
const TABLE = "meridian-terraform-locks";
const REGIONAL = "meridian/production/production-regional-us-east-1.tfstate";
const EDGE = "meridian/production/production-edge.tfstate";
const catalogue = loadCatalogue(BUILT_IN_CATALOGUE).catalogue;

const md5 = (text: string) => createHash("md5").update(text).digest("hex");
/** The digest item Terraform writes for a state whose content is `text`. */
const digestItem = (text: string) => ({ Digest: { S: md5(text) } });

/** One site's S3 objects and lock-table items, served by mocked clients of that region only. */
interface SiteWorld {
  objects: Record<string, string>;
  items: Record<string, Record<string, { S: string }>>;
}

function mockSite(world: SiteWorld, bucket: string): { s3: AwsClientStub<S3Client>; dynamodb: AwsClientStub<DynamoDBClient>; clients: { s3: S3Client; dynamodb: DynamoDBClient } } {
  const clients = { s3: new S3Client({ region: "us-east-1" }), dynamodb: new DynamoDBClient({ region: "us-east-1" }) };
  const s3 = mockClient(clients.s3);
  const dynamodb = mockClient(clients.dynamodb);
  s3.on(ListObjectsV2Command).callsFake((input: { Bucket: string; Prefix: string }) => {
    expect(input.Bucket).toBe(bucket);
    return { Contents: Object.keys(world.objects).filter((k) => k.startsWith(input.Prefix)).map((Key) => ({ Key })), IsTruncated: false };
  });
  s3.on(GetObjectCommand).callsFake((input: { Bucket: string; Key: string }) => {
    expect(input.Bucket).toBe(bucket);
    const body = world.objects[input.Key];
    if (body === undefined) {
      throw new NoSuchKey({ message: "The specified key does not exist.", $metadata: {} });
    }
    return { Body: { transformToByteArray: async () => new TextEncoder().encode(body) } };
  });
  s3.on(DeleteObjectCommand).resolves({});
  dynamodb.on(GetItemCommand).callsFake((input: { TableName: string; Key: { LockID: { S: string } } }) => {
    expect(input.TableName).toBe(TABLE);
    return { Item: world.items[input.Key.LockID.S] };
  });
  dynamodb.on(PutItemCommand).resolves({});
  return { s3, dynamodb, clients };
}

/** Home and replica after an outage: the replica ran the edge stack once more; replication caught up. */
function afterOutage(overrides: { home?: Partial<SiteWorld>; replica?: Partial<SiteWorld> } = {}) {
  const objects = { [REGIONAL]: '{"serial":7}', [EDGE]: '{"serial":12}' };
  const home: SiteWorld = {
    objects: { ...objects },
    items: { [`${HOME}/${REGIONAL}-md5`]: digestItem('{"serial":7}'), [`${HOME}/${EDGE}-md5`]: digestItem('{"serial":11}') },
    ...overrides.home,
  };
  const replica: SiteWorld = {
    objects: { ...objects, [`${EDGE}.tflock`]: '{"ID":"abc","Operation":"OperationTypeApply","Who":"runner@ci","Created":"2026-12-01T10:00:00Z"}' },
    items: { [`${REPLICA}/${REGIONAL}-md5`]: digestItem('{"serial":7}'), [`${REPLICA}/${EDGE}-md5`]: digestItem('{"serial":12}') },
    ...overrides.replica,
  };
  const homeMocks = mockSite(home, HOME);
  const replicaMocks = mockSite(replica, REPLICA);
  const factory: SiteClientFactory = (region) => {
    if (region === "us-east-1") return homeMocks.clients;
    if (region === "us-west-2") return replicaMocks.clients;
    throw new Error(`no state site in ${region}`);
  };
  return { home: homeMocks, replica: replicaMocks, factory };
}

async function run(argv: string[], factory: SiteClientFactory) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runStateFailbackCommand(argv, { catalogue, clients: factory, output: { out: (l) => out.push(l), err: (l) => err.push(l) } });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("npm run state-failback", () => {
  test("a dry run lists the stale home digest and the stale lock file, and changes nothing", async () => {
    // GIVEN the state after an outage: the edge stack ran on the replica, leaving the home digest stale and a lock file
    const world = afterOutage();

    // WHEN the command runs without --execute
    const result = await run([], world.factory);

    // THEN it says what it would change, exits 0, and writes nothing
    expect(result.code).toBe(0);
    expect(result.out).toContain("[dry run]");
    expect(result.out).toContain(`would write digest ${HOME}/${EDGE}-md5 (us-east-1): stale ${md5('{"serial":11}')} → ${md5('{"serial":12}')}`);
    expect(result.out).toContain(`would delete stale lock file s3://${REPLICA}/${EDGE}.tflock (OperationTypeApply by runner@ci since 2026-12-01T10:00:00Z (lock id abc))`);
    expect(result.out).toContain("2 change(s) needed. Run again with --execute");
    expect(result.out).not.toContain(REGIONAL);
    for (const site of [world.home, world.replica]) {
      expect(site.dynamodb.commandCalls(PutItemCommand)).toHaveLength(0);
      expect(site.s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
    }
  });

  test("--execute writes the digest in the home region as Terraform does and deletes the lock file at its site", async () => {
    const world = afterOutage();

    const result = await run(["--execute"], world.factory);

    expect(result.code).toBe(0);
    expect(world.home.dynamodb.commandCalls(PutItemCommand).map((c) => c.args[0].input)).toEqual([
      { TableName: TABLE, Item: { LockID: { S: `${HOME}/${EDGE}-md5` }, Digest: { S: md5('{"serial":12}') } } },
    ]);
    expect(world.replica.dynamodb.commandCalls(PutItemCommand)).toHaveLength(0);
    expect(world.replica.s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: REPLICA, Key: `${EDGE}.tflock` }]);
    expect(world.home.s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
    expect(result.out).toContain("done: 1 digest(s) written, 1 lock file(s) deleted");
  });

  test("a missing digest at the replica site is written too, so the next outage starts clean", async () => {
    const world = afterOutage({ replica: { objects: { [REGIONAL]: '{"serial":7}', [EDGE]: '{"serial":12}' }, items: { [`${REPLICA}/${EDGE}-md5`]: digestItem('{"serial":12}') } } });

    const result = await run(["--execute"], world.factory);

    expect(result.code).toBe(0);
    expect(world.replica.dynamodb.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item!.LockID)).toEqual([{ S: `${REPLICA}/${REGIONAL}-md5` }]);
  });

  test("refuses while a Terraform lock is held at either site, and changes nothing", async () => {
    // GIVEN a deploy still running on the replica site
    const world = afterOutage();
    const info = '{"ID":"run-1","Operation":"OperationTypeApply","Who":"alice@laptop","Created":"2026-12-07T09:00:00Z"}';
    world.replica.dynamodb.on(GetItemCommand, { Key: { LockID: { S: `${REPLICA}/${EDGE}` } } }).resolves({ Item: { LockID: { S: `${REPLICA}/${EDGE}` }, Info: { S: info } } });

    // WHEN the command runs, even with --execute
    const result = await run(["--execute"], world.factory);

    // THEN it refuses, names the lock and its holder, and writes nothing
    expect(result.code).toBe(1);
    expect(result.err).toContain(`REFUSE lock held on ${EDGE} at the replica site (${REPLICA}/${EDGE}): OperationTypeApply by alice@laptop since 2026-12-07T09:00:00Z (lock id run-1)`);
    expect(result.err).toContain("nothing was changed");
    for (const site of [world.home, world.replica]) {
      expect(site.dynamodb.commandCalls(PutItemCommand)).toHaveLength(0);
      expect(site.s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
    }
  });

  test("refuses while replication has not caught up (the home copy differs from the replica's)", async () => {
    const world = afterOutage({ home: { objects: { [REGIONAL]: '{"serial":7}', [EDGE]: '{"serial":11}' }, items: {} } });

    const result = await run(["--execute"], world.factory);

    expect(result.code).toBe(1);
    expect(result.err).toContain(`REFUSE ${EDGE}: home copy (md5 ${md5('{"serial":11}')}) differs from the replica copy (md5 ${md5('{"serial":12}')}); wait for replication`);
    expect(world.home.dynamodb.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  test("says so when nothing needs reconciling", async () => {
    const world = afterOutage({
      home: { objects: { [REGIONAL]: '{"serial":7}' }, items: { [`${HOME}/${REGIONAL}-md5`]: digestItem('{"serial":7}') } },
      replica: { objects: { [REGIONAL]: '{"serial":7}' }, items: { [`${REPLICA}/${REGIONAL}-md5`]: digestItem('{"serial":7}') } },
    });

    const result = await run(["--execute"], world.factory);

    expect(result.code).toBe(0);
    expect(result.out).toContain("every state matches its digests on both sites and no lock file is left");
  });

  test("bad flags exit 2 with the usage", async () => {
    const result = await run(["--force"], afterOutage().factory);
    expect(result.code).toBe(2);
    expect(result.err).toContain("Unknown option '--force'");
    expect(result.err).toContain("usage: npm run state-failback");
  });
});
