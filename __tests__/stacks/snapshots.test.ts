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
    expect(text).not.toMatch(/access_key|secret_key|AKIA|password/i);
  });
});
