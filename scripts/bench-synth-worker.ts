/**
 * One measured synthesis in a fresh process (started by scripts/bench.ts): loads the code,
 * builds the app for BENCH_ENVIRONMENTS generated environments (or the built-in catalogue),
 * synthesizes into BENCH_OUTDIR and prints one JSON line of timings.
 */
import { BUILT_IN_CATALOGUE } from "../src/config/catalogue";
import { generatedEnvironment } from "../src/config/generated-environments";
import { loadCatalogue } from "../src/config/load";
import { leanSynthTraces } from "../src/synth-traces";
import { buildPlatformApp } from "../stacks/platform-app";

// performance.now() counts from process start: this is node + tsx start-up + module loading.
const loaded = performance.now();
// As main.ts does: no formatted traces for cdktf's tokens.
leanSynthTraces();
const count = Number(process.env.BENCH_ENVIRONMENTS ?? "0");
const raw = structuredClone(BUILT_IN_CATALOGUE);
if (count > 0) {
  // N copies of the staging environment, each with its own pair of VPC slots.
  const template = raw.environments[0]!;
  raw.environments = Array.from({ length: count }, (_, i) => generatedEnvironment(template, { name: `env${i}`, firstVpcSlot: 2 * i }));
  // The teams' projects span every generated environment, as they span staging and production.
  const projects = raw.gitopsHub.projects.map((project) => ({ ...project, environments: raw.environments.map((env) => env.name) }));
  raw.gitopsHub = { ...raw.gitopsHub, environment: "env0", region: template.primaryRegion, projects };
}
const { catalogue } = loadCatalogue(raw);
const app = buildPlatformApp(catalogue, { outdir: process.env.BENCH_OUTDIR ?? "cdktf.out.bench" });
app.synth();
const done = performance.now();
console.log(
  JSON.stringify({
    environments: catalogue.environments.length,
    stacks: app.node.children.length,
    loadMs: Math.round(loaded),
    synthMs: Math.round(done - loaded),
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
