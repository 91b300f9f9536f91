import { rmSync } from "node:fs";
import { BUILT_IN_SYNTH_DIR_VARIABLE } from "./helpers";

export default function globalTeardown(): void {
  const outdir = process.env[BUILT_IN_SYNTH_DIR_VARIABLE];
  if (outdir) {
    rmSync(outdir, { recursive: true, force: true });
  }
}
