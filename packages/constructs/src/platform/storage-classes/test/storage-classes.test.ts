import { Testing, type TerraformStack } from "cdktf";
import { emptyStack, resourcesOf, synthJson } from "../../../../test-support/fixture";
import { DEFAULT_CLASS_ANNOTATION, StorageClasses, type StorageClassesProps } from "..";
import { StorageClassesExample } from "./usage";

const stack = () => emptyStack();
const synth = (s: TerraformStack) => synthJson(s);

const storageProps: StorageClassesProps = { fileSystemId: "fs-0123456789abcdef0" };

describe("StorageClasses", () => {
  test.each([
    ["fileSystemId", { fileSystemId: "fsap-0123456789abcdef0" }, 'fileSystemId "fsap-0123456789abcdef0" must be an EFS file system id'],
    ["gp3Name", { gp3Name: "GP3" }, 'gp3Name "GP3" must be a StorageClass name'],
    ["efs.name equal to gp3Name", { efs: { name: "gp3" } }, 'efs.name "gp3" must differ from gp3Name "gp3"'],
    ["demoteClasses containing the default", { demoteClasses: ["gp2", "gp3"] }, 'demoteClasses ["gp2","gp3"] must not contain the default class "gp3"'],
    ["efs.directoryPerms", { efs: { directoryPerms: "rwx" } }, 'efs.directoryPerms "rwx" must be octal permissions such as 700'],
    ["efs.gidRange reversed", { efs: { gidRange: { start: 2000, end: 1000 } } }, 'efs.gidRange {"start":2000,"end":1000} must be integers with 1 <= start < end'],
    ["efs.basePath relative", { efs: { basePath: "dynamic" } }, 'efs.basePath "dynamic" must be an absolute path'],
  ] as [string, Partial<StorageClassesProps>, string][])("throws when %s is bad", (_what, overrides, message) => {
    expect(() => new StorageClasses(stack(), "storage", { ...storageProps, ...overrides })).toThrow(`StorageClasses storage: ${message}`);
  });

  test("no gp2 annotation when nothing is to be demoted, and no KMS key parameter without a key", () => {
    const scope = stack();
    new StorageClasses(scope, "storage", { ...storageProps, demoteClasses: [] });
    const json = synth(scope);
    expect(resourcesOf(json, "kubernetes_annotations")).toEqual([]);
    expect(resourcesOf(json, "kubernetes_storage_class_v1").find((c) => c.storage_provisioner === "ebs.csi.aws.com")!.parameters).not.toHaveProperty("kmsKeyId");
  });
});


/** GIVEN an empty stack WHEN the classes are built with the required props and `overrides` THEN the classes and annotations. */
function synthClasses(overrides: Partial<StorageClassesProps> = {}) {
  const scope = stack();
  const classes = new StorageClasses(scope, "storage", { ...storageProps, ...overrides });
  const json = synth(scope);
  const byProvisioner = (provisioner: string) => resourcesOf(json, "kubernetes_storage_class_v1").find((c) => c.storage_provisioner === provisioner)!;
  return { classes, json, gp3: byProvisioner("ebs.csi.aws.com"), efs: byProvisioner("efs.csi.aws.com") };
}

describe("StorageClasses with explicit props", () => {
  test("with the required props: an encrypted, expandable default gp3 class bound at first consumer, an EFS access-point class, gp2 un-defaulted", () => {
    const { gp3, efs, json } = synthClasses();
    expect(gp3).toMatchObject({
      metadata: { name: "gp3", annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } },
      reclaim_policy: "Delete",
      volume_binding_mode: "WaitForFirstConsumer",
      allow_volume_expansion: true,
      parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
    });
    expect(efs).toMatchObject({
      metadata: { name: "efs" },
      volume_binding_mode: "Immediate",
      allow_volume_expansion: false,
      parameters: { provisioningMode: "efs-ap", fileSystemId: "fs-0123456789abcdef0", directoryPerms: "700", gidRangeStart: "50000", gidRangeEnd: "7000000", basePath: "/dynamic", ensureUniqueDirectory: "true" },
    });
    expect(resourcesOf(json, "kubernetes_annotations")).toEqual([
      expect.objectContaining({ kind: "StorageClass", metadata: { name: "gp2" }, annotations: { [DEFAULT_CLASS_ANNOTATION]: "false" }, force: true }),
    ]);
  });

  test("ebsKmsKeyArn, gp3Name, efs options and demoteClasses are rendered as given", () => {
    const key = "arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab";
    const { gp3, efs, json, classes } = synthClasses({
      ebsKmsKeyArn: key,
      gp3Name: "fast",
      efs: { name: "shared", directoryPerms: "750", gidRange: { start: 1000, end: 2000 }, basePath: "/volumes" },
      demoteClasses: ["gp2", "standard"],
    });
    expect(gp3).toMatchObject({ metadata: { name: "fast" }, parameters: { kmsKeyId: key } });
    expect(efs).toMatchObject({ metadata: { name: "shared" }, parameters: { directoryPerms: "750", gidRangeStart: "1000", gidRangeEnd: "2000", basePath: "/volumes" } });
    expect(resourcesOf(json, "kubernetes_annotations").map((a) => (a.metadata as { name: string }).name)).toEqual(["gp2", "standard"]);
    expect(classes.demoted).toHaveLength(2);
  });

  test("the README's usage example synthesizes (snapshot)", () => {
    expect(synthJson(new StorageClassesExample(Testing.app(), "example"))).toMatchSnapshot();
  });
});
