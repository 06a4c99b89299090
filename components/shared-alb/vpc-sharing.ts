import { Problems } from "../internal/errors";
import { AccountIdPattern, AllowedText, accountIdQuoteHint, SubnetIdPattern, checkKnownKeys, isRecord, join } from "../internal/validate";

/** An AWS Organization ARN (`arn:aws:organizations::<management>:organization/o-...`). */
export const OrganizationArnPattern = /^arn:aws[a-z-]*:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/;
/** An organizational unit ARN (`arn:aws:organizations::<management>:ou/o-.../ou-...`). */
export const OrganizationalUnitArnPattern = /^arn:aws[a-z-]*:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/;
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

/**
 * Checks `vpcSharing { subnetIds, principals, name }`. The default principals
 * are the accounts of the clusters outside the network account; `principals`
 * adds to them. Absent `vpcSharing` means nothing is shared.
 */
export function validateVpcSharing(p: Problems, raw: unknown, networkAccountId: string, clusterAccountIds: string[],
    defaultName: string): VpcSharingModel | undefined {
    const path = "vpcSharing";
    if (raw === undefined) {
        return undefined;
    }
    if (!p.check(isRecord(raw), path, raw, "expected { subnetIds, principals?, name? }")) {
        return undefined;
    }
    const v = raw as Record<string, unknown>;
    checkKnownKeys(p, path, v, ["subnetIds", "principals", "name"]);

    const subnetIds: string[] = [];
    if (p.check(Array.isArray(v.subnetIds) && v.subnetIds.length > 0, join(path, "subnetIds"), v.subnetIds,
        "expected a non-empty list of the subnets the clusters' nodes and pods use")) {
        (v.subnetIds as unknown[]).forEach((id, i) => {
            const itemPath = join(join(path, "subnetIds"), i);
            if (p.check(typeof id === "string" && SubnetIdPattern.test(id), itemPath, id, AllowedText.subnetId)
                && p.check(!subnetIds.includes(id as string), itemPath, id, "expected no duplicates")) {
                subnetIds.push(id as string);
            }
        });
    }

    const extra: string[] = [];
    if (v.principals !== undefined && p.check(Array.isArray(v.principals), join(path, "principals"), v.principals,
        "expected a list of 12-digit account IDs or organization / OU ARNs")) {
        (v.principals as unknown[]).forEach((principal, i) => {
            const itemPath = join(join(path, "principals"), i);
            const shaped = typeof principal === "string"
                && (AccountIdPattern.test(principal) || OrganizationArnPattern.test(principal) || OrganizationalUnitArnPattern.test(principal));
            if (p.check(shaped, itemPath, principal,
                "expected a 12-digit account ID, an organization ARN (arn:aws:organizations::<account>:organization/o-...) or an OU ARN (...:ou/o-.../ou-...)"
                + accountIdQuoteHint(principal))
                && p.check(principal !== networkAccountId, itemPath, principal, "expected another account than the network's own (accountId), which owns the subnets")
                && p.check(!extra.includes(principal as string), itemPath, principal, "expected no duplicates")) {
                extra.push(principal as string);
            }
        });
    }
    const name = v.name ?? defaultName;
    p.check(typeof name === "string" && ShareNamePattern.test(name), join(path, "name"), name,
        "expected a resource share name of 1 to 255 letters, digits, spaces and _.:/=+@-");

    const defaults = [...new Set(clusterAccountIds.filter(a => a !== networkAccountId))].sort();
    const principals = [...defaults, ...extra.filter(e => !defaults.includes(e)).sort()];
    return {
        name: name as string,
        subnetIds,
        principals,
        accountsOnly: principals.every(principal => AccountIdPattern.test(principal)),
    };
}

/** The ARN of a subnet, which RAM associates with a share. */
export function subnetArn(partition: string, region: string, accountId: string, subnetId: string): string {
    return `arn:${partition}:ec2:${region}:${accountId}:subnet/${subnetId}`;
}
