/**
 * Just enough Markdown for the documentation checks: headings and their GitHub anchors, relative
 * links, and sections by heading. Text in fenced code blocks and code spans is neither a heading
 * nor a link.
 */

const blank = (s: string) => s.replace(/[^\n]/g, " ");

/** `text` with its fenced code blocks blanked out (same length, newlines kept), so offsets and line numbers still match. */
export function maskFences(text: string): string {
  let fence: string | undefined;
  return text
    .split("\n")
    .map((line) => {
      const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (fence === undefined) {
        fence = marker;
        return marker === undefined ? line : blank(line);
      }
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) {
        fence = undefined;
      }
      return blank(line);
    })
    .join("\n");
}

/** `text` with fenced code blocks and code spans blanked out, offsets kept. */
export function maskCode(text: string): string {
  // A code span runs from a run of backticks to the next run of the same length, within a paragraph (CommonMark).
  return maskFences(text).replace(/(?<!`)(`+)((?:[^\n]|\n(?![ \t]*\n))*?[^`])\1(?!`)/g, (span) => blank(span));
}

/** GitHub's anchor for a heading's text (github-slugger): lower case, punctuation dropped, spaces to `-`. */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // a link's text only
    .replace(/<[^>]+>/g, "") // HTML tags
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "").replace(/ /g, "-");
}

export interface Heading {
  readonly level: number;
  readonly text: string;
  /** The anchor GitHub gives it, with `-1`, `-2`, … for repeated headings. */
  readonly anchor: string;
  /** Offset of the heading line in the document. */
  readonly offset: number;
}

/** The ATX headings (`## Text`) outside code blocks, in order. */
export function headings(text: string): Heading[] {
  const masked = maskFences(text);
  const seen = new Map<string, number>();
  const result: Heading[] = [];
  let offset = 0;
  for (const line of masked.split("\n")) {
    const match = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (match) {
      const headingText = match[2]!;
      const slug = githubSlug(headingText);
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      result.push({ level: match[1]!.length, text: headingText, anchor: count === 0 ? slug : `${slug}-${count}`, offset });
    }
    offset += line.length + 1;
  }
  return result;
}

export interface MarkdownLink {
  /** As written: `runbooks/teardown.md#order`. */
  readonly target: string;
  /** 1-based line of the link. */
  readonly line: number;
}

/** Every inline link and image (`[text](target)`, `![alt](target)`) outside code, with its line. */
export function markdownLinks(text: string): MarkdownLink[] {
  const masked = maskCode(text);
  return [...masked.matchAll(/\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)].map((match) => ({
    target: match[1]!.replace(/^<(.*)>$/, "$1"),
    line: masked.slice(0, match.index).split("\n").length,
  }));
}

/**
 * The section that starts with the heading `text` (any level) and runs to the next heading of
 * the same or a higher level; throws unless exactly one heading has that text.
 */
export function markdownSection(document: string, text: string): string {
  const all = headings(document);
  const matching = all.filter((h) => h.text === text);
  if (matching.length !== 1) {
    throw new Error(`expected one heading "${text}", found ${matching.length}`);
  }
  const heading = matching[0]!;
  const next = all.find((h) => h.offset > heading.offset && h.level <= heading.level);
  return document.slice(heading.offset, next?.offset ?? document.length);
}
