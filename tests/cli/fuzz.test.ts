import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expectedTargetGroups, loadNetworkOutputs, serviceListener } from "../../cli/doctor/outputs";
import { FileSizeLimits } from "../../cli/input-files";
import { main as manifests } from "../../cli/manifests/command";
import { main as plan } from "../../cli/plan/command";
import { deployedOutputs, readBeforeFiles, runComparison } from "../../cli/plan/compare-output";
import { deployedAllocationOf } from "../../components/shared-alb/deployed";
import { validateSharedAlbArgs } from "../../components/shared-alb/validate";
import { exampleNetworkArgs } from "../fixtures/network";
import { FleetPlan, planFleet } from "../../cli/plan/fleet";
import { renderJson, toJsonPlan } from "../../cli/plan/render";
import { deployedValues, stackExport } from "../fixtures/stack-export";
import { spawnCollect } from "../spawn";
import { CrashPattern, EveryOption, Format, Mutated, Mutation, Mutations, Rng, withOptions, writeMutated } from "./fuzz";
import { captureIo } from "./helpers";

// Fuzzing where input enters: a few hundred seeded mutations (fuzz.ts) of the
// example stack configs, of a BEFORE document (`plan --json` and a stack
// export) and of a network outputs file, each run through the entry point the
// CLI uses, in this process; a few end to end. For every mutation: no crash
// (no TypeError, RangeError, stack overflow or stack trace), no exit 0 without
// its output, and an error names the file.

const root = path.resolve(__dirname, "../..");
/** The seed: fixed, so every run makes the same mutations; `SHARED_ALB_FUZZ_SEED` explores others (a failure names its mutation). */
const Seed = Number(process.env.SHARED_ALB_FUZZ_SEED ?? 18_06);
/** Mutations per corpus. */
const Counts = { configs: 120, everyOption: 60, before: 120, outputs: 90 } as const;
/** A command that takes longer than this is taken to hang. */
const HangMs = 30000;

/** What one corpus gave: mutations, accepted, refused cleanly, and the failures (each with the mutation that caused it). */
interface Tally {
    mutations: number;
    /** Commands run on them (some mutations go through two). */
    runs: number;
    accepted: number;
    clean: number;
    failures: string[];
}

const tally = (): Tally => ({ mutations: 0, runs: 0, accepted: 0, clean: 0, failures: [] });

/** Classifies one run: accepted (exit 0 or 3 with output), refused cleanly (non-zero, naming one of `files`), or a failure. */
function judge(
    t: Tally,
    label: string,
    r: { code: number; out: string; err: string },
    files: string[],
    accepted: (out: string) => boolean,
): void {
    t.runs++;
    const printed = `${r.out}\n${r.err}`;
    if (CrashPattern.test(printed)) {
        t.failures.push(`${label}: crash: ${printed.slice(0, 400)}`);
    } else if (r.code === 0 || r.code === 3) {
        if (accepted(r.out)) {
            t.accepted++;
        } else {
            t.failures.push(`${label}: exit ${r.code} without its output`);
        }
    } else if (r.err.trim() === "") {
        t.failures.push(`${label}: exit ${r.code} with nothing on stderr`);
    } else if (!files.some(f => r.err.includes(f))) {
        t.failures.push(`${label}: the error names none of ${files.join(", ")}: ${r.err.slice(0, 400)}`);
    } else {
        t.clean++;
    }
}

/** Runs `body`, failing after `HangMs` (a command that never settles shows up here, not as a mocha timeout). */
async function bounded<T>(label: string, body: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${label}: no answer within ${HangMs} ms`)), HangMs);
    });
    try {
        return await Promise.race([body(), hang]);
    } finally {
        clearTimeout(timer);
    }
}

/** Runs a command in-process; an exception it throws counts as a crash. */
async function runIn(command: typeof plan, argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
    const io = captureIo(cwd);
    try {
        const code = await bounded(argv.join(" "), () => command(argv, io));
        return { code, out: io.out(), err: io.err() };
    } catch (e) {
        return { code: -1, out: io.out(), err: `${io.err()}\nthrew ${(e as Error).stack ?? String(e)}` };
    }
}

/** The `i`th mutation for a format: the mutations in turn, so each gets its share. */
function mutationFor(i: number, format: Format): Mutation {
    const usable = Mutations.filter(m => m.only === undefined || m.only === format);
    return usable[i % usable.length];
}

function report(name: string, t: Tally, ms: number): void {
    // The figures the issue asks for, once per corpus.
    console.log(
        `      fuzz ${name} (seed ${Seed}): ${t.mutations} mutations, ${t.runs} runs, ${t.accepted} accepted, ${t.clean} clean errors, ${t.failures.length} crashes or silent exits (${(ms / 1000).toFixed(1)} s)`,
    );
}

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `shared-alb-fuzz-${prefix}-`));

/**
 * `count` mutations of the example stack configs (each first passed through
 * `start`), one stack's file at a time, through plan and, for some cluster
 * stacks, manifests: no failure allowed, and some mutations must still plan.
 */
async function fuzzConfigs(name: string, count: number, r: Rng, start: (text: string, stack: string) => string): Promise<Tally> {
    const started = Date.now();
    const t = tally();
    const stacks = ["network", "cluster-blue", "cluster-green"];
    const texts = Object.fromEntries(
        stacks.map(s => [s, start(fs.readFileSync(path.join(root, "stacks/config", `Pulumi.${s}.yaml`), "utf8"), s)]),
    );
    const unmutated = tmp("config");
    stacks.forEach(s => fs.writeFileSync(path.join(unmutated, `Pulumi.${s}.yaml`), texts[s]));
    const baseline = await runIn(plan, ["--config-dir", unmutated], unmutated);
    expect({ code: baseline.code, err: baseline.err }, "the configs plan before they are mutated").to.deep.equal({ code: 0, err: "" });
    fs.rmSync(unmutated, { recursive: true, force: true });
    for (let i = 0; i < count; i++) {
        const stack = stacks[i % stacks.length];
        const m = mutationFor(Math.floor(i / stacks.length), "yaml");
        const dir = tmp("config");
        for (const s of stacks) {
            const file = path.join(dir, `Pulumi.${s}.yaml`);
            writeMutated(file, s === stack ? m.apply(texts[s], "yaml", r, FileSizeLimits.config) : { text: texts[s] });
        }
        const file = `Pulumi.${stack}.yaml`;
        const label = `config #${i} (${m.name}, ${file})`;
        t.mutations++;
        const planned = await runIn(plan, ["--config-dir", dir, "--stack", stack], dir);
        judge(t, label, planned, [file], out => out.startsWith(`${stack} (`) && /\nfleet: \d+ resources/.test(out));
        if (stack !== "network" && i % 4 === 1) {
            const written = await runIn(manifests, ["--config-dir", dir, "--stack", stack, "--allow-planned", "--out", "out"], dir);
            judge(t, `${label} manifests`, written, [file], out => out.includes(`wrote out/${stack}/targetgroupbindings.yaml`));
        }
        fs.rmSync(dir, { recursive: true, force: true });
    }
    report(name, t, Date.now() - started);
    expect(t.failures).to.deep.equal([]);
    expect(t.accepted, "some mutations plan").to.be.greaterThan(0);
    return t;
}

describe("fuzz: hostile input everywhere it enters (seeded)", function () {
    this.timeout(300000);
    let fleet: FleetPlan;

    before(async () => {
        fleet = await planFleet({ configDir: path.join(root, "stacks/config") });
    });

    it(`${Counts.configs} mutations of the example stack configs: plan (and manifests) refuse them naming the file, or plan them`, async () => {
        const t = await fuzzConfigs("stack configs", Counts.configs, new Rng(Seed), text => text);
        expect(t.clean, "some mutations are refused").to.be.greaterThan(30);
    });

    it(`${Counts.everyOption} mutations of the example stack configs with every option they leave out set (preview token, external ID, WAF, access logs, EKS endpoints, admission policy...)`, async () => {
        const t = await fuzzConfigs("stack configs with every option", Counts.everyOption, new Rng(Seed + 3), (text, stack) =>
            withOptions(text, EveryOption[stack]),
        );
        expect(t.clean, "some mutations are refused").to.be.greaterThan(15);
    });

    it(`${Counts.before} mutations of a BEFORE document (plan --json and a stack export): plan --compare refuses them naming the file, or compares`, async () => {
        const started = Date.now();
        const t = tally();
        const r = new Rng(Seed + 1);
        const json = toJsonPlan(fleet);
        const docs = [renderJson(fleet), JSON.stringify(stackExport(json.stacks[0], deployedValues(json.stacks)), null, 2)];
        const dir = tmp("before");
        for (let i = 0; i < Counts.before; i++) {
            const m = mutationFor(Math.floor(i / 2), "json");
            const file = `before-${i}.json`;
            writeMutated(path.join(dir, file), m.apply(docs[i % 2], "json", r, FileSizeLimits.before));
            const io = captureIo(dir);
            t.mutations++;
            let code: number;
            try {
                const before = readBeforeFiles([file], io);
                if (typeof before === "number") {
                    code = before;
                } else {
                    // What the network stack would keep from BEFORE's outputs: read leniently, never a crash.
                    for (const outputs of Object.values(deployedOutputs(before))) {
                        validateSharedAlbArgs({ ...exampleNetworkArgs(), deployedAllocation: deployedAllocationOf(outputs) });
                    }
                    code = runComparison(fleet, [file], before, { json: i % 4 < 2 }, io);
                }
            } catch (e) {
                code = -1;
                io.stderr.write(`threw ${(e as Error).stack ?? String(e)}`);
            }
            judge(
                t,
                `before #${i} (${m.name}, ${i % 2 === 0 ? "plan --json" : "stack export"})`,
                { code, out: io.out(), err: io.err() },
                [file],
                out => out.length > 0,
            );
            fs.rmSync(path.join(dir, file));
        }
        report("BEFORE files", t, Date.now() - started);
        expect(t.failures).to.deep.equal([]);
        expect(t.accepted).to.be.greaterThan(10);
        expect(t.clean).to.be.greaterThan(30);
    });

    it(`${Counts.outputs} mutations of a network outputs file: the doctor's reader and manifests refuse them naming the file, or use them`, async () => {
        const started = Date.now();
        const t = tally();
        const r = new Rng(Seed + 2);
        const network = fleet.stacks.find(s => s.stack === "network")!;
        const text = JSON.stringify(network.outputs, null, 2);
        const dir = tmp("outputs");
        for (let i = 0; i < Counts.outputs; i++) {
            const m = mutationFor(i, "json");
            const file = `outputs-${i}.json`;
            const mutated: Mutated = m.apply(text, "json", r, FileSizeLimits.outputs);
            writeMutated(path.join(dir, file), mutated);
            const label = `outputs #${i} (${m.name})`;
            t.mutations++;
            // The doctor reads the file so, then flattens it into the target groups and listener it checks.
            let doctor: { code: number; out: string; err: string };
            try {
                const outputs = await bounded(label, () => loadNetworkOutputs(file, dir, process.stdin));
                const groups = expectedTargetGroups(outputs);
                doctor = {
                    code: 0,
                    out: `${groups.length} target groups, listener ${serviceListener(outputs)?.role ?? "(none)"}`,
                    err: "",
                };
            } catch (e) {
                const message = (e as Error).name === "InputError" ? (e as Error).message : ((e as Error).stack ?? String(e));
                doctor = { code: 2, out: "", err: message };
            }
            judge(t, `${label} doctor`, doctor, [file], out => out.includes("target groups"));
            if (i % 3 === 0) {
                const written = await runIn(
                    manifests,
                    [
                        "--config-dir",
                        path.join(root, "stacks/config"),
                        "--stack",
                        "cluster-blue",
                        "--network-outputs",
                        file,
                        "--out",
                        `out-${i}`,
                    ],
                    dir,
                );
                judge(t, `${label} manifests`, written, [file, "Pulumi.cluster-blue.yaml"], out =>
                    out.includes(`wrote out-${i}/cluster-blue/targetgroupbindings.yaml`),
                );
            }
            fs.rmSync(path.join(dir, file));
        }
        report("network outputs", t, Date.now() - started);
        expect(t.failures).to.deep.equal([]);
        expect(t.accepted).to.be.greaterThan(10);
        expect(t.clean).to.be.greaterThan(20);
    });

    it("end to end, in their own processes: the crashes the fuzzer first found exit as they should", async () => {
        const started = Date.now();
        const dir = tmp("e2e");
        const configs = path.join(dir, "stacks");
        fs.cpSync(path.join(root, "stacks/config"), configs, { recursive: true });
        const blue = path.join(configs, "Pulumi.cluster-blue.yaml");
        fs.writeFileSync(blue, fs.readFileSync(blue, "utf8").replace("      team: platform", "      toString: platform"));
        const aliased = path.join(dir, "aliased");
        fs.cpSync(path.join(root, "stacks/config"), aliased, { recursive: true });
        const net = path.join(aliased, "Pulumi.network.yaml");
        fs.writeFileSync(net, fs.readFileSync(net, "utf8").replace("      team: platform", "      team: &loop [1, *loop]"));
        fs.writeFileSync(path.join(dir, "deep.json"), `{"clusters": ${"[".repeat(100000)}${"]".repeat(100000)}}`);
        fs.writeFileSync(path.join(dir, "before.json"), JSON.stringify({ stacks: [{ stack: "network", resources: [{}] }] }));
        const cli = (...args: string[]) =>
            spawnCollect(
                process.execPath,
                ["-r", require.resolve("ts-node/register/transpile-only"), path.join(root, "cli/index.ts"), ...args],
                { cwd: dir, env: { ...process.env, TS_NODE_PROJECT: path.join(root, "tsconfig.json"), NO_COLOR: "1" } },
            );
        const [tagged, alias, doctor, compare] = await Promise.all([
            cli("plan", "--config-dir", configs, "--stack", "cluster-blue"),
            cli("plan", "--config-dir", aliased),
            cli("doctor", "--network-outputs", "deep.json"),
            cli("plan", "--config-dir", configs, "--compare", "before.json"),
        ]);
        expect([tagged.code, tagged.stderr]).to.deep.equal([0, ""]);
        expect(tagged.stdout).to.match(/^cluster-blue \(cluster, account 222222222222, eu-west-1, Pulumi\.cluster-blue\.yaml\)\n/);
        expect([alias.code, alias.stdout]).to.deep.equal([1, ""]);
        expect(alias.stderr).to.contain(
            'error: stack network (Pulumi.network.yaml): config["alb-fleet:network"].tags.team[1]: refers to a list or map ' +
                "that contains it (a recursive YAML alias); expected data without cycles\n",
        );
        expect([doctor.code, doctor.stdout, doctor.stderr]).to.deep.equal([
            2,
            "",
            "shared-alb doctor: network outputs from deep.json: nested more than " +
                "100 levels deep (line 1, column 113); expected at most 100 levels of lists and maps\n",
        ]);
        expect([compare.code, compare.stdout]).to.deep.equal([1, ""]);
        expect(compare.stderr).to.match(
            /^shared-alb plan: --compare: before\.json: \d+ problems:\n {2}- stacks\[0\]\.resources\[0\]\.urn: got nothing; expected a URN/,
        );
        console.log(`      fuzz end to end: 4 runs in their own processes (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    });
});
