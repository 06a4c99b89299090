import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { ModifyLoadBalancerAttributesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import fc from "fast-check";
import { createAwsClients } from "../../cli/doctor/aws-clients";
import { runAwsChecks } from "../../cli/doctor/aws-checks";
import { Caller, gatherAws } from "../../cli/doctor/aws-gather";
import { Pool } from "../../cli/doctor/pool";
import { CheckResult, Report } from "../../cli/doctor/report";
import { AwsSnapshot, Fetched } from "../../cli/doctor/snapshot";
import { BuiltFleet, buildFleet, testClients } from "./fleet";
import { closedPort, Fault, FaultProxy } from "./fault-proxy";
import { Moto, motoEnv, startMoto } from "./moto";
import { runDoctor } from "./run";

const DeniedHint =
    "grant the doctor's credentials the read permissions listed in docs/doctor.md (elasticloadbalancing:Describe*, ec2:DescribeSecurityGroups, ec2:DescribeVpcs, " +
    "iam:GetRole, iam:ListRolePolicies, iam:GetRolePolicy, iam:ListAttachedRolePolicies, iam:GetPolicy, iam:GetPolicyVersion) and run again";

const denied = (call: string): string => `AccessDenied: User: arn:aws:iam::123456789012:user/doctor is not authorized to perform: ${call}`;

/** `status id subject`, with the long ARN prefixes dropped, for compact expectations. */
function brief(c: CheckResult): string {
    return `${c.status} ${c.id} ${c.subject.replace(/arn:aws:[a-z]+:[a-z0-9-]*:\d{12}:/g, "").replace(/\/[0-9a-f]{16}/g, "")}`;
}

describe("doctor when reads fail: a check that could not tell is an error, never a pass", function () {
    this.timeout(120_000);
    let moto: Moto;
    let fleet: BuiltFleet;
    let proxy: FaultProxy;
    let file: string;

    before(async () => {
        moto = await startMoto();
        await moto.reset();
        fleet = await buildFleet(testClients(moto.endpoint));
        file = path.join(mkdtempSync(path.join(tmpdir(), "doctor-faults-")), "outputs.json");
        writeFileSync(file, JSON.stringify(fleet.outputs));
        proxy = new FaultProxy(moto.endpoint);
        await proxy.start();
    });

    after(() => proxy.stop());

    beforeEach(() => {
        proxy.faults = [];
        proxy.calls.length = 0;
    });

    async function doctor(env: NodeJS.ProcessEnv = motoEnv(proxy.url)): Promise<{ code: number; report: Report }> {
        const run = await runDoctor(["--network-outputs", file, "--json"], { env });
        expect(run.stderr).to.equal("");
        return { code: run.code, report: JSON.parse(run.stdout) as Report };
    }

    it("every read denied: every check is an error naming its read, the failed reads are listed, exit 3", async () => {
        const healthy = await doctor();
        expect(healthy.code).to.equal(0);
        proxy.faults = [{ action: "*" }];
        const { code, report } = await doctor();
        expect(code).to.equal(3);
        expect(report.checks.filter(c => c.status !== "error")).to.deep.equal([]);
        // Every check the healthy run reports is reported, as an error.
        expect([...new Set(report.checks.map(c => c.id))].sort()).to.deep.equal([...new Set(healthy.report.checks.map(c => c.id))].sort());
        expect(report.summary).to.deep.equal({ pass: 0, warn: 0, fail: 0, error: report.checks.length });
        const lb = fleet.outputs.loadBalancer.arn;
        expect(report.checks.find(c => c.id === "alb.found")).to.deep.equal({
            id: "alb.found",
            status: "error",
            subject: lb,
            message: `could not check: elasticloadbalancing:DescribeLoadBalancers failed: ${denied("elasticloadbalancing:DescribeLoadBalancers")}`,
            hint: DeniedHint,
        });
        expect(report.checks.find(c => c.id === "sg.alb-egress")?.message).to.equal(
            `could not check: ec2:DescribeSecurityGroups failed: UnauthorizedOperation: User: arn:aws:iam::123456789012:user/doctor is not authorized to perform: ec2:DescribeSecurityGroups`,
        );
        expect([...new Set(report.failedReads.map(r => r.call))].sort()).to.deep.equal([
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeVpcs",
            "elasticloadbalancing:DescribeAccountLimits",
            "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeRules",
            "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeTargetHealth",
            "iam:GetRole",
        ]);
        expect(report.failedReads.find(r => r.call === "elasticloadbalancing:DescribeLoadBalancers")).to.deep.equal({
            call: "elasticloadbalancing:DescribeLoadBalancers",
            subject: lb,
            error: denied("elasticloadbalancing:DescribeLoadBalancers"),
        });
        expect(
            report.failedReads
                .filter(r => r.call === "iam:GetRole")
                .map(r => r.subject)
                .sort(),
        ).to.deep.equal(["green-lb-controller", "shared-alb-registrar-blue"]);
    });

    it("every read denied, human output: ERROR lines, the summary counts them and the failed reads close the report", async () => {
        proxy.faults = [{ action: "*" }];
        const run = await runDoctor(["--network-outputs", file], { env: motoEnv(proxy.url) });
        expect(run.code).to.equal(3);
        expect(run.stdout).not.to.match(/^(PASS|WARN|FAIL) /m);
        expect(run.stdout).to.match(
            /^ERROR {2}alb\.found +loadbalancer\/app\/shared-alb\/[0-9a-f]+: could not check: elasticloadbalancing:DescribeLoadBalancers failed: AccessDenied: /m,
        );
        expect(run.stdout).to.match(/^Summary: 0 pass, 0 warn, 0 fail, \d+ error \(could not check\)$/m);
        expect(run.stdout).to.match(/^Failed reads: \d+; the checks marked ERROR needed them$/m);
        expect(run.stdout).to.include(
            `\n  ec2:DescribeVpcs ${fleet.vpcId}: UnauthorizedOperation: User: arn:aws:iam::123456789012:user/doctor is not authorized to perform: ec2:DescribeVpcs\n`,
        );
        expect(run.stdout).to.include("\n  iam:GetRole shared-alb-registrar-blue: AccessDenied: ");
    });

    const blue = (): BuiltFleet["outputs"]["clusters"][string] => fleet.outputs.clusters.blue;
    const sg = (): string => fleet.outputs.securityGroupId;
    const single: Array<[string, () => Fault, string[] | (() => string[])]> = [
        [
            "DescribeLoadBalancerAttributes",
            () => ({ action: "DescribeLoadBalancerAttributes" }),
            ["error alb.deletion-protection loadbalancer/app/shared-alb"],
        ],
        [
            "DescribeLoadBalancers",
            () => ({ action: "DescribeLoadBalancers" }),
            [
                "error alb.found loadbalancer/app/shared-alb",
                "error alb.security-group loadbalancer/app/shared-alb",
                ...["blue/api", "blue/web", "green/api", "green/web"].map(tg => `error tg.vpc ${tg} targetgroup/${tg.replace("/", "-")}`),
            ],
        ],
        ["DescribeListeners", () => ({ action: "DescribeListeners" }), ["error listener.found http listener/app/shared-alb"]],
        [
            "DescribeRules",
            () => ({ action: "DescribeRules" }),
            ["api", "web"].flatMap(s => [`error listener.rule service ${s}`, `error listener.weights service ${s}`]),
        ],
        [
            "DescribeTags of the rules",
            () => ({ action: "DescribeTags" }),
            ["api", "web"].flatMap(s => [`error listener.rule service ${s}`, `error listener.weights service ${s}`]),
        ],
        [
            "DescribeTargetGroups (and with it each target group's health-check port)",
            () => ({ action: "DescribeTargetGroups" }),
            () => [
                ...["blue/api", "blue/web", "green/api", "green/web"].flatMap(tg =>
                    ["found", "vpc", "config", "healthy", "target-port"].map(
                        c => `error tg.${c} ${tg} targetgroup/${tg.replace("/", "-")}`,
                    ),
                ),
                ...["blue/api", "blue/web", "green/api", "green/web"].map(tg => `error sg.alb-egress ${sg()} health check of ${tg}`),
            ],
        ],
        [
            "DescribeTargetHealth of one target group (the target quota cannot sum the targets then)",
            () => ({ action: "DescribeTargetHealth", params: { TargetGroupArn: blue().targetGroups.api.arn } }),
            [
                "error tg.healthy blue/api targetgroup/blue-api",
                "error tg.target-port blue/api targetgroup/blue-api",
                "error alb.target-quota loadbalancer/app/shared-alb",
            ],
        ],
        ["DescribeAccountLimits", () => ({ action: "DescribeAccountLimits" }), ["error alb.target-quota loadbalancer/app/shared-alb"]],
        ["DescribeSecurityGroups", () => ({ action: "DescribeSecurityGroups" }), () => [`error sg.alb-egress ${sg()}`]],
        [
            "DescribeVpcs (the egress rules reach 10.0.0.0/16: only the VPC's CIDRs tell whether that is all of it)",
            () => ({ action: "DescribeVpcs" }),
            () => [`error sg.alb-egress ${sg()} port 3000`, `error sg.alb-egress ${sg()} port 8080`],
        ],
        [
            "GetRole of the registrar",
            () => ({ action: "GetRole", params: { RoleName: "shared-alb-registrar-blue" } }),
            ["error registrar.trust blue role/shared-alb-registrar-blue"],
        ],
        [
            "GetRolePolicy of the controller",
            () => ({ action: "GetRolePolicy", params: { RoleName: "green-lb-controller" } }),
            ["error controller.iam green role/green-lb-controller"],
        ],
        [
            "ListAttachedRolePolicies",
            () => ({ action: "ListAttachedRolePolicies" }),
            ["error registrar.trust blue role/shared-alb-registrar-blue", "error controller.iam green role/green-lb-controller"],
        ],
    ];
    for (const [what, fault, errors] of single) {
        it(`${what} denied: only the checks that need it are errors (exit 3), the rest still pass`, async () => {
            proxy.faults = [fault()];
            const { code, report } = await doctor();
            expect(report.checks.filter(c => c.status !== "pass").map(brief)).to.deep.equal(
                typeof errors === "function" ? errors() : errors,
            );
            const action = fault().action;
            expect(
                report.checks
                    .filter(c => c.status === "error")
                    .every(c => c.message.startsWith(`could not check: `) && c.message.includes(`:${action} failed: `)),
            ).to.equal(true);
            expect(report.failedReads.map(r => r.call.split(":")[1])).to.deep.equal(report.failedReads.map(() => action));
            expect(code).to.equal(3);
        });
    }

    it("a policy the doctor may not read: the role's check names the policy and the read", async () => {
        proxy.faults = [{ action: "GetRolePolicy", params: { RoleName: "shared-alb-registrar-blue" } }];
        const { report } = await doctor();
        expect(report.checks.find(c => c.id === "registrar.trust")?.message).to.equal(
            `could not check: iam:GetRolePolicy failed: register-targets: ${denied("iam:GetRolePolicy")}`,
        );
    });

    it("throttling past the retries: the check is an error after 5 attempts, with a throttling fix", async () => {
        const arn = blue().targetGroups.web.arn;
        proxy.faults = [
            { action: "DescribeTargetHealth", params: { TargetGroupArn: arn }, status: 400, code: "Throttling", message: "Rate exceeded" },
        ];
        const { code, report } = await doctor();
        expect(report.checks.filter(c => c.status !== "pass").map(c => `${brief(c)}: ${c.message}`)).to.deep.equal([
            "error tg.healthy blue/web targetgroup/blue-web: could not check: elasticloadbalancing:DescribeTargetHealth failed: Throttling: Rate exceeded",
            "error tg.target-port blue/web targetgroup/blue-web: could not check: elasticloadbalancing:DescribeTargetHealth failed: Throttling: Rate exceeded",
            "error alb.target-quota loadbalancer/app/shared-alb: could not check: elasticloadbalancing:DescribeTargetHealth failed: Throttling: Rate exceeded",
        ]);
        expect(report.checks.find(c => c.status === "error")?.hint).to.equal(
            "AWS throttled the doctor past its 5 attempts: run it again later, or with a lower --concurrency",
        );
        expect(proxy.calls.filter(c => c === "elasticloadbalancing:DescribeTargetHealth")).to.have.length(3 + 5);
        expect(code).to.equal(3);
    });

    it("an IAM endpoint that does not answer: the role checks are errors naming iam:GetRole, the rest is checked (exit 3)", async () => {
        const port = await closedPort();
        const { code, report } = await doctor({ ...motoEnv(proxy.url), AWS_ENDPOINT_URL_IAM: `http://127.0.0.1:${port}` });
        expect(report.checks.filter(c => c.status !== "pass").map(brief)).to.deep.equal([
            "error registrar.trust blue role/shared-alb-registrar-blue",
            "error controller.iam green role/green-lb-controller",
        ]);
        for (const c of report.checks.filter(x => x.status === "error")) {
            expect(c.message).to.match(/^could not check: iam:GetRole failed: .*ECONNREFUSED/);
            expect(c.hint).to.equal(
                "the endpoint did not answer: check AWS_ENDPOINT_URL (and the per-service variables), the network path and the region, and run again",
            );
        }
        expect(code).to.equal(3);
    });

    it("a failed check and a check that could not tell: exit 1 (the failure comes first)", async () => {
        const aws = testClients(moto.endpoint);
        await aws.elbv2.send(
            new ModifyLoadBalancerAttributesCommand({
                LoadBalancerArn: fleet.outputs.loadBalancer.arn,
                Attributes: [{ Key: "deletion_protection.enabled", Value: "false" }],
            }),
        );
        try {
            proxy.faults = [{ action: "DescribeVpcs" }];
            const { code, report } = await doctor();
            expect(report.summary).to.deep.include({ fail: 1, error: 2 });
            expect(code).to.equal(1);
        } finally {
            await aws.elbv2.send(
                new ModifyLoadBalancerAttributesCommand({
                    LoadBalancerArn: fleet.outputs.loadBalancer.arn,
                    Attributes: [{ Key: "deletion_protection.enabled", Value: "true" }],
                }),
            );
        }
    });

    it("whatever reads fail, every result that is not an error is exactly the healthy run's (property over the live snapshot)", async () => {
        const clients = createAwsClients(motoEnv(moto.endpoint), fleet.outputs.region);
        let healthy: AwsSnapshot;
        try {
            healthy = await gatherAws(fleet.outputs, new Caller(clients, new Pool(8)));
        } finally {
            clients.elbv2.destroy();
            clients.ec2.destroy();
            clients.iam.destroy();
        }
        const expected = runAwsChecks(fleet.outputs, healthy);
        expect(expected.every(c => c.status === "pass")).to.equal(true);
        const failed: Fetched<never> = { state: "error", call: "test:Read", error: "AccessDenied: denied" };
        type Snap = Record<string, unknown> & AwsSnapshot;
        // Every read of the snapshot, as a way to make it fail: a top-level read, one entry of a keyed read, or one policy of a role.
        const reads: Array<[string, (snap: Snap) => void]> = [
            ...(["loadBalancer", "loadBalancerAttributes", "securityGroup", "vpcCidrs", "accountLimits"] as const).map(
                (k): [string, (snap: Snap) => void] => [
                    k,
                    snap => {
                        snap[k] = failed;
                    },
                ],
            ),
            ...(["listeners", "rules", "targetGroups", "targetHealth", "roles", "controllerRoles"] as const).flatMap(k =>
                Object.keys(healthy[k]).map((key): [string, (snap: Snap) => void] => [
                    `${k} ${key}`,
                    snap => {
                        (snap[k] as Record<string, Fetched<unknown>>)[key] = failed;
                    },
                ]),
            ),
            ...(["roles", "controllerRoles"] as const).flatMap(k =>
                Object.keys(healthy[k]).map((key): [string, (snap: Snap) => void] => [
                    `${k} ${key} policy`,
                    snap => {
                        const role = (snap[k] as Record<string, Fetched<{ unreadable: unknown[] }>>)[key];
                        if (role.state === "ok") {
                            role.value.unreadable.push({
                                name: "register-targets",
                                call: "iam:GetRolePolicy",
                                error: "AccessDenied: denied",
                            });
                        }
                    },
                ]),
            ),
        ];
        expect(reads.length).to.equal(5 + 1 + 1 + 4 + 4 + 1 + 1 + 2);
        fc.assert(
            fc.property(fc.subarray(reads, { minLength: 1 }), chosen => {
                const snap = JSON.parse(JSON.stringify(healthy)) as Snap;
                chosen.forEach(([, fail]) => fail(snap));
                const results = runAwsChecks(fleet.outputs, snap);
                const known = new Set(expected.map(c => JSON.stringify(c)));
                return (
                    results.some(c => c.status === "error") &&
                    results.filter(c => c.status !== "error").every(c => known.has(JSON.stringify(c)))
                );
            }),
            { numRuns: 300 },
        );
    });
});
