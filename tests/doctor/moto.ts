import { ChildProcess, spawn, spawnSync } from "child_process";
import * as http from "http";
import * as net from "net";

/**
 * One `moto_server` for all doctor tests (and the bench), on a free loopback
 * port, started on first use and killed when the test run ends. If
 * `moto_server` is not installed this throws: the doctor tests must fail
 * loudly, never skip.
 */
export interface Moto {
    endpoint: string;
    /** Drops all state (POST /moto-api/reset). */
    reset(): Promise<void>;
}

/** A moto of its own, with its process, for tests that need another configuration. */
export interface OwnMoto extends Moto {
    stop(): Promise<void>;
}

let started: Promise<Moto> | undefined;
let child: ChildProcess | undefined;

/** Dummy credentials and the endpoint, as environment variables. */
export function motoEnv(endpoint: string): Record<string, string> {
    return {
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
        AWS_REGION: "eu-west-1",
        AWS_ENDPOINT_URL: endpoint,
        AWS_EC2_METADATA_DISABLED: "true",
    };
}

/** Starts moto (once) and resolves when it answers. */
export function startMoto(): Promise<Moto> {
    started ??= launch({}).then(m => {
        child = m.process;
        return m;
    });
    return started;
}

/**
 * Starts another moto with extra environment (e.g.
 * `MOTO_IAM_LOAD_MANAGED_POLICIES=true`, which makes every reset slower, so
 * only the tests that need AWS managed policies pay for it).
 */
export async function startOwnMoto(env: NodeJS.ProcessEnv): Promise<OwnMoto> {
    const m = await launch(env);
    return { endpoint: m.endpoint, reset: m.reset, stop: () => stopProcess(m.process) };
}

/** Stops the moto started by {@link startMoto}, if any. */
export async function stopMoto(): Promise<void> {
    const proc = child;
    child = undefined;
    started = undefined;
    await stopProcess(proc);
}

async function stopProcess(proc: ChildProcess | undefined): Promise<void> {
    if (proc && proc.exitCode === null && proc.pid !== undefined) {
        const exited = new Promise<void>(resolve => proc.once("exit", () => resolve()));
        proc.kill("SIGTERM");
        await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 3000))]);
        if (proc.exitCode === null) {
            proc.kill("SIGKILL");
        }
    }
}

async function launch(env: NodeJS.ProcessEnv): Promise<Moto & { process: ChildProcess }> {
    const which = spawnSync("sh", ["-c", "command -v moto_server"], { encoding: "utf8" });
    if (which.status !== 0) {
        throw new Error(
            "moto_server is not installed or not on PATH: the doctor tests need it (pip install 'moto[server]'); refusing to skip them",
        );
    }
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const proc = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
        stdio: ["ignore", "ignore", "pipe"],
        env: { ...process.env, ...env },
    });
    let stderr = "";
    proc.stderr?.on("data", (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-4000);
    });
    process.once("exit", () => {
        if (proc.exitCode === null) {
            proc.kill("SIGKILL");
        }
    });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
        if (proc.exitCode !== null) {
            throw new Error(`moto_server exited with code ${proc.exitCode} before answering: ${stderr}`);
        }
        if (await answers(`${endpoint}/moto-api/`)) {
            return { endpoint, reset: () => post(`${endpoint}/moto-api/reset`), process: proc };
        }
        await new Promise(resolve => setTimeout(resolve, 100));
    }
    proc.kill("SIGKILL");
    throw new Error(`moto_server did not answer on ${endpoint} within 30 s: ${stderr}`);
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            const port = typeof address === "object" && address ? address.port : 0;
            server.close(() => resolve(port));
        });
    });
}

function answers(url: string): Promise<boolean> {
    return new Promise(resolve => {
        const req = http.get(url, res => {
            res.resume();
            resolve((res.statusCode ?? 500) < 500);
        });
        req.on("error", () => resolve(false));
        req.setTimeout(1000, () => {
            req.destroy();
            resolve(false);
        });
    });
}

function post(url: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const req = http.request(url, { method: "POST" }, res => {
            res.resume();
            res.on("end", () => ((res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
        });
        req.on("error", reject);
        req.end();
    });
}

// When loaded by mocha, stop moto once the whole run is over (root-level hook).
if (typeof after === "function") {
    after(() => stopMoto());
}
