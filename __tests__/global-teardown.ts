import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { BUILT_IN_SYNTH_DIR_VARIABLE } from "./built-in-synth";

export default function globalTeardown(): void {
  const outdir = process.env[BUILT_IN_SYNTH_DIR_VARIABLE];
  if (outdir) {
    // The synthesis directory sits in its own temporary directory (the working directory of the synth).
    rmSync(dirname(outdir), { recursive: true, force: true });
  }
}
