import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { ShiftArgs } from "../../cli/shift/args";
import { MetricsReader, createShiftClients } from "../../cli/shift/aws";
import { shift } from "../../cli/shift/command";
import { ShiftReport } from "../../cli/shift/report";
import { run } from "../../cli/index";
import { captureIo } from "../cli/helpers";
import { AwsTestClients, testClients } from "../doctor/fleet";
import { Moto, startMoto } from "../doctor/moto";
import { ShiftConfig, ShiftFleet, albWeights, appliedConfigs, comments, prepare, runShiftIn } from "./harness";

// Every shift here runs against moto_server (ELBv2 rules and target health,
// CloudWatch metrics); the apply command is tests/shift/apply-weights.ts,
// which sets the rules' weights from the config file as `pulumi up` would and
// puts the metrics the ALB would publish (2 s after it runs). Bakes last
// seconds (--bake, --interval), as docs/shift.md says a test may run them.

const Fast = ["--bake", "4s", "--interval", "1s", "--verify-timeout", "5s"];
const Both = (blue: number, green: number) => ({ api: { blue, green }, web: { blue, green } });

/** The test config with blue's and green's weights replaced, everything else as written. */
function configWith(blue: number, green: number): string {
    return ShiftConfig.replace("weight: 100 # all of it", `weight: ${blue} # all of it`).replace(
        "weight: 0 } # standby",
        `weight: ${green} } # standby`,
    );
}

describe("shift against moto_server", function () {
    this.timeout(180_000);
    let moto: Moto;
    let aws: AwsTestClients;

    before(async () => {
        moto = await startMoto();
        aws = testClients(moto.endpoint);
    });
    beforeEach(async () => {
        await moto.reset();
    });

    it("shifts 10 -> 50 -> 100 clean: every step gated, written (comments kept), applied, verified on the ALB and baked; exit 0", async () => {
        const p = await prepare(aws, moto.endpoint);
        const r = await runShiftIn(p, [
            "--to",
            "green",
            "--steps",
            "10,50,100",
            "--apply",
            p.apply,
            "--network-outputs",
            "network.json",
            ...Fast,
            "--json",
        ]);
        expect(r.code, r.stderr).to.equal(0);
        const report = JSON.parse(r.stdout) as ShiftReport;
        expect(report.outcome).to.equal("done");
        expect(report.message).to.equal("done: green has 100% of api, web (api: blue 0 green 100; web: blue 0 green 100)");
        expect(report.steps.map(s => [s.percent, s.decision, s.apply?.exitCode, s.verify?.matches])).to.deep.equal([
            [10, "next", 0, true],
            [50, "next", 0, true],
            [100, "done", 0, true],
        ]);
        expect(report.steps.map(s => s.edits)).to.deep.equal([
            [
                { path: ["clusters", "blue", "weight"], value: 90 },
                { path: ["clusters", "green", "weight"], value: 10 },
            ],
            [
                { path: ["clusters", "blue", "weight"], value: 50 },
                { path: ["clusters", "green", "weight"], value: 50 },
            ],
            [
                { path: ["clusters", "blue", "weight"], value: 0 },
                { path: ["clusters", "green", "weight"], value: 100 },
            ],
        ]);
        for (const step of report.steps) {
            expect(
                step.gates.filter(g => g.status !== "pass"),
                `step ${step.index}`,
            ).to.deep.equal([]);
            expect([...new Set(step.gates.map(g => g.id))]).to.deep.equal([
                "config.weights",
                "alb.found",
                "listener.rule",
                "listener.weights",
                "tg.found",
                "tg.healthy",
                "target.min-healthy",
                "target.readiness",
            ]);
            const seen = step.bake!.samples.flatMap(s => s.targetGroups).filter(t => t.cluster === "green" && t.requests > 0);
            expect(seen.length, `step ${step.index}: green's requests seen during the bake`).to.be.greaterThan(0);
            expect(step.bake!.breaches).to.deep.equal([]);
        }
        // The last samples of each step: 1000 requests per service split by the weights.
        expect(report.steps.map(s => s.bake!.samples.at(-1)!.clusters.map(c => [c.cluster, c.requests]))).to.deep.equal([
            [
                ["blue", 1800],
                ["green", 200],
            ],
            [
                ["blue", 1000],
                ["green", 1000],
            ],
            [
                ["blue", 0],
                ["green", 2000],
            ],
        ]);
        expect(await albWeights(aws, p.fleet)).to.deep.equal(Both(0, 100));
        expect(appliedConfigs(p)).to.deep.equal([configWith(90, 10), configWith(50, 50), configWith(0, 100)]);
        expect(fs.readFileSync(p.configFile, "utf8")).to.equal(configWith(0, 100));
        expect(appliedConfigs(p).map(comments)).to.deep.equal(Array(3).fill(comments(ShiftConfig)));
        expect(r.stderr).to.include("step 1/3: verified on the ALB (1 read)\n");
        expect(r.stderr).to.include("step 3/3: baked 4s: no breach");
    });

    it("rolls back to step 1 when green's 5xx breach at 50: the previous weights written, applied, verified; exit 4 with the reason and the values", async () => {
        const p = await prepare(aws, moto.endpoint);
        const r = await runShiftIn(
            p,
            ["--to", "green", "--steps", "10,50,100", "--apply", p.apply, "--network-outputs", "network.json", ...Fast],
            { TRAFFIC_TARGET: "green", TRAFFIC_5XX_FROM: "50" },
        );
        expect(r.code, r.stdout + r.stderr).to.equal(4);
        const reason =
            "green/api: target 5xx 20% (100 of 500 requests) is above --max-5xx-percent 1; green/web: target 5xx 20% (100 of 500 requests) is above --max-5xx-percent 1";
        expect(r.stdout).to.include(`step 2/3: breach: ${reason}\n`);
        expect(r.stdout).to.include("step 2/3: rolling back to step 1's weights: api: blue 90 green 10; web: blue 90 green 10\n");
        expect(r.stdout.trimEnd().split("\n").at(-1)).to.equal(
            `rolled back to step 1 (10%): ${reason} (api: blue 90 green 10; web: blue 90 green 10 verified on the ALB)`,
        );
        expect(await albWeights(aws, p.fleet)).to.deep.equal(Both(90, 10));
        expect(appliedConfigs(p)).to.deep.equal([configWith(90, 10), configWith(50, 50), configWith(90, 10)]);
        expect(fs.readFileSync(p.configFile, "utf8")).to.equal(configWith(90, 10));
    });

    it("refuses to start when green has no healthy targets: the gate says so, nothing is written or applied; exit 1", async () => {
        const p = await prepare(aws, moto.endpoint, {
            ...ShiftFleet,
            clusters: [ShiftFleet.clusters[0], { ...ShiftFleet.clusters[1], targets: 0 }],
        });
        const r = await runShiftIn(p, [
            "--to",
            "green",
            "--steps",
            "10,100",
            "--apply",
            p.apply,
            "--network-outputs",
            "network.json",
            ...Fast,
        ]);
        expect(r.code, r.stdout + r.stderr).to.equal(1);
        const green = p.fleet.outputs.clusters.green.targetGroups;
        expect(r.stdout).to.include(
            "step 1/2: gate target.min-healthy failed: green/api green-api: 0 healthy of 0 targets, below --min-healthy 1: requests sent here would fail " +
                "(scale the workload up or fix its health checks, then run the shift again (shared-alb doctor shows why targets are unhealthy))\n",
        );
        expect(r.stdout.trimEnd().split("\n").at(-1)).to.equal(
            "step 1 not started: 2 gates failed (target.min-healthy green/api green-api; target.min-healthy green/web green-web); " +
                "nothing was changed by this step; the ALB keeps the weights before the shift (api: blue 100 green 0; web: blue 100 green 0)",
        );
        expect(green.api.name).to.equal("green-api");
        expect(fs.readFileSync(p.configFile, "utf8")).to.equal(ShiftConfig);
        expect(appliedConfigs(p)).to.deep.equal([]);
        expect(await albWeights(aws, p.fleet)).to.deep.equal(Both(100, 0));
    });

    it("fails the verification when the apply command does not change the ALB, and says where the file and the ALB stand; exit 1", async () => {
        const p = await prepare(aws, moto.endpoint);
        const r = await runShiftIn(
            p,
            [
                "--to",
                "green",
                "--steps",
                "10,100",
                "--apply",
                p.apply,
                "--network-outputs",
                "network.json",
                "--bake",
                "1s",
                "--interval",
                "500ms",
                "--verify-timeout",
                "2s",
                "--json",
            ],
            { APPLY_NOOP: "1" },
        );
        expect(r.code, r.stderr).to.equal(1);
        const report = JSON.parse(r.stdout) as ShiftReport;
        expect(report.outcome).to.equal("verify-failed");
        expect(report.message).to.match(
            new RegExp(
                "^step 1: the ALB does not show the new weights after 2s \\(\\d+ reads; api: blue 100 \\(want 90\\), green 0 \\(want 10\\); " +
                    "web: blue 100 \\(want 90\\), green 0 \\(want 10\\)\\): the apply command did not change the ALB\\. stacks/config/Pulumi\\.network\\.yaml holds step 1's weights; " +
                    "the ALB was last verified at the weights before the shift \\(api: blue 100 green 0; web: blue 100 green 0\\)\\. ",
            ),
        );
        expect(report.steps[0].verify!.reads).to.be.greaterThan(1);
        expect(report.configWeights).to.deep.equal(Both(90, 10));
        expect(report.verifiedWeights).to.deep.equal(Both(100, 0));
        expect(fs.readFileSync(p.configFile, "utf8")).to.equal(configWith(90, 10));
        expect(await albWeights(aws, p.fleet)).to.deep.equal(Both(100, 0));
    });

    it("stops when the apply command fails, reading the ALB to say what it holds; exit 1", async () => {
        const p = await prepare(aws, moto.endpoint);
        const r = await runShiftIn(
            p,
            ["--to", "green", "--steps", "10,100", "--apply", p.apply, "--network-outputs", "network.json", ...Fast],
            { APPLY_EXIT: "3" },
        );
        expect(r.code, r.stderr).to.equal(1);
        expect(r.stdout.trimEnd().split("\n").at(-1)).to.equal(
            "step 1: the apply command failed (exit 3): stacks/config/Pulumi.network.yaml now holds step 1's weights " +
                "(api: blue 90 green 10; web: blue 90 green 10); the ALB still shows the weights before the shift (api: blue 100 green 0; web: blue 100 green 0). " +
                "Fix the cause and run the apply command again, or put the verified weights back in the file",
        );
        expect(r.stderr).to.include("apply-weights: failing as asked\n");
    });

    it("Ctrl-C (SIGINT) during step 1's bake leaves step 1 in place and says how to resume or roll back; exit 130", async () => {
        const p = await prepare(aws, moto.endpoint);
        const cli = path.join(__dirname, "..", "..", "cli", "index.ts");
        const child = spawn(
            process.execPath,
            [
                "-r",
                require.resolve("ts-node/register/transpile-only"),
                cli,
                "shift",
                "--to",
                "green",
                "--steps",
                "10,50,100",
                "--apply",
                p.apply,
                "--network-outputs",
                "network.json",
                "--bake",
                "60s",
                "--interval",
                "1s",
                "--json",
            ],
            { cwd: p.dir, env: p.env, stdio: ["ignore", "pipe", "pipe"] },
        );
        let stdout = "";
        let stderr = "";
        let interrupted = false;
        child.stdout.on("data", (d: Buffer) => {
            stdout += d.toString();
        });
        child.stderr.on("data", (d: Buffer) => {
            stderr += d.toString();
            // One Ctrl-C: a second one, from a later chunk of stderr, would exit at once (or kill the process once it stopped listening).
            if (!interrupted && stderr.includes("step 1/3: verified on the ALB") && child.exitCode === null) {
                interrupted = true;
                child.kill("SIGINT");
            }
        });
        const code = await new Promise<number | null>(resolve => child.on("close", c => resolve(c)));
        expect(code, stderr).to.equal(130);
        const report = JSON.parse(stdout) as ShiftReport;
        expect(report.outcome).to.equal("interrupted");
        expect(report.message).to.equal(
            "interrupted: the ALB stays at step 1, green 10% (api: blue 90 green 10; web: blue 90 green 10, verified); " +
                "resume with shared-alb shift --to green --steps 50,100 (and the other options as before); to roll back, put the weights before the shift back in " +
                "stacks/config/Pulumi.network.yaml (api: blue 100 green 0; web: blue 100 green 0) and run the apply command, or shift to another cluster",
        );
        expect(report.steps.map(s => [s.percent, s.decision])).to.deep.equal([[10, "stopped"]]);
        expect(stderr).to.include(
            "interrupt: stopping at the next safe point (the last verified step stays); press Ctrl-C again to exit at once\n",
        );
        expect(await albWeights(aws, p.fleet)).to.deep.equal(Both(90, 10));
        expect(fs.readFileSync(p.configFile, "utf8")).to.equal(configWith(90, 10));
    });

    it("Ctrl-C while the ALB is being verified stops after one more read, and says the file holds weights the ALB was not seen with; exit 130", async () => {
        const p = await prepare(aws, moto.endpoint);
        const io = captureIo(p.dir);
        io.env = { ...p.env, APPLY_NOOP: "1" };
        io.stdout.on("data", (d: Buffer) => {
            if (d.toString().includes("step 1/2: applied")) {
                process.emit("SIGINT");
            }
        });
        const code = await run(
            [
                "shift",
                "--to",
                "green",
                "--steps",
                "10,100",
                "--apply",
                p.apply,
                "--network-outputs",
                "network.json",
                "--interval",
                "1s",
                "--verify-timeout",
                "30s",
            ],
            io,
        );
        expect(code, io.err()).to.equal(130);
        expect(io.out().trimEnd().split("\n").at(-1)).to.equal(
            "interrupted: the ALB keeps the weights before the shift (api: blue 100 green 0; web: blue 100 green 0); " +
                "stacks/config/Pulumi.network.yaml holds step 1's weights, not seen on the ALB (run the apply command again, or put the verified weights back); " +
                "resume with shared-alb shift --to green --steps 10,100 (and the other options as before); to roll back, put the weights before the shift back in " +
                "stacks/config/Pulumi.network.yaml (api: blue 100 green 0; web: blue 100 green 0) and run the apply command, or shift to another cluster",
        );
        expect(fs.readFileSync(p.configFile, "utf8")).to.equal(configWith(90, 10));
    });

    it("Ctrl-C while the apply command runs, and it fails for it: interrupted, with where the file and the ALB stand; exit 130", async () => {
        const p = await prepare(aws, moto.endpoint);
        const io = captureIo(p.dir);
        io.env = { ...p.env, APPLY_EXIT: "130" };
        io.stdout.on("data", (d: Buffer) => {
            if (d.toString().includes("step 1/2: running")) {
                process.emit("SIGINT");
            }
        });
        const code = await run(
            ["shift", "--to", "green", "--steps", "10,100", "--apply", p.apply, "--network-outputs", "network.json", ...Fast],
            io,
        );
        expect(code, io.err()).to.equal(130);
        expect(io.out().trimEnd().split("\n").at(-1)).to.equal(
            "interrupted while the apply command ran: step 1: the apply command failed (exit 130): " +
                "stacks/config/Pulumi.network.yaml now holds step 1's weights (api: blue 90 green 10; web: blue 90 green 10); the ALB still shows the weights before the shift " +
                "(api: blue 100 green 0; web: blue 100 green 0). Fix the cause and run the apply command again, or put the verified weights back in the file",
        );
    });

    describe("the p99 judge", () => {
        it("moto 5.2 cannot answer a p99 statistic (GetMetricData fails), so the p99 path is judged through a stand-in below", async () => {
            const now = Date.now();
            const cloudwatch = testCloudWatch(moto.endpoint);
            await cloudwatch.send(
                new PutMetricDataCommand({
                    Namespace: "AWS/ApplicationELB",
                    MetricData: [{ MetricName: "TargetResponseTime", Timestamp: new Date(now - 30_000), Value: 0.25, Unit: "Seconds" }],
                }),
            );
            const sum = await cloudwatch.send(
                new GetMetricDataCommand({
                    StartTime: new Date(now - 60_000),
                    EndTime: new Date(now),
                    MetricDataQueries: [
                        {
                            Id: "s",
                            MetricStat: {
                                Metric: { Namespace: "AWS/ApplicationELB", MetricName: "TargetResponseTime" },
                                Period: 60,
                                Stat: "Sum",
                            },
                        },
                    ],
                }),
            );
            expect(sum.MetricDataResults?.[0].Values).to.deep.equal([0.25]);
            const error = await cloudwatch
                .send(
                    new GetMetricDataCommand({
                        StartTime: new Date(now - 60_000),
                        EndTime: new Date(now),
                        MetricDataQueries: [
                            {
                                Id: "p",
                                MetricStat: {
                                    Metric: { Namespace: "AWS/ApplicationELB", MetricName: "TargetResponseTime" },
                                    Period: 60,
                                    Stat: "p99",
                                },
                            },
                        ],
                    }),
                )
                .then(
                    () => undefined,
                    (e: { $metadata?: { httpStatusCode?: number } }) => e,
                );
            expect(error?.$metadata?.httpStatusCode).to.equal(500);
        });

        it("shows each cluster's p99 without --max-p99-ms and judges nothing by it (p99 from a CloudWatch stand-in)", async () => {
            const p = await prepare(aws, moto.endpoint);
            const io = captureIo(p.dir);
            io.env = p.env;
            const code = await shift({ ...oneStepArgs(p.apply), steps: [10], endAt: 10 }, io, (env, region) => {
                const real = createShiftClients(env, region);
                return { ...real, metrics: p99StandIn(real.metrics, p, []) };
            });
            expect(code, io.err()).to.equal(0);
            const report = JSON.parse(io.out()) as ShiftReport;
            const last = report.steps[0].bake!.samples.at(-1)!;
            expect(last.clusters.map(c => [c.cluster, c.p99Ms])).to.deep.equal([
                ["blue", 120],
                ["green", 900],
            ]);
            expect(last).not.to.have.property("p99Error");
            expect(report.steps[0].bake!.breaches).to.deep.equal([]);
        });

        it("reports a refused p99 read in every sample, and shifts on the other figures when no --max-p99-ms judges it (p99 queries refused by a stand-in)", async () => {
            const p = await prepare(aws, moto.endpoint);
            const io = captureIo(p.dir);
            io.env = p.env;
            const code = await shift(oneStepArgs(p.apply), io, (env, region) => {
                const real = createShiftClients(env, region);
                return {
                    ...real,
                    metrics: {
                        getMetricData: async input => {
                            if (input.MetricDataQueries.some(q => q.MetricStat?.Stat === "p99")) {
                                throw new Error("AccessDenied: not authorized to read TargetResponseTime p99");
                            }
                            return real.metrics.getMetricData(input);
                        },
                    },
                };
            });
            expect(code, io.err()).to.equal(0);
            const samples = (JSON.parse(io.out()) as ShiftReport).steps[0].bake!.samples;
            expect(samples.length).to.be.greaterThan(0);
            expect(samples.map(s => s.error)).to.deep.equal(samples.map(() => undefined));
            expect(samples.map(s => s.p99Error)).to.deep.equal(
                samples.map(() => "TargetResponseTime p99 not read: AccessDenied: not authorized to read TargetResponseTime p99"),
            );
            expect(samples.at(-1)!.clusters.map(c => c.cluster)).to.deep.equal(["blue", "green"]);
        });

        it("rolls back to the weights before the shift when green's p99 is above --max-p99-ms (p99 from a CloudWatch stand-in, every other read from moto); exit 4", async () => {
            const p = await prepare(aws, moto.endpoint);
            const io = captureIo(p.dir);
            io.env = p.env;
            const args: ShiftArgs = { ...oneStepArgs(p.apply), steps: [10, 100], bakeMs: 4_000, maxP99Ms: 500 };
            const p99Queries: string[] = [];
            const code = await shift(args, io, (env, region) => {
                const real = createShiftClients(env, region);
                return { ...real, metrics: p99StandIn(real.metrics, p, p99Queries) };
            });
            expect(code, io.err()).to.equal(4);
            const report = JSON.parse(io.out()) as ShiftReport;
            expect(report.steps[0].bake!.breaches.map(b => b.message)).to.deep.equal([
                "green/api: p99 response time 900 ms is above --max-p99-ms 500",
                "green/web: p99 response time 900 ms is above --max-p99-ms 500",
            ]);
            expect(report.rollback?.toStep).to.equal(0);
            expect(report.steps[0].bake!.samples.at(-1)!.clusters.map(c => [c.cluster, c.p99Ms])).to.deep.equal([
                ["blue", 120],
                ["green", 900],
            ]);
            expect(p99Queries.length).to.be.greaterThan(0);
            expect(await albWeights(aws, p.fleet)).to.deep.equal(Both(100, 0));
            expect(fs.readFileSync(p.configFile, "utf8")).to.equal(ShiftConfig);
        });
    });
});

/** A one-step shift to 100 % that judges 5xx only (no --max-p99-ms); tests override what they need. */
function oneStepArgs(apply: string): ShiftArgs {
    return {
        to: "green",
        steps: [100],
        services: [],
        apply,
        bakeMs: 3_000,
        intervalMs: 1_000,
        verifyTimeoutMs: 5_000,
        maxBakeMs: 3_600_000,
        max5xxPercent: 1,
        minHealthy: 1,
        endAt: 100,
        networkOutputs: "network.json",
        configDir: "stacks/config",
        configDirGiven: false,
        stack: "network",
        dryRun: false,
        json: true,
    };
}

function testCloudWatch(endpoint: string): CloudWatchClient {
    return new CloudWatchClient({
        region: "eu-west-1",
        endpoint,
        credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
        maxAttempts: 1,
    });
}

/**
 * A CloudWatch stand-in for the one statistic moto cannot answer: a
 * GetMetricData of p99 queries gets green's target groups 0.9 s and blue's
 * 0.12 s; every other call goes to moto.
 */
function p99StandIn(
    real: MetricsReader,
    p: { fleet: { outputs: { clusters: Record<string, { targetGroups: Record<string, { arn: string }> }> } } },
    seen: string[],
): MetricsReader {
    return {
        getMetricData: async input => {
            if (!input.MetricDataQueries.every(q => q.MetricStat?.Stat === "p99")) {
                return real.getMetricData(input);
            }
            return {
                MetricDataResults: input.MetricDataQueries.map(q => {
                    const tg = q.MetricStat?.Metric?.Dimensions?.find(d => d.Name === "TargetGroup")?.Value ?? "";
                    seen.push(`${q.MetricStat?.Metric?.MetricName} ${tg}`);
                    const green = Object.values(p.fleet.outputs.clusters.green.targetGroups).some(t => t.arn.endsWith(tg));
                    return { Id: q.Id, Values: [green ? 0.9 : 0.12] };
                }),
            };
        },
    };
}
