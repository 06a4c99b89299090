// `npm run bench`: what a cold `shared-alb plan --json` costs, for the
// example fleet and synthetic fleets of 1, 10, 50 and 100 clusters: wall time
// and peak RSS, against a bare `require('@pulumi/pulumi')`, and the cost per
// resource against a floor replay of the same resources (bench/floor.ts)
// measured in the same run. The synthetic fleets are valid ones: a service's
// forward action takes at most 5 target groups (every cluster running it,
// weight 0 included) and an ALB at most 100 target groups, so clusters come
// in groups of five with services of their own, and each cluster runs as many
// of its group's 3 services as the 100 fit (3 up to 33 clusters, 2 at 50, 1 at 100).
// Runs the compiled CLI (dist/), as a user of the package does.
//
//   npm run bench -- [--runs N] [--sizes 1,10,50,100] [--cli [LABEL=]PATH/TO/dist/cli/index.js ...] [--node PATH/TO/node ...]
//
// Every figure is measured under each Node.js runtime in turn (`--node`,
// repeatable; by default this node and Node 22 from .ci/node22 when this one
// is another version), one table per runtime.
//
// Every round runs each measurement once, in the same order (bare load, then
// for each fleet the plan of each build and the floor), so a change in the
// machine's load hits all of them alike; the figures are medians over the
// rounds, after one untimed warm-up round. `--cli` (repeatable) measures the
// plans of other builds (e.g. a checkout of an older commit, built) in the
// same rounds, against the same baseline and the same floor; by default the
// build is this tree's dist/.
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
/** Clusters per group: the most one forward action takes. */
const GroupSize = 5;
/** Target groups one ALB may have. */
const TargetGroupQuota = 100;

/** How many of its group's services each cluster of an n-cluster fleet runs. */
function servicesPerCluster(clusters: number): number {
    return Math.max(1, Math.min(services.length, Math.floor(TargetGroupQuota / clusters)));
}

/** The name of service `s` of group `g`: the example's names for the first group, then `web-g2`... */
function serviceName(s: (typeof services)[number], group: number): string {
    return group === 0 ? s : `${s}-g${group + 1}`;
}

/** Cluster key of the i-th synthetic cluster (`c01`, `c02`...). */
function clusterKey(i: number): string {
    return `c${String(i + 1).padStart(2, "0")}`;
}

/** Every other cluster is in its own account (cross-account), the rest share the network's. */
function clusterAccount(i: number): string {
    return i % 2 === 0 ? String(200000000000 + i + 1) : "111111111111";
}

/** The services cluster i runs: the first of its group's, as many as the quota allows. */
function clusterServices(i: number, clusters: number): string[] {
    return services.slice(0, servicesPerCluster(clusters)).map(s => serviceName(s, Math.floor(i / GroupSize)));
}

function networkConfig(clusters: number): Record<string, unknown> {
    const clusterMap: Record<string, unknown> = {};
    for (let i = 0; i < clusters; i++) {
        // The first of each group carries the weight; the others stand by at 0, attached and health-checked.
        clusterMap[clusterKey(i)] = {
            accountId: clusterAccount(i),
            weight: i % GroupSize === 0 ? 100 : 0,
            services: clusterServices(i, clusters),
        };
    }
    const serviceMap: Record<string, unknown> = {};
    const groups = Math.ceil(clusters / GroupSize);
    for (let g = 0; g < groups; g++) {
        services.slice(0, servicesPerCluster(clusters)).forEach(s => {
            serviceMap[serviceName(s, g)] = {
                port: ports[s],
                ...(s === "web"
                    ? { hosts: [g === 0 ? "shop.example.com" : `shop-${g + 1}.example.com`] }
                    : { paths: [g === 0 ? `/${s}/*` : `/g${g + 1}/${s}/*`] }),
                healthCheck: { path: "/healthz", interval: 15, timeout: 5 },
            };
        });
    }
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

function clusterConfig(i: number, clusters: number): Record<string, unknown> {
    const key = clusterKey(i);
    const bindings: Record<string, unknown> = {};
    clusterServices(i, clusters).forEach((name, s) => {
        bindings[name] = { namespace: "shop", service: services[s], port: ports[services[s]] };
    });
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

/** Writes a synthetic fleet: the network stack and one stack per cluster (tests/cli/bench-fleet.test.ts plans them). */
export function writeFleet(clusters: number): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `shared-alb-bench-${clusters}-`));
    fs.writeFileSync(path.join(dir, "Pulumi.network.yaml"), stringify(networkConfig(clusters)));
    for (let i = 0; i < clusters; i++) {
        fs.writeFileSync(path.join(dir, `Pulumi.cluster-${clusterKey(i)}.yaml`), stringify(clusterConfig(i, clusters)));
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
    const out = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
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
    args: string[];
    samples: Sample[];
}

/** A fleet: its configs, and what its plan holds (from the warm-up round). */
interface Fleet {
    label: string;
    clusters?: number;
    configDir: string;
    /** The plan document the floor replays. */
    planFile: string;
    stacks: number;
    resources: number;
    floor: Task;
}

/** A build of the CLI whose plan is measured, and its plan of each fleet. */
interface Build {
    label: string;
    cli: string;
    plans: Task[];
}

function loadAverage(): string {
    return os
        .loadavg()
        .map(x => x.toFixed(2))
        .join(" ");
}

/** Values of a repeatable `--name value` option. */
function options(argv: string[], name: string): string[] {
    return argv.flatMap((a, i) => (a === name && i + 1 < argv.length ? [argv[i + 1]] : []));
}

/**
 * The Node.js binaries to measure under: `--node PATH` (repeatable), else
 * this one and, when this one is not Node 22, the Node 22 of `.ci/node22`
 * (the registry's pinned node@22, installed once into the user's cache).
 */
function runtimes(argv: string[]): string[] {
    const given = options(argv, "--node");
    if (given.length > 0) {
        return given.map(n => fs.realpathSync(path.resolve(n)));
    }
    if (process.versions.node.split(".")[0] === "22") {
        return [process.execPath];
    }
    const found = spawnSync(path.join(root, ".ci", "node22"), [], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    if (found.status !== 0) {
        console.log(`note: no Node 22 (.ci/node22 exited ${found.status}): measuring node ${process.version} only`);
        return [process.execPath];
    }
    return [process.execPath, found.stdout.trim()];
}

/** The arguments without `--node PATH` pairs. */
function withoutNode(argv: string[]): string[] {
    return argv.filter((a, i) => a !== "--node" && argv[i - 1] !== "--node");
}

function main(): void {
    const argv = process.argv.slice(2);
    const nodes = runtimes(argv);
    if (nodes.length > 1 || nodes[0] !== fs.realpathSync(process.execPath)) {
        runUnderEach(nodes, argv);
        return;
    }
    const runs = Number(options(argv, "--runs")[0] ?? 5) || 5;
    const sizes = (options(argv, "--sizes")[0] ?? "1,10,50,100")
        .split(",")
        .filter(s => s.trim() !== "")
        .map(Number);
    const builds = buildsOf(argv);
    fs.mkdirSync(work, { recursive: true });
    const probe = compile("probe");
    const floor = compile("floor");
    const fleets = fleetsOf(sizes, floor, builds);
    const bare: Task = { args: ["-e", "require('@pulumi/pulumi')"], samples: [] };

    const loadBefore = loadAverage();
    warmUp(probe, bare, fleets, builds);
    for (let round = 0; round < runs; round++) {
        bare.samples.push(measure(probe, bare.args));
        fleets.forEach((f, i) => {
            for (const b of builds) {
                b.plans[i].samples.push(measure(probe, b.plans[i].args));
            }
            f.floor.samples.push(measure(probe, f.floor.args));
        });
    }
    const loadAfter = loadAverage();

    console.log(
        `shared-alb plan --json, cold processes, medians of ${runs} interleaved rounds after a warm-up; node ${process.version}, ` +
            `${os.cpus().length} CPUs, load average ${loadBefore} before, ${loadAfter} after`,
    );
    printTable(bare, fleets, builds);
    printMarginalCost(fleets, builds);
    for (const f of fleets.filter(x => x.clusters !== undefined)) {
        fs.rmSync(f.configDir, { recursive: true, force: true });
    }
}

/** One full run per runtime, each under that runtime (the plans it spawns use its binary). */
function runUnderEach(nodes: string[], argv: string[]): void {
    for (const node of nodes) {
        const r = spawnSync(
            node,
            ["-r", require.resolve("ts-node/register/transpile-only"), __filename, ...withoutNode(argv), "--node", node],
            { cwd: root, stdio: "inherit" },
        );
        if (r.status !== 0) {
            throw new Error(`the benchmark under ${node} exited ${r.status ?? r.signal}`);
        }
        console.log("");
    }
}

/** `--cli [LABEL=]PATH`, repeatable: the builds to compare, measured in the same rounds; each must be built. */
function buildsOf(argv: string[]): Build[] {
    const builds: Build[] = (options(argv, "--cli").length > 0 ? options(argv, "--cli") : [path.join(root, "dist/cli/index.js")]).map(
        spec => {
            const eq = spec.indexOf("=");
            const cli = path.resolve(eq > 0 ? spec.slice(eq + 1) : spec);
            return { label: eq > 0 ? spec.slice(0, eq) : path.relative(root, cli) || cli, cli, plans: [] };
        },
    );
    for (const needed of [...builds.map(b => b.cli), path.join(root, "dist/cli/plan/mock-runtime.js")]) {
        if (!fs.existsSync(needed)) {
            throw new Error(`${needed} is missing: run npm run build first`);
        }
    }
    return builds;
}

/** The example fleet and a synthetic fleet of each size (their configs written), each with its floor replay and its plan by each build. */
function fleetsOf(sizes: number[], floor: string, builds: Build[]): Fleet[] {
    const fleets: Fleet[] = [{ label: "example fleet", configDir: path.join(root, "stacks/config") } as Fleet];
    for (const n of sizes) {
        const each = servicesPerCluster(n);
        fleets.push({
            label: `${n} cluster${n === 1 ? "" : "s"} x ${each} service${each === 1 ? "" : "s"}`,
            clusters: n,
            configDir: writeFleet(n),
        } as Fleet);
    }
    for (const f of fleets) {
        f.planFile = path.join(work, `plan-${f.clusters ?? "example"}.json`);
        f.floor = { args: [floor, root, f.planFile], samples: [] };
    }
    for (const b of builds) {
        b.plans = fleets.map(f => ({ args: [b.cli, "plan", "--json", "--config-dir", f.configDir], samples: [] }));
    }
    return fleets;
}

/**
 * The untimed round: writes the plan documents the floor replays (every
 * build must print the same), counts each fleet's stacks and resources, and
 * warms the file cache.
 */
function warmUp(probe: string, bare: Task, fleets: Fleet[], builds: Build[]): void {
    measure(probe, bare.args);
    fleets.forEach((f, i) => {
        const printed = builds.map(b => measure(probe, b.plans[i].args).stdout);
        const differ = builds.filter((_, j) => printed[j] !== printed[0]).map(b => b.label);
        if (differ.length > 0) {
            console.log(
                `note: ${f.label}: ${differ.join(", ")} print${differ.length === 1 ? "s" : ""} another plan than ${builds[0].label}`,
            );
        }
        const doc = JSON.parse(printed[printed.length - 1]) as { stacks: { resources: unknown[] }[] };
        f.stacks = doc.stacks.length;
        f.resources = doc.stacks.reduce((n, s) => n + s.resources.length, 0);
        fs.writeFileSync(f.planFile, printed[printed.length - 1]);
        const replayed = Number(measure(probe, f.floor.args).stdout);
        if (replayed !== f.resources) {
            throw new Error(`the floor replay of ${f.label} registered ${replayed} resources, the plan ${f.resources}`);
        }
    });
}

/** A figure with `d` decimals, or "n/a" when there is none. */
function fixed(x: number, d = 0): string {
    return Number.isFinite(x) ? x.toFixed(d) : "n/a";
}

/** The median wall time of a task. */
function wall(t: Task): number {
    return median(t.samples.map(s => s.wallMs));
}

/** The median time after the SDK has loaded, per resource of the fleet. */
function perResource(t: Task, f: Fleet): number {
    return median(t.samples.map(s => (s.exitMs - s.sdkLoadedMs) / f.resources));
}

/** The builds, the bare SDK load, and a row per fleet and build. */
function printTable(bare: Task, fleets: Fleet[], builds: Build[]): void {
    console.log(`builds: ${builds.map(b => `${b.label} = ${b.cli}`).join("; ")}`);
    console.log(
        `bare SDK load (node -e "require('@pulumi/pulumi')"): ${fixed(wall(bare))} ms, peak ${fixed(Math.max(...bare.samples.map(s => s.rssMb)))} MB`,
    );
    console.log("x bare: median over the rounds of the plan's wall time over the same round's bare load.");
    console.log("ms/res: time after the SDK has loaded, per resource: of the plan, and of the floor replay (the same resources,");
    console.log("        trivial program, the mock runtime of this tree's dist/).");
    console.log("");
    const header = ["fleet", "build", "stacks", "resources", "plan ms", "peak MB", "x bare", "ms/res plan", "ms/res floor", "plan/floor"];
    const widths = [26, Math.max(5, ...builds.map(b => b.label.length)), 6, 9, 8, 7, 6, 11, 12, 10];
    const row = (cells: string[]) =>
        console.log(
            cells
                .map((c, i) => (i <= 1 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
                .join("  ")
                .trimEnd(),
        );
    row(header);
    fleets.forEach((f, i) => {
        const floorPer = perResource(f.floor, f);
        for (const b of builds) {
            const p = b.plans[i];
            const ratios = p.samples.map((s, j) => s.wallMs / bare.samples[j].wallMs);
            const planPer = perResource(p, f);
            row([
                f.label,
                b.label,
                String(f.stacks),
                String(f.resources),
                fixed(wall(p)),
                fixed(Math.max(...p.samples.map(s => s.rssMb))),
                fixed(median(ratios), 2),
                fixed(planPer, 2),
                fixed(floorPer, 2),
                fixed(planPer / floorPer, 2),
            ]);
        }
    });
}

/** Per build, what each added cluster costs, from the smallest synthetic fleet to each larger one (with two or more). */
function printMarginalCost(fleets: Fleet[], builds: Build[]): void {
    const synthetic = fleets.map((f, i) => ({ f, i })).filter(x => x.f.clusters !== undefined);
    if (synthetic.length < 2) {
        return;
    }
    console.log("\nmarginal cost per added cluster (from the smallest fleet):");
    const first = synthetic[0];
    const mb = (t: Task) => median(t.samples.map(s => s.rssMb));
    for (const b of builds) {
        for (const { f, i } of synthetic.slice(1)) {
            const dc = f.clusters! - first.f.clusters!;
            console.log(
                `  ${b.label}: ${first.f.clusters} -> ${f.clusters}: ${fixed((wall(b.plans[i]) - wall(b.plans[first.i])) / dc, 1)} ms, ` +
                    `${fixed((mb(b.plans[i]) - mb(b.plans[first.i])) / dc, 2)} MB, ${fixed((f.resources - first.f.resources) / dc, 1)} resources`,
            );
        }
    }
}

if (require.main === module) {
    main();
}
