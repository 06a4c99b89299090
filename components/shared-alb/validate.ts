/**
 * Checks the SharedAlb arguments (or the network stack's config, which has
 * the same shape) and returns the defaulted model: the top-level keys and
 * the load balancer here, the clusters and services in validate-fleet.ts,
 * the priorities and quotas that depend on all of them in
 * validate-routing.ts. Pure: no Pulumi runtime.
 */
import {
    ArnAllowed, CertificateArnPattern, ListenerArnPattern, LoadBalancerArnPattern, accountId, partitionOf, tagsUpTo,
} from "../internal/arn";
import { ConfigError, ConfigErrors, Problems } from "../internal/errors";
import {
    Reader, check, checkKnownKeys, flag, integer, isLater, isRecord, join, keysOf, list, nonEmpty, nullAsAbsent, object, oneOf, optional, orThrow, secretText, text,
    withDefault,
} from "../internal/read";
import { AllowedText, CidrPattern, PrefixListIdPattern, RegionPattern, securityGroupId, subnetId, vpcId } from "../internal/values";
import { DesyncMitigationModes } from "./args";
import type { AccessLogsArgs, LoadBalancerArgs, PreviewArgs, SharedAlbArgs } from "./args";
import { Limits } from "./limits";
import { Defaults, FleetModel, LoadBalancerModel } from "./model";
import { Conditions, givenKeys, readClusters, readServices } from "./validate-fleet";
import { SharedAlbOwnTags, SharedAlbTagLimit, checkPlainHttp, checkWebAclPlace, sslPolicy, webAclArn } from "./validate-edge";
import { assignPriorities, checkAttachment } from "./validate-routing";
import { optionalDeployedAllocation } from "./deployed";
import { validateVpcSharing } from "./vpc-sharing";

export { Defaults } from "./model";
export type { ClusterModel, FleetModel, LoadBalancerModel, PreviewModel, ServiceModel } from "./model";
export { Limits } from "./limits";
export type { HealthCheckModel, TargetGroupModel } from "./target-groups";

/** The top-level keys, in the order messages list them. */
const TopKeys = keysOf<SharedAlbArgs>({
    accountId: true, region: true, vpcId: true, vpcCidr: true, vpcCidrs: true, subnetIds: true, loadBalancer: true, clusters: true,
    services: true, defaultService: true, tags: true, vpcSharing: true, preview: true, deployedAllocation: true,
});

/**
 * Checks the SharedAlb arguments and returns the defaulted model. Every
 * problem found is reported at once, each naming its path
 * (`clusters.blue.weight`), the value received and what is allowed. The
 * region is one of the arguments: the component and the network stack put
 * the AWS provider's there when it is absent.
 *
 * @param raw the arguments, typed loosely because config arrives as parsed YAML.
 */
export function validateSharedAlbArgs(raw: unknown): FleetModel {
    return readFleet(new Problems(), raw, false);
}

/**
 * What `SharedAlb` checks before it registers anything: every value known
 * now, as `validateSharedAlbArgs` does, while each value an `Input` field
 * holds as an Output (see `SharedAlbArgs`) is read as a stand-in, and checked
 * once it resolves, by `validateSharedAlbArgs` on the resolved arguments.
 * An Output where a value names a resource (a secondary VPC CIDR, a
 * certificate after the first, an internal ALB's default ingress CIDRs) is
 * refused here, naming its path.
 *
 * The model it gives decides which resources exist and their logical names
 * (keys, ports, rules, counts); its Input-valued fields (`region`,
 * `partition`, `vpcId`, `vpcCidrs`, `subnetIds`, certificate ARNs, tag
 * values, and what derives from them: controller role ARNs, target group
 * names) may hold stand-ins: read those from the resolved model.
 *
 * @param raw the arguments as given, Outputs included.
 * @param regionLater the region comes later: an Output, or the AWS provider's.
 */
export function planSharedAlbArgs(raw: unknown, regionLater: boolean): FleetModel {
    const p = new Problems();
    const regionStoodIn = isRecord(raw) && (isLater(raw.region) || (raw.region === undefined && regionLater));
    return readFleet(p, isRecord(raw) ? withStandIns(p, raw, regionLater) : raw, regionStoodIn);
}

/** What stands in for a value known later: valid where it stands, and unlike any real one. */
const StandIn = {
    region: "us-east-1",
    vpcId: "vpc-ffffffff",
    cidr: (i: number) => `255.255.${255 - Math.floor(i / 256) % 256}.${255 - (i % 256)}/32`,
    subnetId: (i: number) => `subnet-fffffffffffff${i.toString(16).padStart(4, "0")}`,
    certificateArn: (i: number) => `arn:aws:acm:us-east-1:000000000000:certificate/later-${i}`,
    webAclArn: (region: string) => `arn:${partitionOf(region)}:wafv2:${region}:000000000000:regional/webacl/later/00000000-0000-0000-0000-000000000000`,
    tag: "",
} as const;

/** The words for an Output where a value names a resource. */
const NamesResource = "expected a plain value, not an Output:";

/**
 * The arguments with a stand-in for each value known later where an `Input`
 * allows one; an Output where a value names a resource is recorded (and
 * stood in for, so it is not reported twice). Outputs elsewhere are left for
 * the readers, which refuse them as values needed now.
 */
function withStandIns(p: Problems, raw: Record<string, unknown>, regionLater: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = { ...raw };
    if (isLater(raw.region) || (raw.region === undefined && regionLater)) {
        out.region = StandIn.region;
    }
    if (isLater(raw.vpcId)) {
        out.vpcId = StandIn.vpcId;
    }
    if (isLater(raw.vpcCidr)) {
        out.vpcCidr = StandIn.cidr(0);
    }
    if (Array.isArray(raw.vpcCidrs)) {
        out.vpcCidrs = firstMayBeLater(p, "vpcCidrs", raw.vpcCidrs, StandIn.cidr,
            "a secondary CIDR names its egress rules (<name>-out-<ports>-<cidr>); only the primary (the first) may be an Output");
    }
    const primaryLater = isLater(raw.vpcCidr) || (Array.isArray(raw.vpcCidrs) && isLater(raw.vpcCidrs[0]));
    if (isLater(raw.subnetIds)) {
        out.subnetIds = [StandIn.subnetId(0), StandIn.subnetId(1)];
    } else if (Array.isArray(raw.subnetIds)) {
        out.subnetIds = raw.subnetIds.map((v: unknown, i) => (isLater(v) ? StandIn.subnetId(i) : v));
    }
    if (isRecord(raw.tags)) {
        out.tags = Object.fromEntries(Object.entries(raw.tags).map(([k, v]) => [k, isLater(v) ? StandIn.tag : v]));
    }
    if (isRecord(raw.loadBalancer)) {
        // A web ACL known later stands in the region the checks see, so it is not refused for its place.
        const region = typeof out.region === "string" && RegionPattern.test(out.region) ? out.region : StandIn.region;
        out.loadBalancer = loadBalancerStandIns(p, raw.loadBalancer, primaryLater, region);
    }
    return out;
}

/**
 * A list whose first item may be an Output (stood in for) while the others
 * name resources: an Output among them is recorded with `why`, and stood in
 * for too, so the readers do not report it again.
 */
function firstMayBeLater(p: Problems, path: string, items: unknown[], standIn: (i: number) => string, why: string): unknown[] {
    return items.map((v, i) => {
        if (!isLater(v)) {
            return v;
        }
        if (i > 0) {
            p.add(join(path, i), v, `${NamesResource} ${why}`);
        }
        return standIn(i);
    });
}

/** `loadBalancer` with a stand-in for the first certificate and the web ACL when they are Outputs (see `withStandIns`). */
function loadBalancerStandIns(p: Problems, raw: Record<string, unknown>, primaryCidrLater: boolean, region: string): Record<string, unknown> {
    const out: Record<string, unknown> = { ...raw };
    const path = "loadBalancer";
    if (isLater(raw.webAclArn)) {
        out.webAclArn = StandIn.webAclArn(region);
    }
    if (Array.isArray(raw.certificateArns)) {
        out.certificateArns = firstMayBeLater(p, join(path, "certificateArns"), raw.certificateArns, StandIn.certificateArn,
            "a certificate after the first names its listener certificate resource; only the first (the listener's default) may be an Output");
    }
    if (primaryCidrLater && raw.internal === true && raw.ingressCidrs === undefined) {
        p.add(join(path, "ingressCidrs"), undefined,
            "required when the load balancer is internal and the VPC's primary CIDR is an Output: the ingress rules are named by their CIDRs");
    }
    return out;
}

/**
 * Reads the arguments into `p` and gives the model, or throws every problem
 * found at once. `regionStoodIn`: the region is a stand-in, so what must be
 * in the ALB's region (the web ACL) is checked once it resolves.
 */
function readFleet(p: Problems, raw: unknown, regionStoodIn: boolean): FleetModel {
    if (!isRecord(raw)) {
        throw new ConfigErrors([new ConfigError("(root)", raw, "expected an object with accountId, vpcId, vpcCidrs, subnetIds, clusters and services")]);
    }
    checkKnownKeys(p, "", raw, TopKeys);
    const account = accountId(p, "accountId", raw.accountId);
    const region = nullAsAbsent(text(RegionPattern, `${AllowedText.region}; ${RegionMissing}`))(p, "region", raw.region);
    const vpc = vpcId(p, "vpcId", raw.vpcId);
    const vpcCidrs = readVpcCidrs(p, raw.vpcCidr, raw.vpcCidrs);
    const lb = readLoadBalancer(p, raw.loadBalancer, vpcCidrs);
    if (lb?.webAclArn !== undefined && region !== undefined && !regionStoodIn) {
        checkWebAclPlace(p, lb.webAclArn, partitionOf(region), region);
    }
    const subnetIds = subnets(lb?.existingArn !== undefined || adopting(raw.loadBalancer))(p, "subnetIds", raw.subnetIds);

    const lbName = lb?.name ?? Defaults.loadBalancerName;
    const albAccountId = account ?? String(raw.accountId);
    const fleet = readClusters(p, raw.clusters, {
        albAccountId, partition: partitionOf(region ?? ""), loadBalancerName: lbName, vpcId: String(raw.vpcId),
        serviceNames: isRecord(raw.services) ? Object.keys(raw.services) : [],
    });
    const { services, conditions } = readServices(p, raw.services, fleet);
    const defaultService = readDefaultService(p, raw.defaultService, givenKeys(raw.services), conditions);
    const previewRead = optional(preview)(p, "preview", raw.preview);
    checkPreviewAccess(p, raw.preview, previewRead, lb);
    const fleetTags = withDefault(fleetTagsReader, {})(p, "tags", raw.tags);
    const deployed = optionalDeployedAllocation(p, "deployedAllocation", raw.deployedAllocation);
    const vpcSharing = validateVpcSharing(p, raw.vpcSharing, {
        networkAccountId: albAccountId, clusterAccountIds: Object.values(fleet.clusters).map(c => c.accountId), defaultName: `${lbName}-subnets`,
        albSubnetIds: Array.isArray(raw.subnetIds) ? raw.subnetIds : [],
    });
    p.throwIfAny();
    const model: FleetModel = {
        accountId: orThrow(p, account), region: orThrow(p, region), partition: partitionOf(orThrow(p, region)), vpcId: orThrow(p, vpc), vpcCidrs,
        subnetIds: subnetIds ?? [], loadBalancer: orThrow(p, lb), clusters: fleet.clusters, services, defaultService, tags: orThrow(p, fleetTags),
        vpcSharing,
    };
    // Priorities, preview rules and the quotas that depend on them, once every value is known good.
    model.preview = assignPriorities(p, model, previewRead, deployed);
    checkAttachment(p, model);
    p.throwIfAny();
    return model;
}

/** `tags`: what every resource can take beside the ones shared-alb adds. */
const fleetTagsReader = tagsUpTo(SharedAlbTagLimit,
    `AWS allows 50 per resource, and shared-alb adds up to ${SharedAlbOwnTags} of its own (on a preview rule)`);

/** Where the region comes from, for the message when it is missing. */
const RegionMissing = "give region, or the component an AWS provider with a region (the network stack reads it from its aws:region config)";

/** `defaultService`: one of the services given; every other service needs a host or a path. */
function readDefaultService(p: Problems, raw: unknown, names: string[], conditions: Record<string, Conditions>): string | undefined {
    const defaultService = optional(check((v): v is string => typeof v === "string" && names.includes(v),
        `expected one of the services: ${names.join(", ") || "(none)"}`))(p, "defaultService", raw);
    for (const [name, { hosts, paths }] of Object.entries(conditions)) {
        p.check(hosts.length + paths.length > 0 || name === defaultService, join(join("services", name), "hosts"),
            hosts, "expected at least one host or path (only the defaultService may have neither)");
    }
    return defaultService;
}

/** Whether the arguments adopt an existing ALB (read from the raw value when `loadBalancer` itself was refused). */
function adopting(raw: unknown): boolean {
    return isRecord(raw) && raw.existingArn !== undefined;
}

const CidrAllowed = "expected an IPv4 CIDR such as \"10.0.0.0/16\"";
const cidr = text(CidrPattern, CidrAllowed);

/** `vpcCidrs` (primary first), or the older single `vpcCidr`: one of the two. */
function readVpcCidrs(p: Problems, single: unknown, many: unknown): string[] {
    if (single !== undefined && many !== undefined) {
        p.add("vpcCidr", single, "give vpcCidrs (every CIDR of the VPC, primary first) or the older vpcCidr, not both");
        return [];
    }
    if (many === undefined) {
        if (single === undefined) {
            p.add("vpcCidrs", undefined, "expected the VPC's IPv4 CIDRs, primary first, such as [\"10.0.0.0/16\"] (or the older vpcCidr)");
            return [];
        }
        const primary = cidr(p, "vpcCidr", single);
        return primary === undefined ? [] : [primary];
    }
    return nonEmpty(list(cidr, { notList: `expected a list; ${CidrAllowed}`, unique: true }),
        "expected at least one CIDR: the VPC's primary CIDR first, then any secondary ones")(p, "vpcCidrs", many) ?? [];
}

/** `subnetIds`: at least two, unless an adopted ALB needs none. */
function subnets(adopted: boolean): Reader<string[]> {
    const ids = list(subnetId, { notList: `expected a list; ${AllowedText.subnetId}`, unique: true });
    return (p, path, value) => {
        if (adopted && value === undefined) {
            return undefined;
        }
        const read = value === undefined ? [] : ids(p, path, value);
        return p.check(adopted || (Array.isArray(value) && value.length >= 2), path, value,
            "expected at least 2 subnets in different Availability Zones (an ALB needs two)") ? read : undefined;
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
const PreviewTokenAllowed = "expected 16 to 100 characters of letters, digits and ._~+/=- (for example the output of `openssl rand -hex 24`)";

/** `preview.token`: a secret, never shown in a message. */
export const previewToken = secretText(PreviewTokenPattern, PreviewTokenAllowed,
    v => (/[*?]/.test(v) ? `'*' and '?' are wildcards in an ALB header condition, so a token with them would match other values too; ${PreviewTokenAllowed}` : undefined));

const SourceCidrAllowed = "expected IPv4 CIDRs such as \"203.0.113.0/24\": the networks testers connect from";

/** A preview source CIDR: any but the whole Internet, which would restrict nothing. */
const sourceCidr: Reader<string> = (p, path, value) => {
    const read = text(CidrPattern, SourceCidrAllowed)(p, path, value);
    return read !== undefined && p.check(!read.endsWith("/0"), path, read,
        "matches every source, so it restricts nothing: name the networks testers connect from (or leave sourceCidrs out and give preview.token)") ? read : undefined;
};

/** `preview.sourceCidrs`: 1 to 3 (one ALB condition's values). */
const sourceCidrs: Reader<string[]> = (p, path, value) => {
    const read = nonEmpty(list(sourceCidr, { notList: `expected a list; ${SourceCidrAllowed}`, unique: true }),
        "expected at least one CIDR (leave sourceCidrs out for any source)")(p, path, value);
    return read !== undefined && p.check(read.length <= Limits.valuesPerCondition, path, read,
        `expected at most ${Limits.valuesPerCondition} CIDRs (the values of one ALB rule condition)`) ? read : undefined;
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
        header: nullAsAbsent(withDefault(text(HeaderNamePattern, "expected an HTTP header name: 1 to 40 letters, digits and !#$%&'+.^_`|~-"),
            Defaults.previewHeader)),
        sourceCidrs: nullAsAbsent(withDefault(sourceCidrs, [])),
        token: nullAsAbsent(optional(previewToken)),
    } satisfies Record<keyof PreviewArgs, Reader<unknown>>)(p, path, value);
    if (read === undefined || !p.check(read.header.toLowerCase() !== "host", join(path, "header"), read.header,
        "the Host header cannot be an http-header condition; pick another name")) {
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
function checkPreviewAccess(p: Problems, raw: unknown, read: PreviewRead | undefined, lb: LoadBalancerModel | undefined): void {
    if (read === undefined || lb === undefined || (lb.internal && lb.existingArn === undefined) || read.sourceCidrs.length > 0 || read.token) {
        return;
    }
    const facing = lb.existingArn === undefined ? "an internet-facing ALB" : "an adopted ALB (which may face the Internet)";
    const internal = lb.existingArn === undefined ? ", or make the ALB internal (loadBalancer.internal: true)" : "";
    p.add("preview", raw, `preview routes on ${facing} let anyone who sends "${read.header}: <cluster key>" (keys are easy to guess) reach `
        + "a cluster before it takes traffic: restrict them with preview.sourceCidrs (the networks testers connect from) "
        + `and/or preview.token (a secret the header value must carry: <cluster key>.<token>)${internal}`);
}

const ElbNamePattern = /^(?!internal-)(?=.{1,32}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/;
const BucketPattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const accessLogs = object("expected { bucket, prefix?, enabled? }", {
    bucket: text(BucketPattern, "expected an S3 bucket name (3..63 lower-case letters, digits, '.', '-')"),
    prefix: nullAsAbsent(withDefault(text(/^(?!\/)(?!.*\/$)(?!.*AWSLogs)/s, "expected a key prefix without leading or trailing '/' and without \"AWSLogs\""), "")),
    enabled: nullAsAbsent(withDefault(flag, true)),
} satisfies Record<keyof AccessLogsArgs, Reader<unknown>>);

const CertificateAllowed = "expected ACM certificate ARNs (arn:aws:acm:<region>:<account>:certificate/<id>)";
const IngressAllowed = "expected IPv4 CIDRs such as \"203.0.113.0/24\"";
const PrefixListAllowed = "expected managed prefix list IDs such as \"pl-0123456789abcdef0\"";

/** `loadBalancer`, as `LoadBalancerArgs` declares it. */
const loadBalancer = object("expected an object", {
    name: nullAsAbsent(withDefault(text(ElbNamePattern,
        "expected at most 32 letters, digits and hyphens, no leading or trailing hyphen, not starting with \"internal-\""), Defaults.loadBalancerName)),
    internal: nullAsAbsent(withDefault(flag, false)),
    existingArn: optional(text(LoadBalancerArnPattern, ArnAllowed.loadBalancer)),
    existingListenerArn: optional(text(ListenerArnPattern, ArnAllowed.listener)),
    existingSecurityGroupId: optional(securityGroupId),
    certificateArns: withDefault(list(text(CertificateArnPattern, CertificateAllowed), { notList: `expected a list; ${CertificateAllowed}`, unique: true }), []),
    allowPlainHttp: nullAsAbsent(withDefault(flag, false)),
    sslPolicy: nullAsAbsent(withDefault<string>(sslPolicy, Defaults.sslPolicy)),
    ingressCidrs: optional(list(text(CidrPattern, IngressAllowed), { notList: `expected a list; ${IngressAllowed}`, unique: true })),
    ingressPrefixListIds: withDefault(list(text(PrefixListIdPattern, PrefixListAllowed), { notList: `expected a list; ${PrefixListAllowed}`, unique: true }), []),
    idleTimeout: nullAsAbsent(withDefault(integer(1, 4000, "an integer number of seconds"), Defaults.idleTimeout)),
    accessLogs: optional(accessLogs),
    desyncMitigationMode: nullAsAbsent(optional(oneOf(DesyncMitigationModes))),
    webAclArn: nullAsAbsent(optional(webAclArn)),
    protect: nullAsAbsent(withDefault(flag, true)),
} satisfies Record<keyof LoadBalancerArgs, Reader<unknown>>);

/** The keys an adopted ALB refuses: it is read-only. */
const AdoptedReadOnly = ["internal", "idleTimeout", "accessLogs", "desyncMitigationMode", "webAclArn", "ingressCidrs", "ingressPrefixListIds"] as const;

/** `loadBalancer` as its reader gives it. */
type LoadBalancerRead = NonNullable<ReturnType<typeof loadBalancer>>;

/**
 * `loadBalancer`: created (the defaults), or adopted read-only with
 * `existingArn`, which then needs the listener that gets the rules and the
 * ALB's security group, and refuses what only a created ALB has. An
 * internet-facing ALB whose listeners are created serves HTTPS unless
 * `allowPlainHttp` says otherwise.
 */
function readLoadBalancer(p: Problems, raw: unknown, vpcCidrs: string[]): LoadBalancerModel | undefined {
    const path = "loadBalancer";
    const lb = loadBalancer(p, path, raw === undefined ? {} : raw);
    if (lb === undefined) {
        return undefined;
    }
    const given = isRecord(raw) ? raw : {};
    const name = checkAdoption(p, lb, given);
    checkPlainHttp(p, {
        internal: lb.internal, adopted: lb.existingArn !== undefined, certificates: lb.certificateArns.length,
        allowPlainHttp: lb.allowPlainHttp, allowPlainHttpGiven: given.allowPlainHttp !== undefined && given.allowPlainHttp !== null,
    });
    return {
        name, internal: lb.internal, existingArn: lb.existingArn, existingListenerArn: lb.existingListenerArn,
        existingSecurityGroupId: lb.existingSecurityGroupId, certificateArns: lb.certificateArns, allowPlainHttp: lb.allowPlainHttp, sslPolicy: lb.sslPolicy,
        // Who may reach the ALB by default: the world, or an internal one's VPC.
        ingressCidrs: lb.ingressCidrs ?? (lb.internal ? vpcCidrs : ["0.0.0.0/0"]), ingressPrefixListIds: lb.ingressPrefixListIds,
        idleTimeout: lb.idleTimeout, accessLogs: lb.accessLogs, desyncMitigationMode: lb.desyncMitigationMode, webAclArn: lb.webAclArn, protect: lb.protect,
    };
}

/**
 * The keys that go with `existingArn` (its listener and security group, only
 * with it) and the ones it refuses (an adopted ALB is read-only). Gives the
 * ALB's name: the configured one, or the adopted ALB's own.
 */
function checkAdoption(p: Problems, lb: LoadBalancerRead, given: Record<string, unknown>): string {
    const at = (key: string) => join("loadBalancer", key);
    if (lb.existingArn === undefined) {
        for (const key of ["existingListenerArn", "existingSecurityGroupId"] as const) {
            p.check(given[key] === undefined, at(key), given[key], "allowed only with loadBalancer.existingArn");
        }
    } else {
        p.check(given.existingSecurityGroupId !== undefined, at("existingSecurityGroupId"), given.existingSecurityGroupId,
            "required with loadBalancer.existingArn: the adopted ALB's security group, which the clusters allow in");
        p.check(given.existingListenerArn !== undefined, at("existingListenerArn"), given.existingListenerArn,
            "required with loadBalancer.existingArn: the rules go on one listener of the adopted ALB; creating listeners on :80 and :443 would collide with its own");
        if (lb.existingListenerArn !== undefined) {
            p.check(lb.existingListenerArn.includes(`:listener/${lb.existingArn.split(":loadbalancer/")[1]}/`), at("existingListenerArn"), lb.existingListenerArn,
                `expected a listener of loadBalancer.existingArn (${lb.existingArn})`);
        }
    }
    if (given.existingListenerArn !== undefined) {
        p.check(lb.certificateArns.length === 0, at("certificateArns"), given.certificateArns,
            "not allowed with loadBalancer.existingListenerArn: the adopted listener keeps its own certificates");
    }
    if (lb.existingArn === undefined) {
        return lb.name;
    }
    const name = lb.existingArn.split("/")[2];
    p.check(given.name === undefined || given.name === name, at("name"), given.name, `expected the adopted ALB's own name (${name}) or nothing`);
    for (const key of AdoptedReadOnly) {
        p.check(given[key] === undefined, at(key), given[key], "not allowed with loadBalancer.existingArn: an adopted ALB is read-only; change it where it is managed");
    }
    return name;
}
