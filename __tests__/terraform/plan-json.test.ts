import { changeKind, countByKind, formatPath } from "../../src/terraform/plan-json";
import { countActions } from "../../src/verification/offline-verification";

describe("plan JSON helpers", () => {
  test("a create with a delete is a replacement, in either order", () => {
    expect(changeKind(["delete", "create"])).toBe("replace");
    expect(changeKind(["create", "delete"])).toBe("replace");
    expect(changeKind(["no-op"])).toBe("no-op");
    expect(changeKind(["update"])).toBe("update");
  });

  test("counts creates, updates, replacements and deletes, not reads or no-ops", () => {
    expect(countByKind(["create", "create", "update", "replace", "delete", "read", "no-op"])).toEqual({ create: 2, update: 1, replace: 1, delete: 1 });
  });

  test("a plan's counts are its managed resources' changes; data sources read at plan time do not count", () => {
    // GIVEN a plan with a replacement, an in-place update, a no-op and a data source read
    const plan = {
      resource_changes: [
        { address: "aws_vpc.a", mode: "managed", type: "aws_vpc", name: "a", change: { actions: ["delete", "create"] } },
        { address: "aws_vpc.b", mode: "managed", type: "aws_vpc", name: "b", change: { actions: ["update"] } },
        { address: "aws_vpc.c", mode: "managed", type: "aws_vpc", name: "c", change: { actions: ["no-op"] } },
        { address: "data.aws_iam_policy_document.d", mode: "data", type: "aws_iam_policy_document", name: "d", change: { actions: ["read"] } },
      ],
    };
    // THEN only the managed changes are counted, each once
    expect(countActions(plan as never)).toEqual({ create: 0, update: 1, replace: 1, delete: 0 });
  });

  test("formats attribute paths as Terraform writes them", () => {
    expect(formatPath(["ingress", 0, "cidr_blocks"])).toBe("ingress[0].cidr_blocks");
  });
});
