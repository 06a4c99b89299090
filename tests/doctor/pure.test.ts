import { expect } from "chai";
import fc from "fast-check";
import { cidrContains, previewValueNames } from "../../cli/doctor/aws-checks";
import { parsePolicy, roleNameFromArn } from "../../cli/doctor/aws-gather";
import { evaluateTrust, isAllowed, wildcardMatch } from "../../cli/doctor/iam-policy";
import { Pool } from "../../cli/doctor/pool";

const Tg = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/blue-web/0123456789abcdef";
const Controller = "arn:aws:iam::222222222222:role/blue-lb-controller";

describe("doctor pure helpers", () => {
    it("previewValueNames: the cluster key, or with a required token the key, a dot and something", () => {
        const cases: [string, string, boolean, boolean][] = [
            ["green", "green", false, true],
            ["GREEN", "green", false, true],
            ["green.0123456789abcdef", "green", false, false],
            ["green.0123456789abcdef", "green", true, true],
            ["Green.ABC", "green", true, true],
            ["green", "green", true, false],
            ["green.", "green", true, false],
            ["greenish.0123", "green", true, false],
            ["blue.0123", "green", true, false],
        ];
        for (const [value, cluster, token, names] of cases) {
            expect(previewValueNames(value, cluster, token), `${value} ${cluster} ${token}`).to.equal(names);
        }
    });

    describe("isAllowed (semantic IAM policy reading)", () => {
        const cases: Array<[string, Record<string, unknown>, string, string, boolean]> = [
            [
                "string action, string resource",
                { Statement: { Effect: "Allow", Action: "elasticloadbalancing:RegisterTargets", Resource: Tg } },
                "elasticloadbalancing:RegisterTargets",
                Tg,
                true,
            ],
            [
                "list action, list resource",
                { Statement: [{ Effect: "Allow", Action: ["elasticloadbalancing:DeregisterTargets"], Resource: ["x", Tg] }] },
                "elasticloadbalancing:DeregisterTargets",
                Tg,
                true,
            ],
            [
                "action case-insensitive",
                { Statement: { Effect: "Allow", Action: "ElasticLoadBalancing:registertargets", Resource: Tg } },
                "elasticloadbalancing:RegisterTargets",
                Tg,
                true,
            ],
            [
                "wildcard action and resource",
                {
                    Statement: {
                        Effect: "Allow",
                        Action: "elasticloadbalancing:*",
                        Resource: "arn:aws:elasticloadbalancing:*:111111111111:targetgroup/blue-*",
                    },
                },
                "elasticloadbalancing:RegisterTargets",
                Tg,
                true,
            ],
            [
                "other target group",
                {
                    Statement: {
                        Effect: "Allow",
                        Action: "elasticloadbalancing:RegisterTargets",
                        Resource: Tg.replace("blue-web", "green-web"),
                    },
                },
                "elasticloadbalancing:RegisterTargets",
                Tg,
                false,
            ],
            [
                "explicit deny wins",
                {
                    Statement: [
                        { Effect: "Allow", Action: "*", Resource: "*" },
                        { Effect: "Deny", Action: "elasticloadbalancing:RegisterTargets", Resource: Tg },
                    ],
                },
                "elasticloadbalancing:RegisterTargets",
                Tg,
                false,
            ],
            [
                "NotAction",
                { Statement: { Effect: "Allow", NotAction: "iam:*", Resource: "*" } },
                "elasticloadbalancing:RegisterTargets",
                Tg,
                true,
            ],
            [
                "NotResource",
                { Statement: { Effect: "Allow", Action: "elasticloadbalancing:RegisterTargets", NotResource: Tg } },
                "elasticloadbalancing:RegisterTargets",
                Tg,
                false,
            ],
            [
                "describe needs Resource *",
                { Statement: { Effect: "Allow", Action: "elasticloadbalancing:DescribeTargetHealth", Resource: Tg } },
                "elasticloadbalancing:DescribeTargetHealth",
                "*",
                false,
            ],
            [
                "describe on *",
                { Statement: { Effect: "Allow", Action: "elasticloadbalancing:Describe*", Resource: "*" } },
                "elasticloadbalancing:DescribeTargetHealth",
                "*",
                true,
            ],
            ["no statement", {}, "elasticloadbalancing:RegisterTargets", Tg, false],
        ];
        for (const [name, doc, action, resource, want] of cases) {
            it(`${want ? "allows" : "refuses"}: ${name}`, () => {
                expect(isAllowed([doc], action, resource)).to.equal(want);
            });
        }
    });

    describe("evaluateTrust", () => {
        const expected = { accountId: "222222222222", controllerRoleArn: Controller, externalId: "ext-1" };
        const trust = (statement: Record<string, unknown> | Array<Record<string, unknown>>) => ({
            Version: "2012-10-17",
            Statement: statement,
        });
        const good = {
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::222222222222:root" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:PrincipalArn": Controller, "sts:ExternalId": "ext-1" } },
        };

        it("accepts the network stack's trust policy", () => {
            expect(evaluateTrust(trust(good), expected)).to.deep.equal([]);
        });
        it("reads the account root in the partition of the controller role's ARN (aws-cn, aws-us-gov)", () => {
            for (const partition of ["aws-cn", "aws-us-gov"]) {
                const controller = Controller.replace("arn:aws:", `arn:${partition}:`);
                const root = `arn:${partition}:iam::222222222222:root`;
                const inPartition = {
                    ...good,
                    Principal: { AWS: root },
                    Condition: { StringEquals: { "aws:PrincipalArn": controller, "sts:ExternalId": "ext-1" } },
                };
                expect(evaluateTrust(trust(inPartition), { ...expected, controllerRoleArn: controller })).to.deep.equal([]);
                // The aws partition's root is another principal there.
                expect(
                    evaluateTrust(trust({ ...inPartition, Principal: { AWS: "arn:aws:iam::222222222222:root" } }), {
                        ...expected,
                        controllerRoleArn: controller,
                    }),
                ).to.deep.equal([
                    {
                        severity: "fail",
                        text: `no statement allows sts:AssumeRole for account 222222222222 (controller role ${controller})`,
                    },
                ]);
            }
        });
        it("accepts the controller role as principal with the external ID", () => {
            expect(
                evaluateTrust(
                    trust({
                        Effect: "Allow",
                        Principal: { AWS: [Controller] },
                        Action: ["sts:AssumeRole"],
                        Condition: { StringEquals: { "sts:ExternalId": ["ext-1"] } },
                    }),
                    expected,
                ),
            ).to.deep.equal([]);
        });
        it("fails a policy for another account", () => {
            expect(evaluateTrust(trust({ ...good, Principal: { AWS: "arn:aws:iam::333333333333:root" } }), expected)).to.deep.equal([
                { severity: "fail", text: `no statement allows sts:AssumeRole for account 222222222222 (controller role ${Controller})` },
            ]);
        });
        it("fails a missing external ID condition", () => {
            expect(
                evaluateTrust(trust({ ...good, Condition: { StringEquals: { "aws:PrincipalArn": Controller } } }), expected),
            ).to.deep.equal([{ severity: "fail", text: "has no sts:ExternalId condition" }]);
        });
        it("warns when the external ID is hidden as [secret]", () => {
            expect(evaluateTrust(trust(good), { ...expected, externalId: undefined })).to.deep.equal([
                { severity: "warn", text: "external ID not compared: the outputs hide it as [secret]" },
            ]);
        });
        it("fails a PrincipalArn wildcard broader than the controller (shared-alb writes the role's ARN alone)", () => {
            const broad = {
                ...good,
                Condition: {
                    ArnLike: { "aws:PrincipalArn": "arn:aws:iam::222222222222:role/*" },
                    StringEquals: { "sts:ExternalId": "ext-1" },
                },
            };
            expect(evaluateTrust(trust(broad), expected)).to.deep.equal([
                {
                    severity: "fail",
                    text: `aws:PrincipalArn condition ["arn:aws:iam::222222222222:role/*"] admits more than the controller role ${Controller}`,
                },
            ]);
        });
        const widened: Array<[string, Record<string, unknown>, string]> = [
            [
                "more actions than sts:AssumeRole",
                { ...good, Action: ["sts:AssumeRole", "sts:TagSession"] },
                `statement 1 allows ["sts:TagSession"] besides sts:AssumeRole`,
            ],
            ["sts:*", { ...good, Action: "sts:*" }, `statement 1 allows ["sts:*"] besides sts:AssumeRole`],
            [
                "NotAction",
                { ...good, Action: undefined, NotAction: "sts:AssumeRoleWithSAML" },
                `statement 1 allows every action but ["sts:AssumeRoleWithSAML"] (NotAction) besides sts:AssumeRole`,
            ],
            ["principal *", { ...good, Principal: "*" }, `statement 1 trusts "*" (every AWS account), not account 222222222222 alone`],
            [
                "NotPrincipal",
                { ...good, Principal: undefined, NotPrincipal: { AWS: "arn:aws:iam::333333333333:root" } },
                "statement 1 uses NotPrincipal: it trusts every principal but AWS:arn:aws:iam::333333333333:root",
            ],
            [
                "an external ID wildcard",
                { ...good, Condition: { StringEquals: { "aws:PrincipalArn": Controller }, StringLike: { "sts:ExternalId": "ext-*" } } },
                `sts:ExternalId condition ["ext-*"] admits more than one external ID`,
            ],
            [
                "two external IDs",
                { ...good, Condition: { StringEquals: { "aws:PrincipalArn": Controller, "sts:ExternalId": ["ext-1", "ext-2"] } } },
                `sts:ExternalId condition ["ext-1","ext-2"] admits more than one external ID`,
            ],
        ];
        for (const [what, statement, text] of widened) {
            it(`fails ${what}`, () => {
                expect(evaluateTrust(trust(JSON.parse(JSON.stringify(statement)) as Record<string, unknown>), expected)).to.deep.equal([
                    { severity: "fail", text },
                ]);
            });
        }
        it("fails an extra statement that lets someone else assume the role", () => {
            expect(
                evaluateTrust(
                    trust([good, { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]),
                    expected,
                ),
            ).to.deep.equal([{ severity: "fail", text: "statement 2 also allows sts:AssumeRole for Service:ec2.amazonaws.com" }]);
        });
    });

    it("wildcardMatch treats regex characters literally", () => {
        expect(wildcardMatch("a.b", "axb")).to.equal(false);
        expect(wildcardMatch("a?b*", "aXbYZ")).to.equal(true);
    });

    it("cidrContains agrees with a bit-string reference (property)", () => {
        const bits = (ip: number): string => (ip >>> 0).toString(2).padStart(32, "0");
        const dotted = (ip: number): string => [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join(".");
        fc.assert(
            fc.property(
                fc.integer({ min: 0, max: 0xffffffff }),
                fc.integer({ min: 0, max: 32 }),
                fc.integer({ min: 0, max: 0xffffffff }),
                fc.integer({ min: 0, max: 32 }),
                (a, aLen, b, bLen) => {
                    const want = aLen <= bLen && bits(a).slice(0, aLen) === bits(b).slice(0, aLen);
                    return cidrContains(`${dotted(a)}/${aLen}`, `${dotted(b)}/${bLen}`) === want;
                },
            ),
            { numRuns: 2000 },
        );
        expect(cidrContains("10.0.0.0/8", "10.1.0.0/16")).to.equal(true);
        expect(cidrContains("10.0.0.0/16", "10.1.0.0/16")).to.equal(false);
        expect(cidrContains("0.0.0.0/0", "192.168.0.0/16")).to.equal(true);
    });

    it("parsePolicy reads URL-encoded and plain documents", () => {
        const doc = { Version: "2012-10-17", Statement: [] };
        expect(parsePolicy(encodeURIComponent(JSON.stringify(doc)))).to.deep.equal(doc);
        expect(parsePolicy(JSON.stringify(doc))).to.deep.equal(doc);
        expect(parsePolicy("%%%")).to.deep.equal({});
    });

    it("roleNameFromArn handles paths and partitions", () => {
        expect(roleNameFromArn("arn:aws:iam::111111111111:role/shared-alb/registrar-blue")).to.equal("registrar-blue");
        expect(roleNameFromArn("arn:aws:iam::111111111111:role/registrar-blue")).to.equal("registrar-blue");
        expect(roleNameFromArn("arn:aws-cn:iam::111111111111:role/shared-alb/registrar-blue")).to.equal("registrar-blue");
        expect(roleNameFromArn("arn:aws-us-gov:iam::111111111111:role/registrar-blue")).to.equal("registrar-blue");
    });

    it("Pool never runs more than its limit at once, and keeps order", async () => {
        const pool = new Pool(3);
        let running = 0;
        let peak = 0;
        const results = await Promise.all(
            Array.from({ length: 20 }, (_, i) =>
                pool.run(async () => {
                    running += 1;
                    peak = Math.max(peak, running);
                    await new Promise(resolve => setTimeout(resolve, 2 + (i % 3)));
                    running -= 1;
                    return i;
                }),
            ),
        );
        expect(peak).to.equal(3);
        expect(results).to.deep.equal(Array.from({ length: 20 }, (_, i) => i));
        expect(pool.done).to.equal(20);
    });

    it("Pool releases its slot when a task fails", async () => {
        const pool = new Pool(1);
        await pool.run(() => Promise.reject(new Error("boom"))).catch(() => undefined);
        expect(await pool.run(async () => "next")).to.equal("next");
    });
});
