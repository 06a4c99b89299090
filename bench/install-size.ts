/**
 * What installing the package costs a consumer: packs this repository, installs
 * the tarball into two empty projects, in full and components-only
 * (`--omit=optional`: no AWS SDK clients, no Kubernetes client, so no
 * `doctor`), and prints the size of each node_modules. The peer dependencies
 * (@pulumi/pulumi, @pulumi/aws, @pulumi/kubernetes), which a consumer's
 * program has anyway, are left out of both (--legacy-peer-deps).
 *
 *   npm run bench:install-size
 *
 * Needs the npm registry (or a cache that holds the packages).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "..");

function run(command: string, args: string[], cwd: string): string {
    const r = spawnSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (r.status !== 0) {
        throw new Error(`${command} ${args.join(" ")} (in ${cwd}) exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
    }
    return r.stdout;
}

/** Bytes on disk (`du -sk`) and the number of installed packages of a node_modules. */
function measure(modules: string): { kib: number; packages: number } {
    const kib = Number(run("du", ["-sk", modules], modules).split("\t")[0]);
    const lock = JSON.parse(fs.readFileSync(path.join(modules, ".package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
    return { kib, packages: Object.keys(lock.packages).filter(p => p.startsWith("node_modules/")).length };
}

function main(): void {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-install-size-"));
    try {
        const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", dir], root)) as {
            filename: string;
            size: number;
            unpackedSize: number;
        }[];
        const tarball = path.join(dir, packed[0].filename);
        console.log(
            `tarball ${packed[0].filename}: ${(packed[0].size / 1024).toFixed(0)} KiB packed, ${(packed[0].unpackedSize / 1024).toFixed(0)} KiB unpacked`,
        );
        const variants: [string, string[]][] = [
            ["full (npm install shared-alb)", []],
            ["components only (npm install --omit=optional shared-alb)", ["--omit=optional"]],
        ];
        for (const [label, flags] of variants) {
            const project = path.join(dir, flags.length === 0 ? "full" : "components");
            fs.mkdirSync(project);
            fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
            run("npm", ["install", ...flags, "--legacy-peer-deps", "--no-audit", "--no-fund", "--ignore-scripts", tarball], project);
            const { kib, packages } = measure(path.join(project, "node_modules"));
            console.log(`${label}: node_modules ${(kib / 1024).toFixed(1)} MiB, ${packages} packages (peers not counted)`);
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main();
