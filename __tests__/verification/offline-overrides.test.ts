import { deferEphemeralResources, offlineOverrides } from "../../src/verification/offline-overrides";
import { offlineBlocker, readSynthesizedStacks, type TerraformJson } from "../../src/verification/synthesized-stacks";
import { synthStacks } from "../helpers";
import { synthFixtureApp } from "./fixtures";

const stacks = readSynthesizedStacks(synthFixtureApp());
const stack = (name: string) => stacks.find((s) => s.name === name)!;

describe("offline overrides", () => {
  test("replace the backend with a local one and give every AWS provider fake credentials and skip flags", () => {
    const overrides = offlineOverrides(stack("producer"), stacks);
    expect(overrides.terraform).toEqual({ backend: { local: { path: "terraform.tfstate" } } });
    expect(overrides.provider!.aws).toEqual([
      expect.objectContaining({ skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true, access_key: expect.any(String) }),
    ]);
  });

  test("answer cross-stack reads with placeholders shaped like the producer's outputs", () => {
    const overrides = offlineOverrides(stack("consumer"), stacks);
    const [remote] = Object.values(overrides.data!.terraform_remote_state!);
    expect(remote).toMatchObject({ backend: "local", config: { path: "offline-remote-state.tfstate" } });
    const defaults = remote!.defaults as Record<string, unknown>;
    const values = Object.values(defaults);
    expect(values).toContainEqual(expect.any(String));
    expect(values).toContainEqual([expect.any(String), expect.any(String), expect.any(String)]);
  });

  test("a read of a local-backend producer (cdktf's default backend) is shaped by the producer's output too", () => {
    // GIVEN two stacks of an app without a backend: cdktf writes local state and reads it by path
    const statePath = "/apps/example/terraform.producer.tfstate";
    const producer = {
      name: "producer",
      directory: "/apps/example/cdktf.out/stacks/producer",
      providers: ["aws"],
      dependencies: [],
      config: {
        terraform: { backend: { local: { path: statePath } } },
        provider: { aws: [{ region: "eu-west-1" }] },
        output: { "cross-stack-output-aws_kms_keydata_keyarn": { value: "${aws_kms_key.data_key.arn}" } },
      },
    };
    const consumer = {
      name: "consumer",
      directory: "/apps/example/cdktf.out/stacks/consumer",
      providers: ["aws"],
      dependencies: ["producer"],
      config: {
        data: { terraform_remote_state: { producer: { backend: "local", config: { path: statePath } } } },
        resource: { aws_rds_cluster: { db: { kms_key_id: "${data.terraform_remote_state.producer.outputs.cross-stack-output-aws_kms_keydata_keyarn}" } } },
      },
    };
    // WHEN the consumer's overrides are written
    const [remote] = Object.values(offlineOverrides(consumer, [consumer, producer]).data!.terraform_remote_state!);
    // THEN the placeholder is a KMS key ARN of the producer's region, which the provider accepts as kms_key_id
    expect((remote!.defaults as Record<string, unknown>)["cross-stack-output-aws_kms_keydata_keyarn"]).toMatch(/^arn:aws:kms:eu-west-1:\d{12}:key\//);
  });

  test("aliases keep their alias so each aliased provider gets its own fake credentials", () => {
    const json = { ...stack("producer"), config: { ...stack("producer").config, provider: { aws: [{ region: "us-east-1" }, { alias: "secondary", region: "eu-west-1" }] } } };
    expect(offlineOverrides(json, stacks).provider!.aws!.map((p) => p.alias)).toEqual([undefined, "secondary"]);
  });

  test("a stack using the kubernetes provider is named as not plannable offline, with the reason", () => {
    expect(offlineBlocker(stack("in-cluster"))).toMatch(/^uses provider kubernetes, which has no offline binary/);
    expect(offlineBlocker(stack("producer"))).toBeUndefined();
  });
});

type EphemeralBlocks = Record<string, Record<string, Record<string, unknown>>>;
const ephemeralOf = (config: TerraformJson | undefined): EphemeralBlocks | undefined => (config as { ephemeral?: EphemeralBlocks } | undefined)?.ephemeral;

const DEFERRED = /^\$\{timestamp\(\) != "" \? jsondecode\((".*")\) : null\}$/s;

/** The original value a deferred argument carries: the JSON literal inside its `jsondecode(...)`. */
function carriedValue(expression: unknown): unknown {
  expect(expression).toEqual(expect.stringMatching(DEFERRED));
  const literal = DEFERRED.exec(expression as string)![1]!;
  return JSON.parse(JSON.parse(literal) as string);
}

describe("deferring ephemeral blocks", () => {
  const withEphemeral = (): TerraformJson =>
    ({
      provider: { aws: [{ region: "us-east-1" }, { alias: "secondary", region: "eu-west-1" }] },
      resource: { aws_db_instance: { writer: { identifier: "w", password_wo: "${ephemeral.aws_secretsmanager_secret_version.master.secret_string}" } } },
      data: { aws_partition: { partition: {} } },
      ephemeral: {
        aws_secretsmanager_secret_version: {
          master: { provider: "aws.secondary", secret_id: "meridian/production/aurora/master", version_stage: "AWSCURRENT" },
        },
        random_password: {
          generated: { depends_on: ["aws_db_instance.writer"], length: 32, override_special: "!#%" },
        },
        aws_kms_secrets: {
          secrets: { secret: [{ name: "a", payload: "c2VjcmV0\"quoted\"" }], provider: "aws" },
        },
      },
    }) as TerraformJson;

  test("returns undefined for a stack without ephemeral blocks", () => {
    expect(deferEphemeralResources({ resource: { aws_s3_bucket: { b: { bucket: "b" } } } })).toBeUndefined();
    expect(deferEphemeralResources(stack("producer").config)).toBeUndefined();
  });

  test("makes the first argument of every ephemeral block unknown at plan time, still carrying its value", () => {
    // GIVEN a configuration with ephemeral blocks of several types
    const config = withEphemeral();

    // WHEN it is deferred
    const deferred = ephemeralOf(deferEphemeralResources(config))!;

    // THEN each block's first argument is a timestamp() expression that decodes to the original value
    const master = deferred.aws_secretsmanager_secret_version!.master!;
    expect(master.secret_id).toEqual(expect.stringContaining("timestamp()"));
    expect(carriedValue(master.secret_id)).toBe("meridian/production/aurora/master");
    const generated = deferred.random_password!.generated!;
    expect(carriedValue(generated.length)).toBe(32);
    const secrets = deferred.aws_kms_secrets!.secrets!;
    expect(carriedValue(secrets.secret)).toEqual([{ name: "a", payload: 'c2VjcmV0"quoted"' }]);
  });

  test("escapes template sequences so a carried value stays literal in HCL", () => {
    // GIVEN an ephemeral argument whose value looks like an interpolation
    const config = { ephemeral: { aws_ssm_parameter: { p: { name: "/app/${literal}/%{if}" } } } } as unknown as TerraformJson;
    // WHEN it is deferred
    const name = ephemeralOf(deferEphemeralResources(config))!.aws_ssm_parameter!.p!.name as string;
    // THEN Terraform sees escaped sequences ($${ and %%{), not an interpolation or a directive
    expect(name).toContain("/app/$${literal}/%%{if}");
    expect(name.replace(/\$\$\{/g, "").replace(/^\$\{/, "")).not.toContain("${");
  });

  test("keeps provider, meta-arguments and every other argument as they were", () => {
    const deferred = ephemeralOf(deferEphemeralResources(withEphemeral()))!;
    expect(deferred.aws_secretsmanager_secret_version!.master).toEqual({ provider: "aws.secondary", secret_id: expect.any(String), version_stage: "AWSCURRENT" });
    expect(deferred.random_password!.generated).toEqual({ depends_on: ["aws_db_instance.writer"], length: expect.any(String), override_special: "!#%" });
    expect(deferred.aws_kms_secrets!.secrets!.provider).toBe("aws");
  });

  test("leaves resources, data sources and providers untouched", () => {
    const config = withEphemeral();
    const deferred = deferEphemeralResources(config)!;
    expect(deferred.resource).toEqual(config.resource);
    expect(deferred.data).toEqual(config.data);
    expect(deferred.provider).toEqual(config.provider);
  });

  test("does not mutate its input", () => {
    // GIVEN a configuration and a copy of it
    const config = withEphemeral();
    const before = structuredClone(config);

    // WHEN it is deferred
    const deferred = deferEphemeralResources(config);

    // THEN the input is unchanged and the result is a different object
    expect(config).toEqual(before);
    expect(deferred).not.toBe(config);
    expect(ephemeralOf(deferred)).not.toBe(ephemeralOf(config));
  });

  test("throws naming the block when a block has no argument that could be made unknown", () => {
    const config = { ephemeral: { aws_secretsmanager_secret_version: { empty: { provider: "aws", depends_on: ["x.y"] } } } } as TerraformJson;
    expect(() => deferEphemeralResources(config)).toThrow(
      "ephemeral.aws_secretsmanager_secret_version.empty has no argument that could be made unknown; the offline harness cannot defer it",
    );
  });
});

describe("deferring the platform's ephemeral blocks", () => {
  const platform = synthStacks();
  const config = (name: string) => platform.get(name) as unknown as TerraformJson;

  test("the writer's regional stack reads the master secret through an ephemeral block, which gets deferred", () => {
    // GIVEN the production writer's regional stack, which reads the master secret ephemerally
    const original = ephemeralOf(config("production-regional-us-east-1"))!;
    expect(Object.keys(original.aws_secretsmanager_secret_version ?? {})).toHaveLength(1);

    // WHEN it is deferred
    const deferred = ephemeralOf(deferEphemeralResources(config("production-regional-us-east-1")))!;

    // THEN the secret id is unknown at plan time but still names the master secret
    const [block] = Object.values(deferred.aws_secretsmanager_secret_version!);
    expect(carriedValue(block!.secret_id)).toBe("meridian/production/aurora/master");
    const [name] = Object.keys(original.aws_secretsmanager_secret_version!);
    expect(Object.keys(deferred.aws_secretsmanager_secret_version!)).toEqual([name]);
  });

  test("the reader's regional stack has no ephemeral block, so nothing is deferred", () => {
    expect(ephemeralOf(config("production-regional-eu-west-1"))).toBeUndefined();
    expect(deferEphemeralResources(config("production-regional-eu-west-1"))).toBeUndefined();
  });
});
