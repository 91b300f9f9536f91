import type { PolicyInput, PolicyResource } from "../policy-input";
import { actionCovers, admitsAnyone, policyDocument, policyDocumentOf, type PolicyDocument, type PolicyStatement } from "../policy-document";
import { cannotTell, fail, type CheckOutcome, type Rule } from "../rule";
import { asStrings, blocks, dig, isUnknown } from "../terraform-values";
import { SERVICE_ACCOUNT_SUBJECT } from "@meridian/constructs";

/** Resources whose `policy` is an identity policy. */
const IDENTITY_POLICY_TYPES = ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"];
const ATTACHMENT_TYPES = ["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment"];
/** AWS managed policies that amount to administrator access. */
const ADMIN_MANAGED_POLICIES = ["AdministratorAccess", "IAMFullAccess"];

/** The identity policy documents a resource declares, labelled for messages. */
function identityDocuments(input: PolicyInput, resource: PolicyResource): { label: string; document?: PolicyDocument }[] {
  if (resource.type === "aws_iam_role") {
    const inline = blocks(resource.values.inline_policy);
    if (isUnknown(inline)) {
      return [];
    }
    return inline.map((block, index) => ({
      label: `inline_policy[${index}].policy`,
      document: policyDocumentOf(input, resource, block.policy, dig(resource.config.inline_policy, index, "policy")),
    }));
  }
  return [{ label: "policy", document: policyDocument(input, resource, "policy") }];
}

const allows = (statement: PolicyStatement) => statement.effect === "Allow";
/** `"*"`, or `NotResource` (everything but a few resources is, for these rules, everything). */
const onEverything = (statement: PolicyStatement) => statement.resources.includes("*") || statement.notResources.length > 0;
const describe = (statement: PolicyStatement, index: number) => `Statement[${index}]${statement.sid ? ` (${statement.sid})` : ""}`;

/** Runs `judge` on every Allow statement of every identity document; unreadable documents cannot be told. */
function judgeIdentityStatements(input: PolicyInput, resource: PolicyResource, judge: (statement: PolicyStatement, where: string) => string | undefined): CheckOutcome[] {
  const outcomes: CheckOutcome[] = [];
  for (const { label, document } of identityDocuments(input, resource)) {
    if (!document) {
      outcomes.push(cannotTell(`${label} is known only after apply`));
      continue;
    }
    document.statements.forEach((statement, index) => {
      const problem = allows(statement) ? judge(statement, `${label} ${describe(statement, index)}`) : undefined;
      if (problem) {
        outcomes.push(fail(problem));
      }
    });
  }
  return outcomes;
}

export const iamNoAdminPolicy: Rule = {
  id: "iam-no-admin-policy",
  title: "No IAM policy grants administrator access",
  publicIds: ["CKV_AWS_62", "CKV_AWS_63"],
  severity: "high",
  kind: "security",
  resourceTypes: [...IDENTITY_POLICY_TYPES, "aws_iam_role", ...ATTACHMENT_TYPES],
  fix: "Grant the specific actions the principal needs on the resources it needs; never Action \"*\", iam:* on every resource, Allow with NotAction, or AdministratorAccess.",
  check(resource, { input }) {
    if (ATTACHMENT_TYPES.includes(resource.type) || resource.type === "aws_iam_role") {
      const arns = resource.type === "aws_iam_role" ? asStrings(resource.values.managed_policy_arns) : asStrings(resource.values.policy_arn);
      const outcomes: CheckOutcome[] = [];
      if (!isUnknown(arns)) {
        for (const arn of arns.filter((a) => ADMIN_MANAGED_POLICIES.some((name) => a.endsWith(`:iam::aws:policy/${name}`)))) {
          outcomes.push(fail(`${resource.type === "aws_iam_role" ? "managed_policy_arns" : "policy_arn"} = "${arn}": administrator access`));
        }
      }
      if (resource.type === "aws_iam_role") {
        outcomes.push(...judgeIdentityStatements(input, resource, adminProblem));
      }
      return outcomes;
    }
    return judgeIdentityStatements(input, resource, adminProblem);
  },
};

function adminProblem(statement: PolicyStatement, where: string): string | undefined {
  if (statement.actions.some((a) => a === "*" || a === "*:*")) {
    return `${where} allows Action "*" on ${JSON.stringify(statement.resources)}: full administrator access`;
  }
  if (statement.notActions.length > 0) {
    return `${where} allows everything except NotAction ${JSON.stringify(statement.notActions)}: administrator access by exclusion`;
  }
  const iamAll = statement.actions.find((a) => /^iam:\*$/i.test(a));
  if (iamAll && onEverything(statement) && statement.conditions.length === 0) {
    return `${where} allows "${iamAll}" on every resource: the principal can grant itself anything`;
  }
  return undefined;
}

/** Wildcard actions that only read metadata and cannot be scoped to resources anyway. */
const METADATA_WILDCARD = /^[\w-]+:(Describe|List)[\w]*\*$/i;

export const iamNoWildcardActionsOnAllResources: Rule = {
  id: "iam-no-wildcard-actions-on-all-resources",
  title: "No IAM policy allows wildcard actions on every resource without a condition",
  publicIds: ["CKV_AWS_355", "CKV_AWS_287", "CKV_AWS_288", "CKV_AWS_289", "CKV_AWS_290", "AwsSolutions-IAM5"],
  severity: "high",
  kind: "security",
  resourceTypes: [...IDENTITY_POLICY_TYPES, "aws_iam_role"],
  fix: "Name the actions (not `service:*` or `service:Put*`), scope Resource to ARNs, or add a Condition that confines the statement (tags, request region, service).",
  check(resource, { input }) {
    return judgeIdentityStatements(input, resource, (statement, where) => {
      const wild = statement.actions.filter((a) => a.includes("*") && a !== "*" && a !== "*:*" && !METADATA_WILDCARD.test(a));
      if (wild.length === 0 || !onEverything(statement) || statement.conditions.length > 0) {
        return undefined;
      }
      return `${where} allows ${JSON.stringify(wild)} on Resource "*" without a Condition`;
    });
  },
};

export const iamNoUnscopedPassRole: Rule = {
  id: "iam-no-unscoped-pass-role",
  title: "iam:PassRole is scoped to named roles or to a service",
  publicIds: ["AVD-AWS-0342", "CKV_AWS_286"],
  severity: "high",
  kind: "security",
  resourceTypes: [...IDENTITY_POLICY_TYPES, "aws_iam_role"],
  fix: "Limit iam:PassRole to the role ARNs the principal hands to services, or add Condition StringEquals iam:PassedToService.",
  check(resource, { input }) {
    return judgeIdentityStatements(input, resource, (statement, where) => {
      const passRole = statement.actions.find((a) => actionCovers(a, "iam:PassRole"));
      if (!passRole || !onEverything(statement)) {
        return undefined;
      }
      if (statement.conditions.some((c) => c.variable.toLowerCase() === "iam:passedtoservice")) {
        return undefined;
      }
      return `${where} allows "${passRole}" on Resource "*" without an iam:PassedToService condition: any role can be handed to any service`;
    });
  },
};

const EKS_OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\/[A-Za-z0-9]+$/;

export const iamRoleTrustScoped: Rule = {
  id: "iam-role-trust-scoped",
  title: "Role trust policies admit specific principals; IRSA roles pin the cluster's OIDC provider, :sub and :aud",
  publicIds: ["CKV_AWS_60", "CKV_AWS_61"],
  severity: "high",
  kind: "security",
  resourceTypes: ["aws_iam_role"],
  fix: 'Trust the cluster\'s aws_iam_openid_connect_provider (Federated) with StringEquals "<issuer>:sub" = "system:serviceaccount:<namespace>:<service-account>" and "<issuer>:aud" = "sts.amazonaws.com"; never Principal "*" without a condition.',
  check(role, { input }) {
    const document = policyDocument(input, role, "assume_role_policy");
    if (!document) {
      return [cannotTell("assume_role_policy is known only after apply")];
    }
    const outcomes: CheckOutcome[] = [];
    document.statements.forEach((statement, index) => {
      if (!allows(statement)) {
        return;
      }
      const where = `assume_role_policy ${describe(statement, index)}`;
      if (admitsAnyone(statement.principals) && statement.conditions.length === 0) {
        outcomes.push(fail(`${where} trusts Principal "*" without a Condition: anyone can assume the role`));
      }
      const federated = statement.principals.filter((p) => p.type === "Federated").flatMap((p) => p.identifiers);
      if (federated.length === 0) {
        return;
      }
      for (const identifier of federated) {
        const isClusterProvider =
          EKS_OIDC_PROVIDER_ARN.test(identifier) || input.references(role.stack, identifier).some((ref) => ref.resource?.type === "aws_iam_openid_connect_provider");
        if (!isClusterProvider) {
          outcomes.push(fail(`${where} trusts Federated "${identifier}": not an EKS cluster's OIDC provider`));
        }
      }
      const exact = (suffix: string) => statement.conditions.filter((c) => c.test === "StringEquals" && c.variable.endsWith(suffix));
      const subjects = exact(":sub").flatMap((c) => c.values);
      const loose = statement.conditions.filter((c) => c.test !== "StringEquals" && c.variable.endsWith(":sub"));
      if (subjects.length === 0) {
        outcomes.push(fail(`${where} has no StringEquals condition on "<issuer>:sub"${loose.length ? ` (found ${loose.map((c) => `${c.test} ${JSON.stringify(c.values)}`).join(", ")})` : ""}: every service account of the cluster can assume the role`));
      } else {
        const bad = subjects.filter((s) => !SERVICE_ACCOUNT_SUBJECT.test(s));
        if (bad.length > 0) {
          outcomes.push(fail(`${where} "<issuer>:sub" = ${JSON.stringify(bad)}: must name one service account (system:serviceaccount:<namespace>:<name>)`));
        }
      }
      const audiences = exact(":aud").flatMap((c) => c.values);
      if (audiences.length === 0 || audiences.some((a) => a !== "sts.amazonaws.com")) {
        outcomes.push(fail(`${where} "<issuer>:aud" = ${audiences.length ? JSON.stringify(audiences) : "not set"}: must be StringEquals "sts.amazonaws.com"`));
      }
    });
    return outcomes;
  },
};

export const IAM_RULES: readonly Rule[] = [iamNoAdminPolicy, iamNoWildcardActionsOnAllResources, iamNoUnscopedPassRole, iamRoleTrustScoped];
