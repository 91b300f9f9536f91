/**
 * `npm run graph`: draw the stacks of the catalogue (the built-in one, or the file `CATALOGUE`
 * names) as a Mermaid flowchart, from what the synth writes (stacks, their resources, cdktf's
 * dependencies), into docs/stacks.md between `<!-- graph:start -->` and `<!-- graph:end -->`.
 *
 *   npm run graph                          # synthesize into a temp dir, rewrite docs/stacks.md's block
 *   npm run graph -- --check               # exit 1 when docs/stacks.md's block is not what the synth draws
 *   npm run graph -- --stdout              # print the diagram only
 *   npm run graph -- --outdir cdktf.out    # draw an existing synth instead of synthesizing
 *   npm run graph -- --doc <file>          # another file with the markers
 */
import { join } from "node:path";
import { runMarkedBlockScript, type MarkedBlockCommand } from "../src/docs/marked-block-command";
import { renderMermaid } from "../src/graph/mermaid";
import { GRAPH_BLOCK } from "../src/graph/graph-block";
import { readStackGraph } from "../src/graph/stack-graph";
import { withFreshSynth } from "./fresh-synth";

/** `npm run graph`; exported for its test, which runs it in-process (the script runs only as the main module). */
export const GRAPH_COMMAND: MarkedBlockCommand = {
  command: "graph",
  what: "the stack graph",
  block: GRAPH_BLOCK,
  documentFlag: "doc",
  defaultDocument: join(__dirname, "..", "docs", "stacks.md"),
  render: async (outdir) => renderMermaid(outdir === undefined ? await withFreshSynth((fresh) => readStackGraph(fresh)) : readStackGraph(outdir)),
};

if (require.main === module) {
  void runMarkedBlockScript(GRAPH_COMMAND);
}
