import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Catalogue } from "../src/config/schema";
import { leanSynthTraces } from "../src/synth-traces";

/**
 * Synthesizes the configured catalogue (the built-in one, or the file `CATALOGUE` names) as
 * `main.ts` does, into a temporary directory that `read` may use until it returns. The app's
 * modules (cdktf, the providers) load only here, so a command given `--outdir` stays fast.
 */
export async function withFreshSynth<T>(read: (outdir: string, catalogue: Catalogue) => T): Promise<T> {
  leanSynthTraces();
  const [{ loadConfiguredCatalogue }, { buildPlatformApp }] = await Promise.all([import("../src/config/catalogue-source"), import("../stacks/platform-app")]);
  const { catalogue, warnings } = loadConfiguredCatalogue();
  warnings.forEach((warning) => console.error(`warning: ${warning}`));
  const outdir = mkdtempSync(join(tmpdir(), "meridian-synth-"));
  try {
    buildPlatformApp(catalogue, { outdir }).synth();
    return read(outdir, catalogue);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
