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
        return Object.fromEntries(
            Object.entries(value).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), camelKeys(v)]),
        );
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
        fs.writeFileSync(
            path.join(dir, "pulumi", "__init__.py"),
            [
                "import json, os",
                "EXPORTS = []",
                "def export(name, value):",
                "    EXPORTS.append(name)",
                "    rec = json.load(open(os.environ['RECORD']))",
                "    rec['exports'] = EXPORTS",
                "    json.dump(rec, open(os.environ['RECORD'], 'w'))",
                "",
            ].join("\n"),
        );
        fs.writeFileSync(
            path.join(dir, "pulumi_shared_alb", "__init__.py"),
            [
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
            ].join("\n"),
        );
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

/** The cluster-green stack's arguments that are values (stacks/config/Pulumi.cluster-green.yaml); the rest come from the network stack. */
function greenValues(): Record<string, unknown> {
    const doc = parse(fs.readFileSync(path.join(root, "stacks/config/Pulumi.cluster-green.yaml"), "utf8")) as {
        config: Record<string, Record<string, unknown>>;
    };
    const c = doc.config["alb-fleet:cluster"];
    const sgs = c.nodeSecurityGroupIds as string[];
    return {
        clusterName: (c.eks as { name: string }).name,
        nodeSecurityGroupIds: Object.fromEntries(sgs.map(id => [id, id])),
        securityGroupMode: c.securityGroupMode,
        bindings: c.bindings,
        tags: c.tags,
    };
}

/** Runs examples/python-cluster/__main__.py with stand-ins that record the ClusterAttachment call; a stack reference's output reads `network:<path>`. */
function runPythonClusterExample(): { name: string; kwargs: Record<string, unknown>; providers: string[]; exports: string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-py-"));
    try {
        const record = path.join(dir, "record.json");
        const write = (file: string, lines: string[]) => {
            fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
            fs.writeFileSync(path.join(dir, file), lines.join("\n"));
        };
        write("pulumi/__init__.py", [
            "import json, os",
            "EXPORTS = []",
            "class Ref:",
            "    def __init__(self, at): self.at = at",
            "    def __getitem__(self, key): return Ref(self.at + '.' + key)",
            "    def apply(self, f): return f(self)",
            "class StackReference:",
            "    def __init__(self, name): self.name = name",
            "    def get_output(self, key): return Ref(self.name + ':' + key)",
            "class Config:",
            "    def require(self, key): return 'config:' + key",
            "    def require_secret(self, key): return 'secret-config:' + key",
            "class ResourceOptions:",
            "    def __init__(self, providers=None): self.providers = providers",
            "def get_organization(): return 'org'",
            "def export(name, value):",
            "    EXPORTS.append(name)",
            "    rec = json.load(open(os.environ['RECORD']))",
            "    rec['exports'] = EXPORTS",
            "    json.dump(rec, open(os.environ['RECORD'], 'w'))",
        ]);
        write("pulumi_kubernetes/__init__.py", [
            "class Provider:",
            "    def __init__(self, name, kubeconfig): self.name = name + '(' + kubeconfig + ')'",
        ]);
        write("pulumi_shared_alb/__init__.py", [
            "import json, os",
            "class ClusterAttachment:",
            "    def __init__(self, resource_name, opts=None, **kwargs):",
            "        plain = lambda v: v.at if hasattr(v, 'at') else v",
            "        json.dump({'name': resource_name, 'kwargs': {k: plain(v) for k, v in kwargs.items()},",
            "                   'providers': [p.name for p in opts.providers], 'exports': []}, open(os.environ['RECORD'], 'w'))",
            "        self.controller_role_arn = None",
            "        self.bindings = None",
        ]);
        execFileSync("python3", [path.join(examples, "python-cluster", "__main__.py")], {
            env: { ...process.env, PYTHONPATH: dir, RECORD: record, PYTHONDONTWRITEBYTECODE: "1" },
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        });
        return JSON.parse(fs.readFileSync(record, "utf8")) as {
            name: string;
            kwargs: Record<string, unknown>;
            providers: string[];
            exports: string[];
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

interface SchemaProp {
    $ref?: string;
    plain?: boolean;
    properties?: Record<string, SchemaProp>;
    additionalProperties?: SchemaProp;
    items?: SchemaProp;
    type?: string;
}

/** Every property path of `value` that the shipped schema has no property for, under resource `token`'s inputs. */
function notInSchema(token: string, value: Record<string, unknown>): string[] {
    const schema = JSON.parse(fs.readFileSync(path.join(root, "schema.json"), "utf8")) as {
        resources: Record<string, { inputProperties: Record<string, SchemaProp> }>;
        types: Record<string, SchemaProp>;
    };
    const missing: string[] = [];
    const walk = (v: unknown, prop: SchemaProp | undefined, at: string): void => {
        if (prop === undefined) {
            missing.push(at);
            return;
        }
        const type = prop.$ref?.startsWith("#/types/") ? schema.types[prop.$ref.slice("#/types/".length)] : prop;
        if (typeof v === "object" && v !== null && !Array.isArray(v)) {
            for (const [k, x] of Object.entries(v)) {
                walk(x, type.properties?.[k] ?? type.additionalProperties, `${at}.${k}`);
            }
        }
    };
    for (const [k, v] of Object.entries(value)) {
        walk(v, schema.resources[token].inputProperties[k], k);
    }
    return missing;
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
        expect(doc.outputs).to.deep.equal(
            Object.fromEntries(contractKeys.map(k => [k, k === "clusters" ? "${shared-alb.clusters}" : `\${shared-alb.outputs.${k}}`])),
        );
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

    describe("the cluster side: cluster-green's ClusterAttachment from YAML and Python, fed by the network stack's outputs", () => {
        const fromNetwork = {
            vpcId: '${network.outputs["vpcId"]}',
            region: '${network.outputs["region"]}',
            albSecurityGroupId: '${network.outputs["securityGroupId"]}',
            cluster: '${network.outputs["clusters"]["green"]}',
        };

        it("the YAML program passes the cluster-green stack's values, and the network's entry and facts from the stack reference (no literal copied)", () => {
            const doc = parse(fs.readFileSync(path.join(examples, "yaml-cluster", "Pulumi.yaml"), "utf8")) as {
                runtime: string;
                config: Record<string, { type: string; secret?: boolean }>;
                resources: Record<string, { type: string; properties: Record<string, unknown>; options?: { providers: string[] } }>;
            };
            expect(doc.runtime).to.equal("yaml");
            expect(Object.keys(doc.resources)).to.deep.equal(["network", "green-k8s", "green"]);
            expect(doc.resources.network).to.deep.equal({
                type: "pulumi:pulumi:StackReference",
                properties: { name: "${pulumi.organization}/alb-fleet/network" },
            });
            expect(doc.config.kubeconfig).to.deep.equal({ type: "string", secret: true });
            const green = doc.resources.green;
            expect(green.type).to.equal("shared-alb:index:ClusterAttachment");
            expect(green.options).to.deep.equal({ providers: ["${green-k8s}"] });
            expect(green.properties).to.deep.equal({
                ...greenValues(),
                ...fromNetwork,
                oidcProviderArn: "${oidcProviderArn}",
                oidcIssuer: "${oidcIssuer}",
            });
        });

        it("every property the YAML program passes is an input of the shipped schema, by the same path", () => {
            const doc = parse(fs.readFileSync(path.join(examples, "yaml-cluster", "Pulumi.yaml"), "utf8")) as {
                resources: Record<string, { properties: Record<string, unknown> }>;
            };
            expect(notInSchema("shared-alb:index:ClusterAttachment", doc.resources.green.properties)).to.deep.equal([]);
            expect(
                notInSchema("shared-alb:index:ClusterAttachment", {
                    clusterName: "x",
                    bogus: { a: 1 },
                    bindings: { web: { namespace: "shop", prot: 80 } },
                }),
            ).to.deep.equal(["bogus", "bindings.web.prot"]);
        });

        it("the Python program passes the same in snake_case, the cluster entry as the stack reference's output", function () {
            this.timeout(30000);
            const run = runPythonClusterExample();
            expect(run.name).to.equal("green");
            expect(run.providers).to.deep.equal(["green-k8s(secret-config:kubeconfig)"]);
            const net = (at: string) => `org/alb-fleet/network:${at}`;
            expect(camelKeys(run.kwargs)).to.deep.equal({
                ...greenValues(),
                vpcId: net("vpcId"),
                region: net("region"),
                albSecurityGroupId: net("securityGroupId"),
                cluster: net("clusters.green"),
                oidcProviderArn: "config:oidcProviderArn",
                oidcIssuer: "config:oidcIssuer",
            });
            expect(run.exports).to.deep.equal(["controllerRoleArn", "bindings"]);
        });
    });
});
