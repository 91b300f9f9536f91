import { TerraformStack, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";

export interface EphemeralResourceProps {
  /** Resource type, e.g. `aws_secretsmanager_secret_version`. */
  readonly type: string;
  /** Arguments in Terraform JSON form (snake_case keys). */
  readonly config: Readonly<Record<string, unknown>>;
  /** The provider the block is opened with. @default - the stack's default provider of that type */
  readonly provider?: TerraformProvider;
}

/**
 * An `ephemeral` block (Terraform >= 1.10): opened anew in every run and never written to the
 * plan or the state, which is how a secret reaches a write-only attribute (`*_wo`) without
 * being stored anywhere. cdktf 0.21 has no binding for ephemeral blocks, so this one enters the
 * stack's JSON through an override and is referenced by expression.
 */
export class EphemeralResource extends Construct {
  /** `ephemeral.<type>.<name>` */
  readonly address: string;

  constructor(scope: Construct, id: string, props: EphemeralResourceProps) {
    super(scope, id);
    const stack = TerraformStack.of(this);
    // cdktf's own naming (path plus hash), like every resource's logical id: unique in the stack.
    const name = stack.getLogicalId(this.node);
    const provider = props.provider?.alias ? { provider: `${props.provider.terraformResourceType}.${props.provider.alias}` } : {};
    stack.addOverride(`ephemeral.${props.type}.${name}`, { ...props.config, ...provider });
    this.address = `ephemeral.${props.type}.${name}`;
  }

  /** An expression for a field of a JSON attribute, e.g. the password in a secret string. */
  jsonField(attribute: string, field: string): string {
    return `\${jsondecode(${this.address}.${attribute})["${field}"]}`;
  }
}
