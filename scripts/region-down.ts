/**
 * `npm run region-down`: the "what still works when a region is down" map of the catalogue (the
 * built-in one, or the file `CATALOGUE` names), from what the synth writes, into
 * docs/region-down.md between `<!-- region-down:start -->` and `<!-- region-down:end -->`.
 *
 *   npm run region-down                          # synthesize into a temp dir, rewrite the block
 *   npm run region-down -- --check               # exit 1 when the block is not what the synth gives
 *   npm run region-down -- --stdout              # print the map only
 *   npm run region-down -- --outdir cdktf.out    # map an existing synth instead of synthesizing
 */
import { join } from "node:path";
import { loadConfiguredCatalogue } from "../src/config/catalogue-source";
import { runMarkedBlockScript, type MarkedBlockCommand } from "../src/docs/marked-block-command";
import { REGION_DOWN_BLOCK, regionDownMap, renderRegionDownMarkdown } from "../src/operations/region-evacuation/region-down-map";
import { readSynthesizedStacks } from "../src/verification/synthesized-stacks";
import { withFreshSynth } from "./fresh-synth";

/** `npm run region-down`; exported for its test, which runs it in-process (the script runs only as the main module). */
export const REGION_DOWN_COMMAND: MarkedBlockCommand = {
  command: "region-down",
  what: "the region-down map",
  block: REGION_DOWN_BLOCK,
  documentFlag: "doc",
  defaultDocument: join(__dirname, "..", "docs", "region-down.md"),
  render: async (outdir) =>
    outdir === undefined
      ? withFreshSynth((fresh, catalogue) => renderRegionDownMarkdown(regionDownMap(readSynthesizedStacks(fresh), catalogue)))
      : renderRegionDownMarkdown(regionDownMap(readSynthesizedStacks(outdir), loadConfiguredCatalogue().catalogue)),
};

if (require.main === module) {
  void runMarkedBlockScript(REGION_DOWN_COMMAND);
}
