/**
 * The AWS rules every part of the package shares: partitions, ARNs, account
 * IDs, external IDs and tags. The components, the stacks and the CLI (the
 * outputs reader and the doctor) build and check them here, so an
 * `aws-cn` or `aws-us-gov` fleet gets the same ARNs everywhere. Pure: no
 * Pulumi runtime.
 */
import { dataMap } from "./data";
import { KnownNow, Reader, check, isUnresolved, isRecord, join, secretText } from "./read";

/** The partition prefix of an ARN, any partition (`arn:aws:`, `arn:aws-cn:`, `arn:aws-us-gov:`...). */
const Arn = "arn:aws[a-z-]*:";

/**
 * The AWS partition of a region: `aws-cn` for China, `aws-us-gov` for
 * GovCloud, the ISO partitions for theirs, `aws` for every other.
 */
export function partitionOf(region: string): string {
    const iso = /^[a-z]{2}-(iso[a-z]?)-/.exec(region);
    if (iso !== null) {
        return iso[1] === "iso" ? "aws-iso" : `aws-iso-${iso[1].slice(3)}`;
    }
    if (region.startsWith("cn-")) {
        return "aws-cn";
    }
    if (region.startsWith("us-gov-")) {
        return "aws-us-gov";
    }
    return "aws";
}

/** The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`), `aws` when it is none. */
export function arnPartition(arn: string): string {
    return /^arn:(aws[a-z-]*):/.exec(arn)?.[1] ?? "aws";
}

/** An ARN from its parts; `region` and `account` are empty for global services. */
export function arn(partition: string, service: string, region: string, account: string, resource: string): string {
    return `arn:${partition}:${service}:${region}:${account}:${resource}`;
}

/** The ARN of an IAM role by account, name and path (`/` by default). */
export function roleArn(partition: string, accountId: string, roleName: string, path = "/"): string {
    return arn(partition, "iam", "", accountId, `role${path}${roleName}`);
}

/** The ARN of an account's root principal, as trust policies name an account. */
export function accountRootArn(partition: string, accountId: string): string {
    return arn(partition, "iam", "", accountId, "root");
}

/** A security group's ARN. */
export function securityGroupArn(partition: string, region: string, accountId: string, groupId: string): string {
    return arn(partition, "ec2", region, accountId, `security-group/${groupId}`);
}

/** A subnet's ARN, as RAM associates it with a share. */
export function subnetArn(partition: string, region: string, accountId: string, subnetId: string): string {
    return arn(partition, "ec2", region, accountId, `subnet/${subnetId}`);
}

/** The ARN of an account's IAM OIDC provider for an issuer (with or without `https://`), as IRSA trust policies name it. */
export function oidcProviderArn(partition: string, accountId: string, issuer: string): string {
    return arn(partition, "iam", "", accountId, `oidc-provider/${issuer.replace(/^https:\/\//, "")}`);
}

/** A target group's ARN from its name and ID. */
export function targetGroupArn(partition: string, region: string, accountId: string, name: string, id: string): string {
    return arn(partition, "elasticloadbalancing", region, accountId, `targetgroup/${name}/${id}`);
}

export const RoleArnPattern = new RegExp(`^${Arn}iam::\\d{12}:role/.+$`);
export const TargetGroupArnPattern = new RegExp(`^${Arn}elasticloadbalancing:[a-z0-9-]+:\\d{12}:targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]+$`);
export const LoadBalancerArnPattern = new RegExp(
    `^${Arn}elasticloadbalancing:[a-z0-9-]+:\\d{12}:loadbalancer/app/[A-Za-z0-9-]+/[0-9a-f]+$`,
);
export const ListenerArnPattern = new RegExp(
    `^${Arn}elasticloadbalancing:[a-z0-9-]+:\\d{12}:listener/app/[A-Za-z0-9-]+/[0-9a-f]+/[0-9a-f]+$`,
);
export const CertificateArnPattern = new RegExp(`^${Arn}(acm|iam):[a-z0-9-]*:\\d{12}:(certificate|server-certificate)/.+$`);
export const OidcProviderArnPattern = new RegExp(`^${Arn}iam::\\d{12}:oidc-provider/[a-z0-9].*$`);
/** An AWS Organization ARN (`arn:aws:organizations::<management>:organization/o-...`). */
export const OrganizationArnPattern = new RegExp(`^${Arn}organizations::\\d{12}:organization/o-[a-z0-9]{10,32}$`);
/** An organizational unit ARN (`arn:aws:organizations::<management>:ou/o-.../ou-...`). */
export const OrganizationalUnitArnPattern = new RegExp(
    `^${Arn}organizations::\\d{12}:ou/o-[a-z0-9]{10,32}/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$`,
);

/** What each kind of ARN the arguments and outputs hold must look like, in words. */
export const ArnAllowed = {
    role: 'expected an IAM role ARN such as "arn:aws:iam::222222222222:role/shared-alb-lbc-blue"',
    targetGroup: "expected a target group ARN",
    loadBalancer:
        "expected an application load balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>)",
    listener: "expected a listener ARN of an application load balancer (...:listener/app/<name>/<lb-id>/<listener-id>)",
    oidcProvider:
        'expected an IAM OIDC provider ARN such as "arn:aws:iam::222222222222:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"',
} as const;

/** The account of an ARN (empty for what is not an ARN). */
export function arnAccount(value: string): string {
    return /^arn:aws[a-z-]*:[^:]*:[^:]*:(\d*):/.exec(value)?.[1] ?? "";
}

/** A role ARN's account, path (`/` when none) and name; undefined for anything else. */
export function parseRoleArn(value: string): { partition: string; accountId: string; path: string; name: string } | undefined {
    const m = new RegExp(`^arn:(aws[a-z-]*):iam::(\\d{12}):role(/(?:[\\x21-\\x7e]+/)?)([\\w+=,.@-]{1,64})$`).exec(value);
    return m === null ? undefined : { partition: m[1], accountId: m[2], path: m[3], name: m[4] };
}

export const AccountIdPattern = /^\d{12}$/;
export const AccountIdAllowed = 'expected a 12-digit AWS account ID such as "111111111111"';

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

/** A 12-digit account ID (a string), with the quoting hint for a number. */
export const accountId: Reader<string> = check(
    (v): v is string => typeof v === "string" && AccountIdPattern.test(v),
    v => `${AccountIdAllowed}${accountIdQuoteHint(v)}`,
);

/** What `sts:ExternalId` accepts: 2..1224 characters of `\w+=,.@:/-`. */
export const ExternalIdPattern = /^[\w+=,.@:/-]{2,1224}$/;
export const ExternalIdAllowed = "expected 2 to 1224 characters of letters, digits and +=,.@:/_-";
/**
 * An external ID a registrar role requires, as a secret: typed
 * `Input<string>` (read later when an Output), and shown in a message by
 * its length only.
 */
export const externalId = secretText(ExternalIdPattern, ExternalIdAllowed);

const TagKeyPattern = /^.{1,128}$/s;
/** What ELB and IAM accept in a tag key or value: letters, digits, spaces and `_.:/=+-@` (EC2 and RAM accept these too). */
const TagCharactersPattern = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TagCharacters = "letters, digits, spaces and _.:/=+-@";

/**
 * The one key the Pulumi SDK cannot carry in a resource's inputs: it copies
 * inputs into plain objects by assignment (`serializeProperty` in
 * @pulumi/pulumi's runtime/rpc.js), and assigning `__proto__` sets nothing.
 */
export const DroppedInputKey = "__proto__";

/**
 * Tags: at most `max` (what AWS's 50 per resource leaves beside the tags the
 * caller adds itself, which `why` says), keys of 1..128 characters not
 * starting with `aws:` (AWS reserves them) and other than `__proto__` (see
 * {@link DroppedInputKey}), string values of at most 256, both of the
 * characters every tagged service accepts. Read into a data map:
 * `constructor`, `toString` and the like are tags like any other.
 */
export function tagsUpTo(max: number, why: string, options: { unresolvedValues?: boolean } = {}): Reader<Record<string, string>> {
    return (p, path, value) => {
        if (!isRecord(value)) {
            p.add(path, value, isUnresolved(value) ? KnownNow : "expected { <key>: <value> } of strings");
            return undefined;
        }
        const entries = Object.entries(value);
        p.check(entries.length <= max, path, `${entries.length} tags`, `expected at most ${max} tags: ${why}`);
        const out = dataMap<string>();
        for (const [key, v] of entries) {
            const ok =
                p.check(
                    TagKeyPattern.test(key) && !key.startsWith("aws:") && TagCharactersPattern.test(key),
                    join(path, key),
                    key,
                    `expected a tag key of 1..128 ${TagCharacters}, not starting with "aws:"`,
                ) &&
                p.check(
                    key !== DroppedInputKey,
                    join(path, key),
                    key,
                    'expected another tag key: the Pulumi SDK drops a key named "__proto__" from a resource\'s inputs, so the tag would never be applied',
                ) &&
                ((options.unresolvedValues === true && isUnresolved(v)) ||
                    p.check(
                        typeof v === "string" && v.length <= 256 && TagCharactersPattern.test(v),
                        join(path, key),
                        v,
                        `expected a string of at most 256 ${TagCharacters}`,
                    ));
            if (ok && typeof v === "string") {
                out[key] = v;
            }
        }
        return out;
    };
}

/** Tags on resources that add none of their own: at most 50. */
export const tags: Reader<Record<string, string>> = tagsUpTo(50, "AWS allows 50 per resource");
