/**
 * A generated part of a document, kept between two HTML comment markers
 * (`<!-- <name>:start -->` … `<!-- <name>:end -->`) so a command can rewrite it and a test can
 * tell when it is stale. The stack picture (docs/stacks.md) and the region-down map are such blocks.
 */
export interface MarkedBlock {
  readonly start: string;
  readonly end: string;
  /** What belongs between the markers for `content`. */
  block(content: string): string;
  /** The text between the markers; throws unless each marker appears exactly once, start before end. */
  current(document: string): string;
  /** `document` with the text between the markers replaced by `block(content)`; nothing else changes. */
  replace(document: string, content: string): string;
}

/** The block named `name`; `wrap` turns the generated content into what sits between the markers. */
export function markedBlock(name: string, wrap: (content: string) => string = (content) => `\n${content}`): MarkedBlock {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const current = (document: string): string => {
    const from = document.indexOf(start);
    const to = document.indexOf(end);
    if (from < 0 || to < 0 || to < from || document.indexOf(start, from + 1) >= 0 || document.indexOf(end, to + 1) >= 0) {
      throw new Error(`the document must contain ${start} and then ${end}, once each`);
    }
    return document.slice(from + start.length, to);
  };
  return {
    start,
    end,
    block: wrap,
    current,
    replace: (document, content) => {
      const existing = current(document);
      const from = document.indexOf(start) + start.length;
      return `${document.slice(0, from)}${wrap(content)}${document.slice(from + existing.length)}`;
    },
  };
}
