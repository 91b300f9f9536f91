import { synthStacks } from "../helpers";

// Snapshots catch unintended changes anywhere in a stack; the behaviour itself is asserted
// by the targeted tests beside this file.
const stacks = synthStacks();

describe("synthesized stacks", () => {
  test.each([...stacks.keys()])("%s matches its snapshot", (name) => {
    expect(stacks.get(name)).toMatchSnapshot();
  });

  test.each([...stacks.keys()])("%s holds no absolute path, timestamp or credential", (name) => {
    const text = JSON.stringify(stacks.get(name));
    expect(text).not.toMatch(/"\/(home|root|tmp|work|Users)\//);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(text).not.toMatch(/access_key|secret_key|AKIA/i);
  });

  test.each([...stacks.keys()])("%s: every password-like argument is write-only and fed by an ephemeral value", (name) => {
    for (const [path, value] of passwordLikeArguments(stacks.get(name))) {
      if (/_version$/.test(path)) {
        expect(typeof value).toBe("number");
      } else if (/ephemeral\.aws_secretsmanager_random_password\.[^.]+\.(password_length|exclude_characters|require_each_included_type)$/.test(path)) {
        // The generator's settings, not a password.
      } else {
        expect([path, value]).toEqual([expect.stringMatching(/_wo$/), expect.stringMatching(/^\$\{.*ephemeral\.[\w-]+\.[\w-]+\.(random_password|secret_string).*\}$/)]);
      }
    }
  });

  // The check above passes vacuously on a stack without passwords: these stacks must have one.
  test.each([
    ["production-global-database", "resource.aws_secretsmanager_secret_version", "secret_string_wo"],
    ["production-regional-us-east-1", "resource.aws_rds_cluster", "master_password_wo"],
  ])("%s: the password check finds its %s %s", (name, prefix, argument) => {
    const found = passwordLikeArguments(stacks.get(name)).filter(([path]) => path.startsWith(`${prefix}.`) && path.endsWith(`.${argument}`));
    expect(found).toHaveLength(1);
    expect(found[0]![1]).toMatch(/^\$\{.*ephemeral\.[\w-]+\.[\w-]+\.(random_password|secret_string).*\}$/);
  });
});

/** Every leaf argument, at any depth, whose name mentions a password or secret string, with its dotted path. */
function passwordLikeArguments(node: unknown, path = ""): [string, unknown][] {
  if (node === null || typeof node !== "object") {
    return [];
  }
  return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) => {
    const at = path ? `${path}.${key}` : key;
    const isLeaf = value === null || typeof value !== "object";
    const own: [string, unknown][] = isLeaf && /password|secret_string/i.test(key) ? [[at, value]] : [];
    return [...own, ...passwordLikeArguments(value, at)];
  });
}
