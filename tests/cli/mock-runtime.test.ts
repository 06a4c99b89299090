import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { FakeCloud, FakeCloudContext } from "../../cli/plan/fake-cloud";
import { runProgram, withoutStackTraces } from "../../cli/plan/mock-runtime";
import { isSecretMarker, secretMarker } from "../../cli/plan/secrets";

// runProgram relies on the SDK-internal `withLocalStorage` (pinned SDK):
// these tests prove each run keeps its own deployment state.

class Res extends pulumi.CustomResource {
    constructor(type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        super(type, name, props, opts);
    }
}

class Box extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Box", name, {}, opts);
        this.registerOutputs({});
    }
}

function cloud(stackOutputs?: Record<string, Record<string, unknown>>): FakeCloud {
    return new FakeCloud({ accountId: "111111111111", region: "eu-west-1", stackOutputs });
}

async function slowProgram(delayMs: number): Promise<Record<string, unknown>> {
    const cfg = new pulumi.Config("alb-fleet");
    const who = cfg.require("who");
    await new Promise(r => setTimeout(r, delayMs));
    const box = new Box(`box-${who}`);
    new Res("aws:s3/bucket:Bucket", `bucket-${who}`, { bucket: who }, { parent: box });
    await new Promise(r => setTimeout(r, delayMs));
    return { who: cfg.require("who"), stack: pulumi.getStack(), project: pulumi.getProject() };
}

describe("cli/plan/mock-runtime runProgram", () => {
    it("keeps config, names and outputs of two concurrent stacks apart", async () => {
        const [a, b] = await Promise.all([
            runProgram({ project: "alb-fleet", stack: "one", config: { "alb-fleet:who": "one" }, mocks: cloud() }, () => slowProgram(30)),
            runProgram({ project: "alb-fleet", stack: "two", config: { "alb-fleet:who": "two" }, mocks: cloud() }, () => slowProgram(5)),
        ]);
        expect(a.outputs).to.deep.equal({ who: "one", stack: "one", project: "alb-fleet" });
        expect(b.outputs).to.deep.equal({ who: "two", stack: "two", project: "alb-fleet" });
        expect(a.resources.map(r => r.urn)).to.deep.equal([
            "urn:pulumi:one::alb-fleet::pulumi:pulumi:Stack$test:index:Box::box-one",
            "urn:pulumi:one::alb-fleet::test:index:Box$aws:s3/bucket:Bucket::bucket-one",
        ]);
        expect(b.resources.map(r => r.urn)).to.deep.equal([
            "urn:pulumi:two::alb-fleet::pulumi:pulumi:Stack$test:index:Box::box-two",
            "urn:pulumi:two::alb-fleet::test:index:Box$aws:s3/bucket:Bucket::bucket-two",
        ]);
        expect(a.resources[1].parent).to.equal("urn:pulumi:one::alb-fleet::pulumi:pulumi:Stack$test:index:Box::box-one");
        expect(a.resources[0].parent).to.equal("urn:pulumi:one::alb-fleet::pulumi:pulumi:Stack::alb-fleet-one");
        expect(a.resources[1].inputs).to.deep.equal({ bucket: "one" });
        expect(a.resources[1].custom).to.equal(true);
        expect(a.resources[0].custom).to.equal(false);
    });

    it("records protect, dependsOn, retainOnDelete, deleteBeforeReplace, ignoreChanges and replaceOnChanges", async () => {
        const run = await runProgram({ project: "alb-fleet", stack: "opts", mocks: cloud() }, async () => {
            const first = new Res("aws:s3/bucket:Bucket", "first", { bucket: "first" }, { protect: true, retainOnDelete: true });
            new Res(
                "aws:s3/bucket:Bucket",
                "second",
                { bucket: "second" },
                {
                    dependsOn: [first],
                    deleteBeforeReplace: true,
                    ignoreChanges: ["tags"],
                    replaceOnChanges: ["bucket", "website.*"],
                },
            );
            return {};
        });
        const [first, second] = run.resources;
        expect(first.options).to.deep.equal({
            protect: true,
            dependsOn: [],
            retainOnDelete: true,
            deleteBeforeReplace: false,
            ignoreChanges: [],
            replaceOnChanges: [],
        });
        expect(second.options).to.deep.equal({
            protect: false,
            dependsOn: ["urn:pulumi:opts::alb-fleet::pulumi:pulumi:Stack$aws:s3/bucket:Bucket::first"],
            retainOnDelete: false,
            deleteBeforeReplace: true,
            ignoreChanges: ["tags"],
            replaceOnChanges: ["bucket", "website.*"],
        });
    });

    it("records a resource read with get as read, with the ID the mocks answered", async () => {
        const run = await runProgram({ project: "alb-fleet", stack: "reads", mocks: cloud() }, async () => {
            new Res("aws:s3/bucket:Bucket", "made", { bucket: "made" });
            new Res("aws:s3/bucket:Bucket", "found", {}, { id: "bucket-that-exists" });
            return {};
        });
        expect(run.resources.map(r => [r.name, r.read])).to.deep.equal([
            ["made", false],
            ["found", true],
        ]);
        expect(run.resources[1].id).to.equal("bucket-that-exists");
    });

    it("serves a stack reference from the fake cloud's stack outputs", async () => {
        const run = await runProgram(
            { project: "alb-fleet", stack: "reader", mocks: cloud({ network: { vpcId: "vpc-1", n: 3 } }) },
            async () => {
                const ref = new pulumi.StackReference("network");
                return { vpcId: ref.requireOutput("vpcId"), n: ref.getOutput("n") };
            },
        );
        expect(run.outputs).to.deep.equal({ vpcId: "vpc-1", n: 3 });
        expect(run.resources.map(r => [r.type, r.name])).to.deep.equal([["pulumi:pulumi:StackReference", "network"]]);
    });

    it("serializes outputs served to many stack references once, and serves each reference its own", async () => {
        let walks = 0;
        // Counts how often the SDK goes through the served outputs' keys (serializing them).
        const counted = <T extends object>(value: T): T =>
            new Proxy(value, {
                ownKeys(target) {
                    walks++;
                    return Reflect.ownKeys(target);
                },
            });
        const network = counted({ vpcId: "vpc-1", clusters: { blue: { weight: 100 }, green: { weight: 0 } } });
        const reader = (name: string) => async () => {
            const ref = new pulumi.StackReference(name);
            return { vpcId: ref.requireOutput("vpcId"), clusters: ref.getOutput("clusters") };
        };
        const stackOutputs = { network, "org/alb-fleet/network": network };
        const first = await runProgram({ project: "alb-fleet", stack: "a", mocks: cloud(stackOutputs) }, reader("network"));
        const walked = walks;
        const others = await Promise.all(
            ["b", "c"].map(stack => runProgram({ project: "alb-fleet", stack, mocks: cloud(stackOutputs) }, reader("network"))),
        );
        expect(walks).to.equal(walked);
        for (const run of [first, ...others]) {
            expect(run.outputs).to.deep.equal({ vpcId: "vpc-1", clusters: { blue: { weight: 100 }, green: { weight: 0 } } });
            expect(run.resources[0].outputs).to.deep.equal({ name: "network", outputs: network, secretOutputNames: [] });
        }
        expect(others[1].resources[0].urn).to.equal("urn:pulumi:c::alb-fleet::pulumi:pulumi:Stack$pulumi:pulumi:StackReference::network");

        // Another name, other secret output names or other outputs: served as such.
        const named = await runProgram(
            {
                project: "alb-fleet",
                stack: "d",
                mocks: new FakeCloud({
                    accountId: "111111111111",
                    region: "eu-west-1",
                    stackOutputs,
                    stackSecretOutputNames: { "org/alb-fleet/network": ["vpcId"] },
                }),
            },
            async () => {
                const ref = new pulumi.StackReference("org/alb-fleet/network");
                return { vpcId: ref.requireOutput("vpcId"), secret: await pulumi.isSecret(ref.requireOutput("vpcId")), name: ref.name };
            },
        );
        expect(named.outputs).to.deep.equal({ vpcId: "vpc-1", secret: true, name: "org/alb-fleet/network" });
        const changed = await runProgram(
            { project: "alb-fleet", stack: "e", mocks: cloud({ network: { ...network, vpcId: "vpc-2" } }) },
            reader("network"),
        );
        expect(changed.outputs.vpcId).to.equal("vpc-2");
    });

    it("marks config keys listed as secret, so the program reads secret outputs", async () => {
        const run = await runProgram(
            {
                project: "alb-fleet",
                stack: "sec",
                config: { "alb-fleet:token": "x" },
                secretKeys: ["alb-fleet:token"],
                mocks: cloud(),
            },
            async () => {
                const cfg = new pulumi.Config("alb-fleet");
                return { isSecret: await pulumi.isSecret(cfg.requireSecret("token")) };
            },
        );
        expect(run.outputs).to.deep.equal({ isSecret: true });
    });

    it("records a registration's secrets where the program put them, not lifted to the top of the property", async () => {
        const r = await runProgram({ project: "p", stack: "s", mocks: cloud() }, () => {
            new Res("test:index:Binding", "b", {
                spec: { arn: "tg-arn", role: pulumi.output("role-arn"), externalId: pulumi.secret("ext-1") },
                conditions: [{ values: ["a"] }, { values: [pulumi.secret("green.token")] }],
                whole: pulumi.secret({ a: 1 }),
            });
            return {};
        });
        const inputs = r.resources.find(x => x.name === "b")!.inputs;
        expect(inputs.spec).to.deep.equal({ arn: "tg-arn", role: "role-arn", externalId: secretMarker("ext-1") });
        expect(inputs.conditions).to.deep.equal([{ values: ["a"] }, { values: [secretMarker("green.token")] }]);
        expect(inputs.whole).to.deep.equal(secretMarker({ a: 1 }));
    });

    it("rejects with the program's error", async () => {
        const err = await runProgram({ project: "alb-fleet", stack: "bad", mocks: cloud() }, async () => {
            throw new Error("program failed");
        }).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(err?.message).to.equal("program failed");
    });

    describe("stack traces", () => {
        let saved: number;
        beforeEach(() => {
            saved = Error.stackTraceLimit;
            Error.stackTraceLimit = 17;
        });
        afterEach(() => {
            Error.stackTraceLimit = saved;
        });

        it("are not captured while a program runs, and the limit is restored after", async () => {
            const run = await runProgram({ project: "alb-fleet", stack: "quiet", mocks: cloud() }, async () => {
                new Res("aws:s3/bucket:Bucket", "b", { bucket: "b" });
                return { limit: Error.stackTraceLimit, stack: new Error("inside").stack };
            });
            expect(run.outputs).to.deep.equal({ limit: 0, stack: "Error: inside" });
            expect(Error.stackTraceLimit).to.equal(17);
        });

        it("are restored after a failed program, which keeps its message", async () => {
            const err = await runProgram({ project: "alb-fleet", stack: "bad", mocks: cloud() }, async () => {
                throw new Error("clusters.blue.weight: got 1000; expected 0 to 999");
            }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(err?.message).to.equal("clusters.blue.weight: got 1000; expected 0 to 999");
            expect(Error.stackTraceLimit).to.equal(17);
        });

        it("stay off until the last of overlapping runs ends", async () => {
            let release!: () => void;
            const gate = new Promise<void>(resolve => {
                release = resolve;
            });
            const long = withoutStackTraces(async () => {
                await gate;
                return Error.stackTraceLimit;
            });
            const short = await withoutStackTraces(async () => Error.stackTraceLimit);
            const between = Error.stackTraceLimit;
            release();
            expect([short, between, await long, Error.stackTraceLimit]).to.deep.equal([0, 0, 0, 17]);
        });
    });
});

describe("cli/plan/fake-cloud FakeCloud", () => {
    const password = (name: string, inputs: Record<string, unknown>, accountId = "111111111111") =>
        new FakeCloud({ accountId, region: "eu-west-1" }).newResource({
            type: "random:index/randomPassword:RandomPassword",
            name,
            inputs,
            custom: true,
        });

    it("answers random.RandomPassword as the provider would, offline: a secret result of the length and classes asked, the same every time", () => {
        const a = password("edge-external-id-blue", { length: 32, special: false, upper: true, lower: true, numeric: true });
        expect(a.id).to.equal("none");
        expect(isSecretMarker(a.state.result)).to.equal(true);
        const result = (a.state.result as { value: string }).value;
        expect(result).to.match(/^[A-Za-z0-9]{32}$/);
        expect(isSecretMarker(a.state.bcryptHash)).to.equal(true);
        expect(
            password("edge-external-id-blue", { length: 32, special: false, upper: true, lower: true, numeric: true }).state.result,
        ).to.deep.equal(a.state.result);
        // Another resource, another stack's account or other arguments: another value.
        const other = (p: { state: Record<string, unknown> }) => (p.state.result as { value: string }).value;
        expect(other(password("edge-external-id-red", { length: 32, special: false }))).to.not.equal(result);
        expect(other(password("edge-external-id-blue", { length: 32, special: false }, "333333333333"))).to.not.equal(result);
        expect(other(password("x", { length: 12, upper: false, numeric: false, special: false }))).to.match(/^[a-z]{12}$/);
        expect(other(password("x", { length: 40, lower: false, upper: false, numeric: false, overrideSpecial: "-_" }))).to.match(
            /^[-_]{40}$/,
        );
    });

    const arnOf = (region: string, type: string, inputs: Record<string, unknown> = {}): unknown =>
        new FakeCloud({ accountId: "111111111111", region }).newResource({ type, name: "x", inputs, custom: true }).state.arn;

    it("makes up ARNs in the partition of the stack's region", () => {
        for (const [region, partition] of [
            ["eu-west-1", "aws"],
            ["cn-north-1", "aws-cn"],
            ["us-gov-west-1", "aws-us-gov"],
        ]) {
            expect(arnOf(region, "aws:iam/role:Role", { name: "lbc" })).to.equal(`arn:${partition}:iam::111111111111:role/lbc`);
            expect(arnOf(region, "aws:lb/targetGroup:TargetGroup", { name: "tg" })).to.match(
                new RegExp(`^arn:${partition}:elasticloadbalancing:${region}:111111111111:targetgroup/tg/[0-9a-f]{16}$`),
            );
            expect(
                arnOf(region, "aws:iam/openIdConnectProvider:OpenIdConnectProvider", {
                    url: `https://oidc.eks.${region}.amazonaws.com/id/ABC`,
                }),
            ).to.equal(`arn:${partition}:iam::111111111111:oidc-provider/oidc.eks.${region}.amazonaws.com/id/ABC`);
            expect(
                new FakeCloud({ accountId: "111111111111", region }).call({ token: "aws:index/getPartition:getPartition", inputs: {} })
                    .partition,
            ).to.equal(partition);
        }
    });
});

describe("cli/plan/fake-cloud FakeCloud: the Kubernetes cluster's existing objects (pulumi-kubernetes 4.29+ create semantics)", () => {
    const Crd = "targetgroupbindings.elbv2.k8s.aws";
    const NsType = "kubernetes:core/v1:Namespace";
    const CrdType = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition";
    const write = (cloud: FakeCloud, type: string, metadata: Record<string, unknown>): string => {
        try {
            return `ok ${cloud.newResource({ type, name: "r", inputs: { metadata }, custom: true }).id}`;
        } catch (e) {
            return (e as Error).message.split("\n")[0];
        }
    };
    const created = (type: string, what: string) =>
        `resource "${type}::r" was not successfully created by the Kubernetes API server: ${what} already exists`;
    const force = { "pulumi.com/patchForce": "true" };
    const table: [string, Partial<FakeCloudContext>, string, Record<string, unknown>, string][] = [
        ["a plain namespace create, cluster unknown", {}, NsType, { name: "shop" }, "ok shop"],
        ["a plain namespace create, absent", { namespaces: ["default"] }, NsType, { name: "shop" }, "ok shop"],
        ["a plain namespace create, present", { namespaces: ["shop"] }, NsType, { name: "shop" }, created(NsType, 'namespaces "shop"')],
        ["a namespace patch, present", { namespaces: ["shop"] }, `${NsType}Patch`, { name: "shop" }, "ok shop"],
        ["a namespace patch, absent (created)", { namespaces: [] }, `${NsType}Patch`, { name: "shop" }, "ok shop"],
        [
            "a patch without a name",
            {},
            `${NsType}Patch`,
            {},
            `${NsType}Patch::r: patch resources require the \`.metadata.name\` field to be set`,
        ],
        ["a plain CRD create, absent", { crds: [] }, CrdType, { name: Crd }, `ok ${Crd}`],
        [
            "a plain CRD create, present",
            { crds: [Crd] },
            CrdType,
            { name: Crd },
            created(CrdType, `customresourcedefinitions.apiextensions.k8s.io "${Crd}"`),
        ],
        ["a forced CRD patch, present", { crds: [Crd] }, `${CrdType}Patch`, { name: Crd, annotations: force }, `ok ${Crd}`],
        [
            "a CRD patch without force, present (another field manager's)",
            { crds: [Crd] },
            `${CrdType}Patch`,
            { name: Crd },
            `resource "${CrdType}Patch::r" was not successfully created by the Kubernetes API server: server-side apply field conflict detected, ` +
                "see https://www.pulumi.com/registry/packages/kubernetes/how-to-guides/managing-resources-with-server-side-apply/" +
                "#handle-field-conflicts-on-existing-resources for troubleshooting help",
        ],
        ["a CRD patch without force, absent", { crds: [] }, `${CrdType}Patch`, { name: Crd }, `ok ${Crd}`],
    ];
    for (const [what, ctx, type, metadata, expected] of table) {
        it(what, () => {
            expect(write(new FakeCloud({ accountId: "111111111111", region: "eu-west-1", ...ctx }), type, metadata)).to.equal(expected);
        });
    }

    it("remembers what the run wrote: a created namespace can be read and not created again; a CRD patched by the run is its own", () => {
        const cloud = new FakeCloud({ accountId: "111111111111", region: "eu-west-1", namespaces: [], crds: [] });
        expect(write(cloud, `${NsType}Patch`, { name: "shop" })).to.equal("ok shop");
        expect(cloud.newResource({ type: NsType, name: "read", inputs: {}, custom: true, id: "shop" }).id).to.equal("shop");
        expect(write(cloud, NsType, { name: "shop" })).to.equal(created(NsType, 'namespaces "shop"'));
        expect(write(cloud, `${CrdType}Patch`, { name: Crd })).to.equal(`ok ${Crd}`);
        expect(write(cloud, `${CrdType}Patch`, { name: Crd })).to.equal(`ok ${Crd}`);
        expect(write(cloud, CrdType, { name: Crd })).to.equal(created(CrdType, `customresourcedefinitions.apiextensions.k8s.io "${Crd}"`));
    });

    it("an existing cluster looked up offline is taken to have the controller's CRD from an earlier chart install, unless the context lists its CRDs", () => {
        const lookedUp = (ctx: Partial<FakeCloudContext>): string => {
            const cloud = new FakeCloud({ accountId: "111111111111", region: "eu-west-1", ...ctx });
            cloud.call({ token: "aws:eks/getCluster:getCluster", inputs: { name: "green" } });
            return write(cloud, CrdType, { name: Crd });
        };
        expect(lookedUp({})).to.equal(created(CrdType, `customresourcedefinitions.apiextensions.k8s.io "${Crd}"`));
        expect(lookedUp({ crds: [] })).to.equal(`ok ${Crd}`);
        expect(write(new FakeCloud({ accountId: "111111111111", region: "eu-west-1" }), CrdType, { name: Crd })).to.equal(`ok ${Crd}`);
    });
});
