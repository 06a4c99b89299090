import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main as doctor } from "../../cli/doctor/command";
import { main as manifests } from "../../cli/manifests/command";
import { main as plan } from "../../cli/plan/command";
import { exampleNetworkOutputs } from "../component/cluster-attachment-fixtures";
import { captureIo, clusterYaml, configDir, fakeRunRole, networkYaml } from "./helpers";

/** What JSON.parse says about `text` (its wording varies with the Node version). */
function jsonError(text: string): string {
    try {
        JSON.parse(text);
    } catch (e) {
        return (e as Error).message;
    }
    throw new Error("expected invalid JSON");
}

/** Runs a command in `cwd` and returns its exit code and stderr (stdout must stay empty). */
async function failing(command: "plan" | "manifests" | "doctor", argv: string[], cwd: string): Promise<{ code: number; err: string }> {
    const io = captureIo(cwd);
    const code =
        command === "plan"
            ? await plan(argv, io, { program: fakeRunRole })
            : command === "manifests"
              ? await manifests(argv, io, { program: fakeRunRole })
              : await doctor(argv, io);
    expect(io.out()).to.equal("");
    return { code, err: io.err() };
}

describe("input files: the same mistake reads the same in every command", () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-inputs-"));
    const fleet = configDir({ network: networkYaml(), "cluster-blue": clusterYaml("blue", "222222222222") });
    const write = (name: string, text: string) => {
        fs.writeFileSync(path.join(cwd, name), text);
        return name;
    };
    const withSecondAccountAsNumber = () => {
        const o = exampleNetworkOutputs() as unknown as Record<string, Record<string, Record<string, unknown>>>;
        o.clusters.blue.accountId = 222222222222;
        return JSON.stringify(o);
    };

    const outputs: [string, () => string, string][] = [
        ["a missing file", () => "missing.json", 'cannot read network outputs "missing.json": no such file'],
        [
            "a directory",
            () => {
                fs.mkdirSync(path.join(cwd, "dir.json"), { recursive: true });
                return "dir.json";
            },
            'cannot read network outputs "dir.json": is a directory',
        ],
        [
            "an empty file",
            () => write("empty.json", "\n"),
            "network outputs from empty.json are empty; expected the JSON of `pulumi stack output --json -s network`",
        ],
        [
            "a file that is not JSON",
            () => write("bad.json", "{ not json"),
            `network outputs from bad.json are not JSON (${jsonError("{ not json")}); ` +
                "expected the JSON of `pulumi stack output --json -s network`",
        ],
        [
            "{} (a network stack without outputs)",
            () => write("nothing.json", "{}\n"),
            "network outputs from nothing.json are an empty object: the network stack has no outputs (deploy it first: pulumi up -s network); " +
                "expected the JSON of `pulumi stack output --json -s network`",
        ],
        [
            "an account ID as a number",
            () => write("number.json", withSecondAccountAsNumber()),
            "network outputs from number.json do not match the contract: clusters.blue.accountId: got 222222222222; expected a 12-digit AWS account ID " +
                'such as "111111111111"; quote it in YAML: "222222222222" (unquoted, YAML reads it as the number 222222222222)',
        ],
    ];
    for (const [what, file, message] of outputs) {
        it(`--network-outputs: ${what}`, async () => {
            const name = file();
            const m = await failing("manifests", ["--out", "out", "--config-dir", fleet, "--network-outputs", name], cwd);
            const d = await failing("doctor", ["--network-outputs", name], cwd);
            expect(m).to.deep.equal({ code: 1, err: `shared-alb manifests: ${message}\n` });
            expect(d).to.deep.equal({ code: 2, err: `shared-alb doctor: ${message}\n` });
        });
    }

    it("the stack config: a missing directory, and YAML with the parser's whole message", async () => {
        const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-elsewhere-"));
        const hint =
            'cannot read the config directory "stacks/config": no such file; ' +
            "run shared-alb in the Pulumi project's directory (next to Pulumi.yaml) or pass --config-dir DIR\n";
        expect(await failing("plan", [], elsewhere)).to.deep.equal({ code: 1, err: `shared-alb plan: ${hint}` });
        expect(await failing("manifests", ["--out", "out", "--allow-planned"], elsewhere)).to.deep.equal({
            code: 1,
            err: `shared-alb manifests: ${hint}`,
        });

        const broken = configDir({ network: networkYaml(), broken: "config:\n  a: [\n  b: 1\n" });
        const problem = [
            "error: stack broken (Pulumi.broken.yaml): not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 3:",
            "",
            "    a: [",
            "    b: 1",
            "    ^",
            "",
        ].join("\n");
        expect(await failing("plan", ["--config-dir", broken], cwd)).to.deep.equal({
            code: 1,
            err: `shared-alb plan: failed, nothing planned\n${problem}`,
        });
        expect(await failing("manifests", ["--out", "out", "--allow-planned", "--config-dir", broken], cwd)).to.deep.equal({
            code: 1,
            err: `shared-alb manifests: failed, nothing written\n${problem}`,
        });
    });
});
