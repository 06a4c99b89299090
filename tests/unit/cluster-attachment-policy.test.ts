import { expect } from "chai";
import {
    controllerPermissionsPolicy,
    controllerTrustPolicy,
    normalizeIssuer,
    parseRoleArn,
    securityGroupArn,
} from "../../components/cluster-attachment/policy";

const tg = (s: string) => `arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/sa-green-${s}/0123456789abcdef`;
const registrar = "arn:aws:iam::111111111111:role/shared-alb-registrar-blue";

describe("cluster-attachment policy: IRSA trust", () => {
    for (const issuer of [
        "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
        "oidc.eks.eu-west-1.amazonaws.com/id/ABC",
        "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC/",
    ]) {
        it(`trusts only the controller service account through the OIDC provider (issuer ${issuer})`, () => {
            expect(
                controllerTrustPolicy({
                    oidcProviderArn: "arn:aws:iam::222222222222:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
                    oidcIssuer: issuer,
                    namespace: "kube-system",
                    serviceAccountName: "aws-load-balancer-controller",
                }),
            ).to.deep.equal({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ControllerServiceAccount",
                        Effect: "Allow",
                        Principal: { Federated: "arn:aws:iam::222222222222:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: {
                            StringEquals: {
                                "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub":
                                    "system:serviceaccount:kube-system:aws-load-balancer-controller",
                                "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
                            },
                        },
                    },
                ],
            });
        });
    }

    it("normalizes issuers", () => {
        expect(normalizeIssuer("https://x.example/id/1")).to.equal("x.example/id/1");
        expect(normalizeIssuer("x.example/id/1/")).to.equal("x.example/id/1");
    });
});

describe("cluster-attachment policy: TargetGroupBinding-only permissions", () => {
    it("same account: describes, and register/deregister on its own target groups only", () => {
        expect(
            controllerPermissionsPolicy({
                targetGroupArns: [tg("web"), tg("api"), tg("web")],
                securityGroupMode: "rules",
                nodeSecurityGroupArns: [],
                ipTargets: true,
            }),
        ).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "DescribeVpcsAndSecurityGroups",
                    Effect: "Allow",
                    Action: ["ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"],
                    Resource: "*",
                },
                {
                    Sid: "DescribeTargetGroups",
                    Effect: "Allow",
                    Action: ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"],
                    Resource: "*",
                },
                {
                    Sid: "RegisterOwnTargets",
                    Effect: "Allow",
                    Action: ["elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:RegisterTargets"],
                    Resource: [tg("api"), tg("web")],
                },
            ],
        });
    });

    it("cross account: assume the registrar role only; no Elastic Load Balancing call with its own credentials", () => {
        expect(
            controllerPermissionsPolicy({
                registrarRoleArn: registrar,
                targetGroupArns: [tg("web")],
                securityGroupMode: "none",
                nodeSecurityGroupArns: [],
                ipTargets: true,
            }),
        ).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "DescribeVpcsAndSecurityGroups",
                    Effect: "Allow",
                    Action: ["ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"],
                    Resource: "*",
                },
                { Sid: "AssumeRegistrarRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: registrar },
            ],
        });
    });

    for (const ipTargets of [true, false]) {
        it(`controller mode (${ipTargets ? "ip" : "instance"} targets): scoped ingress changes and the describes networking needs`, () => {
            const sg = securityGroupArn("aws", "eu-west-1", "222222222222", "sg-0b0b0b0b0b0b0b0b0");
            expect(sg).to.equal("arn:aws:ec2:eu-west-1:222222222222:security-group/sg-0b0b0b0b0b0b0b0b0");
            const doc = controllerPermissionsPolicy({
                registrarRoleArn: registrar,
                targetGroupArns: [],
                securityGroupMode: "controller",
                nodeSecurityGroupArns: [sg],
                ipTargets,
            });
            expect(doc.Statement.slice(2)).to.deep.equal([
                {
                    Sid: "DescribeTargetsForNetworking",
                    Effect: "Allow",
                    Action: ipTargets ? ["ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces"] : ["ec2:DescribeInstances"],
                    Resource: "*",
                },
                {
                    Sid: "ManageNodeSecurityGroupIngress",
                    Effect: "Allow",
                    Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
                    Resource: [sg],
                },
            ]);
        });
    }

    it("never grants IAM, wildcard actions, or load balancer / target group / listener changes", () => {
        for (const registrarRoleArn of [undefined, registrar]) {
            for (const securityGroupMode of ["rules", "controller", "none"] as const) {
                const doc = controllerPermissionsPolicy({
                    registrarRoleArn,
                    targetGroupArns: [tg("web")],
                    securityGroupMode,
                    nodeSecurityGroupArns: ["arn:aws:ec2:eu-west-1:222222222222:security-group/sg-0b0b0b0b0b0b0b0b0"],
                    ipTargets: true,
                });
                const actions = doc.Statement.flatMap(s => ([] as string[]).concat(s.Action));
                for (const a of actions) {
                    expect(a).to.not.match(/^iam:|\*|^elasticloadbalancing:(Create|Delete|Modify|Add|Remove|Set)/);
                }
                expect(JSON.parse(JSON.stringify(doc))).to.deep.equal(doc);
            }
        }
    });
});

describe("cluster-attachment policy: role ARNs", () => {
    const table: [string, ReturnType<typeof parseRoleArn>][] = [
        [
            "arn:aws:iam::222222222222:role/shared-alb-lbc-blue",
            { partition: "aws", accountId: "222222222222", path: "/", name: "shared-alb-lbc-blue" },
        ],
        [
            "arn:aws:iam::222222222222:role/platform/lbc/shared-alb-lbc-blue",
            { partition: "aws", accountId: "222222222222", path: "/platform/lbc/", name: "shared-alb-lbc-blue" },
        ],
        [
            "arn:aws-cn:iam::222222222222:role/shared-alb-lbc-blue",
            { partition: "aws-cn", accountId: "222222222222", path: "/", name: "shared-alb-lbc-blue" },
        ],
        [
            "arn:aws-us-gov:iam::222222222222:role/lbc/blue",
            { partition: "aws-us-gov", accountId: "222222222222", path: "/lbc/", name: "blue" },
        ],
        ["arn:aws:iam::2222:role/x", undefined],
        ["arn:aws:iam::222222222222:user/x", undefined],
        ["not an arn", undefined],
    ];
    for (const [arn, want] of table) {
        it(`parses ${arn}`, () => expect(parseRoleArn(arn)).to.deep.equal(want));
    }
});
