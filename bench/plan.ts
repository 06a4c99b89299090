// `npm run bench`: cold `shared-alb plan` cost for synthetic fleets of 1, 10
// and 50 clusters x 3 services (at most 5 weighted per service), against a
// bare `require('@pulumi/pulumi')`. Runs the compiled CLI (dist/), as a user
// of the package does. Usage: bench/plan.ts [--runs N] [--sizes 1,10,50]
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";

const root = path.resolve(__dirname, "..");
const bin = path.join(root, "dist/cli/index.js");
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

/** Writes a synthetic fleet; cluster stacks only when the cluster program exists. */
function writeFleet(clusters: number, withClusterStacks: boolean): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `shared-alb-bench-${clusters}-`));
    fs.writeFileSync(path.join(dir, "Pulumi.network.yaml"), stringify(networkConfig(clusters)));
    if (withClusterStacks) {
        for (let i = 0; i < clusters; i++) {
            fs.writeFileSync(path.join(dir, `Pulumi.cluster-${clusterKey(i)}.yaml`), stringify(clusterConfig(i)));
        }
    }
    return dir;
}

interface Sample {
    ms: number;
    rssMb: number;
    stdout: string;
}

const timeBin = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** Without /usr/bin/time: a preload that reports the child's own peak RSS in the same words at exit. */
function rssPreload(): string {
    const file = path.join(os.tmpdir(), "shared-alb-bench-report-rss.js");
    fs.writeFileSync(file, "process.on('exit', () => process.stderr.write('Maximum resident set size (kbytes): ' + process.resourceUsage().maxRSS + '\\n'));\n");
    return file;
}

/** One cold process: wall time, peak RSS (from /usr/bin/time -v, else the child's own report). */
function measure(args: string[]): Sample {
    const start = process.hrtime.bigint();
    const r = timeBin
        ? spawnSync(timeBin, ["-v", process.execPath, ...args], { cwd: root, encoding: "utf8", maxBuffer: 1 << 30 })
        : spawnSync(process.execPath, ["-r", rssPreload(), ...args], { cwd: root, encoding: "utf8", maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) {
        throw new Error(`node ${args.join(" ")} exited ${r.status}:\n${r.stderr.slice(0, 4000)}`);
    }
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    const rssMb = m ? Number(m[1]) / 1024 : NaN;
    return { ms, rssMb, stdout: r.stdout };
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

interface Row {
    fleet: string;
    clusters: number;
    stacks: number;
    resources: number;
    ms: number;
    rssMb: number;
}

function bench(label: string, clusters: number, args: string[], runs: number): Row {
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) {
        samples.push(measure(args));
    }
    let stacks = 0;
    let resources = 0;
    if (args.includes("--json")) {
        const doc = JSON.parse(samples[0].stdout) as { stacks: { resources: unknown[] }[] };
        stacks = doc.stacks.length;
        resources = doc.stacks.reduce((n, s) => n + s.resources.length, 0);
    }
    return { fleet: label, clusters, stacks, resources, ms: median(samples.map(s => s.ms)), rssMb: Math.max(...samples.map(s => s.rssMb)) };
}

function main(): void {
    const argv = process.argv.slice(2);
    const runs = Number(argv[argv.indexOf("--runs") + 1] ?? 5) || 5;
    const sizes = argv.includes("--sizes") ? argv[argv.indexOf("--sizes") + 1].split(",").map(Number) : [1, 10, 50];
    if (!fs.existsSync(bin)) {
        throw new Error(`${bin} is missing: run npm run build first`);
    }
    const withClusters = fs.existsSync(path.join(root, "stacks/cluster.ts"));
    const rows: Row[] = [];
    rows.push(bench("baseline: node -e require('@pulumi/pulumi')", 0, ["-e", "require('@pulumi/pulumi')"], runs));
    rows.push(bench("example fleet (stacks/config)", 0, [bin, "plan", "--json", "--config-dir", path.join(root, "stacks/config")], runs));
    const dirs: string[] = [];
    for (const n of sizes) {
        const dir = writeFleet(n, withClusters);
        dirs.push(dir);
        rows.push(bench(`synthetic ${n} cluster${n === 1 ? "" : "s"} x ${services.length} services`, n, [bin, "plan", "--json", "--config-dir", dir], runs));
    }
    const base = rows[0];
    const pad = (s: string, n: number) => s.padEnd(n);
    const num = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
    console.log(`shared-alb plan --json, cold process, median of ${runs} runs; peak RSS ${timeBin ? "from /usr/bin/time -v" : "from process.resourceUsage() in the child"}; node ${process.version}, ${os.cpus().length} CPUs`);
    if (!withClusters) {
        console.log("note: stacks/cluster.ts is not there yet: the synthetic fleets are network stacks only (N clusters x 3 services of target groups)");
    }
    console.log(`${pad("fleet", 48)} ${pad("stacks", 6)} ${pad("resources", 9)} ${pad("median ms", 9)} ${pad("peak MB", 7)} x baseline`);
    for (const r of rows) {
        console.log(`${pad(r.fleet, 48)} ${pad(String(r.stacks), 6)} ${pad(String(r.resources), 9)} ${pad(num(r.ms), 9)} ${pad(num(r.rssMb), 7)} ${num(r.ms / base.ms, 2)}`);
    }
    const synthetic = rows.slice(2);
    if (synthetic.length >= 2) {
        console.log("\nmarginal cost per cluster (from the smallest fleet):");
        const first = synthetic[0];
        for (const r of synthetic.slice(1)) {
            const dc = r.clusters - first.clusters;
            console.log(`  ${first.clusters} -> ${r.clusters}: ${num((r.ms - first.ms) / dc, 1)} ms, ${num((r.rssMb - first.rssMb) / dc, 2)} MB, ${num((r.resources - first.resources) / dc, 1)} resources per added cluster`);
        }
    }
    for (const d of dirs) {
        fs.rmSync(d, { recursive: true, force: true });
    }
}

main();
