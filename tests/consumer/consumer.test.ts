import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DoctorPackages } from "../../cli/index";
import { TargetGroupBindingCrdFile } from "../../components/cluster-attachment/crd";
import { spawnCollect } from "../spawn";

const root = path.resolve(__dirname, "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
    peerDependencies: Record<string, string>;
    devDependencies: Record<string, string>;
    optionalDependencies: Record<string, string>;
};

/**
 * The TypeScript examples a consumer copies, exactly as written: the ```ts
 * blocks of the README's TypeScript section of "Using the components". The
 * one place that knows where they are.
 */
function documentedExamples(): string[] {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    const start = readme.indexOf("### TypeScript, from npm");
    expect(start, "the README's npm section").to.be.greaterThan(-1);
    const end = readme.slice(start + 1).search(/\n##+ /);
    return [...readme.slice(start, end === -1 ? undefined : start + 1 + end).matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]);
}

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
    loadBalancer: {
        certificateArns: ["arn:aws:acm:eu-west-1:111111111111:certificate/5f1c2d3e-0a1b-4c5d-8e9f-0123456789ab"],
        desyncMitigationMode: "strictest",
    },
    clusters: { blue: { accountId: "222222222222", weight: 100 }, green: { accountId: "111111111111", weight: 0 } },
    services: { web: { port: 8080, hosts: ["shop.example.com"] } },
    preview: { sourceCidrs: ["203.0.113.0/24"] },
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

/** With @pulumi/eks installed too: its Cluster fits `fromEksCluster`. */
const eksProgram = `
import * as eks from "@pulumi/eks";
import { ClusterAttachmentArgs, fromEksCluster } from "shared-alb";

const cluster = new eks.Cluster("blue", { createOidcProvider: true });
const inputs = fromEksCluster("blue", cluster);
export const facts: Pick<ClusterAttachmentArgs, "clusterName" | "oidcProviderArn" | "oidcIssuer" | "vpcId"> = inputs;
`;

/**
 * Through package.json's `exports`, as TypeScript resolves it with
 * `moduleResolution: node16`: the main entry and `shared-alb/internal`
 * resolve with their types; a path into dist/ does not (the directive fails
 * to compile if it does).
 */
const exportsProgram = `
import { ConfigError, SharedAlb } from "shared-alb";
import type { NetworkOutputs, SharedAlbArgs } from "shared-alb";
import { Problems } from "shared-alb/internal";
// @ts-expect-error: not exported (package.json "exports")
import { routeRequest } from "shared-alb/dist/components/shared-alb/evaluate";

export const names: [typeof SharedAlb, typeof ConfigError, typeof Problems, unknown] = [SharedAlb, ConfigError, Problems, routeRequest];
export type Contract = [NetworkOutputs, SharedAlbArgs];
`;

/** Runs a command; when it fails, the error carries everything it printed. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
    const r = spawnSync(command, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (r.status !== 0) {
        throw new Error(`${command} ${args.join(" ")} (in ${cwd}) exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
    }
    return r.stdout;
}

/** Runs a command like `run`, and returns what it printed on stderr (npm's warnings). */
function runWarnings(command: string, args: string[], cwd: string): string {
    const r = spawnSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (r.status !== 0) {
        throw new Error(`${command} ${args.join(" ")} (in ${cwd}) exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
    }
    return r.stderr;
}

/**
 * Starts tsc over `files`, strict and without skipLibCheck, as a consumer's
 * own tsconfig would have it. Checking every declaration file of the AWS
 * provider takes a while: the two projects compile side by side.
 */
function compile(project: string, files: string[], emit: boolean, options: Record<string, unknown> = {}): Promise<void> {
    fs.writeFileSync(
        path.join(project, "tsconfig.json"),
        JSON.stringify({
            compilerOptions: {
                target: "ES2022",
                module: "commonjs",
                strict: true,
                esModuleInterop: true,
                skipLibCheck: false,
                types: ["node"],
                typeRoots: [path.join(root, "node_modules", "@types")],
                ...(emit ? { outDir: "out" } : { noEmit: true }),
                ...options,
            },
            files,
        }),
    );
    return spawnCollect(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], {
        cwd: project,
    }).then(r => {
        if (r.code !== 0) {
            throw new Error(`tsc (in ${project}) exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
        }
    });
}

/** Links `target` as `node_modules/<name>` of the project. */
function link(project: string, name: string, target: string): void {
    const at = path.join(project, "node_modules", name);
    fs.mkdirSync(path.dirname(at), { recursive: true });
    fs.symlinkSync(target, at, "dir");
}

describe("the npm package, as a components-only consumer installs it", function () {
    this.timeout(600_000);
    let dir: string;
    let project: string;
    let compiled: { plain: Promise<void>; eks: Promise<void>; exports: Promise<void> };
    let installWarnings = "";

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-consumer-"));
        const packed = run("npm", ["pack", "--json", "--pack-destination", dir], root);
        const tarball = path.join(dir, JSON.parse(packed)[0].filename as string);
        project = path.join(dir, "project");
        fs.mkdirSync(project);
        fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
        // The package's own dependencies come from the registry (or the cache); --omit=optional
        // leaves out the doctor's. The peers are this repository's pinned copies, linked (not
        // installed: --legacy-peer-deps), so no second SDK copy exists; @pulumi/eks is not.
        // Scripts are not ignored: the tarball must have none that npm would run or ask to allow.
        installWarnings = runWarnings(
            "npm",
            ["install", "--omit=optional", "--prefer-offline", "--legacy-peer-deps", "--no-audit", "--no-fund", tarball],
            project,
        );
        const peers = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/kubernetes", "@pulumi/random"];
        for (const peer of peers) {
            link(project, peer, path.join(root, "node_modules", peer));
        }
        fs.writeFileSync(path.join(project, "index.ts"), program);
        const examples = documentedExamples().map((code, i) => {
            const file = `readme-example-${i}.ts`;
            fs.writeFileSync(path.join(project, file), code);
            return file;
        });
        // The same install, with @pulumi/eks as well.
        const withEks = path.join(dir, "project-eks");
        fs.mkdirSync(withEks);
        for (const name of ["shared-alb", "yaml"]) {
            link(withEks, name, path.join(project, "node_modules", name));
        }
        for (const peer of [...peers, "@pulumi/eks"]) {
            link(withEks, peer, path.join(root, "node_modules", peer));
        }
        fs.writeFileSync(path.join(withEks, "eks.ts"), eksProgram);
        // The same install again, compiled with node16 module resolution (package.json "exports").
        const withExports = path.join(dir, "project-exports");
        fs.mkdirSync(withExports);
        for (const name of ["shared-alb", "yaml", ...peers]) {
            link(withExports, name, path.join(project, "node_modules", name));
        }
        fs.writeFileSync(path.join(withExports, "exports.ts"), exportsProgram);
        compiled = {
            plain: compile(project, ["index.ts", ...examples], true),
            eks: compile(withEks, ["eks.ts"], false),
            exports: compile(withExports, ["exports.ts"], false, { module: "node16", moduleResolution: "node16", skipLibCheck: true }),
        };
        // Rejections are read by the tests below.
        compiled.plain.catch(() => undefined);
        compiled.eks.catch(() => undefined);
        compiled.exports.catch(() => undefined);
    });

    after(() => {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("ships only compiled components, the CLI, the stack programs, the vendored CRD, the README, LICENSE and CHANGELOG, with no install script", () => {
        const installed = path.join(project, "node_modules", "shared-alb");
        const files = execFileSync("find", [".", "-type", "f"], { cwd: installed, encoding: "utf8" })
            .trim()
            .split("\n")
            .map(f => f.slice(2));
        expect(files.filter(f => !/^dist\/(components|cli|stacks)\/.+\.(js|d\.ts)$/.test(f)).sort()).to.deep.equal([
            "CHANGELOG.md",
            "LICENSE",
            "README.md",
            TargetGroupBindingCrdFile,
            "package.json",
        ]);
        // The installed package reads the CRD from its own copy, the repository's file unchanged.
        expect(fs.readFileSync(path.join(installed, TargetGroupBindingCrdFile), "utf8")).to.equal(
            fs.readFileSync(path.join(root, TargetGroupBindingCrdFile), "utf8"),
        );
        const scripts = (JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")) as { scripts: Record<string, string> })
            .scripts;
        expect(["preinstall", "install", "postinstall", "prepare"].filter(s => s in scripts)).to.deep.equal([]);
        // npm lists a tarball's install scripts (prepare included) for the user to allow: none here.
        expect(installWarnings).to.not.include("install-scripts");
        // Below Node 22 npm warns that shared-alb wants Node >= 22 (its engines, as @pulumi/pulumi's); no other warning names it.
        const ownWarnings = installWarnings.split("\n").filter(l => l.includes("shared-alb@"));
        expect(ownWarnings.filter(l => !l.startsWith("npm warn EBADENGINE "))).to.deep.equal([]);
        expect(ownWarnings.length > 0, installWarnings).to.equal(Number(process.versions.node.split(".")[0]) < 22);
        expect(files).to.include("dist/components/index.d.ts");
        expect(files).to.include("dist/cli/index.js");
    });

    it("declares caret peer ranges from the versions it is tested with, and installs without the doctor's packages", () => {
        for (const [name, range] of Object.entries(pkg.peerDependencies)) {
            expect(range, name).to.equal(`^${pkg.devDependencies[name]}`);
        }
        const modules = path.join(project, "node_modules");
        for (const name of DoctorPackages) {
            expect(fs.existsSync(path.join(modules, name)), name).to.equal(false);
        }
        expect(fs.existsSync(path.join(modules, "@aws-sdk"))).to.equal(false);
        expect(fs.existsSync(path.join(modules, "yaml"))).to.equal(true);
    });

    it("compiles the README's examples as written and a program, strict without skipLibCheck and without @pulumi/eks, and runs SharedAlb under mocks", async () => {
        expect(documentedExamples()).to.have.length(2);
        expect(fs.existsSync(path.join(project, "node_modules", "@pulumi", "eks"))).to.equal(false);
        await compiled.plain;
        const out = run(process.execPath, ["out/index.js"], project);
        expect(JSON.parse(out.trim())).to.deep.equal({
            services: {
                web: {
                    port: 8080,
                    protocol: "HTTP",
                    targetType: "ip",
                    weights: { blue: 100, green: 0 },
                    hosts: ["shop.example.com"],
                    paths: [],
                    ruleArn: "arn:aws:test:eu-west-1:111111111111:edge-rule-web",
                    priority: 44020,
                    previewRuleArns: {
                        blue: "arn:aws:test:eu-west-1:111111111111:edge-preview-web-blue",
                        green: "arn:aws:test:eu-west-1:111111111111:edge-preview-web-green",
                    },
                },
            },
            blue: "arn:aws:iam::222222222222:role/shared-alb-lbc-blue",
            registrar: "arn:aws:test:eu-west-1:111111111111:edge-registrar-blue",
        });
    });

    it("compiles as strictly with @pulumi/eks installed, its Cluster fitting fromEksCluster", async () => {
        await compiled.eks;
    });

    it("exports shared-alb and shared-alb/internal and nothing else (package.json exports), to Node and to TypeScript", async () => {
        const script = `
            const main = require("shared-alb");
            const internal = require("shared-alb/internal");
            let deep;
            try { require("shared-alb/dist/components/shared-alb/evaluate"); deep = "loaded"; } catch (e) { deep = e.code; }
            console.log(JSON.stringify({
                main: Object.keys(main).length, internal: typeof internal.Problems, same: internal.ConfigError === main.ConfigError,
                version: require("shared-alb/package.json").version, deep,
            }));`;
        const out = JSON.parse(run(process.execPath, ["-e", script], project)) as Record<string, unknown>;
        expect(out).to.deep.equal({
            main: 12,
            internal: "function",
            same: true,
            version: JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version,
            deep: "ERR_PACKAGE_PATH_NOT_EXPORTED",
        });
        await compiled.exports;
    });

    it("installs the shared-alb bin: plan runs; doctor --help works and doctor says what to install", () => {
        const bin = path.join(project, "node_modules", ".bin", "shared-alb");
        const help = run(bin, ["--help"], project);
        expect(help).to.match(/^ {2}plan /m);
        expect(help).to.match(/^ {2}manifests /m);
        expect(help).to.match(/^ {2}doctor /m);
        expect(run(bin, ["doctor", "--help"], project)).to.match(/^Usage: shared-alb doctor /);
        const planned = JSON.parse(
            run(bin, ["plan", "--json", "--stack", "network", "--config-dir", path.join(root, "stacks", "config")], project),
        ) as {
            stacks: { stack: string; resources: { type: string }[] }[];
        };
        expect(planned.stacks.map(s => s.stack)).to.deep.equal(["network"]);
        expect(planned.stacks[0].resources.some(r => r.type === "aws:lb/loadBalancer:LoadBalancer")).to.equal(true);

        const doctor = spawnSync(bin, ["doctor", "--network-outputs", "network.json"], { cwd: project, encoding: "utf8" });
        expect(doctor.status).to.equal(2);
        expect(doctor.stdout).to.equal("");
        expect(doctor.stderr).to.equal(
            `shared-alb doctor: needs ${DoctorPackages.join(", ")}, optional dependencies of shared-alb that this install left out ` +
                "(npm install --omit=optional); install them:\n" +
                `  npm install ${DoctorPackages.map(name => `${name}@${pkg.optionalDependencies[name]}`).join(" ")}\n`,
        );
    });
});
