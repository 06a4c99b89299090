/**
 * What the ALB shows the internet: its TLS policy, whether it may serve plain
 * HTTP, the WAF web ACL in front of it, and how many tags its resources can
 * take. Pure: no Pulumi runtime.
 */
import { Problems } from "../internal/errors";
import { Reader, check, join } from "../internal/read";

/**
 * The ELB security policies an HTTPS listener of an Application Load Balancer
 * may use whose lowest protocol is TLS 1.2 or TLS 1.3, as the Elastic Load
 * Balancing guide's "Security policies for your Application Load Balancer"
 * tables list them (TLS, FIPS, FS and post-quantum policies). Left out: every
 * policy that still accepts TLS 1.0 or 1.1 (`ELBSecurityPolicy-2016-08`, the
 * CLI's default, `-TLS-1-1-2017-01`, `-TLS13-1-1-*`, `-TLS13-1-0-*`,
 * `-FS-2018-06`, `-FS-1-1-2019-08`). A policy AWS publishes later is refused
 * until it is added here.
 */
export const SslPolicies = [
    // TLS 1.3 only.
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-RFC9151-FIPS-2023-07",
    // TLS 1.3 and 1.2.
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-RFC9151-FIPS-2023-07",
    "ELBSecurityPolicy-TLS13-1-2-Ext0-RFC9151-FIPS-2023-07",
    "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP1-FIPS-2023-07",
    "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP2-FIPS-2023-07",
    "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP3-FIPS-2023-07",
    "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP4-FIPS-2023-07",
    // TLS 1.2 only.
    "ELBSecurityPolicy-TLS-1-2-2017-01",
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    "ELBSecurityPolicy-FS-1-2-2019-08",
    "ELBSecurityPolicy-FS-1-2-Res-2019-08",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10",
] as const;
export type SslPolicy = (typeof SslPolicies)[number];

/** `loadBalancer.sslPolicy`: one of `SslPolicies`; the message lists them. */
export const sslPolicy: Reader<SslPolicy> = check(
    (v): v is SslPolicy => SslPolicies.some(x => x === v),
    `expected an ELB security policy whose lowest protocol is TLS 1.2 or 1.3 (TLS 1.0 and 1.1 are refused): one of ${SslPolicies.join(", ")}`,
);

/** A regional AWS WAF (wafv2) web ACL: `arn:<partition>:wafv2:<region>:<account>:regional/webacl/<name>/<id>`. */
export const WebAclArnPattern =
    /^arn:(aws[a-z-]*):wafv2:([a-z0-9-]+):(\d{12}):regional\/webacl\/([\w-]{1,128})\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const WebAclAllowed = "expected a regional AWS WAF web ACL ARN (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>)";

/** `loadBalancer.webAclArn`: the shape; its partition and region are checked against the ALB's by `checkWebAclPlace`. */
export const webAclArn: Reader<string> = check((v): v is string => typeof v === "string" && WebAclArnPattern.test(v), WebAclAllowed);

/** A regional web ACL serves only resources of its own region (and so partition): refuses one elsewhere. */
export function checkWebAclPlace(p: Problems, arn: string, partition: string, region: string): void {
    const m = WebAclArnPattern.exec(arn);
    if (m === null) {
        return;
    }
    p.check(
        m[1] === partition && m[2] === region,
        join("loadBalancer", "webAclArn"),
        arn,
        `expected a web ACL in the ALB's partition and region (arn:${partition}:wafv2:${region}:...): a regional web ACL protects resources of its own region only`,
    );
}

/** What the checks of plain HTTP need of `loadBalancer`. */
export interface ListenerExposure {
    internal: boolean;
    adopted: boolean;
    certificates: number;
    allowPlainHttp: boolean;
    /** `allowPlainHttp` was given (true or false). */
    allowPlainHttpGiven: boolean;
}

/**
 * Plain HTTP to the internet: an internet-facing ALB whose listeners
 * shared-alb creates serves HTTPS (certificates), or says it means plain HTTP
 * (`allowPlainHttp: true`). `allowPlainHttp` is refused where it would change
 * nothing: on an internal ALB, with certificates (HTTP then redirects), or on
 * an adopted ALB (its listeners are its owner's).
 */
export function checkPlainHttp(p: Problems, lb: ListenerExposure): void {
    const exposed = !lb.internal && !lb.adopted && lb.certificates === 0;
    if (exposed) {
        p.check(
            lb.allowPlainHttp,
            join("loadBalancer", "certificateArns"),
            undefined,
            "an internet-facing ALB needs an HTTPS listener: give loadBalancer.certificateArns (ACM certificates), " +
                "or make it internal (loadBalancer.internal: true), or set loadBalancer.allowPlainHttp: true to serve plain HTTP to the internet",
        );
    } else if (lb.allowPlainHttpGiven && lb.allowPlainHttp) {
        p.add(
            join("loadBalancer", "allowPlainHttp"),
            true,
            "allowed only for an internet-facing ALB without certificateArns, whose plain HTTP listener it permits; " +
                "here it changes nothing (internal, adopted, or HTTP redirects to HTTPS): leave it out",
        );
    }
}

/** AWS's limit of user tags on one resource (ELB, EC2, IAM, RAM). */
export const AwsTagLimit = 50;

/**
 * The most tags shared-alb adds to one resource: a preview rule carries
 * `shared-alb:load-balancer`, `shared-alb:service`, `shared-alb:cluster` and
 * `shared-alb:preview`.
 */
export const SharedAlbOwnTags = 4;

/** How many of the configured `tags` every SharedAlb resource can take beside its own. */
export const SharedAlbTagLimit = AwsTagLimit - SharedAlbOwnTags;
