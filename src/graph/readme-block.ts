/** The generated picture in README.md sits between these markers, as a fenced `mermaid` block. */
export const GRAPH_START = "<!-- graph:start -->";
export const GRAPH_END = "<!-- graph:end -->";

/** What belongs between the markers for a rendered diagram (which ends with a newline). */
export function graphBlock(mermaid: string): string {
  return `\n\`\`\`mermaid\n${mermaid}\`\`\`\n`;
}

/** The text between the markers; throws unless each marker appears exactly once, start before end. */
export function currentGraphBlock(readme: string): string {
  const start = readme.indexOf(GRAPH_START);
  const end = readme.indexOf(GRAPH_END);
  if (start < 0 || end < 0 || end < start || readme.indexOf(GRAPH_START, start + 1) >= 0 || readme.indexOf(GRAPH_END, end + 1) >= 0) {
    throw new Error(`README.md must contain ${GRAPH_START} and then ${GRAPH_END}, once each`);
  }
  return readme.slice(start + GRAPH_START.length, end);
}

/** The README with the block between the markers replaced by the diagram; nothing else changes. */
export function withGraphBlock(readme: string, mermaid: string): string {
  const current = currentGraphBlock(readme);
  const start = readme.indexOf(GRAPH_START) + GRAPH_START.length;
  return `${readme.slice(0, start)}${graphBlock(mermaid)}${readme.slice(start + current.length)}`;
}
