import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import {
    AttachRolePolicyCommand,
    DeleteRoleCommand,
    DeleteRolePolicyCommand,
    DetachRolePolicyCommand,
    GetRolePolicyCommand,
    PutRolePolicyCommand,
    UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { NetworkOutputs } from "../../components/internal/contract";
import { CheckResult, Report } from "../../cli/doctor/report";
import { AwsTestClients, BuiltFleet, buildFleet, controllerTrust, oidcIssuer, testClients } from "./fleet";
import { motoEnv, OwnMoto, startOwnMoto } from "./moto";
import { runDoctor } from "./run";

/** The two roles the doctor reads: blue's registrar (cross-account) and green's controller (the network's own account). */
const Roles = {
    registrar: {
        id: "registrar.trust",
        cluster: "blue",
        name: "shared-alb-registrar-blue",
        restore:
            "pulumi up -s network to restore the registrar role's trust and policy register-targets (trust: account 222222222222, " +
            "aws:PrincipalArn arn:aws:iam::222222222222:role/blue-lb-controller, sts:ExternalId from the outputs)",
    },
    controller: {
        id: "controller.iam",
        cluster: "green",
        name: "green-lb-controller",
        restore: "pulumi up -s cluster-green to restore the controller role's trust and policy target-group-binding",
    },
} as const;

const Admin = `attached policy AdministratorAccess statement 1: action "*" grants every action of every service`;
const PowerUser = [
    `attached policy PowerUserAccess statement 1: NotAction ["iam:*","organizations:*","account:*"] allows every action but those`,
    "attached policy PowerUserAccess statement 2: grants account:GetAccountInformation, account:GetGovCloudAccountInformation, account:GetPrimaryEmail, account:ListRegions, " +
        "iam:CreateServiceLinkedRole, iam:DeleteServiceLinkedRole, iam:ListRoles, organizations:DescribeEffectivePolicy, organizations:DescribeOrganization, which shared-alb does not grant",
].join("; ");

describe("doctor against moto_server with AWS managed policies: a widened registrar or controller role is a failure", function () {
    this.timeout(120_000);
    let moto: OwnMoto;
    let aws: AwsTestClients;
    let fleet: BuiltFleet;

    /** What each test changed, undone after it (a reset of this moto costs seconds: it reloads every managed policy). */
    const undo: Array<() => Promise<unknown>> = [];

    before(async () => {
        // moto loads AWS managed policies (AdministratorAccess...) only when asked.
        moto = await startOwnMoto({ MOTO_IAM_LOAD_MANAGED_POLICIES: "true" });
        aws = testClients(moto.endpoint);
        fleet = await buildFleet(aws);
    });

    after(() => moto.stop());

    afterEach(async () => {
        for (const step of undo.splice(0).reverse()) {
            await step();
        }
    });

    const attach = async (role: string, policy: string): Promise<void> => {
        const arn = `arn:aws:iam::aws:policy/${policy}`;
        await aws.iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: arn }));
        undo.push(() => aws.iam.send(new DetachRolePolicyCommand({ RoleName: role, PolicyArn: arn })));
    };
    /** Puts an inline policy; afterwards the one it replaced is put back (or the new one deleted). */
    const putInline = async (role: string, name: string, document: Record<string, unknown>): Promise<void> => {
        const before = await aws.iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: name })).catch(() => undefined);
        await aws.iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: name, PolicyDocument: JSON.stringify(document) }));
        undo.push(() =>
            before?.PolicyDocument
                ? aws.iam.send(
                      new PutRolePolicyCommand({
                          RoleName: role,
                          PolicyName: name,
                          PolicyDocument: decodeURIComponent(before.PolicyDocument),
                      }),
                  )
                : aws.iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: name })),
        );
    };

    async function doctor(outputs: NetworkOutputs = fleet.outputs): Promise<{ code: number; report: Report }> {
        const file = path.join(mkdtempSync(path.join(tmpdir(), "doctor-widened-")), "outputs.json");
        writeFileSync(file, JSON.stringify(outputs));
        const run = await runDoctor(["--network-outputs", file, "--json"], { env: motoEnv(moto.endpoint) });
        return { code: run.code, report: JSON.parse(run.stdout) as Report };
    }

    function roleCheck(report: Report, role: (typeof Roles)[keyof typeof Roles]): CheckResult {
        const found = report.checks.filter(c => c.id === role.id);
        expect(found, JSON.stringify(report.checks.map(c => `${c.id} ${c.status}`))).to.have.length(1);
        return found[0];
    }

    for (const [kind, role] of Object.entries(Roles)) {
        const attachCases: Array<[string, string]> = [
            ["AdministratorAccess", Admin],
            ["PowerUserAccess", PowerUser],
        ];
        for (const [policy, message] of attachCases) {
            it(`${kind} role with ${policy} attached: fails, naming the statement, with the detach command`, async () => {
                await attach(role.name, policy);
                const { code, report } = await doctor();
                expect(roleCheck(report, role)).to.deep.include({
                    status: "fail",
                    message,
                    hint: `aws iam detach-role-policy --role-name ${role.name} --policy-arn arn:aws:iam::aws:policy/${policy}; then ${role.restore}`,
                });
                expect(report.checks.filter(c => c.status !== "pass").map(c => c.id)).to.deep.equal([role.id]);
                expect(code).to.equal(1);
            });
        }

        it(`${kind} role with ElasticLoadBalancingFullAccess attached: fails on every statement that reaches beyond shared-alb's grant`, async () => {
            await attach(role.name, "ElasticLoadBalancingFullAccess");
            const { report } = await doctor();
            const problems = roleCheck(report, role).message.split("; ");
            expect(problems[0]).to.equal(
                `attached policy ElasticLoadBalancingFullAccess statement 1: action "elasticloadbalancing:*" grants every elasticloadbalancing action`,
            );
            expect(problems.map(p => p.replace(/:.*/, ""))).to.deep.equal(
                [1, 2, 3, 4, 5].map(n => `attached policy ElasticLoadBalancingFullAccess statement ${n}`),
            );
            expect(problems[3]).to.equal(
                `attached policy ElasticLoadBalancingFullAccess statement 4: action "arc-zonal-shift:*" grants every arc-zonal-shift action`,
            );
            expect(roleCheck(report, role).status).to.equal("fail");
        });

        const inlineCases: Array<[string, Record<string, unknown>, string]> = [
            [
                "NotAction",
                { Effect: "Allow", NotAction: ["iam:*"], Resource: "*" },
                `inline policy widened statement 1: NotAction ["iam:*"] allows every action but that one`,
            ],
            [
                "*:*",
                { Effect: "Allow", Action: "*:*", Resource: "*" },
                `inline policy widened statement 1: action "*:*" grants every action of every service`,
            ],
            [
                "RegisterTargets on every target group",
                { Effect: "Allow", Action: "elasticloadbalancing:RegisterTargets", Resource: "*" },
                `inline policy widened statement 1: Resource "*" on elasticloadbalancing:RegisterTargets, which shared-alb grants only on the target groups of cluster ${role.cluster}`,
            ],
        ];
        for (const [what, statement, message] of inlineCases) {
            it(`${kind} role with an extra inline policy (${what}): fails, with the delete command`, async () => {
                await putInline(role.name, "widened", { Version: "2012-10-17", Statement: [statement] });
                const { code, report } = await doctor();
                expect(roleCheck(report, role)).to.deep.include({
                    status: "fail",
                    message,
                    hint: `aws iam delete-role-policy --role-name ${role.name} --policy-name widened; then ${role.restore}`,
                });
                expect(code).to.equal(1);
            });
        }
    }

    it("the registrar's own policy widened in place: the fix is pulumi up alone", async () => {
        await putInline(Roles.registrar.name, "register-targets", {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "elasticloadbalancing:*", Resource: "*" }],
        });
        const { report } = await doctor();
        expect(roleCheck(report, Roles.registrar)).to.deep.include({
            status: "fail",
            message: `inline policy register-targets statement 1: action "elasticloadbalancing:*" grants every elasticloadbalancing action`,
            hint: Roles.registrar.restore,
        });
    });

    it("controller.iam fails a trust that admits any service account of the cluster", async () => {
        const issuer = oidcIssuer("green").replace("https://", "");
        undo.push(() =>
            aws.iam.send(
                new UpdateAssumeRolePolicyCommand({
                    RoleName: Roles.controller.name,
                    PolicyDocument: controllerTrust("123456789012", "green"),
                }),
            ),
        );
        await aws.iam.send(
            new UpdateAssumeRolePolicyCommand({
                RoleName: Roles.controller.name,
                PolicyDocument: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${issuer}` },
                            Action: "sts:AssumeRoleWithWebIdentity",
                            Condition: {
                                StringLike: { [`${issuer}:sub`]: "system:serviceaccount:*" },
                                StringEquals: { [`${issuer}:aud`]: "sts.amazonaws.com" },
                            },
                        },
                    ],
                }),
            }),
        );
        const { report } = await doctor();
        expect(roleCheck(report, Roles.controller)).to.deep.include({
            status: "fail",
            message: `trust policy statement 1: ${issuer}:sub condition ["system:serviceaccount:*"] admits more than one service account`,
            hint: Roles.controller.restore,
        });
    });

    it("controller.iam passes the additional policy's extra actions and names them", async () => {
        await putInline(Roles.controller.name, "additional", {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: ["ec2:DescribeSubnets"], Resource: "*" }],
        });
        const { code, report } = await doctor();
        expect(roleCheck(report, Roles.controller)).to.deep.include({
            status: "pass",
            message:
                "trusts one service account through an OIDC provider of account 123456789012; may register into 2 target groups; controller.additionalPolicyJson adds ec2:DescribeSubnets",
        });
        expect(code).to.equal(0);
    });

    // Last: it deletes the role.
    it("controller.iam warns when the controller role does not exist", async () => {
        await aws.iam.send(new DeleteRolePolicyCommand({ RoleName: Roles.controller.name, PolicyName: "target-group-binding" }));
        await aws.iam.send(new DeleteRoleCommand({ RoleName: Roles.controller.name }));
        const { code, report } = await doctor();
        expect(roleCheck(report, Roles.controller)).to.deep.include({
            status: "warn",
            message:
                "controller role of cluster green does not exist: its controller cannot register targets, unless it runs with a role of its own",
            hint: "pulumi up -s cluster-green creates it; with controller.createRole false, the role you bring is not checked",
        });
        expect(code).to.equal(0);
    });
});
