/**
 * `vpcSharing`: the subnets the network stack shares with the cluster
 * accounts through AWS RAM. Pure: no Pulumi runtime.
 */
import { AccountIdPattern, OrganizationArnPattern, OrganizationalUnitArnPattern, accountIdQuoteHint } from "../internal/arn";
import { Problems } from "../internal/errors";
import { Reader, check, trueOrFalse, join, list, nonEmpty, nullAsAbsent, object, optional, text } from "../internal/read";
import { subnetId } from "../internal/values";
import type { VpcSharingArgs } from "./args";

export { OrganizationArnPattern, OrganizationalUnitArnPattern };

const ShareNamePattern = /^[\w .:/=+@-]{1,255}$/;

/** Validated `vpcSharing`: what the network stack shares through AWS RAM. */
export interface VpcSharingModel {
    name: string;
    subnetIds: string[];
    /** Every principal, sorted: the cluster accounts other than the network's, then the extra ones. */
    principals: string[];
    /** True when every principal is an account ID (no organization or OU): only those accounts see the subnets. */
    accountsOnly: boolean;
}

const principal: Reader<string> = check(
    (v): v is string =>
        typeof v === "string" && [AccountIdPattern, OrganizationArnPattern, OrganizationalUnitArnPattern].some(re => re.test(v)),
    v =>
        "expected a 12-digit account ID, an organization ARN (arn:aws:organizations::<account>:organization/o-...) or an OU ARN (...:ou/o-.../ou-...)" +
        accountIdQuoteHint(v),
);

const NonEmptySubnets = "expected a non-empty list of the subnets the clusters' nodes and pods use";

/** The shape of `vpcSharing`; the default name and principals come from the rest of the fleet. */
const vpcSharing = object<VpcSharingArgs>("expected { subnetIds, principals?, allowOrganizationPrincipals?, name? }", {
    subnetIds: nonEmpty(list(subnetId, { notList: NonEmptySubnets, unique: true }), NonEmptySubnets),
    principals: optional(list(principal, { notList: "expected a list of 12-digit account IDs or organization / OU ARNs", unique: true })),
    allowOrganizationPrincipals: nullAsAbsent(optional(trueOrFalse)),
    name: nullAsAbsent(optional(text(ShareNamePattern, "expected a resource share name of 1 to 255 letters, digits, spaces and _.:/=+@-"))),
});

/** What checking `vpcSharing` needs from the rest of the arguments. */
export interface VpcSharingContext {
    /** `accountId`: it owns the subnets, so it is no principal. */
    networkAccountId: string;
    /** The clusters' accounts: the default principals, but for the network's. */
    clusterAccountIds: string[];
    /** The share's name when `vpcSharing.name` is absent. */
    defaultName: string;
    /** The ALB's own `subnetIds` as given: they are never shared. */
    albSubnetIds: unknown[];
}

/**
 * Checks `vpcSharing { subnetIds, principals, allowOrganizationPrincipals,
 * name }`. The default principals are the accounts of the clusters outside
 * the network account; `principals` adds to them. Absent `vpcSharing` means
 * nothing is shared. Refused: the ALB's own subnets (the participants would
 * run instances in the ALB's public subnets), the network's own account, and
 * an organization or OU principal without `allowOrganizationPrincipals: true`.
 */
export function validateVpcSharing(p: Problems, raw: unknown, context: VpcSharingContext): VpcSharingModel | undefined {
    if (raw === undefined) {
        return undefined;
    }
    const before = p.count;
    const read = vpcSharing(p, "vpcSharing", raw);
    if (read !== undefined) {
        checkSharedSubnets(p, read.subnetIds, context.albSubnetIds);
        checkPrincipals(p, read, context.networkAccountId);
    }
    if (read === undefined || p.count > before) {
        return undefined;
    }
    const defaults = [...new Set(context.clusterAccountIds.filter(a => a !== context.networkAccountId))].sort();
    const principals = [...defaults, ...(read.principals ?? []).filter(e => !defaults.includes(e)).sort()];
    return {
        name: read.name ?? context.defaultName,
        subnetIds: read.subnetIds,
        principals,
        accountsOnly: principals.every(x => AccountIdPattern.test(x)),
    };
}

/** The shared subnets are not the ALB's own: those are its (usually public) subnets, not where the clusters' nodes belong. */
function checkSharedSubnets(p: Problems, shared: string[], albSubnetIds: unknown[]): void {
    shared.forEach((id, i) => {
        const j = albSubnetIds.indexOf(id);
        p.check(
            j < 0,
            join(join("vpcSharing", "subnetIds"), i),
            id,
            `is the ALB's own subnet (subnetIds[${j}]): sharing it lets the cluster accounts run instances beside the ALB; ` +
                "share the private subnets the clusters' nodes and pods use instead",
        );
    });
}

/**
 * The extra principals: never the network's own account, and an organization
 * or OU (every account in it, today's and future ones) only with the explicit
 * `allowOrganizationPrincipals: true`, which is refused without one.
 */
function checkPrincipals(p: Problems, read: VpcSharingArgs, networkAccountId: string): void {
    const at = join("vpcSharing", "principals");
    const principals = read.principals ?? [];
    principals.forEach((value, i) =>
        p.check(
            value !== networkAccountId,
            join(at, i),
            value,
            "expected another account than the network's own (accountId), which owns the subnets",
        ),
    );
    const allowed = read.allowOrganizationPrincipals === true;
    const organizations = principals.filter(x => !AccountIdPattern.test(x));
    principals.forEach((value, i) =>
        p.check(
            allowed || AccountIdPattern.test(value),
            join(at, i),
            value,
            "an organization or OU principal shares the subnets and the VPC with every account in it, today's and future ones: " +
                "list the cluster accounts instead, or set vpcSharing.allowOrganizationPrincipals: true to accept that",
        ),
    );
    p.check(
        !allowed || organizations.length > 0,
        join("vpcSharing", "allowOrganizationPrincipals"),
        true,
        "allowed only with an organization or OU ARN in vpcSharing.principals; leave it out",
    );
}
