import { offlineOverrides } from "../../src/verification/offline-overrides";
import { offlineBlocker, readSynthesizedStacks } from "../../src/verification/synthesized-stacks";
import { synthFixtureApp } from "./fixtures";

const stacks = readSynthesizedStacks(synthFixtureApp());
const stack = (name: string) => stacks.find((s) => s.name === name)!;

describe("offline overrides", () => {
  test("replace the backend with a local one and give every AWS provider fake credentials and skip flags", () => {
    const overrides = offlineOverrides(stack("producer"), stacks);
    expect(overrides.terraform).toEqual({ backend: { local: { path: "terraform.tfstate" } } });
    expect(overrides.provider!.aws).toEqual([
      expect.objectContaining({ skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true, access_key: expect.any(String) }),
    ]);
  });

  test("answer cross-stack reads with placeholders shaped like the producer's outputs", () => {
    const overrides = offlineOverrides(stack("consumer"), stacks);
    const [remote] = Object.values(overrides.data!.terraform_remote_state!);
    expect(remote).toMatchObject({ backend: "local", config: { path: "offline-remote-state.tfstate" } });
    const defaults = remote!.defaults as Record<string, unknown>;
    const values = Object.values(defaults);
    expect(values).toContainEqual(expect.any(String));
    expect(values).toContainEqual([expect.any(String), expect.any(String), expect.any(String)]);
  });

  test("aliases keep their alias so each aliased provider gets its own fake credentials", () => {
    const json = { ...stack("producer"), config: { ...stack("producer").config, provider: { aws: [{ region: "us-east-1" }, { alias: "secondary", region: "eu-west-1" }] } } };
    expect(offlineOverrides(json, stacks).provider!.aws!.map((p) => p.alias)).toEqual([undefined, "secondary"]);
  });

  test("a stack using the kubernetes provider is named as not plannable offline, with the reason", () => {
    expect(offlineBlocker(stack("in-cluster"))).toMatch(/^uses provider kubernetes, which has no offline binary/);
    expect(offlineBlocker(stack("producer"))).toBeUndefined();
  });
});
