/**
 * Fixtures for construct tests: a stack with an AWS provider, its synthesized JSON, and the
 * blocks in it. Used by the library's tests and the application's; not part of the package.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing, type App } from "cdktf";

export type Block = Record<string, unknown>;
export interface SynthesizedJson {
  terraform: { backend: Record<string, Block>; required_providers: Record<string, { source: string; version: string }> };
  provider: Record<string, Block[]>;
  resource: Record<string, Record<string, Block>>;
  data?: Record<string, Record<string, Block>>;
  output?: Record<string, Block>;
  ephemeral?: Record<string, Record<string, Block>>;
}

/** All resources of a type in a synthesized stack. */
export function resourcesOf(json: SynthesizedJson, type: string): Block[] {
  return Object.values(json.resource[type] ?? {});
}

/** The one resource of a type in a synthesized stack; fails the test when there are none or several. */
export function onlyResourceOf(json: SynthesizedJson, type: string): Block {
  const found = resourcesOf(json, type);
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${type}, found ${found.length}`);
  }
  return found[0]!;
}

/** The one data source of a type in a synthesized stack; fails the test when there are none or several. */
export function onlyDataOf(json: SynthesizedJson, type: string): Block {
  const found = Object.values(json.data?.[type] ?? {});
  if (found.length !== 1) {
    throw new Error(`expected exactly one data.${type}, found ${found.length}`);
  }
  return found[0]!;
}

/** An empty stack in a fresh test app. */
export function emptyStack(id = "test"): TerraformStack {
  return new TerraformStack(Testing.app() as App, id);
}

/** A stack in a fresh test app with the default AWS provider (`aws`) in `region`. */
export function awsStack(region = "us-east-1"): { stack: TerraformStack; provider: AwsProvider } {
  const stack = emptyStack();
  const provider = new AwsProvider(stack, "aws", { region });
  return { stack, provider };
}

/** A stack's synthesized JSON, as `Testing.synth` writes it. */
export function synthJson(stack: TerraformStack): SynthesizedJson {
  return JSON.parse(Testing.synth(stack)) as SynthesizedJson;
}

/** One statement of a synthesized `aws_iam_policy_document`. */
export interface PolicyStatement {
  sid?: string;
  effect: string;
  actions: string[];
  resources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  condition?: { test: string; variable: string; values: string[] }[];
}

/** The statements of the one `aws_iam_policy_document` whose logical id contains `idPart`; throws when none or several match. */
export function policyStatements(json: SynthesizedJson, idPart: string): PolicyStatement[] {
  const matching = Object.entries(json.data?.aws_iam_policy_document ?? {}).filter(([id]) => id.includes(idPart));
  if (matching.length !== 1) {
    throw new Error(`expected exactly one aws_iam_policy_document whose id contains "${idPart}", found ${matching.length}: ${JSON.stringify(matching.map(([id]) => id))}`);
  }
  return matching[0]![1].statement as PolicyStatement[];
}
