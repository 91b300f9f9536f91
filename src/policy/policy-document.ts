import { interpolations, type PolicyInput, type PolicyResource } from "./policy-input";
import { isObject } from "./terraform-values";

/**
 * One statement of an IAM policy document (identity, trust, key or bucket policy), normalized
 * from either JSON or a synthesized `aws_iam_policy_document`. Strings may still hold `${...}`
 * (an ARN known after apply); such a string is never `*`.
 */
export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: string;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  readonly principals: readonly PolicyPrincipal[];
  readonly notPrincipals: readonly PolicyPrincipal[];
  readonly conditions: readonly PolicyCondition[];
}

export interface PolicyPrincipal {
  /** `AWS`, `Service`, `Federated`, `CanonicalUser` or `*` (the JSON `"Principal": "*"`). */
  readonly type: string;
  readonly identifiers: readonly string[];
}

export interface PolicyCondition {
  /** The operator, e.g. `StringEquals`. */
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

/** A policy document read from a resource attribute. */
export interface PolicyDocument {
  readonly statements: readonly PolicyStatement[];
  /** `plan` (the JSON Terraform will send), `configuration` (a literal JSON string) or the data source address. */
  readonly origin: string;
}

const DATA_DOCUMENT = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/;

/**
 * The policy document in `resource.<attribute>`: the planned JSON when the plan knows it, else
 * the synthesized `aws_iam_policy_document` the attribute refers to, else a literal JSON string in
 * the configuration. Undefined when none of them can tell (a document built at apply time).
 */
export function policyDocument(input: PolicyInput, resource: PolicyResource, attribute: string): PolicyDocument | undefined {
  return policyDocumentOf(input, resource, resource.values[attribute], resource.config[attribute]);
}

/** {@link policyDocument} for a nested attribute: its planned and its configured value. */
export function policyDocumentOf(input: PolicyInput, resource: PolicyResource, planned: unknown, configured: unknown): PolicyDocument | undefined {
  if (typeof planned === "string" && planned.trim().startsWith("{")) {
    const statements = parseJsonPolicy(planned);
    if (statements) {
      return { statements, origin: "plan" };
    }
  }
  if (typeof configured === "string") {
    const data = DATA_DOCUMENT.exec(configured.trim());
    if (data) {
      const address = `data.aws_iam_policy_document.${data[1]}`;
      const block = input.dataSource(resource.stack, address);
      const statements = block ? dataDocumentStatements(block) : undefined;
      return statements ? { statements, origin: address } : undefined;
    }
    if (interpolations(configured).length === 0 && configured.trim().startsWith("{")) {
      const statements = parseJsonPolicy(configured);
      return statements ? { statements, origin: "configuration" } : undefined;
    }
  }
  return undefined;
}

/** Statements of a JSON policy; undefined when it is not one. */
export function parseJsonPolicy(json: string): PolicyStatement[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) {
    return undefined;
  }
  const raw = parsed.Statement;
  const list = Array.isArray(raw) ? raw : isObject(raw) ? [raw] : [];
  return list.filter(isObject).map((s) => ({
    sid: typeof s.Sid === "string" ? s.Sid : undefined,
    effect: typeof s.Effect === "string" ? s.Effect : "Allow",
    actions: strings(s.Action),
    notActions: strings(s.NotAction),
    resources: strings(s.Resource),
    notResources: strings(s.NotResource),
    principals: jsonPrincipals(s.Principal),
    notPrincipals: jsonPrincipals(s.NotPrincipal),
    conditions: jsonConditions(s.Condition),
  }));
}

/**
 * Statements of a synthesized `aws_iam_policy_document` block. Undefined when the block merges
 * other documents (`source_policy_documents`, …): its content is then not all here.
 */
export function dataDocumentStatements(block: Record<string, unknown>): PolicyStatement[] | undefined {
  if (["source_policy_documents", "override_policy_documents", "source_json", "override_json"].some((key) => block[key] !== undefined)) {
    return undefined;
  }
  const raw = block.statement;
  const list = Array.isArray(raw) ? raw : isObject(raw) ? [raw] : [];
  return list.filter(isObject).map((s) => ({
    sid: typeof s.sid === "string" ? s.sid : undefined,
    effect: typeof s.effect === "string" ? s.effect : "Allow",
    actions: strings(s.actions),
    notActions: strings(s.not_actions),
    resources: strings(s.resources),
    notResources: strings(s.not_resources),
    principals: blockPrincipals(s.principals),
    notPrincipals: blockPrincipals(s.not_principals),
    conditions: blockList(s.condition).map((c) => ({ test: String(c.test ?? ""), variable: String(c.variable ?? ""), values: strings(c.values) })),
  }));
}

/** True when a principal list admits anyone (`"*"` or `{"AWS": "*"}`). */
export function admitsAnyone(principals: readonly PolicyPrincipal[]): boolean {
  return principals.some((p) => (p.type === "*" || p.type === "AWS") && p.identifiers.includes("*"));
}

/** True when `pattern` (an IAM action, wildcards allowed) covers `action`. */
export function actionCovers(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  return regex.test(action);
}

function strings(value: unknown): string[] {
  if (typeof value === "string") {
    return [value];
  }
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function blockList(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isObject) : isObject(value) ? [value] : [];
}

function jsonPrincipals(value: unknown): PolicyPrincipal[] {
  if (value === "*") {
    return [{ type: "*", identifiers: ["*"] }];
  }
  if (!isObject(value)) {
    return [];
  }
  return Object.entries(value).map(([type, ids]) => ({ type, identifiers: strings(ids) }));
}

function blockPrincipals(value: unknown): PolicyPrincipal[] {
  return blockList(value).map((p) => ({ type: String(p.type ?? ""), identifiers: strings(p.identifiers) }));
}

function jsonConditions(value: unknown): PolicyCondition[] {
  if (!isObject(value)) {
    return [];
  }
  return Object.entries(value).flatMap(([test, variables]) =>
    isObject(variables) ? Object.entries(variables).map(([variable, values]) => ({ test, variable, values: strings(values) })) : [],
  );
}

/** One request to decide against resource-policy statements: who asks, for what, and the request context. */
export interface PolicyRequest {
  /** `*` for an anonymous caller (e.g. an NFS client mounting without IAM), else a principal ARN or service name. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** Condition keys present in the request, e.g. `{ "aws:SecureTransport": "true" }`. */
  readonly context: Readonly<Record<string, string>>;
}

/**
 * Whether `statements` allow `request`, by IAM's evaluation order for a single resource policy:
 * an explicit Deny wins, then an Allow, else the implicit deny. Covers the operators the
 * platform's resource policies use (String/Arn equality and wildcards, Bool, `...IfExists`);
 * a condition on a key the request lacks does not match, and an unknown operator throws.
 * Enough to prove what a synthesized policy admits in tests, not a full IAM engine.
 */
export function decide(statements: readonly PolicyStatement[], request: PolicyRequest): "allow" | "deny" {
  const applies = (s: PolicyStatement) =>
    principalMatches(s.principals, request.principal) &&
    s.actions.some((pattern) => actionCovers(pattern, request.action)) &&
    s.resources.some((pattern) => pattern === "*" || pattern === request.resource) &&
    s.conditions.every((c) => conditionMatches(c, request.context));
  const matching = statements.filter(applies);
  if (matching.some((s) => s.effect === "Deny")) {
    return "deny";
  }
  return matching.some((s) => s.effect === "Allow") ? "allow" : "deny";
}

function principalMatches(principals: readonly PolicyPrincipal[], principal: string): boolean {
  return admitsAnyone(principals) || principals.some((p) => p.identifiers.includes(principal));
}

function conditionMatches(condition: PolicyCondition, context: Readonly<Record<string, string>>): boolean {
  const ifExists = condition.test.endsWith("IfExists");
  const operator = ifExists ? condition.test.slice(0, -"IfExists".length) : condition.test;
  const value = context[condition.variable];
  if (value === undefined) {
    return ifExists;
  }
  // String and ARN conditions are case-sensitive, unlike action names.
  const like = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(value);
  switch (operator) {
    case "StringEquals":
    case "ArnEquals":
      return condition.values.includes(value);
    case "StringNotEquals":
      return !condition.values.includes(value);
    case "StringLike":
    case "ArnLike":
      return condition.values.some(like);
    case "Bool":
      return condition.values.some((v) => v.toLowerCase() === value.toLowerCase());
    default:
      throw new Error(`decide: condition operator ${condition.test} is not supported`);
  }
}
