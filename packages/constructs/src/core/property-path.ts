/** A property path as people write it: `groups[0].labels.team`; empty for the whole value. */
export function propertyPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${key}` : key), "");
}
