import { expect } from "chai";
import fc from "fast-check";
import { controllerPermissionsPolicy, controllerTrustPolicy } from "../../components/cluster-attachment/policy";
import { registrarPermissions } from "../../components/shared-alb/policy";
import { ClassicLoadBalancerActions, serviceActions } from "../../cli/doctor/action-catalog";
import { evaluateControllerTrust } from "../../cli/doctor/iam-policy";
import { envelopeOf, widenedGrants } from "../../cli/doctor/iam-widening";
import { LivePolicy, PolicyDocument } from "../../cli/doctor/snapshot";

const TgA = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/blue-api/0123456789abcdef";
const TgB = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/blue-web/fedcba9876543210";
const Scope = "the target groups of cluster blue";
const registrar = envelopeOf(registrarPermissions([TgA, TgB]), {
    "elasticloadbalancing:RegisterTargets": Scope,
    "elasticloadbalancing:DeregisterTargets": Scope,
});

const inline = (document: Record<string, unknown>, name = "register-targets"): LivePolicy => ({ name, kind: "inline", document });
const allow = (statement: Record<string, unknown>): Record<string, unknown> => ({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", ...statement }],
});

describe("doctor: policies wider than shared-alb writes them", () => {
    it("the package's own registrar policy is not widened, however it is spelled", () => {
        expect(widenedGrants([inline(registrarPermissions([TgA, TgB]) as unknown as PolicyDocument)], registrar)).to.deep.equal({
            problems: [],
            extras: [],
            offending: [],
        });
        const respelled = {
            Statement: [
                { Effect: "Allow", Action: "elasticloadbalancing:*Targets", Resource: [TgB, TgA] },
                { Effect: "Allow", Action: "ElasticLoadBalancing:DescribeTargetGroups", Resource: "*" },
                { Effect: "Allow", Action: ["elasticloadbalancing:Describe?argetHealth"], Resource: ["*"] },
                { Effect: "Deny", NotAction: "elasticloadbalancing:RegisterTargets", Resource: "*" },
            ],
        };
        expect(widenedGrants([inline(respelled)], registrar)).to.deep.equal({ problems: [], extras: [], offending: [] });
    });

    const cases: Array<[string, LivePolicy, string[]]> = [
        [
            "NotAction",
            inline(allow({ NotAction: "iam:*", Resource: "*" })),
            [`inline policy register-targets statement 1: NotAction ["iam:*"] allows every action but that one`],
        ],
        [
            "NotResource",
            inline(allow({ Action: "elasticloadbalancing:RegisterTargets", NotResource: [TgA, TgB] })),
            [`inline policy register-targets statement 1: NotResource ["${TgA}","${TgB}"] allows every resource but those`],
        ],
        [
            "*",
            inline(allow({ Action: "*", Resource: "*" })),
            [`inline policy register-targets statement 1: action "*" grants every action of every service`],
        ],
        [
            "*:*",
            inline(allow({ Action: "*:*", Resource: "*" })),
            [`inline policy register-targets statement 1: action "*:*" grants every action of every service`],
        ],
        [
            "elasticloadbalancing:*",
            inline(allow({ Action: "elasticloadbalancing:*", Resource: [TgA, TgB] })),
            [`inline policy register-targets statement 1: action "elasticloadbalancing:*" grants every elasticloadbalancing action`],
        ],
        [
            "iam:* and sts:*",
            inline(allow({ Action: ["iam:*", "sts:*"], Resource: "*" })),
            [
                `inline policy register-targets statement 1: action "iam:*" grants every iam action`,
                `inline policy register-targets statement 1: action "sts:*" grants every sts action`,
            ],
        ],
        [
            "a wildcard reaching the classic load balancer API",
            inline(allow({ Action: "elasticloadbalancing:Register*", Resource: [TgA, TgB] })),
            [
                `inline policy register-targets statement 1: grants "elasticloadbalancing:Register*" (elasticloadbalancing:RegisterInstancesWithLoadBalancer), which shared-alb does not grant`,
            ],
        ],
        [
            "a describe wildcard",
            inline(allow({ Action: "elasticloadbalancing:Describe*", Resource: "*" })),
            [
                `inline policy register-targets statement 1: grants "elasticloadbalancing:Describe*" (elasticloadbalancing:DescribeAccountLimits, elasticloadbalancing:DescribeCapacityReservation, ` +
                    `elasticloadbalancing:DescribeInstanceHealth and 14 more), which shared-alb does not grant`,
            ],
        ],
        [
            "a wildcard over a service the doctor cannot list",
            inline(allow({ Action: "sts:Assume*", Resource: "*" })),
            [
                `inline policy register-targets statement 1: action "sts:Assume*" is a wildcard over sts actions, of which shared-alb grants none`,
            ],
        ],
        [
            "actions shared-alb does not grant",
            inline(
                allow({
                    Action: ["elasticloadbalancing:ModifyRule", "elasticloadbalancing:RegisterTargets", "ec2:DescribeVpcs"],
                    Resource: TgA,
                }),
            ),
            [
                `inline policy register-targets statement 1: grants elasticloadbalancing:ModifyRule, ec2:DescribeVpcs, which shared-alb does not grant`,
            ],
        ],
        [
            "Resource * on actions scoped to target groups",
            inline(allow({ Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], Resource: "*" })),
            [
                `inline policy register-targets statement 1: Resource "*" on elasticloadbalancing:RegisterTargets, elasticloadbalancing:DeregisterTargets, which shared-alb grants only on ${Scope}`,
            ],
        ],
        [
            "a target group wildcard",
            inline(
                allow({
                    Action: "elasticloadbalancing:*Targets",
                    Resource: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/*",
                }),
            ),
            [
                `inline policy register-targets statement 1: resource "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/*" on elasticloadbalancing:DeregisterTargets, ` +
                    `elasticloadbalancing:RegisterTargets reaches beyond ${Scope}`,
            ],
        ],
        [
            "an attached administrator policy",
            {
                name: "AdministratorAccess",
                kind: "managed",
                arn: "arn:aws:iam::aws:policy/AdministratorAccess",
                document: allow({ Action: "*", Resource: "*" }),
            },
            [`attached policy AdministratorAccess statement 1: action "*" grants every action of every service`],
        ],
    ];
    for (const [what, policy, problems] of cases) {
        it(`fails ${what}`, () => {
            expect(widenedGrants([policy], registrar).problems).to.deep.equal(problems);
        });
    }

    it("any one action the package does not grant, added to its own policy, is a problem (property)", () => {
        const own = registrarPermissions([TgA, TgB]) as unknown as PolicyDocument;
        const known = ["elasticloadbalancing", "ec2", "iam"].flatMap(service =>
            (serviceActions(service) ?? []).map(a => `${service}:${a}`),
        );
        const extra = known.filter(a => !registrar.has(a.toLowerCase()));
        expect(known.length - extra.length).to.equal(4);
        fc.assert(
            fc.property(fc.constantFrom(...extra), fc.constantFrom("*", TgA), (action, resource) => {
                const result = widenedGrants([inline(own), inline(allow({ Action: action, Resource: resource }), "extra")], registrar);
                return result.problems.length === 1 && result.problems[0].startsWith(`inline policy extra statement 1: grants ${action}`);
            }),
            { numRuns: 300 },
        );
    });

    it("the classic load balancer's actions are part of the elasticloadbalancing catalog", () => {
        const actions = serviceActions("elasticloadbalancing") ?? [];
        expect(ClassicLoadBalancerActions.every(a => actions.includes(a))).to.equal(true);
        expect(actions).to.include.members(["RegisterTargets", "DeregisterTargets", "DescribeTargetGroups", "DescribeTargetHealth"]);
        expect(serviceActions("sts")).to.equal(undefined);
    });

    describe("the controller role (same account as the network)", () => {
        const account = "111111111111";
        const nodeGroups = "the node security groups of account 111111111111 in eu-west-1";
        const accepts = (r: string): boolean => /^arn:aws:ec2:eu-west-1:111111111111:security-group\/sg-[0-9a-f]+$/.test(r);
        const built = controllerPermissionsPolicy({
            targetGroupArns: [TgA, TgB],
            securityGroupMode: "controller",
            nodeSecurityGroupArns: [],
            ipTargets: true,
        });
        const envelope = envelopeOf(
            built,
            { "ec2:AuthorizeSecurityGroupIngress": nodeGroups, "ec2:RevokeSecurityGroupIngress": nodeGroups },
            { "ec2:AuthorizeSecurityGroupIngress": accepts, "ec2:RevokeSecurityGroupIngress": accepts },
        );
        const additional = {
            policyName: "additional",
            forbidden: [/^iam:/i, /^\*$/, /^elasticloadbalancing:(Create|Delete)/i],
            declaredIn: "controller.additionalPolicyJson",
        };

        it("accepts the policy of every security-group mode, with the node security groups of the account", () => {
            for (const mode of ["rules", "controller", "none"] as const) {
                const doc = controllerPermissionsPolicy({
                    targetGroupArns: [TgA],
                    securityGroupMode: mode,
                    ipTargets: mode === "controller",
                    nodeSecurityGroupArns: [`arn:aws:ec2:eu-west-1:${account}:security-group/sg-0123456789abcdef0`],
                }) as unknown as PolicyDocument;
                expect(widenedGrants([inline(doc, "target-group-binding")], envelope, additional).problems, mode).to.deep.equal([]);
            }
        });

        it("fails ingress rights on every security group or on another account's", () => {
            const doc = allow({
                Action: "ec2:AuthorizeSecurityGroupIngress",
                Resource: ["*", "arn:aws:ec2:eu-west-1:222222222222:security-group/sg-0123456789abcdef0"],
            });
            expect(widenedGrants([inline(doc, "target-group-binding")], envelope, additional).problems).to.deep.equal([
                `inline policy target-group-binding statement 1: Resource "*" on ec2:AuthorizeSecurityGroupIngress, which shared-alb grants only on ${nodeGroups}`,
                `inline policy target-group-binding statement 1: resource "arn:aws:ec2:eu-west-1:222222222222:security-group/sg-0123456789abcdef0" on ec2:AuthorizeSecurityGroupIngress reaches beyond ${nodeGroups}`,
            ]);
        });

        it("lets the additional policy add actions, never those controller.additionalPolicyJson refuses", () => {
            const doc = allow({
                Action: ["ec2:DescribeSubnets", "ec2:DescribeVpc*", "iam:PassRole", "elasticloadbalancing:CreateTargetGroup"],
                Resource: "*",
            });
            expect(widenedGrants([inline(doc, "additional")], envelope, additional)).to.deep.equal({
                problems: [
                    "inline policy additional statement 1: grants iam:PassRole, elasticloadbalancing:CreateTargetGroup, which shared-alb never grants the controller (controller.additionalPolicyJson refuses it)",
                ],
                extras: ["ec2:DescribeSubnets", "ec2:DescribeVpc*"],
                offending: [inline(doc, "additional")],
            });
            // The same actions in any other policy are widenings.
            expect(
                widenedGrants(
                    [inline(allow({ Action: "ec2:DescribeSubnets", Resource: "*" }), "target-group-binding")],
                    envelope,
                    additional,
                ).problems,
            ).to.deep.equal([
                "inline policy target-group-binding statement 1: grants ec2:DescribeSubnets, which shared-alb does not grant",
            ]);
        });
    });

    describe("evaluateControllerTrust", () => {
        const issuer = "oidc.eks.eu-west-1.amazonaws.com/id/ABC";
        const provider = `arn:aws:iam::111111111111:oidc-provider/${issuer}`;
        const own = controllerTrustPolicy({
            oidcProviderArn: provider,
            oidcIssuer: `https://${issuer}`,
            namespace: "kube-system",
            serviceAccountName: "aws-load-balancer-controller",
        });
        const withStatement = (change: (st: Record<string, unknown>) => Record<string, unknown>): PolicyDocument => ({
            Version: "2012-10-17",
            Statement: [change({ ...own.Statement[0] } as unknown as Record<string, unknown>)],
        });

        it("accepts the trust the cluster stack writes", () => {
            expect(evaluateControllerTrust(own as unknown as PolicyDocument, "111111111111")).to.deep.equal([]);
        });

        const cases: Array<[string, PolicyDocument, string[]]> = [
            [
                "a provider of another account",
                withStatement(st => ({ ...st, Principal: { Federated: provider.replace("111111111111", "333333333333") } })),
                ["no statement lets an OIDC provider of account 111111111111 assume it with sts:AssumeRoleWithWebIdentity"],
            ],
            [
                "no sub condition",
                withStatement(st => ({ ...st, Condition: { StringEquals: { [`${issuer}:aud`]: "sts.amazonaws.com" } } })),
                [`statement 1 has no ${issuer}:sub condition: any service account of the cluster may assume it`],
            ],
            [
                "a sub wildcard",
                withStatement(st => ({
                    ...st,
                    Condition: {
                        StringLike: { [`${issuer}:sub`]: "system:serviceaccount:*:*" },
                        StringEquals: { [`${issuer}:aud`]: "sts.amazonaws.com" },
                    },
                })),
                [`statement 1: ${issuer}:sub condition ["system:serviceaccount:*:*"] admits more than one service account`],
            ],
            [
                "no audience",
                withStatement(st => ({
                    ...st,
                    Condition: { StringEquals: { [`${issuer}:sub`]: "system:serviceaccount:kube-system:aws-load-balancer-controller" } },
                })),
                [`statement 1: ${issuer}:aud condition is missing, not "sts.amazonaws.com" alone`],
            ],
            [
                "more actions",
                withStatement(st => ({ ...st, Action: ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"] })),
                ["statement 1 allows sts:AssumeRoleWithWebIdentity, sts:TagSession, not sts:AssumeRoleWithWebIdentity alone"],
            ],
            [
                "another statement",
                {
                    Version: "2012-10-17",
                    Statement: [
                        own.Statement[0],
                        { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sts:AssumeRole" },
                    ],
                },
                ["statement 2 also allows sts:AssumeRole for AWS:arn:aws:iam::111111111111:root"],
            ],
        ];
        for (const [what, doc, problems] of cases) {
            it(`fails ${what}`, () => {
                expect(evaluateControllerTrust(doc, "111111111111").map(p => `${p.severity} ${p.text}`)).to.deep.equal(
                    problems.map(p => `fail ${p}`),
                );
            });
        }
    });
});
