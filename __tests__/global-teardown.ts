import { existsSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { BUILT_IN_SYNTH_DIR_VARIABLE, BUILT_IN_SYNTH_DONE_VARIABLE } from "./built-in-synth";

export default function globalTeardown(): void {
  const outdir = process.env[BUILT_IN_SYNTH_DIR_VARIABLE];
  if (outdir) {
    // A run that needed no synthesis can end before it does: let it finish writing first.
    const done = process.env[BUILT_IN_SYNTH_DONE_VARIABLE];
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    for (const deadline = Date.now() + 180_000; done && !existsSync(done) && Date.now() < deadline; ) {
      Atomics.wait(sleeper, 0, 0, 25);
    }
    // The synthesis directory sits in its own temporary directory (the working directory of the synth).
    rmSync(dirname(outdir), { recursive: true, force: true });
  }
}
