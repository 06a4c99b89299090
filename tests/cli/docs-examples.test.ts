import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDocument } from "yaml";
import { parseArgs } from "../../cli/args";
import { DoctorCommand } from "../../cli/doctor/args";
import { run } from "../../cli/index";
import { ManifestsCommand } from "../../cli/manifests/args";
import { PlanCommand } from "../../cli/plan/args";
import { ReviewCommand } from "../../cli/review/args";
import { ShiftCommand } from "../../cli/shift/args";
import {
    blockCommands,
    cliScripts,
    ConfigEdit,
    DocCommand,
    documentationFiles,
    fencedBlocks,
    inlineCommands,
    offlineSession,
    sharedAlbArgs,
    shellWords,
    simpleCommands,
} from "./docs-examples";
import { showsExactLines } from "./documented";
import { captureIo } from "./helpers";

const root = path.resolve(__dirname, "..", "..");
const Specs = {
    plan: PlanCommand,
    review: ReviewCommand,
    manifests: ManifestsCommand,
    doctor: DoctorCommand,
    shift: ShiftCommand,
} as const;
const docs = documentationFiles(root).map(file => {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    return { file, text, blocks: fencedBlocks(file, text) };
});

/** Why a documented `shared-alb` command would not run as written; `undefined` when it would. */
function cliProblem(args: string[]): string | undefined {
    const [command, ...rest] = args;
    if (command === undefined || ["--help", "-h", "--version", "help"].includes(command)) {
        return undefined;
    }
    if (!(command in Specs)) {
        return `no command ${JSON.stringify(command)}`;
    }
    try {
        parseArgs(Specs[command as keyof typeof Specs], rest);
        return undefined;
    } catch (e) {
        return (e as Error).message;
    }
}

/**
 * Why a `shared-alb` command named in prose (`shared-alb plan --compare`)
 * names something that does not exist: a command or an option. Values may be
 * left out there.
 */
function mentionProblem(args: string[]): string | undefined {
    const [command, ...rest] = args;
    if (!(command in Specs)) {
        return `no command ${JSON.stringify(command)}`;
    }
    const known = Specs[command as keyof typeof Specs].options.map(o => `--${o.name}`);
    const unknown = rest
        .filter(a => a.startsWith("--"))
        .map(a => a.split("=")[0])
        .filter(a => !known.includes(a) && a !== "--help");
    return unknown.length === 0 ? undefined : `no option ${unknown.join(", ")}`;
}

/**
 * Not a command line: a synopsis or placeholder (`<command>`, `[--json]`,
 * `...`), or a message that quotes the command's name (`shared-alb doctor: ...`).
 */
function isSynopsis(args: string[]): boolean {
    return args.length > 0 && (!/^(-{0,2}[a-z]+)$/.test(args[0]) || args.some(a => a.startsWith("<") || a.startsWith("[") || a === "|"));
}

describe("documentation: the shell examples of README.md and docs/*.md", function () {
    this.timeout(120_000);

    const commands: DocCommand[] = docs.flatMap(d => d.blocks.flatMap(blockCommands));
    const mentions: DocCommand[] = docs.flatMap(d => inlineCommands(d.file, d.text));
    const scripts = Object.keys(
        (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts,
    );

    it("reads commands as the shell splits them", () => {
        expect(shellWords(`curl -H 'x-shared-alb-cluster: green' https://x/ # a comment`)).to.deep.equal([
            "curl",
            "-H",
            "x-shared-alb-cluster: green",
            "https://x/",
        ]);
        expect(
            simpleCommands("f", 1, "npm ci && npx shared-alb plan --json > before.json   # note").map(c => [c.words, c.stdoutTo]),
        ).to.deep.equal([
            [["npm", "ci"], undefined],
            [["npx", "shared-alb", "plan", "--json"], "before.json"],
        ]);
    });

    it("reads npm scripts that run the CLI as shared-alb commands, only those that build dist/ first", () => {
        const scriptsOf = cliScripts({
            plan: "tsc -b tsconfig.build.json && node dist/cli/index.js plan",
            "shared-alb": "tsc -b tsconfig.build.json && node dist/cli/index.js",
            stale: "node dist/cli/index.js plan",
            build: "tsc -b tsconfig.build.json",
        });
        expect([...scriptsOf]).to.deep.equal([
            ["plan", ["plan"]],
            ["shared-alb", []],
        ]);
        const cases: [string, string[] | undefined][] = [
            ["npm run plan", ["plan"]],
            ["npm run plan -- --stack network", ["plan", "--stack", "network"]],
            ["npm run -s plan -- --json", ["plan", "--json"]],
            ["npm run --silent shared-alb -- manifests --out clusters", ["manifests", "--out", "clusters"]],
            ["npm run stale", undefined],
            ["npm run build", undefined],
            ["npm run plan --stack network", undefined],
            ["npx shared-alb plan --json", ["plan", "--json"]],
        ];
        for (const [line, args] of cases) {
            expect(sharedAlbArgs(simpleCommands("f", 1, line)[0], scriptsOf), line).to.deep.equal(args);
        }
    });

    it("README's two commands: npm ci then a plan script that builds first, and the test command .ci/run runs", () => {
        const readme = docs.find(d => d.file === "README.md")!;
        const heading = readme.text.split("\n").indexOf("## Try it: two commands") + 1;
        const block = readme.blocks.find(b => b.line > heading)!;
        expect(block.lines.map(l => shellWords(l).join(" "))).to.deep.equal(["npm ci && npm run plan", "npm test"]);
        expect(sharedAlbArgs(simpleCommands("README.md", block.line, block.lines[0])[1])).to.deep.equal(["plan"]);
        const ci = fs.readFileSync(path.join(root, ".ci", "run"), "utf8").split("\n");
        expect(ci.filter(l => /^npm /.test(l))).to.deep.equal(["npm ci --no-audit --no-fund", "npm test"]);
    });

    it("states the Node versions CI tests: engines, the pinned Node 22 of .ci/node22, in README and docs/development.md", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { engines: { node: string } };
        expect(pkg.engines.node).to.equal(">=22");
        const pinned = /^version=(22\.\d+\.\d+)$/m.exec(fs.readFileSync(path.join(root, ".ci", "node22"), "utf8"));
        expect(pinned, ".ci/node22 version=").to.not.equal(null);
        for (const file of ["README.md", "docs/development.md"]) {
            const text = docs.find(d => d.file === file)!.text.replace(/\s+/g, " ");
            expect(text, file).to.include(`Node ${pinned![1]}`);
            expect(text, file).to.include("`>=22`");
        }
    });

    it("finds the documented shared-alb commands (the check below has something to check)", () => {
        const cli = [...commands, ...mentions].filter(c => sharedAlbArgs(c) !== undefined).map(c => sharedAlbArgs(c)![0]);
        expect(new Set(cli)).to.include.members(["plan", "review", "manifests", "doctor"]);
    });

    it("every shared-alb command they name exists and accepts the options given", () => {
        const problems = commands.flatMap(c => {
            const args = sharedAlbArgs(c);
            if (args === undefined || isSynopsis(args)) {
                return [];
            }
            const problem = cliProblem(args);
            return problem === undefined ? [] : [`${c.file}:${c.line}: ${c.text}: ${problem}`];
        });
        expect(problems).to.deep.equal([]);
    });

    it("every shared-alb command and option the prose names exists", () => {
        expect(mentions.length).to.be.greaterThan(10);
        const problems = mentions.flatMap(c => {
            const args = sharedAlbArgs(c)!;
            const problem = isSynopsis(args) ? undefined : mentionProblem(args);
            return problem === undefined ? [] : [`${c.file}:${c.line}: ${c.text}: ${problem}`];
        });
        expect(problems).to.deep.equal([]);
    });

    it("has no TypeScript example outside the README section the consumer test compiles", () => {
        // tests/consumer compiles every ts block of README's "TypeScript, from npm" against the packed package.
        const readme = docs.find(d => d.file === "README.md")!;
        const section = readme.text.split("\n").findIndex(l => l === "### TypeScript, from npm") + 1;
        const sectionEnd = readme.text.split("\n").findIndex((l, i) => i >= section && /^##+ /.test(l));
        const ts = docs.flatMap(d => d.blocks).filter(b => ["ts", "typescript"].includes(b.lang));
        expect(ts.length).to.be.greaterThan(0);
        expect(
            ts.filter(b => !(b.file === "README.md" && b.line > section && b.line < sectionEnd)).map(b => `${b.file}:${b.line}`),
        ).to.deep.equal([]);
    });

    it("every npm script they name exists", () => {
        const problems = commands
            .filter(c => c.words[0] === "npm" && c.words[1] === "run")
            .filter(c => !scripts.includes(c.words[2]))
            .map(c => `${c.file}:${c.line}: ${c.text}: no script ${JSON.stringify(c.words[2])} in package.json`);
        expect(problems).to.deep.equal([]);
    });

    const sessions = docs
        .flatMap(d => d.blocks.map(b => ({ block: b, steps: offlineSession(b) })))
        .filter((s): s is { block: typeof s.block; steps: NonNullable<typeof s.steps> } => s.steps !== undefined);

    it("has offline sessions to run", () => {
        expect(sessions.length).to.be.greaterThan(3);
    });

    for (const { block, steps } of sessions) {
        it(`${block.file}:${block.line}: prints what the block shows, run offline in a copy of the project`, async () => {
            const project = copyProject();
            try {
                for (const step of steps) {
                    if (step.kind === "edit") {
                        applyEdit(project, step.edit);
                        continue;
                    }
                    const io = captureIo(project);
                    const code = await run(sharedAlbArgs(step.command)!, io);
                    if (step.command.stdoutTo !== undefined) {
                        fs.writeFileSync(path.join(project, step.command.stdoutTo), io.out());
                    }
                    const printed = io.err() + (step.command.stdoutTo === undefined ? io.out() : "");
                    expect(code, `${step.command.text} exited ${code}:\n${printed}`).to.be.oneOf(
                        step.shown.some(l => l.startsWith("error:")) ? [1] : [0, 3],
                    );
                    expect(
                        showsExactLines(step.shown, printed),
                        `${block.file}:${block.line}: ${step.command.text} printed:\n${printed}`,
                    ).to.deep.equal({ ok: true });
                }
            } finally {
                fs.rmSync(project, { recursive: true, force: true });
            }
        });
    }
});

/** A temporary copy of the Pulumi project: Pulumi.yaml and stacks/config. */
function copyProject(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-docs-"));
    fs.copyFileSync(path.join(root, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.cpSync(path.join(root, "stacks", "config"), path.join(dir, "stacks", "config"), { recursive: true });
    return dir;
}

/** Sets a value (YAML) at a path of the file's structured config key (`alb-fleet:network` or `alb-fleet:cluster`). */
function applyEdit(project: string, edit: ConfigEdit): void {
    const file = path.join(project, edit.file);
    const doc = parseDocument(fs.readFileSync(file, "utf8"));
    const role = String(doc.getIn(["config", "alb-fleet:role"]));
    const value = parseDocument(edit.value).toJS() as unknown;
    expect(doc.hasIn(["config", `alb-fleet:${role}`, ...edit.path.slice(0, -1)]), `${edit.file}: ${edit.path.join(".")}`).to.equal(true);
    doc.setIn(["config", `alb-fleet:${role}`, ...edit.path], value);
    fs.writeFileSync(file, doc.toString());
}
