/**
 * Shapes of Kubernetes names (DNS-1123 / DNS-1035, as the API server checks them), shared by the
 * schema and the constructs so every check of the same value agrees.
 */

/** One DNS label of at most 63 characters, as a pattern fragment. */
const LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
/** A DNS-1123 subdomain without its length limit, as a pattern fragment. */
const SUBDOMAIN = "[a-z0-9]([-a-z0-9.]*[a-z0-9])?";

/** A DNS-1123 label: namespaces, Helm releases, most label-safe names. At most 63 characters. */
export const DNS_LABEL = new RegExp(`^${LABEL}$`);

/** A DNS-1123 subdomain: most object names (PriorityClass, StorageClass, Secret …). Length: see `isDnsSubdomain`. */
export const DNS_SUBDOMAIN = new RegExp(`^${SUBDOMAIN}$`);

/** A DNS-1035 label (starts with a letter): Service names. At most 63 characters; also an OpenAPI `pattern` (no look-arounds). */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A domain name: one or more dot-separated DNS labels, e.g. `example.com` or `internal`. */
export const DOMAIN_NAME = new RegExp(`^(${LABEL}\\.)*${LABEL}$`);

/** A public DNS name: labels and an alphabetic top-level domain, e.g. `api.example.com`. */
export const PUBLIC_DNS_NAME = new RegExp(`^(${LABEL}\\.)+[a-z]{2,63}$`);

/** An API group such as `platform.example.com`: a subdomain with at least one dot. */
export const API_GROUP = new RegExp(`^${LABEL}(\\.${LABEL})+$`);

/** A service account as IAM trust policies name it: `system:serviceaccount:<namespace>:<name>`. */
export const SERVICE_ACCOUNT_SUBJECT = new RegExp(`^system:serviceaccount:${LABEL}:${SUBDOMAIN}$`);

/** Whether `value` is a DNS-1123 label of at most `maxLength` (63, or less where a name is extended, e.g. Helm's 53). */
export function isDnsLabel(value: string, maxLength = 63): boolean {
  return value.length <= maxLength && DNS_LABEL.test(value);
}

/** Whether `value` is a DNS-1123 subdomain of at most 253 characters. */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && DNS_SUBDOMAIN.test(value);
}

/** The name part of a label key, and a non-empty label value: alphanumerics, '-', '_', '.', alphanumeric at both ends. */
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/**
 * Why `key` is not a Kubernetes label key (or taint key, which has the same syntax), or
 * `undefined`: an optional DNS-subdomain prefix of at most 253 characters and a `/`, then a name
 * of at most 63 characters (Kubernetes "Labels and Selectors", syntax and character set).
 */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !(isDnsSubdomain(prefix) && DOMAIN_NAME.test(prefix))) {
    return "has a prefix that is not a lower-case DNS subdomain (at most 253 characters) before its '/'";
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return "must be [prefix/]name with a name of 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  }
  return undefined;
}

/** Why `value` is not a Kubernetes label value, or `undefined`: empty, or at most 63 characters of the name syntax. */
export function labelValueProblem(value: string): string | undefined {
  return value === "" || (value.length <= 63 && QUALIFIED_NAME.test(value))
    ? undefined
    : "must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
}
