import { markedBlock } from "../docs/marked-block";

/** The generated picture in docs/stacks.md, as a fenced `mermaid` block between its markers. */
export const GRAPH_BLOCK = markedBlock("graph", (mermaid) => `\n\`\`\`mermaid\n${mermaid}\`\`\`\n`);
