import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./usage";

/** The flags a command accepts, as `node:util` `parseArgs` describes them. */
export type FlagOptions = NonNullable<ParseArgsConfig["options"]>;

/**
 * The flags' values from `argv` (the part after `npm run <command> --`): only the given flags, no
 * positional arguments. Anything else throws a {@link UsageError} in `parseArgs`'s own words,
 * which already name the option ("Unknown option '--foo'", "Unexpected argument 'now'").
 */
export function parseFlags<Options extends FlagOptions>(argv: readonly string[], options: Options) {
  try {
    return parseArgs({ args: [...argv], strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * `raw`, the value given for `flag`, as a whole number within [min, max]. Otherwise throws a
 * {@link UsageError} `<flag> "<raw>": must be <rule>`, where `rule` says what is accepted in the
 * command's words, e.g. `a whole number of minutes from 1 to 1440`.
 */
export function wholeNumberFlag(flag: string, raw: string, min: number, max: number, rule: string): number {
  // Number("") is 0 and Number("1e3") is 1000: accept digits only so typos are not silently read.
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} "${raw}": must be ${rule}`);
  }
  return value;
}

/**
 * The catalogue environment `--environment` names. Throws a {@link UsageError} when the flag is
 * missing (`purpose` says what it selects, e.g. `the catalogue environment to act on`) or names no
 * environment, listing the known ones either way.
 */
export function environmentFlag<Environment extends { readonly name: string }>(environments: readonly Environment[], value: string | undefined, purpose: string): Environment {
  const known = environments.map((env) => env.name).join(", ");
  if (value === undefined) {
    throw new UsageError(`--environment is required: ${purpose} (${known})`);
  }
  const environment = environments.find((env) => env.name === value);
  if (!environment) {
    throw new UsageError(`--environment "${value}": names no environment; known: ${known}`);
  }
  return environment;
}
