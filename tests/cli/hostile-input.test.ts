import { expect } from "chai";
import { EventEmitter } from "events";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PassThrough } from "stream";
import * as aws from "@pulumi/aws";
import { main as doctor } from "../../cli/doctor/command";
import { failIfUnsettled } from "../../cli/index";
import { main as manifests } from "../../cli/manifests/command";
import { main as plan } from "../../cli/plan/command";
import { runProgram } from "../../cli/plan/mock-runtime";
import { SslPolicies } from "../../components/shared-alb/validate-edge";
import { configDocument } from "../../stacks/config-document";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { captureIo } from "./helpers";

// Hostile input where it enters: the stack configs, the BEFORE files of
// `plan --compare` and the outputs files of `doctor` and `manifests`. Each
// case is one a fuzzer found: a crash (TypeError, stack overflow), a key
// dropped silently, or an exit 0 with nothing printed.

const root = path.resolve(__dirname, "../..");
const example = (stack: string) => fs.readFileSync(path.join(root, "stacks/config", `Pulumi.${stack}.yaml`), "utf8");

/** The example fleet's configs in a new directory, each edited by `edit` (given the stack name and text). */
function fleetWith(edit: (stack: string, text: string) => string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-hostile-"));
    for (const stack of ["network", "cluster-blue", "cluster-green"]) {
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), edit(stack, example(stack)));
    }
    return dir;
}

/** Replaces `from` in `text`, which must hold it. */
function edited(text: string, from: string | RegExp, to: string): string {
    const out = text.replace(from, to);
    expect(out, `${String(from)} not found`).to.not.equal(text);
    return out;
}

async function run(command: typeof plan, argv: string[], cwd = root): Promise<{ code: number; out: string; err: string }> {
    const io = captureIo(cwd);
    const code = await command(argv, io);
    return { code, out: io.out(), err: io.err() };
}

interface JsonResource {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

describe("hostile input: keys named like JavaScript's own members are data", function () {
    this.timeout(120000);

    it("a service named `constructor` plans (it was a TypeError reading nodePort)", async () => {
        const dir = fleetWith((_, text) => text.replace(/^ {6}api:$/m, "      constructor:"));
        const r = await run(plan, ["--config-dir", dir]);
        expect(r.err).to.equal("");
        expect(r.code).to.equal(0);
        expect(r.out).to.contain('├─ TargetGroup shared-alb-tg-blue-constructor  name="blue-constructor-fee471b3"  port=9000');
        expect(r.out).to.contain(
            "├─ ListenerRule shared-alb-rule-constructor  priority=31560  when=[path=/api/*]  forward=[blue:100 green:0]",
        );
        expect(r.out).to.contain("TargetGroupBinding blue-constructor");
    });

    it("bindings in a namespace named `constructor` that the stack neither creates nor labels plan (it was \"'dependsOn' was passed a value that was not a Resource\")", async () => {
        const dir = fleetWith((stack, text) =>
            stack === "cluster-green"
                ? edited(
                      edited(text, /namespace: shop/g, "namespace: constructor"),
                      "    key: green\n",
                      "    key: green\n    labelNamespaces: false\n",
                  )
                : text,
        );
        const r = await run(plan, ["--config-dir", dir, "--stack", "cluster-green"]);
        expect([r.code, r.err]).to.deep.equal([0, ""]);
        expect(r.out).to.contain(
            "├─ TargetGroupBinding green-api  [delete-before-replace]  [replace-on spec.targetGroupARN spec.targetType spec.ipAddressType " +
                'spec.vpcID]  namespace="constructor"  name="shared-alb-api"  after=[Release:green-controller ',
        );
    });

    for (const key of ["toString", "constructor", "hasOwnProperty", "valueOf"]) {
        it(`a tag named \`${key}\` in a cluster stack is applied (toString made plan exit 0 with nothing printed)`, async () => {
            const dir = fleetWith((stack, text) =>
                stack === "cluster-blue" ? edited(text, "      team: platform", `      ${key}: platform`) : text,
            );
            const r = await run(plan, ["--config-dir", dir, "--stack", "cluster-blue", "--json"]);
            expect(r.err).to.equal("");
            expect(r.code).to.equal(0);
            const doc = JSON.parse(r.out) as { stacks: { stack: string; resources: JsonResource[] }[] };
            const role = doc.stacks[0].resources.find(x => x.type === "aws:iam/role:Role" && x.name === "blue-controller")!;
            expect(role.inputs.tags).to.deep.equal({ [key]: "platform" });
        });
    }

    it("a tag named `toString` in a cluster stack: manifests writes the stack's files", async () => {
        const dir = fleetWith((stack, text) =>
            stack === "cluster-blue" ? edited(text, "      team: platform", "      toString: platform") : text,
        );
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-hostile-out-"));
        const r = await run(manifests, ["--config-dir", dir, "--stack", "cluster-blue", "--allow-planned", "--out", out]);
        expect(r.code).to.equal(0);
        expect(r.out.split("\n").filter(l => l.startsWith("wrote "))).to.have.length(6);
        expect(fs.readdirSync(path.join(out, "cluster-blue")).sort()).to.deep.equal([
            "admission-policy.yaml",
            "controller-chart.yaml",
            "controller-values.yaml",
            "crds.yaml",
            "namespaces.yaml",
            "targetgroupbindings.yaml",
        ]);
    });

    it("a tag named `__proto__` is refused by name (the Pulumi SDK drops the key: it was lost silently)", async () => {
        const dir = fleetWith((stack, text) =>
            stack === "cluster-blue" ? edited(text, "      team: platform", "      __proto__: platform") : text,
        );
        const r = await run(plan, ["--config-dir", dir, "--stack", "cluster-blue"]);
        expect(r.code).to.equal(1);
        expect(r.out).to.equal("");
        expect(r.err).to.equal(
            "shared-alb plan: failed, nothing planned\n" +
                'error: stack cluster-blue (Pulumi.cluster-blue.yaml): alb-fleet:cluster.tags.__proto__: got "__proto__"; expected another tag key: ' +
                'the Pulumi SDK drops a key named "__proto__" from a resource\'s inputs, so the tag would never be applied\n',
        );
    });

    it("a key the Pulumi SDK reserves is refused by its path (a secret's signature key made the plan wait forever)", async () => {
        const dir = fleetWith((stack, text) =>
            stack === "cluster-blue"
                ? edited(text, "      team: platform", "      4dabf18193072939515e22adb298388d: 1b47061264138c4ac30d75fd1eb44270")
                : text,
        );
        const r = await run(plan, ["--config-dir", dir, "--stack", "cluster-blue"]);
        expect([r.code, r.out]).to.deep.equal([1, ""]);
        expect(r.err).to.equal(
            "shared-alb plan: failed, nothing planned\n" +
                'error: stack cluster-blue (Pulumi.cluster-blue.yaml): config["alb-fleet:cluster"].tags.4dabf18193072939515e22adb298388d: ' +
                "a key the Pulumi SDK reserves (it would read this map as a secret, asset, Output or resource); expected plain data\n",
        );
    });

    it("a `__proto__` key anywhere in controller.extraValues is refused by its path", async () => {
        const dir = fleetWith((stack, text) =>
            stack === "cluster-green"
                ? edited(
                      text,
                      "    securityGroupMode: rules\n",
                      "    securityGroupMode: rules\n    controller:\n      extraValues:\n        nodeSelector:\n          __proto__: x\n",
                  )
                : text,
        );
        const r = await run(plan, ["--config-dir", dir, "--stack", "cluster-green"]);
        expect(r.code).to.equal(1);
        expect(r.err).to.equal(
            "shared-alb plan: failed, nothing planned\n" +
                'error: stack cluster-green (Pulumi.cluster-green.yaml): alb-fleet:cluster.controller.extraValues.nodeSelector.__proto__: got "__proto__"; ' +
                'expected another key: the Pulumi SDK drops a key named "__proto__" from a resource\'s inputs, so the chart would never see it\n',
        );
    });
});

describe("hostile input: stack config files refused with the file, the place and the limit", function () {
    this.timeout(60000);
    const table: [string, (text: string) => string, string][] = [
        [
            'a recursive alias (it was "Maximum call stack size exceeded" with no file)',
            text => edited(text, "    tags:\n      team: platform", "    tags: &loop\n      team: platform\n      again: [*loop]"),
            'config["alb-fleet:network"].tags.again[0]: refers to a list or map that contains it (a recursive YAML alias); expected data without cycles',
        ],
        [
            "nesting 100,000 deep",
            text => edited(text, "      team: platform", `      team: ${"[".repeat(100000)}${"]".repeat(100000)}`),
            "nested more than 100 levels deep (line 49, column 109); expected at most 100 levels of lists and maps",
        ],
        [
            "an alias bomb",
            text =>
                `${text}bomb0: &b0 [${Array(10).fill("x").join(",")}]\nbomb1: &b1 [${Array(10).fill("*b0").join(",")}]\n` +
                `bomb2: [${Array(10).fill("*b1").join(",")}]\n`,
            "its aliases expand to too many nodes; expected at most 100 nodes reached through aliases",
        ],
        [
            "a file over 1 MiB",
            text => `${text}# ${"x".repeat(1024 * 1024)}\n`,
            `the file is ${Buffer.byteLength(example("network")) + 1024 * 1024 + 3} bytes, larger than the limit of 1 MiB (1048576 bytes)`,
        ],
    ];
    for (const [what, edit, message] of table) {
        it(what, async () => {
            const dir = fleetWith((stack, text) => (stack === "network" ? edit(text) : text));
            const r = await run(plan, ["--config-dir", dir, "--stack", "network"]);
            expect(r.code).to.equal(1);
            expect(r.out).to.equal("");
            expect(r.err).to.equal(`shared-alb plan: failed, nothing planned\nerror: stack network (Pulumi.network.yaml): ${message}\n`);
        });
    }

    it("a structured config value as a program reads it: nesting beyond the limit names the key", () => {
        const text = `{"tags": ${"[".repeat(500)}${"]".repeat(500)}}`;
        expect(() => configDocument(text, "alb-fleet:network")).to.throw(
            `alb-fleet:network: got ${JSON.stringify(`${text.slice(0, 117)}...`)}; ` +
                "nested more than 100 levels deep (line 1, column 109); expected at most 100 levels of lists and maps",
        );
        expect(Object.keys(configDocument('{"constructor": 1}', "alb-fleet:network") as object)).to.deep.equal(["constructor"]);
    });
});

describe("hostile input: BEFORE files of plan --compare name the file and the path (6 of 115 were TypeErrors)", function () {
    this.timeout(60000);
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-before-"));
    type PlanDoc = { stacks: Record<string, unknown>[] };
    const goldenPlan = () => JSON.parse(fs.readFileSync(path.join(root, "tests/cli/golden/plan.json"), "utf8")) as PlanDoc;

    const table: [string, (doc: PlanDoc) => unknown, string][] = [
        [
            "resources not a list",
            doc => {
                doc.stacks[0].resources = { a: 1 };
                return doc;
            },
            'stacks[0].resources: got {"a":1}; expected a list of resources',
        ],
        [
            "a stack that is not an object",
            doc => {
                (doc.stacks as unknown[])[1] = "cluster-blue";
                return doc;
            },
            'stacks[1]: got "cluster-blue"; expected a stack { stack, resources, outputs, ... }',
        ],
        [
            "a resource without options",
            doc => {
                delete (doc.stacks[0].resources as Record<string, unknown>[])[0].options;
                return doc;
            },
            "stacks[0].resources[0].options: got nothing; expected the resource's options { protect, retainOnDelete, deleteBeforeReplace, ... }",
        ],
        [
            "inputs as a string",
            doc => {
                (doc.stacks[0].resources as Record<string, unknown>[])[2].inputs = "x";
                return doc;
            },
            'stacks[0].resources[2].inputs: got "x"; expected an object',
        ],
        [
            "a URN of another stack",
            doc => {
                (doc.stacks[0].resources as Record<string, unknown>[])[0].urn = "urn:pulumi:other::alb-fleet::t::n";
                return doc;
            },
            'stacks[0].resources[0].urn: got "urn:pulumi:other::alb-fleet::t::n"; expected a URN of stack "network", the stack it is listed under',
        ],
        ["stacks not a list", () => ({ stacks: { network: {} } }), 'stacks: got {"network":{}}; expected a list of stacks'],
        [
            "an Output's brand as a key",
            doc => {
                (doc.stacks[1].resources as Record<string, unknown>[])[0].__pulumiOutput = true;
                return doc;
            },
            "stacks[1].resources[0].__pulumiOutput: a key the Pulumi SDK reserves (it would read this map as a secret, asset, Output or resource); expected plain data",
        ],
        [
            "a deployment that is not an object",
            () => ({ version: 3, deployment: [] }),
            "deployment: got []; expected the deployment of `pulumi stack export`: an object with resources",
        ],
        [
            "an export resource without a type",
            () => ({ version: 3, deployment: { resources: [{ urn: "urn:pulumi:network::alb-fleet::x::y" }] } }),
            "deployment.resources[0].type: got nothing; expected a non-empty string",
        ],
    ];
    for (const [what, mutate, message] of table) {
        it(what, async () => {
            fs.writeFileSync(path.join(cwd, "before.json"), JSON.stringify(mutate(goldenPlan())));
            const r = await run(plan, ["--compare", "before.json", "--config-dir", path.join(root, "stacks/config")], cwd);
            expect(r.code).to.equal(1);
            expect(r.out).to.equal("");
            expect(r.err).to.equal(`shared-alb plan: --compare: before.json: ${message}\n`);
        });
    }

    it("nesting 100,000 deep and a file over 256 MiB are refused before parsing", async () => {
        fs.writeFileSync(path.join(cwd, "deep.json"), `{"stacks": ${"[".repeat(100000)}${"]".repeat(100000)}}`);
        fs.closeSync(fs.openSync(path.join(cwd, "huge.json"), "w"));
        fs.truncateSync(path.join(cwd, "huge.json"), 256 * 1024 * 1024 + 1);
        const r = await run(plan, ["--compare", "deep.json", "--config-dir", path.join(root, "stacks/config")], cwd);
        expect(r.err).to.equal(
            "shared-alb plan: --compare: deep.json: nested more than 100 levels deep (line 1, column 111); " +
                "expected at most 100 levels of lists and maps\n",
        );
        const huge = await run(plan, ["--compare", "huge.json", "--config-dir", path.join(root, "stacks/config")], cwd);
        expect(huge.err).to.equal(
            "shared-alb plan: --compare: huge.json: the file is 268435457 bytes, larger than the limit of 256 MiB (268435456 bytes)\n",
        );
        expect([r.code, huge.code]).to.deep.equal([1, 1]);
    });
});

describe("hostile input: network outputs files for doctor and manifests", function () {
    this.timeout(60000);
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-outputs-"));
    fs.writeFileSync(path.join(cwd, "deep.json"), `{"clusters": ${"[".repeat(100000)}${"]".repeat(100000)}}`);
    fs.closeSync(fs.openSync(path.join(cwd, "huge.json"), "w"));
    fs.truncateSync(path.join(cwd, "huge.json"), 16 * 1024 * 1024 + 1);
    const deep =
        "network outputs from deep.json: nested more than 100 levels deep (line 1, column 113); expected at most 100 levels of lists and maps";
    const huge = "network outputs from huge.json: the file is 16777217 bytes, larger than the limit of 16 MiB (16777216 bytes)";

    it("doctor: a 100,000-deep file (it crashed the doctor) and a file over 16 MiB", async () => {
        for (const [file, message] of [
            ["deep.json", deep],
            ["huge.json", huge],
        ]) {
            const r = await run(doctor, ["--network-outputs", file], cwd);
            expect([r.code, r.out, r.err]).to.deep.equal([2, "", `shared-alb doctor: ${message}\n`]);
        }
    });

    it("manifests: the same files, the same messages", async () => {
        for (const [file, message] of [
            ["deep.json", deep],
            ["huge.json", huge],
        ]) {
            const r = await run(
                manifests,
                ["--network-outputs", file, "--out", "out", "--config-dir", path.join(root, "stacks/config")],
                cwd,
            );
            expect([r.code, r.out, r.err]).to.deep.equal([1, "", `shared-alb manifests: ${message}\n`]);
        }
    });

    it("a key the Pulumi SDK reserves (an Output's brand) is refused by its path", async () => {
        const outputs = JSON.parse(fs.readFileSync(path.join(root, "tests/cli/golden/plan.json"), "utf8")).stacks[0].outputs;
        outputs.loadBalancer.__pulumiOutput = true;
        fs.writeFileSync(path.join(cwd, "branded.json"), JSON.stringify(outputs));
        const r = await run(doctor, ["--network-outputs", "branded.json"], cwd);
        expect([r.code, r.out, r.err]).to.deep.equal([
            2,
            "",
            "shared-alb doctor: network outputs from branded.json: loadBalancer.__pulumiOutput: " +
                "a key the Pulumi SDK reserves (it would read this map as a secret, asset, Output or resource); expected plain data\n",
        ]);
    });

    it("stdin over 16 MiB is refused as it is read", async () => {
        const io = captureIo(cwd);
        const stdin = new PassThrough();
        io.stdin = stdin;
        const pending = doctor(["--network-outputs", "-"], io);
        stdin.write(Buffer.alloc(16 * 1024 * 1024 + 1, 0x20));
        expect(await pending).to.equal(2);
        expect(io.err()).to.equal("shared-alb doctor: network outputs from stdin: more than 16 MiB, the limit\n");
    });
});

describe("hostile input: never an exit 0 without its output", () => {
    it("the mock runtime refuses an input the SDK cannot render instead of waiting forever", async () => {
        const mocks = {
            newResource: (a: { name: string; inputs: Record<string, unknown> }) => ({ id: a.name, state: a.inputs }),
            call: () => ({}),
        };
        const program = async () => {
            new aws.iam.Role("r", { assumeRolePolicy: "{}", tags: { toString: "x" } as unknown as Record<string, string> });
            return {};
        };
        let message = "";
        await runProgram({ project: "p", stack: "s", mocks }, program).catch((e: Error) => {
            message = e.message;
        });
        expect(message).to.equal(
            'resource r (aws:iam/role:Role): input "tags" cannot be registered: the Pulumi SDK renders every input as text, ' +
                "and this one cannot be (Cannot convert object to primitive value)",
        );
    });

    it("a command still pending when the process runs out of work exits 1 and says so", async () => {
        const events = Object.assign(new EventEmitter(), { exitCode: undefined as number | undefined });
        const stderr = new PassThrough();
        let said = "";
        stderr.on("data", (c: Buffer) => {
            said += c.toString();
        });
        failIfUnsettled(new Promise(() => undefined), stderr, events as unknown as NodeJS.Process);
        events.emit("beforeExit");
        expect(events.exitCode).to.equal(1);
        expect(said).to.equal(
            "shared-alb: the command stopped before it finished: something it waited for never completed (a bug in shared-alb)\n",
        );
    });

    it("a command that finished keeps its exit code", async () => {
        const events = Object.assign(new EventEmitter(), { exitCode: 0 as number | undefined });
        const stderr = new PassThrough();
        const done = Promise.resolve();
        failIfUnsettled(done, stderr, events as unknown as NodeJS.Process);
        await done;
        events.emit("beforeExit");
        expect(events.exitCode).to.equal(0);
    });
});

/** The example fleet's configs with `set` applied (dotted paths under the structured key) in `stack`'s file; `undefined` deletes the key. */
function fleetSetting(stack: string, set: Record<string, unknown>): string {
    return fleetWith((s, text) => {
        if (s !== stack) {
            return text;
        }
        const doc = parseYaml(text) as { config: Record<string, Record<string, unknown>> };
        const key = stack === "network" ? "alb-fleet:network" : "alb-fleet:cluster";
        for (const [dotted, value] of Object.entries(set)) {
            const parts = dotted.split(".");
            let at = doc.config[key];
            for (const part of parts.slice(0, -1)) {
                at[part] ??= {};
                at = at[part] as Record<string, unknown>;
            }
            if (value === undefined) {
                delete at[parts[parts.length - 1]];
            } else {
                at[parts[parts.length - 1]] = value;
            }
        }
        return stringifyYaml(doc);
    });
}

describe("hostile input: the preview, external ID, hardening and EKS keys, given the wrong type, refused by their path before anything is planned", function () {
    this.timeout(120000);
    const sslAllowed = `expected an ELB security policy whose lowest protocol is TLS 1.2 or 1.3 (TLS 1.0 and 1.1 are refused): one of ${SslPolicies.join(", ")}`;
    const cidrs = 'expected IPv4 CIDRs such as "203.0.113.0/24"';
    const endpointCidrs = `${cidrs} that may reach the public API server endpoint`;
    const previewCidrs = `${cidrs}: the networks testers connect from`;
    const token = "expected 16 to 100 characters of letters, digits and ._~+/=- (for example the output of `openssl rand -hex 24`)";
    const externalId = "expected 2 to 1224 characters of letters, digits and +=,.@:/_-";
    const webAcl = "expected a regional AWS WAF web ACL ARN (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>)";
    const table: [string, Record<string, unknown>, string][] = [
        ["network", { "preview.token": 5 }, `preview.token: got a secret that is a number, not a string; ${token}`],
        ["network", { "preview.token": ["a"] }, `preview.token: got a secret that is a list, not a string; ${token}`],
        ["network", { "preview.token": { a: 1 } }, `preview.token: got a secret that is an object, not a string; ${token}`],
        [
            "network",
            { "preview.sourceCidrs": "203.0.113.0/24" },
            `preview.sourceCidrs: got "203.0.113.0/24"; expected a list; ${previewCidrs}`,
        ],
        ["network", { "preview.sourceCidrs": [5] }, `preview.sourceCidrs[0]: got 5; ${previewCidrs}`],
        ["network", { "preview.sourceCidrs": { a: 1 } }, `preview.sourceCidrs: got {"a":1}; expected a list; ${previewCidrs}`],
        [
            "network",
            { "preview.sourceCidrs": [] },
            "preview.sourceCidrs: got []; expected at least one CIDR (leave sourceCidrs out for any source)",
        ],
        ["network", { preview: null }, "preview: got null; expected { header?, sourceCidrs?, token? } (present: preview routes on)"],
        ["network", { preview: [] }, "preview: got []; expected { header?, sourceCidrs?, token? } (present: preview routes on)"],
        [
            "network",
            { "clusters.blue.externalId": 5 },
            `clusters.blue.externalId: got a secret that is a number, not a string; ${externalId}`,
        ],
        [
            "network",
            { "clusters.blue.externalId": ["a"] },
            `clusters.blue.externalId: got a secret that is a list, not a string; ${externalId}`,
        ],
        ["network", { "loadBalancer.webAclArn": 5 }, `loadBalancer.webAclArn: got 5; ${webAcl}`],
        ["network", { "loadBalancer.webAclArn": ["x"] }, `loadBalancer.webAclArn: got ["x"]; ${webAcl}`],
        ["network", { "loadBalancer.accessLogs": 5 }, "loadBalancer.accessLogs: got 5; expected { bucket, prefix?, enabled? }"],
        ["network", { "loadBalancer.accessLogs": null }, "loadBalancer.accessLogs: got null; expected { bucket, prefix?, enabled? }"],
        ["network", { "loadBalancer.accessLogs": [] }, "loadBalancer.accessLogs: got []; expected { bucket, prefix?, enabled? }"],
        [
            "network",
            { "loadBalancer.accessLogs": { bucket: 5 } },
            "loadBalancer.accessLogs.bucket: got 5; expected an S3 bucket name (3..63 lower-case letters, digits, '.', '-')",
        ],
        [
            "network",
            { "loadBalancer.desyncMitigationMode": 5 },
            'loadBalancer.desyncMitigationMode: got 5; expected one of "monitor", "defensive", "strictest"',
        ],
        [
            "network",
            { "loadBalancer.desyncMitigationMode": ["strictest"] },
            'loadBalancer.desyncMitigationMode: got ["strictest"]; expected one of "monitor", "defensive", "strictest"',
        ],
        ["network", { "loadBalancer.sslPolicy": ["x"] }, `loadBalancer.sslPolicy: got ["x"]; ${sslAllowed}`],
        ["network", { "loadBalancer.allowPlainHttp": "true" }, 'loadBalancer.allowPlainHttp: got "true"; expected true or false'],
        ["network", { "loadBalancer.allowPlainHttp": 1 }, "loadBalancer.allowPlainHttp: got 1; expected true or false"],
        [
            "network",
            { "vpcSharing.allowOrganizationPrincipals": "yes" },
            'vpcSharing.allowOrganizationPrincipals: got "yes"; expected true or false',
        ],
        [
            "network",
            { "vpcSharing.principals": "333333333333" },
            'vpcSharing.principals: got "333333333333"; expected a list of 12-digit account IDs or organization / OU ARNs',
        ],
        [
            "network",
            { "vpcSharing.principals": [null] },
            "vpcSharing.principals[0]: got null; expected a 12-digit account ID, an organization ARN " +
                "(arn:aws:organizations::<account>:organization/o-...) or an OU ARN (...:ou/o-.../ou-...)",
        ],
        ["cluster-green", { bindingAdmissionPolicy: "no" }, 'alb-fleet:cluster.bindingAdmissionPolicy: got "no"; expected true or false'],
        ["cluster-green", { bindingAdmissionPolicy: null }, "alb-fleet:cluster.bindingAdmissionPolicy: got null; expected true or false"],
        ["cluster-green", { bindingAdmissionPolicy: [] }, "alb-fleet:cluster.bindingAdmissionPolicy: got []; expected true or false"],
        [
            "cluster-blue",
            { "eks.publicAccessCidrs": "203.0.113.0/24" },
            `alb-fleet:cluster.eks.publicAccessCidrs: got "203.0.113.0/24"; expected a list; ${endpointCidrs}`,
        ],
        [
            "cluster-blue",
            { "eks.publicAccessCidrs": null },
            `alb-fleet:cluster.eks.publicAccessCidrs: got null; expected a list; ${endpointCidrs}`,
        ],
        ["cluster-blue", { "eks.publicAccessCidrs": [5] }, `alb-fleet:cluster.eks.publicAccessCidrs[0]: got 5; ${endpointCidrs}`],
        [
            "cluster-blue",
            { "eks.publicAccessCidrs": { a: "b" } },
            `alb-fleet:cluster.eks.publicAccessCidrs: got {"a":"b"}; expected a list; ${endpointCidrs}`,
        ],
        [
            "cluster-blue",
            { "eks.endpointPublicAccess": "false" },
            'alb-fleet:cluster.eks.endpointPublicAccess: got "false"; expected true or false',
        ],
        ["cluster-blue", { "eks.endpointPrivateAccess": 5 }, "alb-fleet:cluster.eks.endpointPrivateAccess: got 5; expected true or false"],
        ["cluster-blue", { "eks.version": 1.29 }, 'alb-fleet:cluster.eks.version: got 1.29; expected a Kubernetes version such as "1.33"'],
    ];
    for (const [stack, set, message] of table) {
        it(`${stack}: ${JSON.stringify(set)}`, async () => {
            const r = await run(plan, ["--config-dir", fleetSetting(stack, set), "--stack", stack]);
            expect({ code: r.code, out: r.out }).to.deep.equal({ code: 1, out: "" });
            expect(r.err).to.equal(`shared-alb plan: failed, nothing planned\nerror: stack ${stack} (Pulumi.${stack}.yaml): ${message}\n`);
        });
    }
});

describe("hostile input: a cluster, service and namespace named `constructor` with a preview token, a given external ID and the admission policy", function () {
    this.timeout(120000);
    const token = "tokenvalue0123456789abcdef";
    const externalId = "blue-external-id-0123456789";

    it("plans every stack, keeps the token and the external ID out of the plan, and pins the target group to namespace `constructor`", async () => {
        const dir = fleetWith((stack, text) => {
            const renamed = text.replace(/^ {6}web:$/m, "      constructor:");
            if (stack === "network") {
                return edited(
                    edited(
                        edited(renamed, /^ {6}green:$/m, "      constructor:"),
                        "      sourceCidrs: [203.0.113.0/24]\n",
                        `      sourceCidrs: [203.0.113.0/24]\n      token: ${token}\n`,
                    ),
                    "        weight: 100\n",
                    `        weight: 100\n        externalId: ${externalId}\n`,
                );
            }
            return stack === "cluster-green"
                ? edited(
                      edited(renamed, "    key: green", "    key: constructor"),
                      /namespace: shop\n {8}service: web/,
                      "namespace: constructor\n        service: web",
                  )
                : renamed;
        });
        const r = await run(plan, ["--config-dir", dir, "--json"]);
        expect({ code: r.code, err: r.err }).to.deep.equal({ code: 0, err: "" });
        expect(r.out).to.not.contain(token);
        expect(r.out).to.not.contain(externalId);
        const stacks = (JSON.parse(r.out) as { stacks: { stack: string; resources: JsonResource[]; outputs: Record<string, any> }[] })
            .stacks;
        const resource = (stack: string, name: string) => stacks.find(s => s.stack === stack)!.resources.find(x => x.name === name)!;
        const network = stacks.find(s => s.stack === "network")!.outputs;
        expect(resource("network", "shared-alb-preview-constructor-constructor").inputs.conditions).to.deep.equal([
            { hostHeader: { values: ["shop.example.com"] } },
            { httpHeader: { httpHeaderName: "x-shared-alb-cluster", values: ["[secret]"] } },
            { sourceIp: { values: ["203.0.113.0/24"] } },
        ]);
        expect(network.clusters.blue.externalId).to.equal("[secret]");
        expect(network.preview.tokenRequired).to.equal(true);
        // A same-account cluster has no external ID (it was `{}`, Object's own `constructor`, which its stack then refused).
        expect(Object.keys(network.clusters.constructor)).to.not.include("externalId");
        const pinned = (
            resource("cluster-green", "constructor-tgb-policy").inputs.spec as { variables: { name: string; expression: string }[] }
        ).variables.find(v => v.name === "pinnedNamespaces")!.expression;
        const arns = network.clusters.constructor.targetGroups;
        expect(JSON.parse(pinned)).to.deep.equal({ [arns.constructor.arn]: "constructor", [arns.api.arn]: "shop" });
        expect((resource("cluster-blue", "blue-constructor").inputs.spec as Record<string, unknown>).assumeRoleExternalId).to.equal(
            "[secret]",
        );
    });
});
