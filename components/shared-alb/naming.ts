import { createHash } from "crypto";

/** AWS limit on ALB and target group names. */
export const MaxElbNameLength = 32;
/** AWS limit on IAM role names. */
export const MaxRoleNameLength = 64;

/** The first `length` hex digits of a SHA-256 over the parts. */
export function digest(parts: readonly (string | number)[], length: number): string {
    return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, length);
}

/** The properties whose change replaces a target group (and so must rename it). */
export interface TargetGroupIdentity {
    loadBalancerName: string;
    cluster: string;
    service: string;
    vpcId: string;
    port: number;
    protocol: string;
    targetType: string;
}

/**
 * The physical name of the target group of one cluster and service: readable
 * `<cluster>-<service>` (shortened to fit) and an 8-hex digest of everything
 * that identifies it, including the properties AWS cannot change in place.
 * Changing port, protocol, target type or VPC therefore yields a new name, so
 * Pulumi can create the replacement before deleting the old one; changing a
 * weight, or adding another cluster, changes nothing. At most 32 characters,
 * letters, digits and inner hyphens, never starting with `internal-`.
 */
export function targetGroupName(id: TargetGroupIdentity): string {
    const hash = digest(["tg", id.loadBalancerName, id.cluster, id.service, id.vpcId, id.port, id.protocol, id.targetType], 8);
    let readable = `${id.cluster}-${id.service}`.slice(0, MaxElbNameLength - hash.length - 1).replace(/-+$/, "");
    if (readable.startsWith("internal-") || readable === "internal") {
        readable = `tg-${readable}`.slice(0, MaxElbNameLength - hash.length - 1).replace(/-+$/, "");
    }
    return `${readable}-${hash}`;
}

/** The default name of a cluster's controller role in its own account. */
export function defaultControllerRoleName(clusterKey: string): string {
    return `shared-alb-lbc-${clusterKey}`;
}

/**
 * The name of the registrar role a cross-account cluster assumes in the ALB's
 * account: `<alb>-registrar-<cluster>`, shortened with a digest past 64 characters.
 */
export function registrarRoleName(loadBalancerName: string, clusterKey: string): string {
    const name = `${loadBalancerName}-registrar-${clusterKey}`;
    if (name.length <= MaxRoleNameLength) {
        return name;
    }
    const hash = digest(["registrar", loadBalancerName, clusterKey], 8);
    return `${name.slice(0, MaxRoleNameLength - hash.length - 1)}-${hash}`;
}

/**
 * The random external ID of a cross-account cluster (`random.RandomPassword`
 * arguments): 32 letters and digits, about 190 bits, every character one
 * `sts:ExternalId` accepts. Changing these replaces every generated ID.
 */
export const ExternalIdPassword = { length: 32, special: false, upper: true, lower: true, numeric: true } as const;

/** A logical-name-safe key for a CIDR or ARN (`10.0.0.0/16` -> `10-0-0-0-16`). */
export function nameKey(value: string): string {
    return value.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}
