import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing, type TerraformStack } from "cdktf";
import { buildPlatformApp } from "../../stacks/platform-app";
import { PLAN_ROLE_HINT } from "../../src/state/s3-backend";
import { stateAccessOf } from "../../src/state/state-access";
import { BOOTSTRAP_LOCAL_STATE_PATH } from "../../stacks/state-bootstrap-stack";
import { BUILT_IN_SYNTH_DIR_VARIABLE, synthStacks, validCatalogue, type SynthesizedJson } from "../helpers";

const stacks = synthStacks();

describe("every stack", () => {
  test("the built-in catalogue yields the bootstrap, and per environment a global-database stack, one regional and one platform stack per region, an edge stack, a hub link per spoke, and the hub network in the hub's environment", () => {
    expect([...stacks.keys()].sort()).toEqual([
      "production-edge",
      "production-global-database",
      "production-hub-link-eu-west-1",
      "production-hub-network",
      "production-platform-eu-west-1",
      "production-platform-us-east-1",
      "production-regional-eu-west-1",
      "production-regional-us-east-1",
      "staging-edge",
      "staging-global-database",
      "staging-hub-link-us-east-1",
      "staging-hub-link-us-west-2",
      "staging-platform-us-east-1",
      "staging-platform-us-west-2",
      "staging-regional-us-east-1",
      "staging-regional-us-west-2",
      "state-bootstrap",
    ]);
  });

  const awsStacks = [...stacks.keys()].filter((name) => !name.includes("-platform-"));

  test.each(awsStacks)("%s pins hashicorp/aws to 5.100.0, the version the bindings were generated for", (name) => {
    expect(stacks.get(name)!.terraform.required_providers.aws).toEqual({ source: "aws", version: "5.100.0" });
  });

  test.each(awsStacks)("%s: every AWS provider guards its account and tags ownership", (name) => {
    const providers = stacks.get(name)!.provider.aws!;
    expect(providers.length).toBeGreaterThan(0);
    for (const provider of providers) {
      expect(provider.allowed_account_ids).toHaveLength(1);
      const tags = (provider.default_tags as { tags: Record<string, string> }[])[0]!.tags;
      expect(Object.keys(tags)).toEqual(expect.arrayContaining(["environment", "project", "owner", "managed-by"]));
      expect(tags["managed-by"]).toBe("cdktf");
    }
  });
});

describe("S3 backend", () => {
  const environmentStacks = [...stacks.entries()].filter(([name]) => name !== "state-bootstrap");

  test.each(environmentStacks)("%s stores state under <project>/<environment>/<stack>.tfstate with both locks, the state key, through its environment's state writer", (name, json) => {
    const environment = name.split("-")[0];
    expect(json.terraform.backend).toEqual({
      s3: {
        bucket: "meridian-tfstate-111111111111",
        key: `meridian/${environment}/${name}.tfstate`,
        region: "us-east-1",
        dynamodb_table: "meridian-terraform-locks",
        use_lockfile: true,
        encrypt: true,
        kms_key_id: "arn:aws:kms:us-east-1:111111111111:alias/meridian-tfstate-111111111111",
        assume_role: { role_arn: `arn:aws:iam::111111111111:role/meridian-${environment}-state-writer` },
      },
    });
  });

  test("the synthesized backend names the environment's state reader for the pull-request plan, in a comment property Terraform ignores", () => {
    // Raw cdk.tf.json (the helpers drop `//`).
    const outdir = process.env[BUILT_IN_SYNTH_DIR_VARIABLE]!;
    const raw = JSON.parse(readFileSync(join(outdir, "stacks", "staging-regional-us-east-1", "cdk.tf.json"), "utf8")) as { terraform: { backend: { s3: Record<string, unknown> } } };
    const backend = raw.terraform.backend.s3;
    expect(backend["//"]).toEqual({ [PLAN_ROLE_HINT]: "arn:aws:iam::111111111111:role/meridian-staging-state-reader" });
  });

  test.each(environmentStacks)("%s reads every remote state through its own environment's state reader, and only keys that reader is granted", (name, json) => {
    const environment = name.split("-")[0]!;
    const access = stateAccessOf(validCatalogue()).find((a) => a.environment === environment)!;
    for (const read of Object.values((json.data?.terraform_remote_state ?? {}) as Record<string, { config: { key: string; assume_role: unknown; dynamodb_table?: string } }>)) {
      expect(read.config.assume_role).toEqual({ role_arn: `arn:aws:iam::111111111111:role/meridian-${environment}-state-reader` });
      expect(read.config.key.startsWith(access.ownKeyPrefix) || access.otherKeysRead.includes(read.config.key)).toBe(true);
    }
  });

  test("the reader grants cover exactly the other environments' keys the stacks read: the hub reads every regional state, spokes the hub network", () => {
    const readKeys = (environment: string) =>
      [...stacks.entries()]
        .filter(([name]) => name.startsWith(`${environment}-`))
        .flatMap(([, json]) => Object.values((json.data?.terraform_remote_state ?? {}) as Record<string, { config: { key: string } }>).map((r) => r.config.key))
        .filter((key) => !key.startsWith(`meridian/${environment}/`));
    for (const access of stateAccessOf(validCatalogue())) {
      expect([...new Set(readKeys(access.environment))].sort()).toEqual(access.otherKeysRead);
    }
    expect(stateAccessOf(validCatalogue()).find((a) => a.environment === "staging")!.otherKeysRead).toEqual(["meridian/production/production-hub-network.tfstate"]);
  });

  test("no two stacks share a state key", () => {
    const keys = environmentStacks.map(([, json]) => json.terraform.backend.s3!.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test("the bootstrap starts on a local backend inside the project, without an absolute path", () => {
    expect(stacks.get("state-bootstrap")!.terraform.backend).toEqual({ local: { path: BOOTSTRAP_LOCAL_STATE_PATH } });
  });

  test("the bootstrap moves to the bucket it created once bootstrapBackend is s3", () => {
    const migrated = synthStacks(validCatalogue((raw) => (raw.state.bootstrapBackend = "s3"))).get("state-bootstrap")!;
    expect(migrated.terraform.backend.s3).toMatchObject({
      key: "meridian/shared/state-bootstrap.tfstate",
      use_lockfile: true,
      encrypt: true,
      kms_key_id: "arn:aws:kms:us-east-1:111111111111:alias/meridian-tfstate-111111111111",
    });
    // The bootstrap runs with the state account's own deploy role: nothing to assume.
    expect(migrated.terraform.backend.s3!.assume_role).toBeUndefined();
  });
});

describe("provider regions and aliases", () => {
  test("a regional stack has one default provider in its region, in the environment's account", () => {
    const providers = stacks.get("production-regional-eu-west-1")!.provider.aws!;
    expect(providers).toEqual([expect.objectContaining({ region: "eu-west-1", allowed_account_ids: ["333333333333"] })]);
    expect(providers[0]!.alias).toBeUndefined();
    const tags = (providers[0]!.default_tags as { tags: Record<string, string> }[])[0]!.tags;
    expect(tags).toMatchObject({ environment: "production", project: "meridian", owner: "platform-team", "cost-center": "cc-1000", "data-classification": "confidential" });
  });

  test("the bootstrap spans two regions: the home provider plus primary and secondary aliases", () => {
    const providers = stacks.get("state-bootstrap")!.provider.aws!;
    expect(providers.map((p) => [p.alias, p.region])).toEqual([
      [undefined, "us-east-1"],
      ["primary", "us-east-1"],
      ["secondary", "us-west-2"],
    ]);
    providers.forEach((p) => expect(p.allowed_account_ids).toEqual(["111111111111"]));
  });
});

describe("state outage", () => {
  test("STATE_SITE=replica points every backend at the replica bucket and region, same key and lock table", () => {
    const app = buildPlatformApp(validCatalogue(), { stateSite: "replica" });
    const regional = app.node.findChild("production-regional-us-east-1") as TerraformStack;
    const backend = (JSON.parse(Testing.synth(regional)) as SynthesizedJson).terraform.backend.s3;
    expect(backend).toMatchObject({
      bucket: "meridian-tfstate-111111111111-us-west-2",
      region: "us-west-2",
      key: "meridian/production/production-regional-us-east-1.tfstate",
      dynamodb_table: "meridian-terraform-locks",
      // The replica key carries the same alias in the replica region.
      kms_key_id: "arn:aws:kms:us-west-2:111111111111:alias/meridian-tfstate-111111111111",
      assume_role: { role_arn: "arn:aws:iam::111111111111:role/meridian-production-state-writer" },
    });
  });
});

describe("platform stacks", () => {
  const platform = [...stacks.entries()].filter(([name]) => name.includes("-platform-"));

  test.each(platform)("%s: kubernetes and helm reach the regional cluster and authenticate with aws eks get-token", (name, json) => {
    const [environment, region] = [name.split("-platform-")[0]!, name.split("-platform-")[1]!];
    const regional = `cross-stack-reference-input-${environment}-regional-${region}`;
    const exec = {
      api_version: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", `meridian-${environment}-${region}`, "--region", region, "--output", "json"],
    };
    const kubernetes = json.provider.kubernetes![0]!;
    expect(kubernetes.exec).toEqual([exec]);
    expect(kubernetes.host).toMatch(new RegExp(`^\\$\\{data\\.terraform_remote_state\\.${regional}\\.outputs\\..*endpoint\\}$`));
    expect(kubernetes.cluster_ca_certificate).toMatch(new RegExp(`^\\$\\{base64decode\\(data\\.terraform_remote_state\\.${regional}\\.outputs\\..*certificate_authority0data\\)\\}$`));
    expect(kubernetes.token).toBeUndefined();
    const helm = json.provider.helm![0]!.kubernetes as Record<string, unknown>;
    expect(helm).toEqual({ host: kubernetes.host, cluster_ca_certificate: kubernetes.cluster_ca_certificate, exec });
  });

  test.each(platform)("%s uses no AWS provider: in-cluster objects only", (_name, json) => {
    expect(json.provider.aws).toBeUndefined();
    expect(Object.keys(json.terraform.required_providers).sort()).toEqual(["helm", "kubernetes"]);
  });
});

describe("a partial synth (ENVIRONMENTS)", () => {
  test("leaves the GitOps hub's platform and network stacks out and says so, so deploying them cannot deregister the other environments' clusters", () => {
    // GIVEN only production selected
    const catalogue = validCatalogue();
    const warnings: string[] = [];
    const outdir = mkdtempSync(join(tmpdir(), "partial-"));
    // WHEN the app is built
    const app = buildPlatformApp(catalogue, { outdir, environments: catalogue.environments.filter((e) => e.name === "production"), onWarning: (m) => warnings.push(m) });
    const names = app.node.children.map((c) => c.node.id);
    rmSync(outdir, { recursive: true, force: true });
    // THEN the hub's platform stack is missing, the other production stacks are there
    expect(names).not.toContain("production-platform-us-east-1");
    expect(names).not.toContain("production-hub-network");
    expect(names).toEqual(expect.arrayContaining(["production-platform-eu-west-1", "production-regional-us-east-1", "production-hub-link-eu-west-1"]));
    expect(warnings).toEqual([
      expect.stringMatching(/^production-hub-network \(the GitOps hub's network path\) is left out: .* synthesize it without ENVIRONMENTS$/),
      expect.stringMatching(/^production-platform-us-east-1 \(the GitOps hub\) is left out: .* synthesize it without ENVIRONMENTS$/),
    ]);
  });
});
