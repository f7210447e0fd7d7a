/** Names as apimachinery validates them (pkg/util/validation). */
export const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** apimachinery validation.IsQualifiedName, as used for label keys; returns the problem or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'a qualified name must consist of an optional DNS subdomain prefix and a name, with at most one "/"';
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0) return 'the prefix part must be non-empty';
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))
      return 'the prefix part must be a lowercase DNS subdomain (at most 253 characters)';
  }
  if (name.length === 0) return 'the name part must be non-empty';
  if (name.length > 63) return 'the name part must be no more than 63 characters';
  if (!LABEL_NAME.test(name))
    return "the name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!LABEL_NAME.test(value))
    return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return undefined;
}

/** validation.IsValidPortName (IANA_SVC_NAME); returns the problem or undefined. */
export function portNameProblem(name: string): string | undefined {
  if (name.length > 15) return 'must be no more than 15 characters';
  if (!/^[-a-z0-9]+$/.test(name)) return "must contain only lowercase alphanumeric characters or '-'";
  if (!/[a-z]/.test(name)) return 'must contain at least one letter';
  if (name.includes('--')) return "must not contain consecutive hyphens";
  if (name.startsWith('-') || name.endsWith('-')) return "must not begin or end with a hyphen";
  return undefined;
}

/**
 * Environment variable names: the strict C-identifier-like rule, or any printable ASCII
 * but "=" once RelaxedEnvironmentVariableValidation is on by default (beta 1.32, GA 1.34).
 */
export function envNameProblem(name: string, relaxed: boolean): string | undefined {
  if (relaxed) {
    return /^[\x20-\x3c\x3e-\x7e]+$/.test(name) ? undefined : "must consist only of printable ASCII characters other than '='";
  }
  return /^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)
    ? undefined
    : "must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
}
