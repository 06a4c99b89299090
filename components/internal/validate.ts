import { Problems } from "./errors";

/** Closed sets used across the components. */
export const TargetTypes = ["ip", "instance"] as const;
export type TargetType = (typeof TargetTypes)[number];

/** The Kubernetes NodePort range (fixed on EKS): where `instance` targets are registered and health-checked. */
export const NodePortRange = { from: 30000, to: 32767 } as const;

export const AccountIdPattern = /^\d{12}$/;
export const VpcIdPattern = /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/;
export const SubnetIdPattern = /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/;
export const SecurityGroupIdPattern = /^sg-[0-9a-f]{8}([0-9a-f]{9})?$/;
export const PrefixListIdPattern = /^pl-[0-9a-f]{8}([0-9a-f]{9})?$/;
export const RegionPattern = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
/** An IAM role name: 1..64 of letters, digits and `+=,.@_-`. */
export const RoleNamePattern = /^[\w+=,.@-]{1,64}$/;
/** DNS-1123 label, as Kubernetes requires for namespaces and most names. */
export const Dns1123LabelPattern = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** DNS-1123 subdomain, as Kubernetes requires for object names. */
export const Dns1123SubdomainPattern = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** An IANA service port name, as Kubernetes accepts for named ports. */
export const PortNamePattern = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]([a-z0-9]|-(?=[a-z0-9]))*$/;
/** A key usable in resource names: lower-case letters, digits and inner hyphens. */
export const KeyPattern = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export const AllowedText = {
    accountId: "expected a 12-digit AWS account ID such as \"111111111111\"",
    vpcId: "expected a VPC ID such as \"vpc-0123456789abcdef0\"",
    subnetId: "expected a subnet ID such as \"subnet-0123456789abcdef0\"",
    securityGroupId: "expected a security group ID such as \"sg-0123456789abcdef0\"",
    region: "expected an AWS region such as \"eu-west-1\"",
    port: "expected an integer port from 1 to 65535",
    key: "expected lower-case letters, digits and inner hyphens (at most 20 characters)",
    dns1123Label: "expected a DNS-1123 label: at most 63 lower-case letters, digits and inner hyphens",
    dns1123Subdomain: "expected a DNS-1123 subdomain: at most 253 lower-case letters, digits, '-' and '.', starting and ending alphanumeric",
    roleName: "expected an IAM role name: 1 to 64 letters, digits and +=,.@_-",
} as const;

/**
 * The hint for an account ID that YAML read back as a number: unquoted,
 * `accountId: 012345678901` arrives as 12345678901 (leading zero lost) and
 * `111111111111` as a number. Empty for any other value.
 */
export function accountIdQuoteHint(value: unknown): string {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 999_999_999_999) {
        return "";
    }
    return `; quote it in YAML: "${String(value).padStart(12, "0")}" (unquoted, YAML reads it as the number ${value})`;
}

/** Checks a 12-digit account ID (a string), with the quoting hint for a number. */
export function checkAccountId(problems: Problems, path: string, value: unknown): boolean {
    return problems.check(typeof value === "string" && AccountIdPattern.test(value), path, value,
        `${AllowedText.accountId}${accountIdQuoteHint(value)}`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isIntIn(value: unknown, min: number, max: number): value is number {
    return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

export function isNonEmptyString(value: unknown): value is string {
    return typeof value === "string" && value.length > 0;
}

/** Checks an optional integer range; returns the value when valid. */
export function checkInt(problems: Problems, path: string, value: unknown, min: number, max: number, what = "an integer"): boolean {
    return problems.check(isIntIn(value, min, max), path, value, `expected ${what} from ${min} to ${max}`);
}

export function checkPattern(problems: Problems, path: string, value: unknown, pattern: RegExp, allowed: string): boolean {
    return problems.check(typeof value === "string" && pattern.test(value), path, value, allowed);
}

export function checkOneOf<T extends string>(problems: Problems, path: string, value: unknown, options: readonly T[]): value is T {
    return problems.check(typeof value === "string" && (options as readonly string[]).includes(value), path, value,
        `expected one of ${options.map(o => JSON.stringify(o)).join(", ")}`);
}

export function checkBoolean(problems: Problems, path: string, value: unknown): boolean {
    return problems.check(typeof value === "boolean", path, value, "expected true or false");
}

/** Checks that an object has only the known keys; unknown keys are usually typos. */
export function checkKnownKeys(problems: Problems, path: string, value: Record<string, unknown>, known: readonly string[]): void {
    for (const key of Object.keys(value)) {
        if (!known.includes(key)) {
            problems.add(join(path, key), value[key], `unknown key; expected one of ${known.join(", ")}`);
        }
    }
}

/** Joins a config path and a key, quoting keys that are not plain identifiers. */
export function join(path: string, key: string | number): string {
    if (typeof key === "number") {
        return `${path}[${key}]`;
    }
    const plain = /^[A-Za-z0-9_-]+$/.test(key);
    const segment = plain ? key : JSON.stringify(key);
    return path ? (plain ? `${path}.${segment}` : `${path}[${segment}]`) : segment;
}
