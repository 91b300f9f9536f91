import { iamNoAdminPolicy, iamNoUnscopedPassRole, iamNoWildcardActionsOnAllResources, iamRoleTrustScoped } from "../../src/policy/rules/iam";
import { kmsKeyPolicy, kmsKeyRotation } from "../../src/policy/rules/kms";
import { fixtureStack, messages, ref, single, undecided } from "./fixtures";

type Statement = Record<string, unknown>;

/** A role policy whose document is a synthesized aws_iam_policy_document, as every construct here writes it. */
function rolePolicy(statements: Statement[]) {
  return fixtureStack(
    "production-regional-us-east-1",
    { aws_iam_role_policy: { permissions: { role: ref("aws_iam_role.role"), policy: "${data.aws_iam_policy_document.permissions.json}" } } },
    { data: { aws_iam_policy_document: { permissions: { statement: statements } } } },
  );
}
/** A standalone policy given as literal JSON. */
const jsonPolicy = (statements: Statement[]) => single("aws_iam_policy", { name: "p", policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) });

describe("iam-no-admin-policy", () => {
  test('flags Action "*" (synthesized document and literal JSON)', () => {
    expect(messages(iamNoAdminPolicy, rolePolicy([{ effect: "Allow", actions: ["*"], resources: ["*"] }]))).toEqual([
      'aws_iam_role_policy.permissions: policy Statement[0] allows Action "*" on ["*"]: full administrator access',
    ]);
    expect(messages(iamNoAdminPolicy, jsonPolicy([{ Sid: "All", Effect: "Allow", Action: "*", Resource: "*" }]))).toEqual([
      'aws_iam_policy.subject: policy Statement[0] (All) allows Action "*" on ["*"]: full administrator access',
    ]);
  });

  test("flags iam:* on every resource, Allow with NotAction, and AdministratorAccess attached", () => {
    expect(messages(iamNoAdminPolicy, rolePolicy([{ effect: "Allow", actions: ["iam:*"], resources: ["*"] }]))).toEqual([expect.stringContaining('allows "iam:*" on every resource')]);
    expect(messages(iamNoAdminPolicy, jsonPolicy([{ Effect: "Allow", NotAction: ["iam:*"], Resource: "*" }]))).toEqual([expect.stringContaining("administrator access by exclusion")]);
    expect(messages(iamNoAdminPolicy, single("aws_iam_role_policy_attachment", { role: "r", policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" }))).toEqual([
      'aws_iam_role_policy_attachment.subject: policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess": administrator access',
    ]);
  });

  test("passes named actions, a Deny \"*\", and narrow managed policies", () => {
    expect(messages(iamNoAdminPolicy, rolePolicy([{ effect: "Allow", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] }, { effect: "Deny", actions: ["*"], resources: ["*"] }]))).toEqual([]);
    expect(messages(iamNoAdminPolicy, single("aws_iam_role_policy_attachment", { role: "r", policy_arn: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy" }))).toEqual([]);
  });
});

describe("iam-no-wildcard-actions-on-all-resources", () => {
  test("flags a service wildcard on Resource \"*\" without a condition", () => {
    expect(messages(iamNoWildcardActionsOnAllResources, rolePolicy([{ sid: "Everything", effect: "Allow", actions: ["s3:*", "ec2:Describe*"], resources: ["*"] }]))).toEqual([
      'aws_iam_role_policy.permissions: policy Statement[0] (Everything) allows ["s3:*"] on Resource "*" without a Condition',
    ]);
  });

  test("passes Describe*/List* on \"*\", wildcards on scoped ARNs, and wildcards confined by a condition", () => {
    const stack = rolePolicy([
      { effect: "Allow", actions: ["ec2:Describe*", "elasticloadbalancing:List*"], resources: ["*"] },
      { effect: "Allow", actions: ["s3:*"], resources: ["arn:${data.aws_partition.p.partition}:s3:::bucket/*"] },
      { effect: "Allow", actions: ["ec2:Create*"], resources: ["*"], condition: [{ test: "StringEquals", variable: "aws:RequestTag/owner", values: ["me"] }] },
    ]);
    expect(messages(iamNoWildcardActionsOnAllResources, stack)).toEqual([]);
  });
});

describe("iam-no-unscoped-pass-role", () => {
  test("flags iam:PassRole on every role without iam:PassedToService", () => {
    expect(messages(iamNoUnscopedPassRole, rolePolicy([{ effect: "Allow", actions: ["iam:PassRole"], resources: ["*"] }]))).toEqual([
      'aws_iam_role_policy.permissions: policy Statement[0] allows "iam:PassRole" on Resource "*" without an iam:PassedToService condition: any role can be handed to any service',
    ]);
    expect(messages(iamNoUnscopedPassRole, jsonPolicy([{ Effect: "Allow", Action: "iam:Pass*", Resource: "*" }]))).toHaveLength(1);
  });

  test("flags iam:PassRole with NotResource: everything but a few roles is every role", () => {
    expect(messages(iamNoUnscopedPassRole, jsonPolicy([{ Effect: "Allow", Action: "iam:PassRole", NotResource: "arn:aws:iam::123456789012:role/nothing" }]))).toHaveLength(1);
  });

  test("passes PassRole scoped to a role ARN, or confined to a service", () => {
    const stack = rolePolicy([
      { effect: "Allow", actions: ["iam:PassRole"], resources: [ref("aws_iam_role.node", "arn")] },
      { effect: "Allow", actions: ["iam:PassRole"], resources: ["*"], condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ec2.amazonaws.com"] }] },
    ]);
    expect(messages(iamNoUnscopedPassRole, stack)).toEqual([]);
  });
});

describe("iam-role-trust-scoped", () => {
  const issuer = '${replace(aws_eks_cluster.c.identity[0].oidc[0].issuer, "https://", "")}';
  const irsaStatement = (conditions: Statement[], federated = ref("aws_iam_openid_connect_provider.oidc", "arn")) => ({
    effect: "Allow",
    actions: ["sts:AssumeRoleWithWebIdentity"],
    principals: [{ type: "Federated", identifiers: [federated] }],
    condition: conditions,
  });
  const sub = (value: string, test = "StringEquals") => ({ test, variable: `${issuer}:sub`, values: [value] });
  const aud = { test: "StringEquals", variable: `${issuer}:aud`, values: ["sts.amazonaws.com"] };
  const role = (statement: Statement) =>
    fixtureStack(
      "production-regional-us-east-1",
      { aws_iam_role: { irsa: { name: "irsa", assume_role_policy: "${data.aws_iam_policy_document.trust.json}" } }, aws_iam_openid_connect_provider: { oidc: { url: "https://oidc" } } },
      { data: { aws_iam_policy_document: { trust: { statement: [statement] } } } },
    );

  test("flags an IRSA trust without a :sub condition (every service account can assume it)", () => {
    expect(messages(iamRoleTrustScoped, role(irsaStatement([aud])))).toEqual([
      'aws_iam_role.irsa: assume_role_policy Statement[0] has no StringEquals condition on "<issuer>:sub": every service account of the cluster can assume the role',
    ]);
  });

  test("flags a wildcard :sub (StringLike) and a missing :aud", () => {
    expect(messages(iamRoleTrustScoped, role(irsaStatement([sub("system:serviceaccount:*:*", "StringLike")])))).toEqual([
      'aws_iam_role.irsa: assume_role_policy Statement[0] has no StringEquals condition on "<issuer>:sub" (found StringLike ["system:serviceaccount:*:*"]): every service account of the cluster can assume the role',
      'aws_iam_role.irsa: assume_role_policy Statement[0] "<issuer>:aud" = not set: must be StringEquals "sts.amazonaws.com"',
    ]);
  });

  test("flags a Federated principal that is not the cluster's OIDC provider, and Principal \"*\" without a condition", () => {
    expect(messages(iamRoleTrustScoped, role(irsaStatement([sub("system:serviceaccount:kube-system:aws-node"), aud], "arn:aws:iam::123456789012:saml-provider/corp")))).toEqual([
      expect.stringContaining('trusts Federated "arn:aws:iam::123456789012:saml-provider/corp": not an EKS cluster\'s OIDC provider'),
    ]);
    expect(messages(iamRoleTrustScoped, role({ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "AWS", identifiers: ["*"] }] }))).toEqual([
      'aws_iam_role.irsa: assume_role_policy Statement[0] trusts Principal "*" without a Condition: anyone can assume the role',
    ]);
  });

  test("passes an IRSA trust pinned to the cluster's provider, one service account and STS", () => {
    expect(messages(iamRoleTrustScoped, role(irsaStatement([sub("system:serviceaccount:kube-system:aws-node"), aud])))).toEqual([]);
  });

  test("passes a resolved trust from a plan with the provider's literal ARN, and service principals", () => {
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "sts:AssumeRoleWithWebIdentity",
          Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123" },
          Condition: { StringEquals: { "oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123:sub": "system:serviceaccount:kube-system:aws-node", "oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123:aud": "sts.amazonaws.com" } },
        },
        { Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "ec2.amazonaws.com" } },
      ],
    });
    expect(messages(iamRoleTrustScoped, single("aws_iam_role", { assume_role_policy: trust }))).toEqual([]);
  });

  test("passes (undecided) a trust policy built at apply time", () => {
    const stack = single("aws_iam_role", { assume_role_policy: "${jsonencode(local.trust)}" });
    expect(messages(iamRoleTrustScoped, stack)).toEqual([]);
    expect(undecided(iamRoleTrustScoped, stack)).toEqual(["aws_iam_role.subject: assume_role_policy is known only after apply"]);
  });
});

describe("kms-key-rotation", () => {
  test("flags a symmetric key without rotation", () => {
    expect(messages(kmsKeyRotation, single("aws_kms_key", { policy: "{}" }))).toEqual(["aws_kms_key.subject: enable_key_rotation = not set: the key material never changes"]);
    expect(messages(kmsKeyRotation, single("aws_kms_key", { enable_key_rotation: false }))).toHaveLength(1);
  });

  test("passes a rotating key, and an asymmetric key (which cannot rotate)", () => {
    expect(messages(kmsKeyRotation, single("aws_kms_key", { enable_key_rotation: true }))).toEqual([]);
    expect(messages(kmsKeyRotation, single("aws_kms_key", { customer_master_key_spec: "RSA_2048", key_usage: "SIGN_VERIFY" }))).toEqual([]);
  });
});

describe("kms-key-policy", () => {
  const key = (statements: Statement[]) =>
    fixtureStack("production-test", { aws_kms_key: { key: { enable_key_rotation: true, policy: "${data.aws_iam_policy_document.key.json}" } } }, { data: { aws_iam_policy_document: { key: { statement: statements } } } });
  const admin = { sid: "Account", effect: "Allow", actions: ["kms:*"], resources: ["*"], principals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:root"] }] };

  test("flags a key without an explicit policy", () => {
    expect(messages(kmsKeyPolicy, single("aws_kms_key", { enable_key_rotation: true }))).toEqual(["aws_kms_key.subject: policy is not set: the key gets AWS's default policy instead of one reviewed here"]);
  });

  test('flags a statement that allows Principal "*" without a condition', () => {
    expect(messages(kmsKeyPolicy, key([admin, { sid: "Everyone", effect: "Allow", actions: ["kms:Decrypt"], resources: ["*"], principals: [{ type: "AWS", identifiers: ["*"] }] }]))).toEqual([
      'aws_kms_key.key: policy Statement[1] (Everyone) allows ["kms:Decrypt"] to Principal "*" without a Condition: anyone can use the key',
    ]);
  });

  test('passes account administration plus a Principal "*" statement confined by kms:CallerAccount and kms:ViaService', () => {
    const ebs = {
      effect: "Allow",
      actions: ["kms:Decrypt"],
      resources: ["*"],
      principals: [{ type: "AWS", identifiers: ["*"] }],
      condition: [
        { test: "StringEquals", variable: "kms:CallerAccount", values: ["123456789012"] },
        { test: "StringEquals", variable: "kms:ViaService", values: ["ec2.us-east-1.amazonaws.com"] },
      ],
    };
    expect(messages(kmsKeyPolicy, key([admin, ebs]))).toEqual([]);
  });
});
