/**
 * Reads the SharedAlb arguments (or the network stack's config, which has
 * the same shape) in two passes: the plan, known when the component is
 * constructed, and its inputs, known once the `Input` arguments resolve.
 * The top-level keys and the load balancer here, the clusters and services in validate-fleet.ts,
 * the priorities and quotas that depend on all of them in
 * validate-routing.ts. Pure: no Pulumi runtime.
 */
import {
    ArnAllowed,
    CertificateArnPattern,
    ListenerArnPattern,
    LoadBalancerArnPattern,
    accountId,
    partitionOf,
    roleArn,
    tagsUpTo,
} from "../internal/arn";
import { ConfigError, ConfigErrors, Problems } from "../internal/errors";
import {
    Reader,
    check,
    checkKnownKeys,
    trueOrFalse,
    input,
    integer,
    isUnresolved,
    isRecord,
    join,
    keysOf,
    list,
    nonEmpty,
    nullAsAbsent,
    object,
    oneOf,
    optional,
    orThrow,
    secretText,
    text,
    withDefault,
} from "../internal/read";
import { AllowedText, CidrPattern, PrefixListIdPattern, RegionPattern, securityGroupId, subnetId, vpcId } from "../internal/values";
import { DesyncMitigationModes } from "./args";
import type { AccessLogsArgs, LoadBalancerArgs, PreviewArgs, SharedAlbArgs } from "./args";
import { Limits } from "./limits";
import { Defaults, FleetInputs, FleetModel, FleetPlan, LoadBalancerPlan, fleetModel } from "./model";
import { Conditions, givenKeys, readClusters, readServices, targetGroupNamesOf } from "./validate-fleet";
import { SharedAlbOwnTags, SharedAlbTagLimit, checkPlainHttp, checkWebAclPlace, sslPolicy, webAclArn } from "./validate-edge";
import { assignPriorities, checkAttachment } from "./validate-routing";
import { optionalDeployedAllocation } from "./deployed";
import { validateVpcSharing } from "./vpc-sharing";

export { Defaults } from "./model";
export type {
    ClusterModel,
    ClusterPlan,
    FleetInputs,
    FleetModel,
    FleetPlan,
    LoadBalancerModel,
    LoadBalancerPlan,
    PreviewModel,
    ServiceModel,
    ServicePlan,
} from "./model";
export { Limits } from "./limits";
export type { HealthCheckModel, TargetGroupModel, TargetGroupSettings } from "./target-groups";

/** The top-level keys, in the order messages list them. */
const TopKeys = keysOf<SharedAlbArgs>({
    accountId: true,
    region: true,
    vpcId: true,
    vpcCidr: true,
    vpcCidrs: true,
    subnetIds: true,
    loadBalancer: true,
    clusters: true,
    services: true,
    defaultService: true,
    tags: true,
    vpcSharing: true,
    preview: true,
    deployedAllocation: true,
});

/**
 * Checks the SharedAlb arguments and returns the defaulted model: the plan
 * (`planSharedAlbArgs`) with its inputs (`readSharedAlbInputs`), for
 * arguments whose every value is plain. Every problem found is reported at
 * once, each naming its path (`clusters.blue.weight`), the value received
 * and what is allowed. The region is one of the arguments: the network
 * stack puts the AWS provider's there when it is absent.
 *
 * @param raw the arguments, typed loosely because config arrives as parsed YAML.
 */
export function validateSharedAlbArgs(raw: unknown): FleetModel {
    const plan = planSharedAlbArgs(raw, false);
    return fleetModel(plan, readSharedAlbInputs(plan, inputValuesOf(raw as SharedAlbArgs)));
}

/**
 * What `SharedAlb` reads before it registers anything: every value known
 * now. An `Input` field that holds an Output (see `SharedAlbArgs`) is left
 * for `readSharedAlbInputs`, except where a value names a resource (a
 * secondary VPC CIDR, a certificate after the first, an internal ALB's
 * default ingress CIDRs): there an Output is refused, naming its path.
 *
 * @param raw the arguments as given, Outputs included.
 * @param regionFromProvider an absent region is the AWS provider's, known later.
 */
export function planSharedAlbArgs(raw: unknown, regionFromProvider: boolean): FleetPlan {
    const p = new Problems();
    const plan = readFleetPlan(p, raw, regionFromProvider);
    p.throwIfAny();
    return plan;
}

/** The arguments an `Input` may give as an Output: what `readSharedAlbInputs` reads once they resolve. */
export interface SharedAlbInputValues {
    region: unknown;
    vpcId: unknown;
    vpcCidr: unknown;
    vpcCidrs: unknown;
    subnetIds: unknown;
    tags: unknown;
    certificateArns: unknown;
    webAclArn: unknown;
}

/** The `Input` arguments of `args` (the region as given: the component puts its provider's in when absent). */
export function inputValuesOf(args: SharedAlbArgs): SharedAlbInputValues {
    const lb: Record<string, unknown> = isRecord(args.loadBalancer) ? args.loadBalancer : {};
    return {
        region: args.region,
        vpcId: args.vpcId,
        vpcCidr: args.vpcCidr,
        vpcCidrs: args.vpcCidrs,
        subnetIds: args.subnetIds,
        tags: args.tags,
        certificateArns: lb.certificateArns,
        webAclArn: lb.webAclArn,
    };
}

/**
 * The plan's inputs, once they resolve: each checked with the message its
 * plain value gets (a plain one was checked with the plan already), and
 * what derives from them (partition, controller role ARNs, target group
 * names, the web ACL's region).
 */
export function readSharedAlbInputs(plan: FleetPlan, raw: SharedAlbInputValues): FleetInputs {
    const p = new Problems();
    const region = nullAsAbsent(text(RegionPattern, `${AllowedText.region}; ${RegionMissing}`))(p, "region", raw.region);
    const vpc = vpcId(p, "vpcId", raw.vpcId);
    const vpcCidrs = readVpcCidrs(p, raw.vpcCidr, raw.vpcCidrs);
    const subnetIds = subnets(plan.loadBalancer.existingArn !== undefined)(p, "subnetIds", raw.subnetIds);
    const certificateArns = withDefault(certificateList, [])(p, join("loadBalancer", "certificateArns"), raw.certificateArns);
    const webAcl = nullAsAbsent(optional(webAclArn))(p, join("loadBalancer", "webAclArn"), raw.webAclArn);
    const fleetTags = withDefault(fleetTagsReader, {})(p, "tags", raw.tags);
    p.throwIfAny();
    const partition = partitionOf(orThrow(p, region));
    if (webAcl !== undefined) {
        checkWebAclPlace(p, webAcl, partition, orThrow(p, region));
    }
    const targetGroupNames = targetGroupNamesOf(p, plan, orThrow(p, vpc));
    p.throwIfAny();
    return {
        region: orThrow(p, region),
        partition,
        vpcId: orThrow(p, vpc),
        vpcCidrs,
        subnetIds: subnetIds ?? [],
        certificateArns: orThrow(p, certificateArns),
        webAclArn: webAcl,
        tags: orThrow(p, fleetTags),
        targetGroupNames,
        controllerRoleArns: Object.fromEntries(
            Object.values(plan.clusters).map(c => [c.key, roleArn(partition, c.accountId, c.controllerRoleName)]),
        ),
    };
}

/**
 * Reads the arguments into `p` and gives the plan, or throws every problem
 * found at once. The `Input` fields are checked where plain, and read by
 * the plan only where they name resources.
 */
function readFleetPlan(p: Problems, raw: unknown, regionFromProvider: boolean): FleetPlan {
    if (!isRecord(raw)) {
        throw new ConfigErrors([
            new ConfigError("(root)", raw, "expected an object with accountId, vpcId, vpcCidrs, subnetIds, clusters and services"),
        ]);
    }
    checkKnownKeys(p, "", raw, TopKeys);
    const account = accountId(p, "accountId", raw.accountId);
    const region = readPlanRegion(p, raw.region, regionFromProvider);
    input(vpcId)(p, "vpcId", raw.vpcId);
    const vpcCidrs = readPlanVpcCidrs(p, raw.vpcCidr, raw.vpcCidrs);
    const primaryUnresolved = isUnresolved(raw.vpcCidr) || (Array.isArray(raw.vpcCidrs) && isUnresolved(raw.vpcCidrs[0]));
    const lb = readLoadBalancer(p, raw.loadBalancer, primaryUnresolved ? Unresolved : vpcCidrs);
    if (lb?.webAclArn !== undefined && region !== undefined) {
        checkWebAclPlace(p, lb.webAclArn, partitionOf(region), region);
    }
    input(subnets(lb?.plan.existingArn !== undefined || adopting(raw.loadBalancer)))(p, "subnetIds", raw.subnetIds);

    const lbName = lb?.plan.name ?? Defaults.loadBalancerName;
    const albAccountId = account ?? String(raw.accountId);
    const fleet = readClusters(p, raw.clusters, {
        albAccountId,
        loadBalancerName: lbName,
        serviceNames: isRecord(raw.services) ? Object.keys(raw.services) : [],
    });
    const { services, conditions } = readServices(p, raw.services, fleet);
    const defaultService = readDefaultService(p, raw.defaultService, givenKeys(raw.services), conditions);
    const previewRead = optional(preview)(p, "preview", raw.preview);
    checkPreviewAccess(p, raw.preview, previewRead, lb?.plan);
    withDefault(fleetTagKeysReader, {})(p, "tags", raw.tags);
    const deployed = optionalDeployedAllocation(p, "deployedAllocation", raw.deployedAllocation);
    const vpcSharing = validateVpcSharing(p, raw.vpcSharing, {
        networkAccountId: albAccountId,
        clusterAccountIds: Object.values(fleet.clusters).map(c => c.accountId),
        defaultName: `${lbName}-subnets`,
        albSubnetIds: Array.isArray(raw.subnetIds) ? raw.subnetIds : [],
    });
    p.throwIfAny();
    const plan: FleetPlan = {
        accountId: orThrow(p, account),
        loadBalancer: orThrow(p, lb).plan,
        clusters: fleet.clusters,
        services,
        defaultService,
        secondaryVpcCidrs: vpcCidrs?.secondary ?? [],
        vpcSharing,
    };
    // Priorities, preview rules and the quotas that depend on them, once every value is known good.
    plan.preview = assignPriorities(p, plan, previewRead, deployed);
    checkAttachment(p, plan);
    return plan;
}

/** `region` when plain; absent, it is the AWS provider's (`regionFromProvider`) or missing. Gives it when plain. */
function readPlanRegion(p: Problems, raw: unknown, regionFromProvider: boolean): string | undefined {
    if ((raw === undefined || raw === null) && regionFromProvider) {
        return undefined;
    }
    return input(nullAsAbsent(text(RegionPattern, `${AllowedText.region}; ${RegionMissing}`)))(p, "region", raw);
}

/** `tags`: what every resource can take beside the ones shared-alb adds. */
const fleetTagsReader = tagsUpTo(
    SharedAlbTagLimit,
    `AWS allows 50 per resource, and shared-alb adds up to ${SharedAlbOwnTags} of its own (on a preview rule)`,
);

/** `tags` as the plan reads them: the keys and the plain values; a value that is an Output is read once it resolves. */
const fleetTagKeysReader = tagsUpTo(
    SharedAlbTagLimit,
    `AWS allows 50 per resource, and shared-alb adds up to ${SharedAlbOwnTags} of its own (on a preview rule)`,
    { unresolvedValues: true },
);

/** Where the region comes from, for the message when it is missing. */
const RegionMissing = "give region, or the component an AWS provider with a region (the network stack reads it from its aws:region config)";

/** `defaultService`: one of the services given; every other service needs a host or a path. */
function readDefaultService(p: Problems, raw: unknown, names: string[], conditions: Record<string, Conditions>): string | undefined {
    const defaultService = optional(
        check(
            (v): v is string => typeof v === "string" && names.includes(v),
            `expected one of the services: ${names.join(", ") || "(none)"}`,
        ),
    )(p, "defaultService", raw);
    for (const [name, { hosts, paths }] of Object.entries(conditions)) {
        p.check(
            hosts.length + paths.length > 0 || name === defaultService,
            join(join("services", name), "hosts"),
            hosts,
            "expected at least one host or path (only the defaultService may have neither)",
        );
    }
    return defaultService;
}

/** Whether the arguments adopt an existing ALB (read from the raw value when `loadBalancer` itself was refused). */
function adopting(raw: unknown): boolean {
    return isRecord(raw) && raw.existingArn !== undefined;
}

const CidrAllowed = 'expected an IPv4 CIDR such as "10.0.0.0/16"';
const cidr = text(CidrPattern, CidrAllowed);

/** `vpcCidrs` (primary first), or the older single `vpcCidr`: one of the two, every CIDR plain. */
function readVpcCidrs(p: Problems, single: unknown, many: unknown): string[] {
    return readCidrList(p, single, many, cidr) ?? [];
}

/** The VPC's CIDRs as the plan reads them: the primary may be an Output (then `Unresolved`), the secondary ones name egress rules. */
interface PlanCidrs {
    primary: string | typeof Unresolved;
    secondary: string[];
}

/** `vpcCidrs` or `vpcCidr` as the plan reads them: an Output may stand only first. */
function readPlanVpcCidrs(p: Problems, single: unknown, many: unknown): PlanCidrs | undefined {
    const read = readCidrList(
        p,
        single,
        many,
        firstMayBeUnresolved(
            cidr,
            "a secondary CIDR names its egress rules (<name>-out-<ports>-<cidr>); only the primary (the first) may be an Output",
        ),
    );
    return read === undefined || read.length === 0
        ? undefined
        : { primary: read[0], secondary: read.slice(1).filter((c): c is string => c !== Unresolved) };
}

/** `vpcCidrs` (primary first), or the older single `vpcCidr`, each item read by `item`. */
function readCidrList<T>(p: Problems, single: unknown, many: unknown, item: Reader<T>): T[] | undefined {
    if (single !== undefined && many !== undefined) {
        p.add("vpcCidr", single, "give vpcCidrs (every CIDR of the VPC, primary first) or the older vpcCidr, not both");
        return undefined;
    }
    if (many === undefined) {
        if (single === undefined) {
            p.add("vpcCidrs", undefined, 'expected the VPC\'s IPv4 CIDRs, primary first, such as ["10.0.0.0/16"] (or the older vpcCidr)');
            return undefined;
        }
        const primary = item(p, "vpcCidr", single);
        return primary === undefined ? undefined : [primary];
    }
    return nonEmpty(
        list(item, { notList: `expected a list; ${CidrAllowed}`, unique: true }),
        "expected at least one CIDR: the VPC's primary CIDR first, then any secondary ones",
    )(p, "vpcCidrs", many);
}

/** What a list item that is an Output reads as, where only the first may be one (`firstMayBeUnresolved`). */
const Unresolved: unique symbol = Symbol("known later");

/** The words for an Output where a value names a resource. */
const NamesResource = "expected a plain value, not an Output:";

/**
 * An item of a list whose first item may be an Output (read as `Unresolved`)
 * while the others name resources: an Output among them is refused with `why`.
 */
function firstMayBeUnresolved(item: Reader<string>, why: string): Reader<string | typeof Unresolved> {
    return (p, path, value) => {
        if (!isUnresolved(value)) {
            return item(p, path, value);
        }
        // The first item, or the older single value (`vpcCidr`).
        return path.endsWith("[0]") || !path.endsWith("]") ? Unresolved : void p.add(path, value, `${NamesResource} ${why}`);
    };
}

/** `subnetIds`: at least two, unless an adopted ALB needs none. */
function subnets(adopted: boolean): Reader<string[]> {
    const ids = list(subnetId, { notList: `expected a list; ${AllowedText.subnetId}`, unique: true });
    return (p, path, value) => {
        if (adopted && value === undefined) {
            return undefined;
        }
        const read = value === undefined ? [] : ids(p, path, value);
        return p.check(
            adopted || (Array.isArray(value) && value.length >= 2),
            path,
            value,
            "expected at least 2 subnets in different Availability Zones (an ALB needs two)",
        )
            ? read
            : undefined;
    };
}

/** An HTTP header name (an RFC 7230 token), at most 40 characters. */
const HeaderNamePattern = /^[A-Za-z0-9!#$%&'+.^_`|~-]{1,40}$/;

/**
 * A preview token: characters an ALB header condition compares literally
 * (no `*` or `?` wildcards), at most 100 so that `<cluster key>.<token>`
 * fits the 128 characters of a condition value.
 */
export const PreviewTokenPattern = /^[A-Za-z0-9._~+/=-]{16,100}$/;
const PreviewTokenAllowed =
    "expected 16 to 100 characters of letters, digits and ._~+/=- (for example the output of `openssl rand -hex 24`)";

/** `preview.token`: a secret, never shown in a message. */
export const previewToken = secretText(PreviewTokenPattern, PreviewTokenAllowed, v =>
    /[*?]/.test(v)
        ? `'*' and '?' are wildcards in an ALB header condition, so a token with them would match other values too; ${PreviewTokenAllowed}`
        : undefined,
);

const SourceCidrAllowed = 'expected IPv4 CIDRs such as "203.0.113.0/24": the networks testers connect from';

/** A preview source CIDR: any but the whole Internet, which would restrict nothing. */
const sourceCidr: Reader<string> = (p, path, value) => {
    const read = text(CidrPattern, SourceCidrAllowed)(p, path, value);
    return read !== undefined &&
        p.check(
            !read.endsWith("/0"),
            path,
            read,
            "matches every source, so it restricts nothing: name the networks testers connect from (or leave sourceCidrs out and give preview.token)",
        )
        ? read
        : undefined;
};

/** `preview.sourceCidrs`: 1 to 3 (one ALB condition's values). */
const sourceCidrs: Reader<string[]> = (p, path, value) => {
    const read = nonEmpty(
        list(sourceCidr, { notList: `expected a list; ${SourceCidrAllowed}`, unique: true }),
        "expected at least one CIDR (leave sourceCidrs out for any source)",
    )(p, path, value);
    return read !== undefined &&
        p.check(
            read.length <= Limits.valuesPerCondition,
            path,
            read,
            `expected at most ${Limits.valuesPerCondition} CIDRs (the values of one ALB rule condition)`,
        )
        ? read
        : undefined;
};

/** What `preview` gives: the header, the source CIDRs, and whether a token is given (its value is read apart: a secret). */
export interface PreviewRead {
    header: string;
    sourceCidrs: string[];
    token: boolean;
}

/** `preview`: present turns preview routes on. */
const preview: Reader<PreviewRead> = (p, path, value) => {
    const read = object("expected { header?, sourceCidrs?, token? } (present: preview routes on)", {
        header: nullAsAbsent(
            withDefault(
                text(HeaderNamePattern, "expected an HTTP header name: 1 to 40 letters, digits and !#$%&'+.^_`|~-"),
                Defaults.previewHeader,
            ),
        ),
        sourceCidrs: nullAsAbsent(withDefault(sourceCidrs, [])),
        token: nullAsAbsent(optional(previewToken)),
    } satisfies Record<keyof PreviewArgs, Reader<unknown>>)(p, path, value);
    if (
        read === undefined ||
        !p.check(
            read.header.toLowerCase() !== "host",
            join(path, "header"),
            read.header,
            "the Host header cannot be an http-header condition; pick another name",
        )
    ) {
        return undefined;
    }
    const token = isRecord(value) && value.token !== undefined && value.token !== null;
    return { header: read.header, sourceCidrs: read.sourceCidrs, token };
};

/**
 * Preview routes on an ALB that may face the Internet (not internal, or
 * adopted: its scheme is not known here) need `sourceCidrs` or `token`:
 * otherwise anyone who sends the header with a guessable cluster key reaches
 * a cluster that is not released.
 */
function checkPreviewAccess(p: Problems, raw: unknown, read: PreviewRead | undefined, lb: LoadBalancerPlan | undefined): void {
    if (
        read === undefined ||
        lb === undefined ||
        (lb.internal && lb.existingArn === undefined) ||
        read.sourceCidrs.length > 0 ||
        read.token
    ) {
        return;
    }
    const facing = lb.existingArn === undefined ? "an internet-facing ALB" : "an adopted ALB (which may face the Internet)";
    const internal = lb.existingArn === undefined ? ", or make the ALB internal (loadBalancer.internal: true)" : "";
    p.add(
        "preview",
        raw,
        `preview routes on ${facing} let anyone who sends "${read.header}: <cluster key>" (keys are easy to guess) reach ` +
            "a cluster before it takes traffic: restrict them with preview.sourceCidrs (the networks testers connect from) " +
            `and/or preview.token (a secret the header value must carry: <cluster key>.<token>)${internal}`,
    );
}

const ElbNamePattern = /^(?!internal-)(?=.{1,32}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/;
const BucketPattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const accessLogs = object("expected { bucket, prefix?, enabled? }", {
    bucket: text(BucketPattern, "expected an S3 bucket name (3..63 lower-case letters, digits, '.', '-')"),
    prefix: nullAsAbsent(
        withDefault(
            text(/^(?!\/)(?!.*\/$)(?!.*AWSLogs)/s, "expected a key prefix without leading or trailing '/' and without \"AWSLogs\""),
            "",
        ),
    ),
    enabled: nullAsAbsent(withDefault(trueOrFalse, true)),
} satisfies Record<keyof AccessLogsArgs, Reader<unknown>>);

const CertificateAllowed = "expected ACM certificate ARNs (arn:aws:acm:<region>:<account>:certificate/<id>)";
const certificateArn = text(CertificateArnPattern, CertificateAllowed);
/** `loadBalancer.certificateArns` once every one is known. */
const certificateList = list(certificateArn, { notList: `expected a list; ${CertificateAllowed}`, unique: true });
const IngressAllowed = 'expected IPv4 CIDRs such as "203.0.113.0/24"';
const PrefixListAllowed = 'expected managed prefix list IDs such as "pl-0123456789abcdef0"';

/** `loadBalancer`, as `LoadBalancerArgs` declares it. */
const loadBalancer = object("expected an object", {
    name: nullAsAbsent(
        withDefault(
            text(
                ElbNamePattern,
                'expected at most 32 letters, digits and hyphens, no leading or trailing hyphen, not starting with "internal-"',
            ),
            Defaults.loadBalancerName,
        ),
    ),
    internal: nullAsAbsent(withDefault(trueOrFalse, false)),
    existingArn: optional(text(LoadBalancerArnPattern, ArnAllowed.loadBalancer)),
    existingListenerArn: optional(text(ListenerArnPattern, ArnAllowed.listener)),
    existingSecurityGroupId: optional(securityGroupId),
    certificateArns: withDefault(
        list(
            firstMayBeUnresolved(
                certificateArn,
                "a certificate after the first names its listener certificate resource; only the first (the listener's default) may be an Output",
            ),
            { notList: `expected a list; ${CertificateAllowed}`, unique: true },
        ),
        [],
    ),
    allowPlainHttp: nullAsAbsent(withDefault(trueOrFalse, false)),
    sslPolicy: nullAsAbsent(withDefault<string>(sslPolicy, Defaults.sslPolicy)),
    ingressCidrs: optional(list(text(CidrPattern, IngressAllowed), { notList: `expected a list; ${IngressAllowed}`, unique: true })),
    ingressPrefixListIds: withDefault(
        list(text(PrefixListIdPattern, PrefixListAllowed), { notList: `expected a list; ${PrefixListAllowed}`, unique: true }),
        [],
    ),
    idleTimeout: nullAsAbsent(withDefault(integer(1, 4000, "an integer number of seconds"), Defaults.idleTimeout)),
    accessLogs: optional(accessLogs),
    desyncMitigationMode: nullAsAbsent(optional(oneOf(DesyncMitigationModes))),
    webAclArn: nullAsAbsent(optional(input(webAclArn))),
    protect: nullAsAbsent(withDefault(trueOrFalse, true)),
} satisfies Record<keyof LoadBalancerArgs, Reader<unknown>>);

/** The keys an adopted ALB refuses: it is read-only. */
const AdoptedReadOnly = [
    "internal",
    "idleTimeout",
    "accessLogs",
    "desyncMitigationMode",
    "webAclArn",
    "ingressCidrs",
    "ingressPrefixListIds",
] as const;

/** `loadBalancer` as its reader gives it. */
type LoadBalancerFields = NonNullable<ReturnType<typeof loadBalancer>>;

/** `loadBalancer` as the plan reads it, and its web ACL when plain (checked against a plain region). */
interface LoadBalancerRead {
    plan: LoadBalancerPlan;
    webAclArn?: string;
}

/**
 * `loadBalancer`: created (the defaults), or adopted read-only with
 * `existingArn`, which then needs the listener that gets the rules and the
 * ALB's security group, and refuses what only a created ALB has. An
 * internet-facing ALB whose listeners are created serves HTTPS unless
 * `allowPlainHttp` says otherwise.
 */
function readLoadBalancer(p: Problems, raw: unknown, vpcCidrs: PlanCidrs | typeof Unresolved | undefined): LoadBalancerRead | undefined {
    const path = "loadBalancer";
    const lb = loadBalancer(p, path, raw === undefined ? {} : raw);
    const given = isRecord(raw) ? raw : {};
    const ingress = given.ingressCidrs === undefined ? defaultIngress(p, given.internal === true, vpcCidrs) : [];
    if (lb === undefined) {
        return undefined;
    }
    const name = checkAdoption(p, lb, given);
    checkPlainHttp(p, {
        internal: lb.internal,
        adopted: lb.existingArn !== undefined,
        certificates: lb.certificateArns.length,
        allowPlainHttp: lb.allowPlainHttp,
        allowPlainHttpGiven: given.allowPlainHttp !== undefined && given.allowPlainHttp !== null,
    });
    const plan: LoadBalancerPlan = {
        name,
        internal: lb.internal,
        existingArn: lb.existingArn,
        existingListenerArn: lb.existingListenerArn,
        existingSecurityGroupId: lb.existingSecurityGroupId,
        certificateCount: lb.certificateArns.length,
        extraCertificateArns: lb.certificateArns.slice(1).filter((c): c is string => c !== Unresolved),
        allowPlainHttp: lb.allowPlainHttp,
        sslPolicy: lb.sslPolicy,
        ingressCidrs: lb.ingressCidrs ?? ingress,
        ingressPrefixListIds: lb.ingressPrefixListIds,
        idleTimeout: lb.idleTimeout,
        accessLogs: lb.accessLogs,
        desyncMitigationMode: lb.desyncMitigationMode,
        webAcl: given.webAclArn !== undefined && given.webAclArn !== null,
        protect: lb.protect,
    };
    return { plan, webAclArn: lb.webAclArn };
}

/**
 * Who may reach the ALB when `ingressCidrs` is absent: the world, or an
 * internal one's VPC, whose CIDRs name the ingress rules (so the primary
 * cannot be an Output then: `Unresolved`).
 */
function defaultIngress(p: Problems, internal: boolean, vpcCidrs: PlanCidrs | typeof Unresolved | undefined): string[] {
    if (!internal) {
        return ["0.0.0.0/0"];
    }
    if (vpcCidrs === Unresolved || vpcCidrs?.primary === Unresolved) {
        p.add(
            join("loadBalancer", "ingressCidrs"),
            undefined,
            "required when the load balancer is internal and the VPC's primary CIDR is an Output: the ingress rules are named by their CIDRs",
        );
        return [];
    }
    return vpcCidrs === undefined ? [] : [vpcCidrs.primary, ...vpcCidrs.secondary];
}

/**
 * The keys that go with `existingArn` (its listener and security group, only
 * with it) and the ones it refuses (an adopted ALB is read-only). Gives the
 * ALB's name: the configured one, or the adopted ALB's own.
 */
function checkAdoption(p: Problems, lb: LoadBalancerFields, given: Record<string, unknown>): string {
    const at = (key: string) => join("loadBalancer", key);
    if (lb.existingArn === undefined) {
        for (const key of ["existingListenerArn", "existingSecurityGroupId"] as const) {
            p.check(given[key] === undefined, at(key), given[key], "allowed only with loadBalancer.existingArn");
        }
    } else {
        p.check(
            given.existingSecurityGroupId !== undefined,
            at("existingSecurityGroupId"),
            given.existingSecurityGroupId,
            "required with loadBalancer.existingArn: the adopted ALB's security group, which the clusters allow in",
        );
        p.check(
            given.existingListenerArn !== undefined,
            at("existingListenerArn"),
            given.existingListenerArn,
            "required with loadBalancer.existingArn: the rules go on one listener of the adopted ALB; creating listeners on :80 and :443 would collide with its own",
        );
        if (lb.existingListenerArn !== undefined) {
            p.check(
                lb.existingListenerArn.includes(`:listener/${lb.existingArn.split(":loadbalancer/")[1]}/`),
                at("existingListenerArn"),
                lb.existingListenerArn,
                `expected a listener of loadBalancer.existingArn (${lb.existingArn})`,
            );
        }
    }
    if (given.existingListenerArn !== undefined) {
        p.check(
            lb.certificateArns.length === 0,
            at("certificateArns"),
            given.certificateArns,
            "not allowed with loadBalancer.existingListenerArn: the adopted listener keeps its own certificates",
        );
    }
    if (lb.existingArn === undefined) {
        return lb.name;
    }
    const name = lb.existingArn.split("/")[2];
    p.check(
        given.name === undefined || given.name === name,
        at("name"),
        given.name,
        `expected the adopted ALB's own name (${name}) or nothing`,
    );
    for (const key of AdoptedReadOnly) {
        p.check(
            given[key] === undefined,
            at(key),
            given[key],
            "not allowed with loadBalancer.existingArn: an adopted ALB is read-only; change it where it is managed",
        );
    }
    return name;
}
