import { IAM_ROLE_NAME, assertRoleNameFits, iamRoleArn, parseRoleArn } from "..";
import { API_GROUP, DNS_1035_LABEL, DOMAIN_NAME, PUBLIC_DNS_NAME, SERVICE_ACCOUNT_SUBJECT, isDnsLabel, isDnsSubdomain } from "..";

describe("Kubernetes name formats", () => {
  test.each(["a", "kube-system", "x".repeat(63), "0abc"])("accepts the DNS label %s", (name) => {
    expect(isDnsLabel(name)).toBe(true);
  });

  test.each(["", "-a", "a-", "A", "a_b", "a.b", "x".repeat(64)])("refuses %j as a DNS label", (name) => {
    expect(isDnsLabel(name)).toBe(false);
  });

  test("applies a shorter limit where the name is extended (Helm release names: 53)", () => {
    expect(isDnsLabel("x".repeat(53), 53)).toBe(true);
    expect(isDnsLabel("x".repeat(54), 53)).toBe(false);
  });

  test("accepts dots in subdomains, up to 253 characters", () => {
    expect(isDnsSubdomain("platform.critical")).toBe(true);
    expect(isDnsSubdomain(`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`)).toBe(true);
    expect(isDnsSubdomain("a".repeat(254))).toBe(false);
    expect(isDnsSubdomain(".a")).toBe(false);
  });

  test("DNS-1035 labels start with a letter and carry no look-arounds (they are OpenAPI patterns)", () => {
    expect(DNS_1035_LABEL.test("web")).toBe(true);
    expect(DNS_1035_LABEL.test("1web")).toBe(false);
    expect(DNS_1035_LABEL.source).not.toMatch(/\(\?[=!<]/);
  });

  test("domain names, public DNS names and API groups", () => {
    expect(DOMAIN_NAME.test("internal")).toBe(true);
    expect(DOMAIN_NAME.test("api.example.com")).toBe(true);
    expect(DOMAIN_NAME.test("api..example.com")).toBe(false);
    expect(PUBLIC_DNS_NAME.test("internal")).toBe(false);
    expect(PUBLIC_DNS_NAME.test("api.example.com")).toBe(true);
    expect(PUBLIC_DNS_NAME.test(`${"a".repeat(64)}.com`)).toBe(false);
    expect(API_GROUP.test("platform.example.com")).toBe(true);
    expect(API_GROUP.test("platform")).toBe(false);
  });

  test("service account subjects name a namespace label and a subdomain", () => {
    expect(SERVICE_ACCOUNT_SUBJECT.test("system:serviceaccount:kube-system:aws-node")).toBe(true);
    expect(SERVICE_ACCOUNT_SUBJECT.test("system:serviceaccount:kube-system:*")).toBe(false);
    expect(SERVICE_ACCOUNT_SUBJECT.test("system:serviceaccount:*:aws-node")).toBe(false);
  });
});

describe("IAM role formats", () => {
  test("a role ARN round-trips through its parts, path included", () => {
    const arn = iamRoleArn("aws-us-gov", "123456789012", "team/deployer");
    expect(parseRoleArn(arn)).toEqual({ partition: "aws-us-gov", accountId: "123456789012", roleName: "team/deployer" });
  });

  test.each(["arn:aws:iam::123456789012:user/x", "arn:aws:iam::12345:role/x", "${aws_iam_role.x.arn}"])("does not parse %s as a role ARN", (arn) => {
    expect(parseRoleArn(arn)).toBeUndefined();
  });

  test("role names are 1-64 characters of IAM's alphabet, never an ARN", () => {
    expect(IAM_ROLE_NAME.test("x".repeat(64))).toBe(true);
    expect(IAM_ROLE_NAME.test("x".repeat(65))).toBe(false);
    expect(IAM_ROLE_NAME.test("arn:aws:iam::123456789012:role/x")).toBe(false);
  });

  test("throws naming the owner, the setting, the name and IAM's limit when a role name is too long", () => {
    expect(() => assertRoleNameFits("Owner o", "roleName", "x".repeat(65))).toThrow(`Owner o: roleName "${"x".repeat(65)}" is 65 characters; IAM allows 64`);
    expect(() => assertRoleNameFits("Owner o", "roleName", "x".repeat(64))).not.toThrow();
  });
});
