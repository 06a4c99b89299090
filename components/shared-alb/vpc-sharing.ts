/**
 * `vpcSharing`: the subnets the network stack shares with the cluster
 * accounts through AWS RAM. Pure: no Pulumi runtime.
 */
import {
    AccountIdPattern, OrganizationArnPattern, OrganizationalUnitArnPattern, accountIdQuoteHint,
} from "../internal/arn";
import { Problems } from "../internal/errors";
import { Reader, check, join, list, nonEmpty, nullAsAbsent, object, optional, text } from "../internal/read";
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
    (v): v is string => typeof v === "string" && [AccountIdPattern, OrganizationArnPattern, OrganizationalUnitArnPattern].some(re => re.test(v)),
    v => "expected a 12-digit account ID, an organization ARN (arn:aws:organizations::<account>:organization/o-...) or an OU ARN (...:ou/o-.../ou-...)"
        + accountIdQuoteHint(v));

const NonEmptySubnets = "expected a non-empty list of the subnets the clusters' nodes and pods use";

/** The shape of `vpcSharing`; the default name and principals come from the rest of the fleet. */
const vpcSharing = object<VpcSharingArgs>("expected { subnetIds, principals?, name? }", {
    subnetIds: nonEmpty(list(subnetId, { notList: NonEmptySubnets, unique: true }), NonEmptySubnets),
    principals: optional(list(principal, { notList: "expected a list of 12-digit account IDs or organization / OU ARNs", unique: true })),
    name: nullAsAbsent(optional(text(ShareNamePattern, "expected a resource share name of 1 to 255 letters, digits, spaces and _.:/=+@-"))),
});

/**
 * Checks `vpcSharing { subnetIds, principals, name }`. The default principals
 * are the accounts of the clusters outside the network account; `principals`
 * adds to them. Absent `vpcSharing` means nothing is shared.
 */
export function validateVpcSharing(p: Problems, raw: unknown, networkAccountId: string, clusterAccountIds: string[],
    defaultName: string): VpcSharingModel | undefined {
    if (raw === undefined) {
        return undefined;
    }
    const before = p.count;
    const read = vpcSharing(p, "vpcSharing", raw);
    (read?.principals ?? []).forEach((value, i) => p.check(value !== networkAccountId, join(join("vpcSharing", "principals"), i), value,
        "expected another account than the network's own (accountId), which owns the subnets"));
    if (read === undefined || p.count > before) {
        return undefined;
    }
    const defaults = [...new Set(clusterAccountIds.filter(a => a !== networkAccountId))].sort();
    const principals = [...defaults, ...(read.principals ?? []).filter(e => !defaults.includes(e)).sort()];
    return {
        name: read.name ?? defaultName,
        subnetIds: read.subnetIds,
        principals,
        accountsOnly: principals.every(x => AccountIdPattern.test(x)),
    };
}
