import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { StorageClasses } from "@meridian/constructs";

/** A cluster's default gp3 class with a customer-managed key, and an EFS class on a shared file system. */
export class StorageClassesExample extends TerraformStack {
  readonly storageClasses: StorageClasses;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new KubernetesProvider(this, "kubernetes", { configPath: "~/.kube/config", configContext: "team-a" });
    this.storageClasses = new StorageClasses(this, "storage", {
      fileSystemId: "fs-0123456789abcdef0",
      ebsKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab",
    });
  }
}
