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
import { runMarkedBlockCommand } from "../src/docs/marked-block-command";
import { renderMermaid } from "../src/graph/mermaid";
import { GRAPH_BLOCK } from "../src/graph/graph-block";
import { readStackGraph } from "../src/graph/stack-graph";
import { withFreshSynth } from "./fresh-synth";

runMarkedBlockCommand(process.argv.slice(2), {
  command: "graph",
  what: "the stack graph",
  block: GRAPH_BLOCK,
  documentFlag: "doc",
  defaultDocument: join(__dirname, "..", "docs", "stacks.md"),
  render: async (outdir) => renderMermaid(outdir === undefined ? await withFreshSynth((fresh) => readStackGraph(fresh)) : readStackGraph(outdir)),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    // An invalid catalogue's message names every problem; anything that stopped the drawing is 2.
    console.error(error.name === "ConfigError" ? error.message : `graph: ${error.message}`);
    process.exitCode = 2;
  },
);
