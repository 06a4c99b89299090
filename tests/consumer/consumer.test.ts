import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..");

const program = `
import * as pulumi from "@pulumi/pulumi";
import type { SharedAlbArgs, NetworkOutputs } from "shared-alb";

pulumi.runtime.setMocks({
    newResource: args => ({ id: \`\${args.name}-id\`, state: { ...args.inputs, arn: \`arn:aws:test:eu-west-1:111111111111:\${args.name}\` } }),
    call: args => args.token === "aws:index/getCallerIdentity:getCallerIdentity" ? { accountId: "111111111111" } : {},
}, "consumer", "dev", false);

const args: SharedAlbArgs = {
    accountId: "111111111111",
    region: "eu-west-1",
    vpcId: "vpc-0a1b2c3d4e5f60718",
    vpcCidr: "10.0.0.0/16",
    subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
    clusters: { blue: { accountId: "222222222222", weight: 100 } },
    services: { web: { port: 8080, hosts: ["shop.example.com"] } },
};

async function main(): Promise<void> {
    // Loaded after setMocks, as a consumer's unit test would.
    const { SharedAlb } = await import("shared-alb");
    const alb = new SharedAlb("edge", args);
    alb.outputs.apply((o: NetworkOutputs) => {
        console.log(JSON.stringify({ services: o.services, blue: o.clusters.blue.controllerRoleArn, registrar: o.clusters.blue.registrarRoleArn }));
    });
}
main().catch(e => { console.error(e); process.exit(1); });
`;

/** Runs npm; when it fails, the error carries everything it printed. */
function npm(args: string[], cwd: string): string {
    const run = spawnSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (run.status !== 0) {
        throw new Error(`npm ${args.join(" ")} (in ${cwd}) exited ${run.status ?? run.signal}:\n${run.stdout}\n${run.stderr}`);
    }
    return run.stdout;
}

describe("the npm package, as a consumer installs it", function () {
    this.timeout(300_000);
    let dir: string;

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-consumer-"));
        const packed = npm(["pack", "--json", "--pack-destination", dir], root);
        const tarball = path.join(dir, JSON.parse(packed)[0].filename as string);
        const project = path.join(dir, "project");
        fs.mkdirSync(project);
        fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
        // The package's own dependencies come from the registry (or the cache, when it has them:
        // `npm ci` caches tarballs but not the registry metadata an install resolves with); the peer
        // dependencies are the ones this repository pins, linked so no second SDK copy exists.
        npm(["install", "--prefer-offline", "--legacy-peer-deps", "--no-audit", "--no-fund", "--ignore-scripts", tarball], project);
        for (const peer of ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/kubernetes", "@pulumi/eks"]) {
            const target = path.join(project, "node_modules", peer);
            fs.mkdirSync(path.dirname(target), { recursive: true });
            fs.symlinkSync(path.join(root, "node_modules", peer), target, "dir");
        }
        fs.writeFileSync(path.join(project, "index.ts"), program);
        fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify({
            compilerOptions: { target: "ES2022", module: "commonjs", strict: true, esModuleInterop: true, skipLibCheck: true, types: [], outDir: "out" },
            files: ["index.ts"],
        }));
    });

    after(() => {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("ships only compiled components, the CLI, the stack programs and the README", () => {
        const installed = path.join(dir, "project", "node_modules", "shared-alb");
        const files = execFileSync("find", [".", "-type", "f"], { cwd: installed, encoding: "utf8" }).trim().split("\n").map(f => f.slice(2));
        expect(files.filter(f => !/^dist\/(components|cli|stacks)\/.+\.(js|d\.ts)$/.test(f)).sort()).to.deep.equal(["README.md", "package.json"]);
        expect(files.some(f => f.endsWith(".ts") && !f.endsWith(".d.ts"))).to.equal(false);
        expect(files).to.include("dist/components/index.d.ts");
        expect(files).to.include("dist/cli/index.js");
    });

    it("compiles a TypeScript program against the typings and runs SharedAlb under mocks", () => {
        const project = path.join(dir, "project");
        execFileSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: project, stdio: "pipe" });
        const out = execFileSync(process.execPath, ["out/index.js"], { cwd: project, encoding: "utf8" });
        expect(JSON.parse(out.trim())).to.deep.equal({
            services: {
                web: {
                    port: 8080, protocol: "HTTP", targetType: "ip", weights: { blue: 100 }, hosts: ["shop.example.com"], paths: [],
                    ruleArn: "arn:aws:test:eu-west-1:111111111111:edge-rule-web", priority: 44020,
                },
            },
            blue: "arn:aws:iam::222222222222:role/shared-alb-lbc-blue",
            registrar: "arn:aws:test:eu-west-1:111111111111:edge-registrar-blue",
        });
    });

    it("compiles the README's TypeScript examples against the installed package", () => {
        const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
        const section = readme.slice(readme.indexOf("## Using the components from npm"));
        const blocks = [...section.slice(0, section.indexOf("\n## ", 5)).matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]);
        expect(blocks).to.have.length(2);
        const project = path.join(dir, "project");
        const files = blocks.map((code, i) => {
            const file = `readme-example-${i}.ts`;
            fs.writeFileSync(path.join(project, file), code);
            return file;
        });
        fs.writeFileSync(path.join(project, "tsconfig.readme.json"), JSON.stringify({
            compilerOptions: { target: "ES2022", module: "commonjs", strict: true, esModuleInterop: true, skipLibCheck: true, types: ["node"], noEmit: true,
                typeRoots: [path.join(root, "node_modules", "@types")] },
            files,
        }));
        execFileSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.readme.json"], { cwd: project, stdio: "pipe" });
    });

    it("installs the shared-alb bin", () => {
        const out = execFileSync(path.join(dir, "project", "node_modules", ".bin", "shared-alb"), ["--help"], { encoding: "utf8" });
        expect(out).to.match(/plan/);
        expect(out).to.match(/manifests/);
        expect(out).to.match(/doctor/);
    });
});
