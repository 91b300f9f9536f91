import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, Testing } from "cdktf";
import { emptyStack, policyStatements, resourcesOf, synthJson, type Block } from "../../../test-support/fixture";
import { StateBackend, type StateAccessGrant, type StateBackendProps } from "..";
import { StateBackendExample } from "./usage";

const ACCOUNT = "111111111111";

const grant = (environment: string, overrides: Partial<StateAccessGrant> = {}): StateAccessGrant => ({
  environment,
  writerRoleName: `app-${environment}-state-writer`,
  readerRoleName: `app-${environment}-state-reader`,
  deployRoleArn: `arn:aws:iam::222222222222:role/app-${environment}-deploy`,
  planRoleArn: `arn:aws:iam::222222222222:role/app-${environment}-plan`,
  ownKeyPrefix: `app/${environment}/`,
  otherKeysRead: [],
  ...overrides,
});

/** GIVEN a stack with a home (eu-west-1) and a replica (eu-central-1) provider WHEN the backend is built with `props` THEN the stack and its JSON. */
function build(props: Partial<StateBackendProps> = {}) {
  const stack = emptyStack();
  const primaryProvider = new AwsProvider(stack, "primary", { region: "eu-west-1", alias: "primary" });
  const replicaProvider = new AwsProvider(stack, "replica", { region: "eu-central-1", alias: "replica" });
  const backend = new StateBackend(stack, "state", {
    accountId: ACCOUNT,
    bucketName: "app-tfstate",
    replicaBucketName: "app-tfstate-eu-central-1",
    lockTableName: "app-locks",
    primaryProvider,
    replicaProvider,
    replicaRegion: "eu-central-1",
    ...props,
  });
  return { stack, backend };
}
const synth = (props: Partial<StateBackendProps> = {}) => synthJson(build(props).stack);
const byProvider = (blocks: Block[]) => Object.fromEntries(blocks.map((b) => [b.provider as string, b]));

describe("StateBackend", () => {
  test("with the required props: a multi-Region key aliased after the bucket, its replica in the replica region", () => {
    const json = synth();
    expect(resourcesOf(json, "aws_kms_key")).toEqual([expect.objectContaining({ multi_region: true, provider: "aws.primary" })]);
    expect(resourcesOf(json, "aws_kms_replica_key")).toEqual([expect.objectContaining({ provider: "aws.replica" })]);
    expect(resourcesOf(json, "aws_kms_alias").map((a) => a.name)).toEqual(["alias/app-tfstate", "alias/app-tfstate"]);
  });

  test("a bucket per region, each encrypted with its region's key, old versions kept 90 days by default", () => {
    const json = synth();
    expect(resourcesOf(json, "aws_s3_bucket").map((b) => [b.bucket, b.provider])).toEqual([
      ["app-tfstate", "aws.primary"],
      ["app-tfstate-eu-central-1", "aws.replica"],
    ]);
    const encryption = byProvider(resourcesOf(json, "aws_s3_bucket_server_side_encryption_configuration"));
    const keyOf = (b: Block) => ((b.rule as Block[])[0]!.apply_server_side_encryption_by_default as Block).kms_master_key_id;
    expect(keyOf(encryption["aws.primary"]!)).toMatch(/^\$\{aws_kms_key\./);
    expect(keyOf(encryption["aws.replica"]!)).toMatch(/^\$\{aws_kms_replica_key\./);
    resourcesOf(json, "aws_s3_bucket_lifecycle_configuration").forEach((l) =>
      expect(l.rule).toContainEqual(expect.objectContaining({ noncurrent_version_expiration: [{ noncurrent_days: 90 }] })),
    );
  });

  test("noncurrentVersionRetentionDays sets how long both buckets keep old versions", () => {
    resourcesOf(synth({ noncurrentVersionRetentionDays: 30 }), "aws_s3_bucket_lifecycle_configuration").forEach((l) =>
      expect(l.rule).toContainEqual(expect.objectContaining({ noncurrent_version_expiration: [{ noncurrent_days: 30 }] })),
    );
  });

  test("replication runs both ways with one role, each direction re-encrypting with the destination's key", () => {
    const json = synth();
    const rules = byProvider(resourcesOf(json, "aws_s3_bucket_replication_configuration"));
    const destination = (b: Block) => (b.rule as Block[])[0]!.destination as Block;
    expect(destination(rules["aws.primary"]!)).toMatchObject({ bucket: expect.stringContaining("replica-bucket"), encryption_configuration: { replica_kms_key_id: expect.stringContaining("aws_kms_replica_key") } });
    expect(destination(rules["aws.replica"]!)).toMatchObject({ encryption_configuration: { replica_kms_key_id: expect.stringContaining("aws_kms_key.") } });
    expect(new Set(Object.values(rules).map((r) => r.role)).size).toBe(1);
    expect(policyStatements(json, "replication-trust")[0]!.principals).toEqual([{ type: "Service", identifiers: ["s3.amazonaws.com"] }]);
  });

  test("the lock table is a global table keyed by LockID, its replica in replicaRegion with the replica key", () => {
    expect(resourcesOf(synth(), "aws_dynamodb_table")).toEqual([
      expect.objectContaining({
        name: "app-locks",
        hash_key: "LockID",
        replica: [expect.objectContaining({ region_name: "eu-central-1", kms_key_arn: expect.stringContaining("aws_kms_replica_key") })],
      }),
    ]);
  });

  test("without access: no state-access roles, only the replication role", () => {
    const { stack, backend } = build();
    expect(backend.accessRoles.size).toBe(0);
    expect(resourcesOf(synthJson(stack), "aws_iam_role")).toEqual([expect.objectContaining({ name_prefix: "tfstate-replication-" })]);
  });

  describe("access", () => {
    const json = synth({ access: [grant("dev"), grant("prod", { otherKeysRead: ["app/dev/network.tfstate"] })] });
    const roleNames = resourcesOf(json, "aws_iam_role").map((r) => r.name).filter((n) => n !== undefined);
    const trusted = (idPart: string) => policyStatements(json, `${idPart}-trust`).flatMap((s) => s.principals!.flatMap((p) => p.identifiers));
    const sids = (idPart: string) => Object.fromEntries(policyStatements(json, `${idPart}-permissions`).map((s) => [s.sid, s]));
    const replicaTableArn = `:dynamodb:eu-central-1:${ACCOUNT}:table/app-locks`;

    test("each grant gets a writer and a reader with the given names, in the home region", () => {
      expect(roleNames.sort()).toEqual(["app-dev-state-reader", "app-dev-state-writer", "app-prod-state-reader", "app-prod-state-writer"]);
      resourcesOf(json, "aws_iam_role").forEach((r) => expect(r.provider).toBe("aws.primary"));
    });

    test("the writer trusts the deploy role; the reader the deploy and the plan role", () => {
      expect(trusted("access-dev-writer")).toEqual(["arn:aws:iam::222222222222:role/app-dev-deploy"]);
      expect(trusted("access-dev-reader")).toEqual(["arn:aws:iam::222222222222:role/app-dev-deploy", "arn:aws:iam::222222222222:role/app-dev-plan"]);
    });

    test("the writer reads and writes ownKeyPrefix on both sites, and locks only its own items in both tables", () => {
      const writer = sids("access-dev-writer");
      expect(writer.ReadWriteOwnState!.resources).toEqual([expect.stringMatching(/aws_s3_bucket\.state_bucket_.*\/app\/dev\/\*$/), expect.stringMatching(/replica-bucket.*\/app\/dev\/\*$/)]);
      expect(writer.OwnLockAndDigestItems).toMatchObject({
        resources: [expect.stringContaining("aws_dynamodb_table."), expect.stringContaining(replicaTableArn)],
        condition: [{ test: "ForAllValues:StringLike", variable: "dynamodb:LeadingKeys", values: ["app-tfstate/app/dev/*", "app-tfstate-eu-central-1/app/dev/*"] }],
      });
    });

    test("otherKeysRead adds a read of exactly those keys to the reader, on both sites; without it there is none", () => {
      expect(sids("access-dev-reader").ReadStatesReadByItsStacks).toBeUndefined();
      expect(sids("access-prod-reader").ReadStatesReadByItsStacks!.resources).toEqual([
        expect.stringMatching(/state_bucket_.*\/app\/dev\/network\.tfstate$/),
        expect.stringMatching(/replica-bucket.*\/app\/dev\/network\.tfstate$/),
      ]);
    });

    test("accessRoles holds each grant's roles by its environment key", () => {
      const { stack, backend } = build({ access: [grant("dev")] });
      new TerraformOutput(stack, "writer", { value: backend.accessRoles.get("dev")!.writer.name });
      expect(synthJson(stack).output!.writer!.value).toMatch(/^\$\{aws_iam_role\.state_access-dev-writer_\w+\.name\}$/);
    });
  });

  describe("refusals", () => {
    test("replicaBucketName equal to bucketName", () => {
      expect(() => build({ replicaBucketName: "app-tfstate" })).toThrow(
        'StateBackend "state": replicaBucketName = "app-tfstate" must differ from bucketName: replication needs a second bucket, and S3 bucket names are global',
      );
    });

    test("two grants with the same environment", () => {
      expect(() => build({ access: [grant("dev"), grant("prod"), grant("dev")] })).toThrow(
        'StateBackend "state": access[2].environment = "dev" repeats access[0].environment: each grant\'s roles are keyed by it in accessRoles',
      );
    });

    test("noncurrentVersionRetentionDays that is not a positive whole number (HardenedBucket's rule)", () => {
      expect(() => build({ noncurrentVersionRetentionDays: 0 })).toThrow('HardenedBucket "app-tfstate": noncurrentVersionRetentionDays = 0 must be a positive integer (days)');
    });
  });

  test("the README's usage example synthesizes (snapshot)", () => {
    expect(synthJson(new StateBackendExample(Testing.app(), "example"))).toMatchSnapshot();
  });
});
