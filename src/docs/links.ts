import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { headings, markdownLinks } from "./markdown";

export interface BrokenLink {
  /** The Markdown file, relative to the root given to `brokenLinks`. */
  readonly file: string;
  readonly line: number;
  readonly target: string;
  readonly reason: string;
}

/** An absolute URL (`https:`, `mailto:`) or a protocol-relative one: not checked here. */
const EXTERNAL = /^([a-z][a-z0-9+.-]*:|\/\/)/i;

/**
 * Every relative link of the Markdown `files` that does not resolve: a path (from the linking
 * file's folder, or from `root` for `/…`) that does not exist, or a `#anchor` that is no
 * heading of the Markdown file it points at (the linking file itself for `#anchor` alone).
 */
export function brokenLinks(files: readonly string[], root: string): BrokenLink[] {
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (file: string) => {
    if (!anchorsOf.has(file)) {
      anchorsOf.set(file, new Set(headings(readFileSync(file, "utf8")).map((h) => h.anchor)));
    }
    return anchorsOf.get(file)!;
  };
  return files.flatMap((file) =>
    markdownLinks(readFileSync(file, "utf8")).flatMap(({ target, line }): BrokenLink[] => {
      if (EXTERNAL.test(target)) {
        return [];
      }
      const broken = (reason: string) => [{ file: relative(root, file), line, target, reason }];
      const hash = target.indexOf("#");
      const path = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
      const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
      const resolved = path === "" ? file : path.startsWith("/") ? resolve(root, `.${path}`) : resolve(dirname(file), path);
      if (!existsSync(resolved)) {
        return broken(`${relative(root, resolved)} does not exist`);
      }
      if (anchor === undefined || anchor === "") {
        return [];
      }
      if (statSync(resolved).isDirectory() || !resolved.endsWith(".md")) {
        return broken(`#${anchor} points into ${relative(root, resolved)}, which is no Markdown file`);
      }
      return anchors(resolved).has(anchor) ? [] : broken(`${relative(root, resolved)} has no heading with the anchor #${anchor}`);
    }),
  );
}
