import { ConfigError, loadCatalogue, type ConfigProblem } from "../../src/config/load";
import { rawCatalogue } from "../helpers";

// Tests write values the typed catalogue would refuse to compile; that is the point.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** The problems loading the built-in catalogue reports after `mutate`. */
function problemsAfter(mutate: (raw: Loose) => void): readonly ConfigProblem[] {
  const raw = rawCatalogue();
  mutate(raw);
  try {
    loadCatalogue(raw);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
    throw error;
  }
  return [];
}
const production = (raw: Loose) => raw.environments[1];
const staging = (raw: Loose) => raw.environments[0];

describe("health checks that cannot succeed are refused", () => {
  test("an HTTP edge health check against a TCP-passthrough ingress (the listener port speaks TLS)", () => {
    // GIVEN production (ingress.protocol TCP, pods serve TLS) WHEN its edge health check is HTTP
    const problems = problemsAfter((raw) => Object.assign(production(raw).edge.healthCheck, { protocol: "HTTP", path: "/healthz" }));
    // THEN exactly that setting is refused, naming why
    expect(problems.map((p) => [p.path, p.rule])).toEqual([
      ["environments[1].edge.healthCheck.protocol", "cannot succeed: the NLB listener passes TLS through to the pods, so the listener port speaks TLS; use HTTPS (or TCP)"],
    ]);
  });

  test("an edge health check path Global Accelerator refuses (its pattern allows no parentheses, at most 255 characters)", () => {
    const problems = problemsAfter((raw) => (production(raw).edge.healthCheck.path = "/health(z)"));
    expect(problems.map((p) => p.path)).toEqual(["environments[1].edge.healthCheck.path"]);
    expect(problems[0]!.rule).toMatch(/Global Accelerator/);
    expect(problemsAfter((raw) => (production(raw).edge.healthCheck.path = `/${"a".repeat(255)}`)).map((p) => p.path)).toEqual(["environments[1].edge.healthCheck.path"]);
  });

  test("the built-in catalogue passes", () => {
    expect(problemsAfter(() => undefined)).toEqual([]);
  });
});

describe("managed RPO with a single secondary is refused", () => {
  test("database.globalDbRpoSeconds is refused: the only secondary's outage would block every commit on the writer", () => {
    // GIVEN staging (one secondary, like every environment) WHEN it sets a managed RPO
    const problems = problemsAfter((raw) => (staging(raw).database.globalDbRpoSeconds = 60));
    // THEN the setting is refused, naming the consequence
    expect(problems.map((p) => p.path)).toEqual(["environments[0].database.globalDbRpoSeconds"]);
    expect(problems[0]!.rule).toMatch(/^blocks every commit on the writer in us-east-1 whenever the only secondary \(us-west-2\) lags more than 60 s/);
  });
});
