import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { z } from "zod";
import { CatalogueSchema } from "../../src/config/schema";
import { markdownSection } from "../../src/docs/markdown";

/** The "First deploy" section of docs/deploying.md. */
function firstDeploySection(): string {
  return markdownSection(readFileSync(join(__dirname, "..", "..", "docs", "deploying.md"), "utf8"), "First deploy");
}

/** Every field path of the catalogue schema, arrays written `[]`: `environments[].cluster.adminRoleArns`. */
function fieldPaths(schema: z.ZodType, prefix = ""): string[] {
  const def = (schema as unknown as { _zod: { def: { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; element?: z.ZodType; in?: z.ZodType } } })._zod.def;
  switch (def.type) {
    case "object":
      return Object.entries(def.shape!).flatMap(([name, field]) => {
        const path = prefix ? `${prefix}.${name}` : name;
        return [path, ...fieldPaths(field, path)];
      });
    case "optional":
    case "default":
    case "nullable":
      return fieldPaths(def.innerType!, prefix);
    case "pipe":
      return fieldPaths(def.in!, prefix);
    case "array":
      return fieldPaths(def.element!, `${prefix}[]`);
    default:
      return [];
  }
}

describe("docs/deploying.md, First deploy", () => {
  const section = firstDeploySection();
  const paths = fieldPaths(CatalogueSchema);
  const named = [...section.matchAll(/`((?:state|environments\[\]|gitopsHub)\.[\w.[\]]+)`/g)].map((m) => m[1]!);

  test("every catalogue setting it names exists", () => {
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((path) => !paths.includes(path))).toEqual([]);
  });

  test("it lists every role and hosted zone the catalogue points at, because AWS refuses to reference a missing one", () => {
    // GIVEN every setting of the catalogue that names an existing IAM role or Route 53 zone
    const external = paths.filter((path) => /(RoleArns?|HostedZoneIds?)$/.test(path));
    expect(external).toEqual(expect.arrayContaining(["environments[].cluster.adminRoleArns", "environments[].deployRoleArn", "environments[].planRoleArn"]));
    // THEN the section names each one as a prerequisite
    expect(external.filter((path) => !named.includes(path))).toEqual([]);
  });

  test("it orders the state bootstrap before every environment stack, and the hub's network path before the platform stacks", () => {
    const at = (text: string) => section.indexOf(text);
    expect(at("`state-bootstrap`")).toBeGreaterThan(at("`environments[].deployRoleArn`"));
    expect(at("`<env>-regional-*`")).toBeGreaterThan(at("`state-bootstrap`"));
    expect(at("`<env>-platform-*`")).toBeGreaterThan(at("`<hub>-hub-network`"));
    expect(at("`<env>-platform-*`")).toBeGreaterThan(at("`meridian-hub-network`"));
  });
});
