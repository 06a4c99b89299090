import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { main as plan } from "../../cli/plan/command";
import { fencedBlocks } from "./docs-examples";
import { documentedOutputs, showsExactLines } from "./documented";
import { captureIo } from "./helpers";

// examples/: the example fleet's network stack as a Pulumi YAML program and a
// Python program over the component package. Neither can run here (no Pulumi
// CLI, no Python SDK), so these tests pin what they pass: the network stack's
// own arguments, so their plan is the one examples/README.md shows.
const root = path.resolve(__dirname, "../..");
const examples = path.join(root, "examples");

/** The example fleet's SharedAlb arguments, as the network stack builds them from its config. */
function networkArgs(): Record<string, unknown> {
    const doc = parse(fs.readFileSync(path.join(root, "stacks/config/Pulumi.network.yaml"), "utf8")) as { config: Record<string, unknown> };
    return { ...(doc.config["alb-fleet:network"] as Record<string, unknown>), region: doc.config["aws:region"] };
}

/** snake_case keys to camelCase, recursively (the Python SDK's names to the schema's). */
function camelKeys(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(camelKeys);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), camelKeys(v)]));
    }
    return value;
}

/**
 * Runs examples/python/__main__.py with stand-in `pulumi` and
 * `pulumi_shared_alb` modules that record the SharedAlb call and the exported
 * keys (the stand-ins are the test's: only the program under test is real).
 */
function runPythonExample(): { name: string; kwargs: Record<string, unknown>; exports: string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-py-"));
    try {
        const record = path.join(dir, "record.json");
        fs.mkdirSync(path.join(dir, "pulumi"));
        fs.mkdirSync(path.join(dir, "pulumi_shared_alb"));
        fs.writeFileSync(path.join(dir, "pulumi", "__init__.py"), [
            "import json, os",
            "EXPORTS = []",
            "def export(name, value):",
            "    EXPORTS.append(name)",
            "    rec = json.load(open(os.environ['RECORD']))",
            "    rec['exports'] = EXPORTS",
            "    json.dump(rec, open(os.environ['RECORD'], 'w'))",
            "",
        ].join("\n"));
        fs.writeFileSync(path.join(dir, "pulumi_shared_alb", "__init__.py"), [
            "import json, os",
            "class _Lifted:",
            "    def __getattr__(self, name):",
            "        return _Lifted()",
            "class SharedAlb:",
            "    def __init__(self, resource_name, **kwargs):",
            "        json.dump({'name': resource_name, 'kwargs': kwargs, 'exports': []}, open(os.environ['RECORD'], 'w'))",
            "        self.outputs = _Lifted()",
            "        self.clusters = _Lifted()",
            "",
        ].join("\n"));
        execFileSync("python3", [path.join(examples, "python", "__main__.py")], {
            env: { ...process.env, PYTHONPATH: dir, RECORD: record, PYTHONDONTWRITEBYTECODE: "1" },
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        });
        return JSON.parse(fs.readFileSync(record, "utf8")) as { name: string; kwargs: Record<string, unknown>; exports: string[] };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const contractKeys = ["accountId", "region", "vpcId", "securityGroupId", "loadBalancer", "services", "clusters", "vpcSharing", "preview"];

describe("examples/: the network stack from YAML and Python", () => {
    it("the YAML program gives SharedAlb shared-alb the network stack's arguments and exports the contract's keys", () => {
        const doc = parse(fs.readFileSync(path.join(examples, "yaml", "Pulumi.yaml"), "utf8")) as {
            runtime: string;
            resources: Record<string, { type: string; properties: Record<string, unknown> }>;
            outputs: Record<string, string>;
        };
        expect(doc.runtime).to.equal("yaml");
        expect(Object.keys(doc.resources)).to.deep.equal(["shared-alb"]);
        expect(doc.resources["shared-alb"].type).to.equal("shared-alb:index:SharedAlb");
        expect(doc.resources["shared-alb"].properties).to.deep.equal(networkArgs());
        // clusters from the component's own output, which holds the external IDs (a secret).
        expect(doc.outputs).to.deep.equal(Object.fromEntries(contractKeys.map(k => [k, k === "clusters" ? "${shared-alb.clusters}" : `\${shared-alb.outputs.${k}}`])));
    });

    it("the Python program gives SharedAlb shared-alb the same arguments in snake_case and exports the contract's keys", function () {
        this.timeout(30000);
        const run = runPythonExample();
        expect(run.name).to.equal("shared-alb");
        expect(camelKeys(run.kwargs)).to.deep.equal(networkArgs());
        expect(run.exports).to.deep.equal(contractKeys);
    });

    it("plans what examples/README.md shows (the network stack's SharedAlb, exact lines)", async () => {
        const io = captureIo(root);
        expect(await plan(["--stack", "network"], io)).to.equal(0);
        const blocks = documentedOutputs(path.join(examples, "README.md"), "plan").get("example") ?? [];
        expect(blocks).to.have.length(1);
        expect(blocks[0].length).to.be.greaterThan(20);
        expect(showsExactLines(blocks[0], io.out())).to.deep.equal({ ok: true });
    });

    it("README's Python and YAML blocks are excerpts of these programs, line for line", () => {
        const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
        const sources: Record<string, string> = {
            python: fs.readFileSync(path.join(examples, "python", "__main__.py"), "utf8"),
            yaml: fs.readFileSync(path.join(examples, "yaml", "Pulumi.yaml"), "utf8"),
        };
        const blocks = fencedBlocks("README.md", readme).filter(b => b.lang in sources);
        expect(blocks.map(b => b.lang)).to.deep.equal(["python", "yaml"]);
        for (const b of blocks) {
            const shown = b.lines.filter(l => l.trim() !== "...");
            expect(showsExactLines(shown, sources[b.lang]), `README.md:${b.line}`).to.deep.equal({ ok: true });
        }
    });
});
