import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { RegisterTargetsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import fc from "fast-check";
import { NetworkOutputs } from "../../components/internal/contract";
import { checkTargetQuota } from "../../cli/doctor/quota-checks";
import { CheckResult, Report } from "../../cli/doctor/report";
import { AwsSnapshot, Fetched, LiveTarget } from "../../cli/doctor/snapshot";
import { freshFleetEachTest } from "./fleet";
import { FaultProxy } from "./fault-proxy";
import { motoEnv } from "./moto";
import { runDoctor } from "./run";

/**
 * moto 5.2's DescribeAccountLimits answers a fixed list in which
 * `targets-per-application-load-balancer` is 30 (moto/elbv2/responses.py,
 * `describe_account_limits`), and its RegisterTargets enforces no quota: the
 * pass, warn and fail cases are reached by registering targets. The default
 * fleet registers 2 targets in each of its 4 target groups.
 */
const MotoLimit = 30;

const Quota = "the quota of 30 targets per Application Load Balancer (targets-per-application-load-balancer)";
const Fix =
    'request a higher "Targets per Application Load Balancer" quota in Service Quotas (Elastic Load Balancing, account 123456789012, eu-west-1), ' +
    "or split the load: fewer replicas, fewer clusters per service (clusters.<key>.services), or a second ALB";

async function doctor(endpoint: string, outputs: NetworkOutputs): Promise<{ code: number; report: Report }> {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "doctor-quota-")), "outputs.json");
    writeFileSync(file, JSON.stringify(outputs));
    const run = await runDoctor(["--network-outputs", file, "--json"], { env: motoEnv(endpoint) });
    return { code: run.code, report: JSON.parse(run.stdout) as Report };
}

function quotaCheck(report: Report): Omit<CheckResult, "subject"> {
    const found = report.checks.filter(c => c.id === "alb.target-quota");
    expect(found).to.have.length(1);
    const { subject, ...rest } = found[0];
    expect(subject).to.match(/^arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer\/app\/shared-alb\/[0-9a-f]{16}$/);
    return rest;
}

describe("doctor alb.target-quota against moto_server (quota 30 there)", function () {
    this.timeout(60_000);
    const fresh = freshFleetEachTest();

    /** Registers `count` more ip targets in green's web target group, which has weight 0: registered targets count whatever the weight. */
    async function registerOnGreenWeb(count: number): Promise<void> {
        const targets = Array.from({ length: count }, (_, i) => ({ Id: `10.0.1.${100 + i}`, Port: 3000 }));
        await fresh.aws.elbv2.send(
            new RegisterTargetsCommand({ TargetGroupArn: fresh.fleet.outputs.clusters.green.targetGroups.web.arn, Targets: targets }),
        );
    }

    const cases: Array<[string, number, number, Omit<CheckResult, "subject">]> = [
        [
            "passes below 80% of the quota",
            0,
            0,
            {
                id: "alb.target-quota",
                status: "pass",
                hint: "",
                message: `8 targets registered in 4 target groups (blue 4, green 4): 26% of ${Quota}`,
            },
        ],
        [
            "warns at 80% of the quota, counting the weight-0 cluster's targets",
            16,
            0,
            {
                id: "alb.target-quota",
                status: "warn",
                hint: Fix,
                message: `24 targets registered in 4 target groups (blue 4, green 20): 80% of ${Quota}; only 6 more can be registered, and a rolling update registers new pods before the old ones leave`,
            },
        ],
        [
            "warns at the quota itself: nothing more can be registered",
            MotoLimit - 8,
            0,
            {
                id: "alb.target-quota",
                status: "warn",
                hint: Fix,
                message: `30 targets registered in 4 target groups (blue 4, green 26): 100% of ${Quota}; no further target can be registered, and a rolling update registers new pods before the old ones leave`,
            },
        ],
        [
            "fails above the quota (exit 1)",
            MotoLimit - 7,
            1,
            {
                id: "alb.target-quota",
                status: "fail",
                hint: Fix,
                message: `31 targets registered in 4 target groups (blue 4, green 27) exceed ${Quota}: registering more targets fails, so new pods get no traffic`,
            },
        ],
    ];
    for (const [what, extra, exit, expected] of cases) {
        it(what, async () => {
            if (extra > 0) {
                await registerOnGreenWeb(extra);
            }
            const { code, report } = await doctor(fresh.moto.endpoint, fresh.fleet.outputs);
            expect(quotaCheck(report)).to.deep.equal(expected);
            expect(report.checks.filter(c => c.status === "fail").map(c => c.id)).to.deep.equal(exit === 1 ? ["alb.target-quota"] : []);
            expect(code).to.equal(exit);
        });
    }

    it("counts a retiring cluster's targets too: every target group of the outputs", async () => {
        await registerOnGreenWeb(20);
        const outputs: NetworkOutputs = JSON.parse(JSON.stringify(fresh.fleet.outputs));
        outputs.clusters.green = { ...outputs.clusters.green, retiring: true, weight: 0 };
        outputs.services.api.weights.green = 0;
        const { report } = await doctor(fresh.moto.endpoint, outputs);
        expect(quotaCheck(report)).to.deep.include({ status: "warn" });
        expect(quotaCheck(report).message).to.match(/^28 targets registered in 4 target groups \(blue 4, green 24\): 93% of /);
    });

    describe("when DescribeAccountLimits is denied", () => {
        let proxy: FaultProxy;
        before(async () => {
            proxy = new FaultProxy(fresh.moto.endpoint);
            await proxy.start();
        });
        after(() => proxy.stop());

        it("the check could not tell: an error naming the read, the read listed, exit 3", async () => {
            proxy.faults = [{ action: "DescribeAccountLimits" }];
            const { code, report } = await doctor(proxy.url, fresh.fleet.outputs);
            const denied =
                "AccessDenied: User: arn:aws:iam::123456789012:user/doctor is not authorized to perform: elasticloadbalancing:DescribeAccountLimits";
            expect(quotaCheck(report)).to.deep.equal({
                id: "alb.target-quota",
                status: "error",
                message: `could not check: elasticloadbalancing:DescribeAccountLimits failed: ${denied}`,
                hint:
                    "grant the doctor's credentials the read permissions listed in docs/doctor.md (elasticloadbalancing:Describe*, ec2:DescribeSecurityGroups, ec2:DescribeVpcs, " +
                    "iam:GetRole, iam:ListRolePolicies, iam:GetRolePolicy, iam:ListAttachedRolePolicies, iam:GetPolicy, iam:GetPolicyVersion) and run again",
            });
            expect(report.checks.filter(c => c.status !== "pass").map(c => c.id)).to.deep.equal(["alb.target-quota"]);
            expect(report.failedReads).to.deep.equal([
                { call: "elasticloadbalancing:DescribeAccountLimits", subject: "account 123456789012 in eu-west-1", error: denied },
            ]);
            expect(code).to.equal(3);
        });
    });
});

describe("alb.target-quota as a function of the counts (no cloud)", () => {
    const Alb = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/edge/0123456789abcdef";
    const tgArn = (cluster: string, service: string) =>
        `arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/${cluster}-${service}/0123456789abcdef`;
    const clusters = ["blue", "green", "red"];
    const services = ["api", "web"];

    function outputs(): NetworkOutputs {
        return {
            accountId: "111111111111",
            region: "eu-west-1",
            vpcId: "vpc-1",
            securityGroupId: "sg-1",
            loadBalancer: { arn: Alb, name: "edge", dnsName: "edge", zoneId: "Z", securityGroupId: "sg-1", listenerArns: {} },
            services: Object.fromEntries(services.map(s => [s, { port: 80, protocol: "HTTP", targetType: "ip", weights: {} }])),
            clusters: Object.fromEntries(
                clusters.map(c => [
                    c,
                    {
                        accountId: "111111111111",
                        weight: 0,
                        controllerRoleArn: `arn:aws:iam::111111111111:role/${c}`,
                        targetGroups: Object.fromEntries(
                            services.map(s => [s, { arn: tgArn(c, s), name: `${c}-${s}`, port: 80, protocol: "HTTP", targetType: "ip" }]),
                        ),
                    },
                ]),
            ),
        } as NetworkOutputs;
    }

    function snapshot(counts: number[], limit: Fetched<Record<string, string>>, failed: number[] = []): AwsSnapshot {
        const targetHealth: Record<string, Fetched<LiveTarget[]>> = {};
        let i = 0;
        for (const c of clusters) {
            for (const s of services) {
                targetHealth[tgArn(c, s)] = failed.includes(i)
                    ? { state: "error", call: "elasticloadbalancing:DescribeTargetHealth", error: "Throttling: Rate exceeded" }
                    : { state: "ok", value: Array.from({ length: counts[i] }, (_, k) => ({ id: `10.0.0.${k}`, state: "healthy" })) };
                i += 1;
            }
        }
        return { targetHealth, accountLimits: limit } as unknown as AwsSnapshot;
    }

    const limitOf = (max: string): Fetched<Record<string, string>> => ({
        state: "ok",
        value: { "targets-per-network-load-balancer": "3000", "targets-per-application-load-balancer": max },
    });

    it("fails exactly above the quota, warns exactly from 80% of it, passes below (property)", () => {
        fc.assert(
            fc.property(
                fc.integer({ min: 1, max: 5000 }),
                fc.array(fc.integer({ min: 0, max: 1200 }), { minLength: 6, maxLength: 6 }),
                (max, counts) => {
                    const total = counts.reduce((a, b) => a + b, 0);
                    const result = checkTargetQuota(outputs(), snapshot(counts, limitOf(String(max))));
                    const want = total > max ? "fail" : total * 5 >= max * 4 ? "warn" : "pass";
                    return (
                        result.status === want &&
                        result.message.startsWith(`${total} targets registered in 6 target groups (`) &&
                        result.message.includes(`the quota of ${max} targets per Application Load Balancer`)
                    );
                },
            ),
            { numRuns: 500 },
        );
    });

    it("names each cluster's sum in the message", () => {
        const result = checkTargetQuota(outputs(), snapshot([400, 300, 200, 0, 50, 50], limitOf("1000")));
        expect(result.status).to.equal("warn");
        expect(result.message).to.equal(
            "1000 targets registered in 6 target groups (blue 700, green 200, red 100): 100% of the quota of 1000 targets per " +
                "Application Load Balancer (targets-per-application-load-balancer); no further target can be registered, and a rolling update registers new pods before the old ones leave",
        );
    });

    it("a target group whose health could not be read: an error while the others stay within the quota, a fail (at least) once they exceed it", () => {
        const within = checkTargetQuota(outputs(), snapshot([100, 100, 100, 100, 100, 100], limitOf("1000"), [2]));
        expect(within).to.deep.equal({
            id: "alb.target-quota",
            status: "error",
            subject: Alb,
            message: "could not check: elasticloadbalancing:DescribeTargetHealth failed: Throttling: Rate exceeded",
            hint: "AWS throttled the doctor past its 5 attempts: run it again later, or with a lower --concurrency",
        });
        const over = checkTargetQuota(outputs(), snapshot([600, 500, 0, 0, 0, 0], limitOf("1000"), [2, 3]));
        expect([over.status, over.message]).to.deep.equal([
            "fail",
            "at least 1100 targets registered in 4 target groups (blue 1100, red 0; 2 more could not be read) exceed the quota of 1000 " +
                "targets per Application Load Balancer (targets-per-application-load-balancer): registering more targets fails, so new pods get no traffic",
        ]);
    });

    it("an answer without the limit (or not a whole number): an error that says so, with where to look instead", () => {
        const answers: Array<Record<string, string>> = [{ "target-groups": "3000" }, { "targets-per-application-load-balancer": "lots" }];
        for (const value of answers) {
            const result = checkTargetQuota(outputs(), snapshot([1, 1, 1, 1, 1, 1], { state: "ok", value }));
            expect(result).to.deep.equal({
                id: "alb.target-quota",
                status: "error",
                subject: Alb,
                message:
                    "could not check: elasticloadbalancing:DescribeAccountLimits gave no whole-number limit targets-per-application-load-balancer",
                hint:
                    'compare the targets registered with the quota "Targets per Application Load Balancer" in the Service Quotas console (Elastic Load Balancing, ' +
                    "account 111111111111, eu-west-1)",
            });
        }
    });
});
