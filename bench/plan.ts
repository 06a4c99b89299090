// `npm run bench`: what a cold `shared-alb plan --json` costs, for the
// example fleet and synthetic fleets of 1, 10, 50 and 100 clusters x 3
// services (at most 5 weighted per service): wall time and peak RSS, against a
// bare `require('@pulumi/pulumi')`, and the cost per resource against a floor
// replay of the same resources (bench/floor.ts) measured in the same run.
// Runs the compiled CLI (dist/), as a user of the package does.
//
//   npm run bench -- [--runs N] [--sizes 1,10,50,100] [--cli PATH/TO/dist/cli/index.js]
//
// Every round runs each measurement once, in the same order (bare load, plan
// and floor of each fleet), so a change in the machine's load hits all of
// them alike; the figures are medians over the rounds, after one untimed
// warm-up round. `--cli` measures the plan of another build (e.g. a checkout
// of an older commit) against the same baseline and the same floor.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { stringify } from "yaml";

const root = path.resolve(__dirname, "..");
const work = path.join(root, ".bench");
const services = ["web", "api", "admin"] as const;
const ports: Record<(typeof services)[number], number> = { web: 8080, api: 9000, admin: 9100 };
const MaxWeighted = 5;

/** Cluster key of the i-th synthetic cluster (`c01`, `c02`...). */
function clusterKey(i: number): string {
    return `c${String(i + 1).padStart(2, "0")}`;
}

/** Every other cluster is in its own account (cross-account), the rest share the network's. */
function clusterAccount(i: number): string {
    return i % 2 === 0 ? String(200000000000 + i + 1) : "111111111111";
}

function networkConfig(clusters: number): Record<string, unknown> {
    const clusterMap: Record<string, unknown> = {};
    for (let i = 0; i < clusters; i++) {
        // At most 5 clusters carry weight per service (the forward-action limit).
        clusterMap[clusterKey(i)] = { accountId: clusterAccount(i), weight: i < MaxWeighted ? 100 - i * 10 : 0 };
    }
    const serviceMap: Record<string, unknown> = {};
    services.forEach((s, i) => {
        serviceMap[s] = {
            port: ports[s],
            ...(s === "web" ? { hosts: ["shop.example.com"] } : { paths: [`/${s}/*`] }),
            priority: 100 + i * 10,
            healthCheck: { path: "/healthz", interval: 15, timeout: 5 },
        };
    });
    return {
        config: {
            "aws:region": "eu-west-1",
            "alb-fleet:role": "network",
            "alb-fleet:network": {
                accountId: "111111111111",
                vpcId: "vpc-0a1b2c3d4e5f60718",
                vpcCidr: "10.0.0.0/16",
                subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
                loadBalancer: {
                    name: "bench-edge",
                    certificateArns: ["arn:aws:acm:eu-west-1:111111111111:certificate/5f1c2d3e-0a1b-4c5d-8e9f-0123456789ab"],
                },
                clusters: clusterMap,
                services: serviceMap,
                tags: { team: "platform" },
            },
        },
    };
}

function clusterConfig(i: number): Record<string, unknown> {
    const key = clusterKey(i);
    const bindings: Record<string, unknown> = {};
    for (const s of services) {
        bindings[s] = { namespace: "shop", service: s, port: ports[s] };
    }
    return {
        config: {
            "aws:region": "eu-west-1",
            "alb-fleet:role": "cluster",
            "alb-fleet:cluster": {
                key,
                networkStack: "network",
                accountId: clusterAccount(i),
                // An existing cluster, looked up by name (answered offline by the fake cloud).
                eks: { name: `bench-${key}` },
                nodeSecurityGroupIds: [`sg-${String(i + 1).padStart(17, "0")}`],
                securityGroupMode: "rules",
                bindings,
            },
        },
    };
}

/** Writes a synthetic fleet: the network stack and one stack per cluster. */
function writeFleet(clusters: number): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `shared-alb-bench-${clusters}-`));
    fs.writeFileSync(path.join(dir, "Pulumi.network.yaml"), stringify(networkConfig(clusters)));
    for (let i = 0; i < clusters; i++) {
        fs.writeFileSync(path.join(dir, `Pulumi.cluster-${clusterKey(i)}.yaml`), stringify(clusterConfig(i)));
    }
    return dir;
}

/** What one cold process reported (bench/probe.ts), plus its wall time seen from here. */
interface Sample {
    wallMs: number;
    /** From process start to the end of `require('@pulumi/pulumi')`. */
    sdkLoadedMs: number;
    /** From process start to exit. */
    exitMs: number;
    rssMb: number;
    stdout: string;
}

/** Compiles bench/<name>.ts to .bench/<name>.js (plain JavaScript: no compiler in the measured process). */
function compile(name: string): string {
    const source = fs.readFileSync(path.join(__dirname, `${name}.ts`), "utf8");
    const out = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
    const file = path.join(work, `${name}.js`);
    fs.writeFileSync(file, out.outputText);
    return file;
}

/** One cold process under the probe. */
function measure(probe: string, args: string[]): Sample {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ["-r", probe, ...args], { cwd: root, encoding: "utf8", maxBuffer: 1 << 30 });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) {
        throw new Error(`node ${args.join(" ")} exited ${r.status}:\n${r.stderr.slice(0, 4000)}`);
    }
    const line = /^bench-probe (.*)$/m.exec(r.stderr);
    if (line === null) {
        throw new Error(`node ${args.join(" ")}: no probe report on stderr:\n${r.stderr.slice(0, 4000)}`);
    }
    const report = JSON.parse(line[1]) as { sdkLoadedMs: number | null; exitMs: number; maxRssKb: number };
    return { wallMs, sdkLoadedMs: report.sdkLoadedMs ?? NaN, exitMs: report.exitMs, rssMb: report.maxRssKb / 1024, stdout: r.stdout };
}

function median(xs: number[]): number {
    const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
    if (s.length === 0) {
        return NaN;
    }
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** A measured command: its samples over the rounds. */
interface Task {
    label: string;
    clusters?: number;
    args: () => string[];
    samples: Sample[];
    /** The plan document it printed in the warm-up round (plans only). */
    plan?: { file: string; stacks: number; resources: number };
    /** The floor replay of this plan. */
    floor?: Task;
}

function loadAverage(): string {
    return os.loadavg().map(x => x.toFixed(2)).join(" ");
}

function option(argv: string[], name: string): string | undefined {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
}

function main(): void {
    const argv = process.argv.slice(2);
    const runs = Number(option(argv, "--runs") ?? 5) || 5;
    const sizes = (option(argv, "--sizes") ?? "1,10,50,100").split(",").map(Number);
    const cli = path.resolve(option(argv, "--cli") ?? path.join(root, "dist/cli/index.js"));
    for (const needed of [cli, path.join(root, "dist/cli/plan/mock-runtime.js")]) {
        if (!fs.existsSync(needed)) {
            throw new Error(`${needed} is missing: run npm run build first`);
        }
    }
    fs.mkdirSync(work, { recursive: true });
    const probe = compile("probe");
    const floor = compile("floor");

    const plans: Task[] = [{ label: "example fleet (stacks/config)", args: () => [cli, "plan", "--json", "--config-dir", path.join(root, "stacks/config")], samples: [] }];
    const dirs: string[] = [];
    for (const n of sizes) {
        const dir = writeFleet(n);
        dirs.push(dir);
        plans.push({ label: `${n} cluster${n === 1 ? "" : "s"} x ${services.length} services`, clusters: n, args: () => [cli, "plan", "--json", "--config-dir", dir], samples: [] });
    }
    const bare: Task = { label: "bare SDK load", args: () => ["-e", "require('@pulumi/pulumi')"], samples: [] };
    for (const p of plans) {
        const file = path.join(work, `plan-${p.clusters ?? "example"}.json`);
        p.floor = { label: `floor replay of ${p.label}`, args: () => [floor, root, file], samples: [] };
    }

    const loadBefore = loadAverage();
    // Warm-up: the plan documents the floor replays, and a warm file cache.
    measure(probe, bare.args());
    for (const p of plans) {
        const sample = measure(probe, p.args());
        const doc = JSON.parse(sample.stdout) as { stacks: { resources: unknown[] }[] };
        p.plan = { file: p.floor!.args()[2], stacks: doc.stacks.length, resources: doc.stacks.reduce((n, s) => n + s.resources.length, 0) };
        fs.writeFileSync(p.plan.file, sample.stdout);
        const replayed = Number(measure(probe, p.floor!.args()).stdout);
        if (replayed !== p.plan.resources) {
            throw new Error(`the floor replay of ${p.label} registered ${replayed} resources, the plan ${p.plan.resources}`);
        }
    }
    for (let round = 0; round < runs; round++) {
        bare.samples.push(measure(probe, bare.args()));
        for (const p of plans) {
            p.samples.push(measure(probe, p.args()));
            p.floor!.samples.push(measure(probe, p.floor!.args()));
        }
    }
    const loadAfter = loadAverage();

    const num = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
    const perResource = (t: Task) => median(t.samples.map(s => (s.exitMs - s.sdkLoadedMs) / t.plan!.resources));
    console.log(`shared-alb plan --json (${path.relative(root, cli) || cli}), cold processes, medians of ${runs} interleaved rounds after a warm-up;`
        + ` node ${process.version}, ${os.cpus().length} CPUs, load average ${loadBefore} before, ${loadAfter} after`);
    console.log(`bare SDK load (node -e "require('@pulumi/pulumi')"): ${num(median(bare.samples.map(s => s.wallMs)))} ms, peak ${num(Math.max(...bare.samples.map(s => s.rssMb)))} MB`);
    console.log("x bare: median over the rounds of the plan's wall time over the same round's bare load.");
    console.log("ms/resource: time after the SDK has loaded, per resource, of the plan and of the floor replay (same resources, trivial program, same mock runtime).");
    console.log("");
    const header = ["fleet", "stacks", "resources", "plan ms", "peak MB", "x bare", "ms/res plan", "ms/res floor", "plan/floor"];
    const widths = [32, 6, 9, 8, 7, 6, 11, 12, 10];
    const row = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));
    row(header);
    for (const p of plans) {
        const ratios = p.samples.map((s, i) => s.wallMs / bare.samples[i].wallMs);
        const planPer = perResource(p);
        const floorPer = perResource({ ...p.floor!, plan: p.plan });
        row([p.label, String(p.plan!.stacks), String(p.plan!.resources), num(median(p.samples.map(s => s.wallMs))),
            num(Math.max(...p.samples.map(s => s.rssMb))), num(median(ratios), 2), num(planPer, 2), num(floorPer, 2), num(planPer / floorPer, 2)]);
    }
    const synthetic = plans.filter(p => p.clusters !== undefined);
    if (synthetic.length >= 2) {
        console.log("\nmarginal cost per added cluster (from the smallest fleet):");
        const first = synthetic[0];
        const ms = (t: Task) => median(t.samples.map(s => s.wallMs));
        const mb = (t: Task) => median(t.samples.map(s => s.rssMb));
        for (const p of synthetic.slice(1)) {
            const dc = p.clusters! - first.clusters!;
            console.log(`  ${first.clusters} -> ${p.clusters}: ${num((ms(p) - ms(first)) / dc, 1)} ms, ${num((mb(p) - mb(first)) / dc, 2)} MB, `
                + `${num((p.plan!.resources - first.plan!.resources) / dc, 1)} resources`);
        }
    }
    for (const d of dirs) {
        fs.rmSync(d, { recursive: true, force: true });
    }
}

main();
