/**
 * Bench: `shared-alb doctor` over a fleet of 20 clusters x 5 services in
 * moto_server, against a sequential loop of the very same describe calls
 * (recorded from a doctor run, replayed one at a time). Measured twice:
 * straight against moto (a few ms per call, mostly server CPU), and through a
 * loopback proxy that adds a fixed delay per request, closer to the tens of
 * milliseconds a real AWS endpoint takes.
 *
 *   npm run bench:doctor              # delay 30 ms
 *   BENCH_LATENCY_MS=50 npm run bench:doctor
 */
import { mkdtempSync, writeFileSync } from "fs";
import * as http from "http";
import { tmpdir } from "os";
import * as path from "path";
import { PassThrough, Readable } from "stream";
import { createAwsClients } from "../cli/doctor/aws-clients";
import { Caller, gatherAws, RecordedCall } from "../cli/doctor/aws-gather";
import { main } from "../cli/doctor/command";
import { Pool } from "../cli/doctor/pool";
import { Report } from "../cli/doctor/report";
import { buildFleet, FleetSpec, NetworkAccount, testClients } from "../tests/doctor/fleet";
import { motoEnv, startMoto, stopMoto } from "../tests/doctor/moto";

const Clusters = 20;
const Services = 5;
const Runs = 5;
const LatencyMs = Number(process.env.BENCH_LATENCY_MS ?? 30);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** A loopback proxy that waits `delayMs` before forwarding each request to `target`. */
async function latencyProxy(target: string, delayMs: number): Promise<{ endpoint: string; close(): Promise<void> }> {
    const upstream = new URL(target);
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (d: Buffer) => chunks.push(d));
        req.on("end", () =>
            setTimeout(() => {
                const fwd = http.request(
                    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
                    up => {
                        res.writeHead(up.statusCode ?? 502, up.headers);
                        up.pipe(res);
                    },
                );
                fwd.on("error", err => {
                    res.writeHead(502);
                    res.end(String(err));
                });
                fwd.end(Buffer.concat(chunks));
            }, delayMs),
        );
    });
    await new Promise<void>(resolve => server.listen(0, "127.0.0.1", () => resolve()));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    return { endpoint: `http://127.0.0.1:${port}`, close: () => new Promise(resolve => server.close(() => resolve())) };
}

function spec(): FleetSpec {
    const clusters = Array.from({ length: Clusters }, (_, i) => ({
        key: `c${String(i).padStart(2, "0")}`,
        // Every other cluster in another account, so half have registrar roles.
        accountId: i % 2 === 1 ? `2222222222${String(i).padStart(2, "0")}` : NetworkAccount,
        weight: 0,
    }));
    // A forward action takes at most 5 target groups: each service weights 4 clusters in.
    const services = Array.from({ length: Services }, (_, s) => ({
        name: `svc${s}`,
        port: 8080 + s,
        weights: Object.fromEntries(clusters.slice(s * 4, s * 4 + 4).map(c => [c.key, 25])),
    }));
    return { clusters, services };
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

async function timeDoctor(file: string, env: NodeJS.ProcessEnv, concurrency: number): Promise<{ ms: number; report: Report }> {
    const stdout = new PassThrough();
    let out = "";
    stdout.on("data", (d: Buffer) => {
        out += d.toString();
    });
    const stderr = new PassThrough();
    stderr.resume();
    const started = process.hrtime.bigint();
    const code = await main(["--network-outputs", file, "--json", "--concurrency", String(concurrency)], {
        stdout,
        stderr,
        stdin: Readable.from([]),
        env,
        cwd: process.cwd(),
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (code === 2) {
        throw new Error("the doctor could not run against moto");
    }
    return { ms, report: JSON.parse(out) as Report };
}

type CommandClass = new (input: unknown) => { input: unknown };

async function replaySequentially(calls: RecordedCall[], env: NodeJS.ProcessEnv, region: string): Promise<number> {
    const clients = createAwsClients(env, region);
    const started = process.hrtime.bigint();
    for (const call of calls) {
        const Command = call.command.constructor as unknown as CommandClass;
        const client = clients[call.client] as unknown as { send(c: unknown): Promise<unknown> };
        await client.send(new Command(call.command.input)).catch(() => undefined);
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    clients.elbv2.destroy();
    clients.ec2.destroy();
    clients.iam.destroy();
    return ms;
}

async function bench(): Promise<void> {
    const moto = await startMoto();
    await moto.reset();
    const buildStart = Date.now();
    const { outputs } = await buildFleet(testClients(moto.endpoint), spec());
    const dir = mkdtempSync(path.join(tmpdir(), "doctor-bench-"));
    const file = path.join(dir, "outputs.json");
    writeFileSync(file, JSON.stringify(outputs));
    console.log(
        `fleet: ${Clusters} clusters x ${Services} services = ${Clusters * Services} target groups, ${Clusters / 2} registrar roles (built in moto in ${Date.now() - buildStart} ms)`,
    );

    await measure("moto_server directly", file, motoEnv(moto.endpoint), outputs.region);
    const proxy = await latencyProxy(moto.endpoint, LatencyMs);
    await measure(`moto_server behind a ${LatencyMs} ms loopback delay`, file, motoEnv(proxy.endpoint), outputs.region);
    await proxy.close();
}

async function measure(label: string, file: string, env: NodeJS.ProcessEnv, region: string): Promise<void> {
    const { readFileSync } = await import("fs");
    const outputs = JSON.parse(readFileSync(file, "utf8"));
    // Record the doctor's calls once.
    const clients = createAwsClients(env, region);
    const caller = new Caller(clients, new Pool(8));
    await gatherAws(outputs, caller);
    clients.elbv2.destroy();
    clients.ec2.destroy();
    clients.iam.destroy();
    const calls = caller.calls;
    const byCommand = new Map<string, number>();
    for (const c of calls) {
        byCommand.set(c.command.constructor.name, (byCommand.get(c.command.constructor.name) ?? 0) + 1);
    }
    console.log(`\n== ${label}`);
    console.log(`calls per run: ${calls.length} (${[...byCommand].map(([k, v]) => `${k.replace(/Command$/, "")} ${v}`).join(", ")})`);

    // Warm up both paths (moto's lazy imports, SDK loading).
    const warm = await timeDoctor(file, env, 8);
    await replaySequentially(calls, env, region);
    console.log(
        `doctor result: ${warm.report.checks.length} checks, ${warm.report.summary.pass} pass, ${warm.report.summary.warn} warn, ${warm.report.summary.fail} fail, ${warm.report.summary.error} error`,
    );

    const doctor: number[] = [];
    const sequential: number[] = [];
    const doctor1: number[] = [];
    for (let i = 0; i < Runs; i++) {
        doctor.push((await timeDoctor(file, env, 8)).ms);
        sequential.push(await replaySequentially(calls, env, region));
        doctor1.push((await timeDoctor(file, env, 1)).ms);
    }
    const d = median(doctor);
    const s = median(sequential);
    console.log(
        `doctor (--concurrency 8, whole command): ${d.toFixed(0)} ms (median of ${Runs}: ${doctor.map(x => x.toFixed(0)).join(", ")})`,
    );
    console.log(
        `sequential loop of the same ${calls.length} calls: ${s.toFixed(0)} ms (median of ${Runs}: ${sequential.map(x => x.toFixed(0)).join(", ")})`,
    );
    console.log(`doctor --concurrency 1 (reference): ${median(doctor1).toFixed(0)} ms`);
    console.log(`ratio sequential / doctor: ${(s / d).toFixed(2)}x`);
}

bench().then(
    () => stopMoto(),
    async err => {
        console.error(err);
        await stopMoto();
        process.exitCode = 1;
    },
);
