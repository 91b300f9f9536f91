import { createHash } from "node:crypto";
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey } from "@aws-sdk/client-s3";
import { GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { StateConfig } from "../../config/schema";
import { STATE_SITES, stateSiteLocation, type StateSite } from "../../state/s3-backend";
import type { SiteClientFactory, SiteClients } from "./clients";

/*
 * What Terraform's S3 backend keeps per state (terraform internal/backend/remote-state/s3/client.go,
 * v1.11): the object `<key>`; with `dynamodb_table`, the lock item `LockID = <bucket>/<key>` while a
 * run holds the lock and the digest item `LockID = <bucket>/<key>-md5` (`Digest`: hex MD5 of the
 * state) written after every save and compared on every read (a mismatch fails the run: "state
 * data in S3 does not have the expected content"); with `use_lockfile`, `<key>.tflock` while a run
 * holds the lock. While the stacks run on the replica site only the replica's digests follow the
 * state, so the home digests go stale; lock files left by runs interrupted by the outage stay.
 */

/** Digest item suffix (Terraform's `stateIDSuffix`). */
export const DIGEST_SUFFIX = "-md5";
/** S3 lock file suffix (Terraform's `lockFileSuffix`). */
export const LOCK_FILE_SUFFIX = ".tflock";

/** One state site: its bucket, region and clients. */
interface Site {
  readonly site: StateSite;
  readonly bucket: string;
  readonly region: string;
  readonly clients: SiteClients;
}

/** A lock Terraform holds: its DynamoDB lock item. */
export interface HeldLock {
  readonly key: string;
  readonly site: StateSite;
  readonly lockId: string;
  /** Who / what / when, from the lock's info when it parses. */
  readonly holder: string;
}

/** A digest item that does not match its site's object. */
export interface DigestFix {
  readonly key: string;
  readonly site: StateSite;
  readonly region: string;
  readonly lockId: string;
  readonly current: string | undefined;
  readonly wanted: string;
}

/** A lock file no held lock explains. */
export interface StaleLockFile {
  readonly site: StateSite;
  readonly bucket: string;
  readonly region: string;
  readonly objectKey: string;
  readonly holder: string;
}

/** A state whose two copies differ (replication has not caught up, or a copy is missing). */
export interface PendingReplication {
  readonly key: string;
  readonly detail: string;
}

export interface StateSurvey {
  readonly keys: readonly string[];
  readonly heldLocks: readonly HeldLock[];
  readonly pending: readonly PendingReplication[];
  readonly digestFixes: readonly DigestFix[];
  readonly staleLockFiles: readonly StaleLockFile[];
}

/** The home and the replica site of the state, with their clients. */
export function stateSites(state: StateConfig, clients: SiteClientFactory): Site[] {
  return STATE_SITES.map((site) => {
    const { bucket, region } = stateSiteLocation(state, site);
    return { site, bucket, region, clients: clients(region) };
  });
}

/** Every object key under `prefix` in the site's bucket. */
async function listKeys(site: Site, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await site.clients.s3.send(new ListObjectsV2Command({ Bucket: site.bucket, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** The object's bytes, or undefined when it does not exist. */
async function readObject(site: Site, key: string): Promise<Uint8Array | undefined> {
  try {
    const object = await site.clients.s3.send(new GetObjectCommand({ Bucket: site.bucket, Key: key }));
    return object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") {
      return undefined;
    }
    throw error;
  }
}

/** The item of the lock table at `lockId`, read in the site's region (consistent within it, as Terraform reads it). */
async function readLockItem(site: Site, table: string, lockId: string): Promise<Record<string, { S?: string }> | undefined> {
  const answer = await site.clients.dynamodb.send(new GetItemCommand({ TableName: table, Key: { LockID: { S: lockId } }, ConsistentRead: true }));
  return answer.Item as Record<string, { S?: string }> | undefined;
}

/** Who holds a lock, from Terraform's lock info JSON (`ID`, `Operation`, `Who`, `Created`). */
function describeLockInfo(json: string | undefined): string {
  try {
    const info = JSON.parse(json ?? "") as { ID?: string; Operation?: string; Who?: string; Created?: string };
    return `${info.Operation ?? "unknown operation"} by ${info.Who ?? "unknown"} since ${info.Created ?? "unknown"} (lock id ${info.ID ?? "unknown"})`;
  } catch {
    return "no readable lock info";
  }
}

const md5Hex = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");

/**
 * Looks at every state under `<project>/` on both sites and works out what must change so the
 * stacks can run on either site: nothing is written here.
 */
export async function surveyState(state: StateConfig, project: string, clients: SiteClientFactory): Promise<StateSurvey> {
  const sites = stateSites(state, clients);
  const prefix = `${project}/`;
  const listed = await Promise.all(sites.map((site) => listKeys(site, prefix)));
  const keys = [...new Set(listed.flat().filter((key) => key.endsWith(".tfstate")))].sort();

  const heldLocks: HeldLock[] = [];
  const pending: PendingReplication[] = [];
  const digestFixes: DigestFix[] = [];
  for (const key of keys) {
    for (const site of sites) {
      const lockId = `${site.bucket}/${key}`;
      const lock = await readLockItem(site, state.lockTableName, lockId);
      if (lock) {
        heldLocks.push({ key, site: site.site, lockId, holder: describeLockInfo(lock.Info?.S) });
      }
    }
    const copies = await Promise.all(sites.map((site) => readObject(site, key)));
    const [home, replica] = copies;
    if (!home || !replica) {
      pending.push({ key, detail: `missing in the ${!home ? "home" : "replica"} bucket ${(!home ? sites[0] : sites[1])!.bucket}` });
      continue;
    }
    const digests = copies.map((bytes) => md5Hex(bytes!));
    if (digests[0] !== digests[1]) {
      pending.push({ key, detail: `home copy (md5 ${digests[0]}) differs from the replica copy (md5 ${digests[1]})` });
      continue;
    }
    for (const site of sites) {
      const lockId = `${site.bucket}/${key}${DIGEST_SUFFIX}`;
      const current = (await readLockItem(site, state.lockTableName, lockId))?.Digest?.S;
      if (current !== digests[0]) {
        digestFixes.push({ key, site: site.site, region: site.region, lockId, current, wanted: digests[0]! });
      }
    }
  }

  const staleLockFiles: StaleLockFile[] = [];
  for (const [i, site] of sites.entries()) {
    for (const objectKey of listed[i]!.filter((key) => key.endsWith(LOCK_FILE_SUFFIX))) {
      const stateOf = objectKey.slice(0, -LOCK_FILE_SUFFIX.length);
      // A lock file next to a held lock belongs to that run; every run takes both locks.
      if (heldLocks.some((lock) => lock.key === stateOf)) {
        continue;
      }
      const bytes = await readObject(site, objectKey);
      staleLockFiles.push({
        site: site.site,
        bucket: site.bucket,
        region: site.region,
        objectKey,
        holder: bytes ? describeLockInfo(new TextDecoder().decode(bytes)) : "already gone",
      });
    }
  }
  return { keys, heldLocks, pending, digestFixes, staleLockFiles };
}

/** Writes a digest item as Terraform's `putMD5` does. */
export async function writeDigest(state: StateConfig, clients: SiteClientFactory, fix: DigestFix): Promise<void> {
  await clients(fix.region).dynamodb.send(
    new PutItemCommand({ TableName: state.lockTableName, Item: { LockID: { S: fix.lockId }, Digest: { S: fix.wanted } } }),
  );
}

/** Deletes a stale lock file (a delete marker: the bucket is versioned, so the file stays recoverable). */
export async function deleteLockFile(clients: SiteClientFactory, file: StaleLockFile): Promise<void> {
  await clients(file.region).s3.send(new DeleteObjectCommand({ Bucket: file.bucket, Key: file.objectKey }));
}
