import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { markedBlock } from "./marked-block";

/**
 * Each module of the construct library (`packages/constructs/src/<module>/`, and each add-on under
 * `platform/`) documents itself in its README.md. Two parts of it are generated, so they cannot
 * drift from the code: the props tables, from the exported `…Props` and `…Attributes` interfaces
 * of the module's own files (JSDoc and `@default`), and the usage example, which is the module's
 * `test/usage.ts` verbatim (type-checked by `npm run typecheck`, synthesized by the module's tests).
 */

export const LIBRARY_SOURCE = join(__dirname, "..", "..", "packages", "constructs", "src");

export const PROPS_BLOCK = markedBlock("props", (content) => `\n${content}`);
export const USAGE_BLOCK = markedBlock("usage", (content) => `\n\`\`\`ts\n${content}\`\`\`\n`);

/** The usage example of a module, relative to the module's folder. */
export const USAGE_FILE = join("test", "usage.ts");

export interface LibraryModule {
  /** `network`, `platform/argo-cd`. */
  readonly name: string;
  readonly directory: string;
}

/** Every module: a folder with an index.ts below the library's source (tests excluded). */
export function libraryModules(root: string = LIBRARY_SOURCE): LibraryModule[] {
  const found: LibraryModule[] = [];
  const visit = (directory: string): void => {
    for (const entry of readdirSync(directory).sort()) {
      const path = join(directory, entry);
      if (entry === "test" || !statSync(path).isDirectory()) {
        continue;
      }
      if (existsSync(join(path, "index.ts"))) {
        found.push({ name: relative(root, path).split("\\").join("/"), directory: path });
      }
      visit(path);
    }
  };
  visit(root);
  return found;
}

/** The module's own source files (not its sub-modules', not its tests'). */
function sourceFiles(module: LibraryModule): string[] {
  return readdirSync(module.directory)
    .filter((entry) => entry.endsWith(".ts") && entry !== "index.ts" && !entry.endsWith(".test.ts"))
    .sort()
    .map((entry) => join(module.directory, entry));
}

export interface DocumentedProperty {
  readonly name: string;
  readonly type: string;
  readonly optional: boolean;
  /** The `@default` tag's text; undefined when the property has none. */
  readonly defaultValue: string | undefined;
  readonly description: string;
}

export interface DocumentedInterface {
  readonly name: string;
  readonly file: string;
  readonly extendsNames: readonly string[];
  readonly properties: readonly DocumentedProperty[];
}

/** The exported `…Props` / `…Attributes` interfaces of the module's own files, in file order. */
export function documentedInterfaces(module: LibraryModule): DocumentedInterface[] {
  const interfaces: DocumentedInterface[] = [];
  for (const file of sourceFiles(module)) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    for (const statement of source.statements) {
      if (!ts.isInterfaceDeclaration(statement) || !/(Props|Attributes)$/.test(statement.name.text)) {
        continue;
      }
      if (!statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
        continue;
      }
      interfaces.push({
        name: statement.name.text,
        file: relative(module.directory, file),
        extendsNames: (statement.heritageClauses ?? []).flatMap((clause) => clause.types.map((t) => t.getText(source))),
        properties: statement.members.filter(ts.isPropertySignature).map((member) => documentedProperty(member, source)),
      });
    }
  }
  return interfaces;
}

function documentedProperty(member: ts.PropertySignature, source: ts.SourceFile): DocumentedProperty {
  const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
  const description = docs.map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "").join(" ");
  const defaultTag = docs.flatMap((doc) => doc.tags ?? []).find((tag) => tag.tagName.text === "default");
  return {
    name: member.name.getText(source),
    type: member.type ? member.type.getText(source) : "unknown",
    optional: member.questionToken !== undefined,
    defaultValue: defaultTag ? (ts.getTextOfJSDocComment(defaultTag.comment) ?? "").trim() : undefined,
    description,
  };
}

const cell = (text: string): string => text.replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();

/** The props tables: one per interface, every property with its type, default and description. */
export function renderPropsTables(interfaces: readonly DocumentedInterface[]): string {
  if (interfaces.length === 0) {
    return "This module has no props interfaces.\n";
  }
  return interfaces
    .map((iface) => {
      const heading = `#### \`${iface.name}\`${iface.extendsNames.length > 0 ? ` (also every property of ${iface.extendsNames.map((n) => `\`${n}\``).join(", ")})` : ""}\n\n`;
      const rows = iface.properties.map((p) => `| \`${p.name}\` | \`${cell(p.type)}\` | ${p.optional ? cell(p.defaultValue ?? "—") : "*required*"} | ${cell(p.description)} |`);
      return `${heading}| Property | Type | Default | Description |\n|---|---|---|---|\n${rows.join("\n")}\n`;
    })
    .join("\n");
}

/** What a module's README must say between its markers, or the problems that stop it. */
export interface ModuleReadmeCheck {
  readonly module: LibraryModule;
  readonly readme: string;
  /** The README with both generated blocks current; undefined when it cannot be generated. */
  readonly expected: string | undefined;
  readonly problems: readonly string[];
}

/** Properties without a description, and optional properties without `@default`: both leave the reader guessing. */
export function undocumentedProperties(interfaces: readonly DocumentedInterface[]): string[] {
  return interfaces.flatMap((iface) =>
    iface.properties.flatMap((p) => [
      ...(p.description.trim() === "" ? [`${iface.file}: ${iface.name}.${p.name} has no JSDoc description`] : []),
      ...(p.optional && p.defaultValue === undefined ? [`${iface.file}: ${iface.name}.${p.name} is optional but has no @default`] : []),
    ]),
  );
}

export function checkModuleReadme(module: LibraryModule): ModuleReadmeCheck {
  const readme = join(module.directory, "README.md");
  const usage = join(module.directory, USAGE_FILE);
  const problems: string[] = [];
  if (!existsSync(readme)) {
    problems.push(`${module.name}: no README.md`);
  }
  if (!existsSync(usage)) {
    problems.push(`${module.name}: no ${USAGE_FILE} (the README's usage example)`);
  }
  if (problems.length > 0) {
    return { module, readme, expected: undefined, problems };
  }
  const text = readFileSync(readme, "utf8");
  try {
    const withProps = PROPS_BLOCK.replace(text, renderPropsTables(documentedInterfaces(module)));
    return { module, readme, expected: USAGE_BLOCK.replace(withProps, readFileSync(usage, "utf8")), problems };
  } catch (error) {
    return { module, readme, expected: undefined, problems: [`${module.name}/README.md: ${(error as Error).message}`] };
  }
}

/** The exported classes of the module's own files that extend another class (the constructs). */
export function constructClasses(module: LibraryModule): string[] {
  return sourceFiles(module).flatMap((file) => {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    return source.statements
      .filter(ts.isClassDeclaration)
      .filter((c) => c.name && c.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) && (c.heritageClauses ?? []).some((h) => h.token === ts.SyntaxKind.ExtendsKeyword))
      .map((c) => c.name!.text);
  });
}

/** Every test source of the library (`…/test/*.ts`), as text. */
export function libraryTestSources(root: string = LIBRARY_SOURCE): string[] {
  const texts: string[] = [];
  const visit = (directory: string, inTest: boolean): void => {
    for (const entry of readdirSync(directory)) {
      const path = join(directory, entry);
      if (statSync(path).isDirectory()) {
        visit(path, inTest || entry === "test");
      } else if (inTest && entry.endsWith(".ts")) {
        texts.push(readFileSync(path, "utf8"));
      }
    }
  };
  visit(root, false);
  return texts;
}

export const MODULES_BLOCK = markedBlock("modules", (content) => `\n${content}`);

/** The package README's table of modules: each with the first paragraph of its own README. */
export function renderModuleIndex(modules: readonly LibraryModule[]): string {
  const rows = modules
    .filter((module) => existsSync(join(module.directory, "README.md")))
    .map((module) => {
      const text = readFileSync(join(module.directory, "README.md"), "utf8");
      const summary = text.split(/\n\s*\n/).find((paragraph) => paragraph.trim() !== "" && !paragraph.startsWith("#")) ?? "";
      return `| [${module.name}](src/${module.name}/README.md) | ${cell(summary)} |`;
    });
  return `| Module | What it is |\n|---|---|\n${rows.join("\n")}\n`;
}

/** The project README shows this module's usage example, as the first taste of the library. */
export const README_EXAMPLE_MODULE = "network";

/** The project README (`readme`'s text) with its usage block set to {@link README_EXAMPLE_MODULE}'s example. */
export function readmeWithExample(readme: string, root: string = LIBRARY_SOURCE): string {
  return USAGE_BLOCK.replace(readme, readFileSync(join(root, README_EXAMPLE_MODULE, USAGE_FILE), "utf8"));
}
