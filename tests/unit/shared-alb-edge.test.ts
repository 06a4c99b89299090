import { expect } from "chai";
import fc from "fast-check";
import { ConfigErrors } from "../../components/internal/errors";
import { SslPolicies } from "../../components/shared-alb/validate-edge";
import { LoadBalancerModel, planSharedAlbArgs, validateSharedAlbArgs } from "../../components/shared-alb/validate";
import { exampleNetworkArgs, networkMessages } from "../fixtures/network";

type Args = Record<string, any>;

const messagesOf = networkMessages;

function loadBalancerOf(mutate: (a: Args) => void): LoadBalancerModel {
    const args = exampleNetworkArgs();
    mutate(args);
    return validateSharedAlbArgs(args).loadBalancer;
}

const AdoptedArn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/edge/0123456789abcdef";
const Adopted = {
    existingArn: AdoptedArn,
    existingListenerArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/edge/0123456789abcdef/00000000000000aa",
    existingSecurityGroupId: "sg-0123456789abcdef0",
};
const WebAcl = "arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/shop-edge/a1b2c3d4-5678-90ab-cdef-0123456789ab";
const PlainHttp =
    "loadBalancer.certificateArns: got nothing; an internet-facing ALB needs an HTTPS listener: give loadBalancer.certificateArns (ACM certificates), " +
    "or make it internal (loadBalancer.internal: true), or set loadBalancer.allowPlainHttp: true to serve plain HTTP to the internet";
const NoChange =
    "loadBalancer.allowPlainHttp: got true; allowed only for an internet-facing ALB without certificateArns, whose plain HTTP listener it permits; " +
    "here it changes nothing (internal, adopted, or HTTP redirects to HTTPS): leave it out";
const ReadOnly = "not allowed with loadBalancer.existingArn: an adopted ALB is read-only; change it where it is managed";
const SslAllowed = `expected an ELB security policy whose lowest protocol is TLS 1.2 or 1.3 (TLS 1.0 and 1.1 are refused): one of ${SslPolicies.join(", ")}`;
const TagsWhy = "expected at most 46 tags: AWS allows 50 per resource, and shared-alb adds up to 4 of its own (on a preview rule)";

function manyTags(n: number): Record<string, string> {
    return Object.fromEntries(Array.from({ length: n }, (_, i) => [`tag-${i}`, "x"]));
}

describe("the ALB's edge: plain HTTP, TLS policy, desync mitigation, access logs, WAF, tag count", () => {
    const refusals: [string, (a: Args) => void, string[]][] = [
        [
            "an internet-facing ALB without certificates",
            a => {
                delete a.loadBalancer.certificateArns;
            },
            [PlainHttp],
        ],
        [
            "an internet-facing ALB with an empty certificate list",
            a => {
                a.loadBalancer.certificateArns = [];
            },
            [PlainHttp],
        ],
        [
            "plain HTTP allowed as false",
            a => {
                a.loadBalancer.certificateArns = [];
                a.loadBalancer.allowPlainHttp = false;
            },
            [PlainHttp],
        ],
        [
            "allowPlainHttp with certificates (HTTP redirects)",
            a => {
                a.loadBalancer.allowPlainHttp = true;
            },
            [NoChange],
        ],
        [
            "allowPlainHttp on an internal ALB",
            a => {
                delete a.loadBalancer.certificateArns;
                a.loadBalancer.internal = true;
                a.loadBalancer.allowPlainHttp = true;
            },
            [NoChange],
        ],
        [
            "allowPlainHttp on an adopted ALB",
            a => {
                a.loadBalancer = { ...Adopted, allowPlainHttp: true };
            },
            [NoChange],
        ],
        [
            "allowPlainHttp as text",
            a => {
                a.loadBalancer.allowPlainHttp = "yes";
            },
            ['loadBalancer.allowPlainHttp: got "yes"; expected true or false'],
        ],
        [
            "the CLI's default policy, which accepts TLS 1.0",
            a => {
                a.loadBalancer.sslPolicy = "ELBSecurityPolicy-2016-08";
            },
            [`loadBalancer.sslPolicy: got "ELBSecurityPolicy-2016-08"; ${SslAllowed}`],
        ],
        [
            "a TLS 1.1 policy",
            a => {
                a.loadBalancer.sslPolicy = "ELBSecurityPolicy-TLS-1-1-2017-01";
            },
            [`loadBalancer.sslPolicy: got "ELBSecurityPolicy-TLS-1-1-2017-01"; ${SslAllowed}`],
        ],
        [
            "a TLS 1.3 policy that still accepts TLS 1.0",
            a => {
                a.loadBalancer.sslPolicy = "ELBSecurityPolicy-TLS13-1-0-2021-06";
            },
            [`loadBalancer.sslPolicy: got "ELBSecurityPolicy-TLS13-1-0-2021-06"; ${SslAllowed}`],
        ],
        [
            "a TLS 1.3 policy that still accepts TLS 1.1",
            a => {
                a.loadBalancer.sslPolicy = "ELBSecurityPolicy-TLS13-1-1-2021-06";
            },
            [`loadBalancer.sslPolicy: got "ELBSecurityPolicy-TLS13-1-1-2021-06"; ${SslAllowed}`],
        ],
        [
            "a forward-secrecy policy that accepts TLS 1.0",
            a => {
                a.loadBalancer.sslPolicy = "ELBSecurityPolicy-FS-2018-06";
            },
            [`loadBalancer.sslPolicy: got "ELBSecurityPolicy-FS-2018-06"; ${SslAllowed}`],
        ],
        [
            "a FIPS policy that accepts TLS 1.0",
            a => {
                a.loadBalancer.sslPolicy = "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04";
            },
            [`loadBalancer.sslPolicy: got "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04"; ${SslAllowed}`],
        ],
        [
            "a post-quantum policy that accepts TLS 1.0",
            a => {
                a.loadBalancer.sslPolicy = "ELBSecurityPolicy-TLS13-1-0-PQ-2025-09";
            },
            [`loadBalancer.sslPolicy: got "ELBSecurityPolicy-TLS13-1-0-PQ-2025-09"; ${SslAllowed}`],
        ],
        [
            "a policy name in the wrong case",
            a => {
                a.loadBalancer.sslPolicy = "elbsecuritypolicy-tls13-1-2-2021-06";
            },
            [`loadBalancer.sslPolicy: got "elbsecuritypolicy-tls13-1-2-2021-06"; ${SslAllowed}`],
        ],
        [
            "a desync mitigation mode AWS does not have",
            a => {
                a.loadBalancer.desyncMitigationMode = "strict";
            },
            ['loadBalancer.desyncMitigationMode: got "strict"; expected one of "monitor", "defensive", "strictest"'],
        ],
        [
            "a desync mitigation mode on an adopted ALB",
            a => {
                a.loadBalancer = { ...Adopted, desyncMitigationMode: "strictest" };
            },
            [`loadBalancer.desyncMitigationMode: got "strictest"; ${ReadOnly}`],
        ],
        [
            "access logs enabled as text",
            a => {
                a.loadBalancer.accessLogs = { bucket: "shop-edge-logs", enabled: "on" };
            },
            ['loadBalancer.accessLogs.enabled: got "on"; expected true or false'],
        ],
        [
            "access logs with an unknown key",
            a => {
                a.loadBalancer.accessLogs = { bucket: "shop-edge-logs", enable: true };
            },
            ["loadBalancer.accessLogs.enable: got true; unknown key; expected one of bucket, prefix, enabled"],
        ],
        [
            "access logs on an adopted ALB",
            a => {
                a.loadBalancer = { ...Adopted, accessLogs: { bucket: "shop-edge-logs" } };
            },
            [`loadBalancer.accessLogs: got {"bucket":"shop-edge-logs"}; ${ReadOnly}`],
        ],
        [
            "a classic WAF web ACL ID",
            a => {
                a.loadBalancer.webAclArn = "a1b2c3d4-5678-90ab-cdef-0123456789ab";
            },
            [
                'loadBalancer.webAclArn: got "a1b2c3d4-5678-90ab-cdef-0123456789ab"; expected a regional AWS WAF web ACL ARN (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>)',
            ],
        ],
        [
            "a CloudFront (global) web ACL",
            a => {
                a.loadBalancer.webAclArn = WebAcl.replace("eu-west-1", "us-east-1").replace(":regional/", ":global/");
            },
            [
                'loadBalancer.webAclArn: got "arn:aws:wafv2:us-east-1:111111111111:global/webacl/shop-edge/a1b2c3d4-5678-90ab-cdef-0123456789ab"; ' +
                    "expected a regional AWS WAF web ACL ARN (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>)",
            ],
        ],
        [
            "a web ACL of another region",
            a => {
                a.loadBalancer.webAclArn = WebAcl.replace("eu-west-1", "eu-central-1");
            },
            [
                'loadBalancer.webAclArn: got "arn:aws:wafv2:eu-central-1:111111111111:regional/webacl/shop-edge/a1b2c3d4-5678-90ab-cdef-0123456789ab"; ' +
                    "expected a web ACL in the ALB's partition and region (arn:aws:wafv2:eu-west-1:...): a regional web ACL protects resources of its own region only",
            ],
        ],
        [
            "a web ACL of another partition",
            a => {
                a.loadBalancer.webAclArn = WebAcl.replace("arn:aws:", "arn:aws-cn:");
            },
            [
                'loadBalancer.webAclArn: got "arn:aws-cn:wafv2:eu-west-1:111111111111:regional/webacl/shop-edge/a1b2c3d4-5678-90ab-cdef-0123456789ab"; ' +
                    "expected a web ACL in the ALB's partition and region (arn:aws:wafv2:eu-west-1:...): a regional web ACL protects resources of its own region only",
            ],
        ],
        [
            "a web ACL on an adopted ALB",
            a => {
                a.loadBalancer = { ...Adopted, webAclArn: WebAcl };
            },
            [`loadBalancer.webAclArn: got "${WebAcl}"; ${ReadOnly}`],
        ],
        [
            "47 tags: a preview rule carries 4 of shared-alb's own",
            a => {
                a.tags = manyTags(47);
            },
            [`tags: got "47 tags"; ${TagsWhy}`],
        ],
        [
            "51 tags",
            a => {
                a.tags = manyTags(51);
            },
            [`tags: got "51 tags"; ${TagsWhy}`],
        ],
        [
            "a tag value with a comma",
            a => {
                a.tags = { team: "platform, web" };
            },
            ['tags.team: got "platform, web"; expected a string of at most 256 letters, digits, spaces and _.:/=+-@'],
        ],
    ];
    for (const [what, mutate, expected] of refusals) {
        it(`refuses ${what}`, () => expect(messagesOf(mutate)).to.deep.equal(expected));
    }

    const acceptances: [string, (a: Args) => void, Partial<LoadBalancerModel>][] = [
        [
            "an internet-facing ALB that says it means plain HTTP",
            a => {
                delete a.loadBalancer.certificateArns;
                a.loadBalancer.allowPlainHttp = true;
            },
            { certificateArns: [], allowPlainHttp: true },
        ],
        [
            "an internal ALB without certificates",
            a => {
                delete a.loadBalancer.certificateArns;
                a.loadBalancer.internal = true;
            },
            { internal: true, certificateArns: [], allowPlainHttp: false },
        ],
        [
            "an adopted ALB (its listener is its owner's)",
            a => {
                a.loadBalancer = { ...Adopted };
            },
            { existingArn: AdoptedArn, allowPlainHttp: false },
        ],
        [
            "a TLS 1.3-only policy",
            a => {
                a.loadBalancer.sslPolicy = "ELBSecurityPolicy-TLS13-1-3-2021-06";
            },
            { sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" },
        ],
        [
            "the console's post-quantum default",
            a => {
                a.loadBalancer.sslPolicy = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";
            },
            { sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" },
        ],
        [
            "a TLS 1.2-only forward-secrecy policy",
            a => {
                a.loadBalancer.sslPolicy = "ELBSecurityPolicy-FS-1-2-Res-2020-10";
            },
            { sslPolicy: "ELBSecurityPolicy-FS-1-2-Res-2020-10" },
        ],
        [
            "a strictest desync mitigation",
            a => {
                a.loadBalancer.desyncMitigationMode = "strictest";
            },
            { desyncMitigationMode: "strictest" },
        ],
        [
            "access logs with their defaults",
            a => {
                a.loadBalancer.accessLogs = { bucket: "shop-edge-logs" };
            },
            { accessLogs: { bucket: "shop-edge-logs", prefix: "", enabled: true } },
        ],
        [
            "access logs turned off, the bucket kept",
            a => {
                a.loadBalancer.accessLogs = { bucket: "shop-edge-logs", prefix: "edge", enabled: false };
            },
            { accessLogs: { bucket: "shop-edge-logs", prefix: "edge", enabled: false } },
        ],
        [
            "a web ACL in the ALB's region",
            a => {
                a.loadBalancer.webAclArn = WebAcl;
            },
            { webAclArn: WebAcl },
        ],
    ];
    for (const [what, mutate, expected] of acceptances) {
        it(`accepts ${what}`, () => expect(loadBalancerOf(mutate)).to.deep.include(expected));
    }

    it("accepts 46 tags", () => {
        const args = exampleNetworkArgs();
        args.tags = manyTags(46);
        expect(Object.keys(validateSharedAlbArgs(args).tags)).to.have.length(46);
    });

    it("keeps the default policy on the allow-list, which holds no TLS 1.0 or 1.1 policy", () => {
        expect(SslPolicies).to.include("ELBSecurityPolicy-TLS13-1-2-2021-06");
        expect(SslPolicies.filter(x => /-TLS13-1-[01]-|-TLS-1-[01]-|-2016-08$|-FS-2018-06$|-FS-1-1-/.test(x))).to.deep.equal([]);
        expect(new Set(SslPolicies).size).to.equal(SslPolicies.length);
    });

    it("checks a web ACL's region once the region is known", () => {
        // The region comes from the provider later: only the shape is checked now.
        const args: Args = {
            ...exampleNetworkArgs(),
            loadBalancer: { ...exampleNetworkArgs().loadBalancer, webAclArn: WebAcl.replace("eu-west-1", "ap-south-1") },
        };
        delete args.region;
        expect(planSharedAlbArgs(args, true).loadBalancer.webAcl).to.equal(true);
        expect(() => validateSharedAlbArgs({ ...args, region: "eu-west-1" })).to.throw(ConfigErrors, "loadBalancer.webAclArn: got");
    });

    it("refuses more than 46 tags and accepts up to 46, whatever the count", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 80 }), n => {
                const got = messagesOf(a => {
                    a.tags = manyTags(n);
                });
                expect(got).to.deep.equal(n <= 46 ? [] : [`tags: got "${n} tags"; ${TagsWhy}`]);
            }),
            { numRuns: 40 },
        );
    });
});
