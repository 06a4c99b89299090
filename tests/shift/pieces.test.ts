import { expect } from "chai";
import { ConfigErrors } from "../../components/internal/errors";
import fc from "fast-check";
import * as path from "path";
import { parse } from "yaml";
import { run } from "../../cli/index";
import { MetricsReader, readSamples } from "../../cli/shift/aws";
import { Fleet, configuredWeights, editText, readFleet, weightEdits } from "../../cli/shift/config-file";
import { formatDuration, parseDuration } from "../../cli/shift/duration";
import { judge } from "../../cli/shift/judge";
import { stickiness } from "../../cli/shift/preflight";
import { Progress } from "../../cli/shift/progress";
import { planSchedule } from "../../cli/shift/schedule";
import { captureIo } from "../cli/helpers";
import { ShiftConfig, comments } from "./harness";

const root = path.resolve(__dirname, "..", "..");

describe("shift: durations", () => {
    const cases: Array<[string, number | undefined]> = [
        ["5m", 300_000],
        ["30s", 30_000],
        ["1h", 3_600_000],
        ["1m30s", 90_000],
        ["500ms", 500],
        ["0s", 0],
        ["24h", 86_400_000],
        ["25h", undefined],
        ["5", undefined],
        ["5 m", undefined],
        ["m", undefined],
        ["-1s", undefined],
        ["1.5m", undefined],
        ["", undefined],
        ["5M", undefined],
    ];
    for (const [text, ms] of cases) {
        it(`${JSON.stringify(text)} is ${ms === undefined ? "refused" : `${ms} ms`}`, () => expect(parseDuration(text)).to.equal(ms));
    }

    it("formats what it parses back to the same length (whole seconds)", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 86_400 }), seconds => {
                expect(parseDuration(formatDuration(seconds * 1000))).to.equal(seconds * 1000);
            }),
        );
    });
});

describe("shift: usage errors (exit 2, exact messages)", () => {
    const apply = ["--apply", "true", "--network-outputs", "n.json"];
    const cases: Array<[string[], string]> = [
        [["--steps", "10,100"], "--to CLUSTER is required (the cluster that gets the traffic)"],
        [["--to", "green"], "--steps is required (the target's share after each step, such as --steps 10,25,50,100)"],
        [
            ["--to", "green", "--steps", "10,x,100"],
            '--steps: got "10,x,100"; expected percentages from 1 to 100 separated by commas, such as 10,25,50,100',
        ],
        [
            ["--to", "green", "--steps", "0,100"],
            '--steps: got "0,100"; expected percentages from 1 to 100 separated by commas, such as 10,25,50,100',
        ],
        [["--to", "green", "--steps", "50,25,100"], '--steps: got "50,25,100"; expected each step above the one before (25 follows 50)'],
        [
            ["--to", "green", "--steps", "10,50,50,100"],
            '--steps: got "10,50,50,100"; expected each step above the one before (50 follows 50)',
        ],
        [
            ["--to", "green", "--steps", "10,50"],
            '--steps: got "10,50"; expected the last step to be 100 (to stop at a lower share, name it with --end-at)',
        ],
        [["--to", "green", "--steps", "10,50", "--end-at", "40"], '--steps: got "10,50"; expected the last step to be 40 (--end-at)'],
        [["--to", "green", "--steps", "100", "--end-at", "0"], '--end-at: got "0"; expected an integer from 1 to 100'],
        [
            ["--to", "green", "--steps", "10,100"],
            '--apply "COMMAND" is required (the command that deploys the network stack, such as --apply "pulumi up --yes -s network"); only --dry-run does without it',
        ],
        [
            ["--to", "green", "--steps", "10,100", "--apply", "true"],
            "--network-outputs FILE|- is required (the JSON of `pulumi stack output --json -s network`); only --dry-run does without it",
        ],
        [
            ["--to", "green", "--steps", "10,100", ...apply, "--bake", "5x"],
            '--bake: got "5x"; expected a duration such as 30s, 5m or 1h (an integer and ms, s, m or h; at most 24h)',
        ],
        [["--to", "green", "--steps", "10,100", ...apply, "--interval", "50ms"], '--interval: got "50ms"; expected at least 100ms'],
        [
            ["--to", "green", "--steps", "10,100", ...apply, "--max-5xx-percent", "101"],
            '--max-5xx-percent: got "101"; expected a percentage from 0 to 100',
        ],
        [
            ["--to", "green", "--steps", "10,100", ...apply, "--max-p99-ms", "0"],
            '--max-p99-ms: got "0"; expected milliseconds from 1 to 600000',
        ],
        [
            ["--to", "green", "--steps", "10,100", ...apply, "--min-healthy", "0"],
            '--min-healthy: got "0"; expected an integer from 1 to 1000',
        ],
        [["--to", "green", "--steps", "10,100", ...apply, "--bakee", "1m"], 'unknown option "--bakee" (did you mean --bake?)'],
    ];
    for (const [argv, message] of cases) {
        it(`shift ${argv.join(" ")}`, async () => {
            const io = captureIo(root);
            expect(await run(["shift", ...argv], io)).to.equal(2);
            expect(io.err()).to.equal(`shared-alb shift: ${message}\nTry 'shared-alb shift --help' for more information.\n`);
            expect(io.out()).to.equal("");
        });
    }

    it("a refused request names the path, without the help line (exit 2)", async () => {
        const io = captureIo(root);
        expect(await run(["shift", "--to", "blue", "--steps", "100", "--dry-run", "--service", "admin"], io)).to.equal(2);
        expect(io.err()).to.equal(
            'shared-alb shift: --service: got "admin"; expected a service of alb-fleet:network.services: "api", "web"\n',
        );
    });

    it("--dry-run prints the example fleet's schedule per service and needs no --apply", async () => {
        const io = captureIo(root);
        expect(await run(["shift", "--to", "green", "--steps", "10,50,100", "--service", "web", "--dry-run"], io)).to.equal(0);
        expect(io.out()).to.equal(
            [
                "shared-alb shift --dry-run: green takes web in 3 steps; nothing is changed",
                "  web:",
                "    now        blue 100 green 0",
                "    10%        blue 90 green 10",
                "    50%        blue 50 green 50",
                "    100%       blue 0 green 100",
                "each step writes these weights into stacks/config/Pulumi.network.yaml and runs --apply",
                "",
            ].join("\n"),
        );
    });
});

const key = "alb-fleet:network";
const fleet = (over: Partial<Fleet> = {}): Fleet => ({
    clusters: { blue: { weight: 100, retiring: false }, green: { weight: 0, retiring: false } },
    services: { api: { weights: {} }, web: { weights: {} } },
    ...over,
});

describe("shift: config edits", () => {
    it("moves the clusters' own weights when every service shifts alike", () => {
        expect(weightEdits(fleet(), { api: { blue: 90, green: 10 }, web: { blue: 90, green: 10 } })).to.deep.equal([
            { path: ["clusters", "blue", "weight"], value: 90 },
            { path: ["clusters", "green", "weight"], value: 10 },
        ]);
    });

    it("writes services.<s>.weights for one service of several, and sets a weight a service already names", () => {
        expect(weightEdits(fleet(), { web: { blue: 90, green: 10 } })).to.deep.equal([
            { path: ["services", "web", "weights", "blue"], value: 90 },
            { path: ["services", "web", "weights", "green"], value: 10 },
        ]);
        const named = fleet({ services: { api: { weights: { green: 0 } }, web: { weights: {} } } });
        expect(weightEdits(named, { api: { blue: 50, green: 50 }, web: { blue: 50, green: 50 } })).to.deep.equal([
            { path: ["clusters", "blue", "weight"], value: 50 },
            { path: ["clusters", "green", "weight"], value: 50 },
            { path: ["services", "api", "weights", "green"], value: 50 },
        ]);
    });

    it("property: the edits, written into the file and read back, give exactly the wanted weights and leave every comment", () => {
        const text = ShiftConfig;
        const start = readFleet((parse(text) as { config: Record<string, unknown> }).config[key], key);
        const weight = fc.integer({ min: 0, max: 999 });
        fc.assert(
            // Some weight above 0 for each service (with every weight 0 and no preview routes the network stack refuses it).
            fc.property(
                fc.option(fc.tuple(weight, weight).filter(([b, g]) => b + g > 0)),
                fc.option(fc.tuple(weight, weight).filter(([b, g]) => b + g > 0)),
                (api, web) => {
                    const wanted = {
                        ...(api ? { api: { blue: api[0], green: api[1] } } : {}),
                        ...(web ? { web: { blue: web[0], green: web[1] } } : {}),
                    };
                    const out = editText(text, key, weightEdits(start, wanted));
                    const after = configuredWeights(readFleet((parse(out) as { config: Record<string, unknown> }).config[key], key));
                    expect(after).to.deep.equal({ ...configuredWeights(start), ...wanted });
                    expect(comments(out)).to.deep.equal(comments(text));
                    expect(
                        out
                            .replace(/\d+/g, "N")
                            .split("\n")
                            .filter(l => !/weights|blue: N$|green: N$/.test(l)),
                    ).to.deep.equal(
                        text
                            .replace(/\d+/g, "N")
                            .split("\n")
                            .filter(l => !/weights|blue: N$|green: N$/.test(l)),
                    );
                },
            ),
            { numRuns: 60 },
        );
    });

    it("adds a missing weights map in its parent's style: block under a block map, { } in a flow map", () => {
        const text =
            "config:\n  alb-fleet:network:\n    services:\n      web:\n        port: 80 # http\n      api: { port: 81 } # x\n    tags: {}\n";
        expect(
            editText(text, key, [
                { path: ["services", "web", "weights", "green"], value: 10 },
                { path: ["services", "api", "weights", "green"], value: 5 },
            ]),
        ).to.equal(
            "config:\n  alb-fleet:network:\n    services:\n      web:\n        port: 80 # http\n        weights:\n          green: 10\n      api: { port: 81, weights: { green: 5 } } # x\n    tags: {}\n",
        );
    });

    it("reads the config with the network stack's own reader: what pulumi up would refuse is refused, by its config path", () => {
        const network = () => structuredClone((parse(ShiftConfig) as { config: Record<string, any> }).config[key]);
        const refused = (edit: (n: any) => void) => {
            const n = network();
            edit(n);
            try {
                readFleet(n, key);
            } catch (e) {
                expect(e).to.be.instanceOf(ConfigErrors);
                return (e as ConfigErrors).errors.map(x => x.message);
            }
            throw new Error("expected a refusal");
        };
        expect(refused(n => (n.clusters.blue.weight = 1000))).to.deep.equal([
            `${key}.clusters.blue.weight: got 1000; expected an integer from 0 to 999`,
        ]);
        expect(refused(n => (n.services.web.weights = { blue: "x" }))).to.deep.equal([
            `${key}.services.web.weights.blue: got "x"; expected an integer from 0 to 999`,
        ]);
        expect(refused(n => Object.assign(n.clusters.green, { retiring: true, weight: 5 }))).to.deep.equal([
            `${key}.clusters.green.weight: got 5; clusters.green is retiring and takes no traffic: expected 0 (or leave weight out)`,
        ]);
        expect(refused(n => delete n.services.web.hosts)).to.deep.equal([
            `${key}.services.web.hosts: got []; expected at least one host or path (only the defaultService may have neither)`,
        ]);
        expect(readFleet(network(), key)).to.deep.equal({
            clusters: {
                blue: { weight: 100, retiring: false, services: ["api", "web"] },
                green: { weight: 0, retiring: false, services: ["api", "web"] },
            },
            services: { api: { weights: {} }, web: { weights: {} } },
        });
    });
});

describe("shift: the judge", () => {
    const sample = { cluster: "green", service: "web", requests: 1000, errors5xx: 20, p99Ms: 750, unhealthyMax: 1 };
    it("names each breach of the target with its value and limit; other clusters are not judged", () => {
        expect(
            judge([sample, { ...sample, cluster: "blue" }], "green", { max5xxPercent: 1, maxP99Ms: 500 }).map(b => b.message),
        ).to.deep.equal([
            "green/web: target 5xx 2% (20 of 1000 requests) is above --max-5xx-percent 1",
            "green/web: p99 response time 750 ms is above --max-p99-ms 500",
            "green/web: 1 unhealthy target (UnHealthyHostCount)",
        ]);
    });
    it("does not judge p99 without --max-p99-ms, nor 5xx without requests", () => {
        expect(judge([{ ...sample, requests: 0, errors5xx: 0, unhealthyMax: 0 }], "green", { max5xxPercent: 1 })).to.deep.equal([]);
        expect(judge([{ ...sample, errors5xx: 10, unhealthyMax: 0 }], "green", { max5xxPercent: 1 })).to.deep.equal([]);
    });
});

describe("shift: CloudWatch queries (a recording stand-in)", () => {
    it("asks per target group for the sums, the unhealthy maximum and, in a call of its own, p99; seconds become ms", async () => {
        const calls: Array<Array<{ id?: string; metric?: string; stat?: string; dims?: string }>> = [];
        const reader: MetricsReader = {
            getMetricData: async input => {
                calls.push(
                    input.MetricDataQueries.map(q => ({
                        id: q.Id,
                        metric: q.MetricStat?.Metric?.MetricName,
                        stat: q.MetricStat?.Stat,
                        dims: q.MetricStat?.Metric?.Dimensions?.map(d => `${d.Name}=${d.Value}`).join(" "),
                    })),
                );
                const values: Record<string, number[]> = { r0: [600, 400], e0: [5, 5], u0: [0, 2], p0: [0.25, 0.4] };
                return { MetricDataResults: input.MetricDataQueries.map(q => ({ Id: q.Id, Values: values[q.Id ?? ""] ?? [] })) };
            },
        };
        const lb = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/shop-edge/0123456789abcdef";
        const tg = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/green-web/fedcba9876543210";
        const samples = await readSamples(reader, lb, [{ cluster: "green", service: "web", arn: tg }], new Date(0), new Date(60_000), true);
        expect(samples).to.deep.equal({
            targetGroups: [{ cluster: "green", service: "web", requests: 1000, errors5xx: 10, p99Ms: 400, unhealthyMax: 2 }],
        });
        const dims = "TargetGroup=targetgroup/green-web/fedcba9876543210 LoadBalancer=app/shop-edge/0123456789abcdef";
        expect(calls).to.deep.equal([
            [
                { id: "r0", metric: "RequestCount", stat: "Sum", dims },
                { id: "e0", metric: "HTTPCode_Target_5XX_Count", stat: "Sum", dims },
                { id: "u0", metric: "UnHealthyHostCount", stat: "Maximum", dims },
            ],
            [{ id: "p0", metric: "TargetResponseTime", stat: "p99", dims }],
        ]);
    });

    it("reads the counts once when the p99 read fails: the sample goes on without p99 and says why, unless --max-p99-ms judges it", async () => {
        let countReads = 0;
        const reader: MetricsReader = {
            getMetricData: async input => {
                if (input.MetricDataQueries.some(q => q.MetricStat?.Stat === "p99")) {
                    throw new Error("InternalFailure: p99 not available");
                }
                countReads += 1;
                return { MetricDataResults: input.MetricDataQueries.map(q => ({ Id: q.Id, Values: q.Id === "r0" ? [10] : [] })) };
            },
        };
        const groups = [{ cluster: "green", service: "web", arn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/g/1" }];
        const lb = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/l/2";
        expect(await readSamples(reader, lb, groups, new Date(0), new Date(60_000), false)).to.deep.equal({
            targetGroups: [{ cluster: "green", service: "web", requests: 10, errors5xx: 0 }],
            p99Error: "TargetResponseTime p99 not read: InternalFailure: p99 not available",
        });
        expect(countReads).to.equal(1);
        let thrown: unknown;
        await readSamples(reader, lb, groups, new Date(0), new Date(60_000), true).catch(e => (thrown = e));
        expect((thrown as Error).message).to.equal("InternalFailure: p99 not available");
    });
});

describe("shift: stickiness", () => {
    const sticky = (seconds: number) => fleet({ services: { api: { weights: {}, stickinessSeconds: seconds }, web: { weights: {} } } });
    const schedule = planSchedule({
        target: "green",
        services: [],
        steps: [100],
        weights: configuredWeights(fleet()),
        clusters: fleet().clusters,
        key,
    });
    const warning = (cookie: string) =>
        `stickiness (api ${cookie}): a client keeps the cluster it first reached until its cookie expires, so a step moves new clients first, ` +
        "and clients pinned to a cluster get 503s if it has no healthy targets: keep every cluster serving until the cookies expire";
    it("bakes at least the cookie's duration, up to --max-bake, and says why when it does not", () => {
        expect(stickiness(fleet(), schedule, { bakeMs: 300_000, maxBakeMs: 3_600_000 })).to.deep.equal({ bakeMs: 300_000, warnings: [] });
        expect(stickiness(sticky(60), schedule, { bakeMs: 300_000, maxBakeMs: 3_600_000 })).to.deep.equal({
            bakeMs: 300_000,
            warnings: [warning("1m"), "each step bakes 5m, at least the longest cookie (1m)"],
        });
        expect(stickiness(sticky(1800), schedule, { bakeMs: 300_000, maxBakeMs: 3_600_000 })).to.deep.equal({
            bakeMs: 1_800_000,
            warnings: [warning("30m"), "each step bakes 30m (the cookie of api) instead of --bake 5m"],
        });
        expect(stickiness(sticky(86_400), schedule, { bakeMs: 300_000, maxBakeMs: 3_600_000 })).to.deep.equal({
            bakeMs: 3_600_000,
            warnings: [
                warning("24h"),
                "each step bakes 1h, not the 24h of api's cookie: that is longer than --max-bake 1h, so clients pinned to the other clusters are still there when the next step starts (raise --max-bake to wait them out)",
            ],
        });
    });
});

describe("shift: progress output", () => {
    const capture = () => {
        const chunks: string[] = [];
        return { out: { write: (s: string) => chunks.push(s) } as unknown as NodeJS.WritableStream, text: () => chunks.join("") };
    };
    it("on a terminal rewrites one live line in place and clears it before a line that stays", () => {
        const c = capture();
        const p = new Progress(c.out, true);
        p.status("step 1/2 green 10% | 4m left", false);
        p.status("step 1/2 green 10% | 3m left", true);
        p.line("step 1/2: baked 5m: no breach (5 samples)");
        p.clear();
        expect(c.text()).to.equal(
            "\r\x1b[2Kstep 1/2 green 10% | 4m left\r\x1b[2Kstep 1/2 green 10% | 3m left\r\x1b[2Kstep 1/2: baked 5m: no breach (5 samples)\n",
        );
    });
    it("piped writes plain lines: events, and the samples (not the countdown)", () => {
        const c = capture();
        const p = new Progress(c.out, false);
        p.status("step 1/2 green 10% | 4m left | no sample yet", false);
        p.status("step 1/2 green 10% | 3m left | green 0% 5xx of 200", true);
        p.line("done");
        expect(c.text()).to.equal("step 1/2 green 10% | 3m left | green 0% 5xx of 200\ndone\n");
    });
});
