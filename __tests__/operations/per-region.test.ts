import { perRegion } from "../../src/operations/command-line/per-region";

describe("perRegion (the operator commands' SDK clients)", () => {
  test("GIVEN a maker WHEN asked twice for a region and once for another THEN it makes one value per region and reuses it", () => {
    const made: string[] = [];
    const clientOf = perRegion((region) => {
      made.push(region);
      return { region };
    });
    const first = clientOf("us-east-1");
    expect(clientOf("us-east-1")).toBe(first);
    expect(clientOf("eu-west-1")).toEqual({ region: "eu-west-1" });
    expect(made).toEqual(["us-east-1", "eu-west-1"]);
  });
});
