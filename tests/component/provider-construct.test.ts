import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import * as server from "@pulumi/pulumi/provider/server";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as state from "@pulumi/pulumi/runtime/state";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { parse } from "yaml";
import { ClusterAttachment, ClusterAttachmentArgs, SharedAlb, SharedAlbArgs } from "../../index";
import { RecordedResource } from "../../cli/plan/mock-runtime";
import { constructComponent } from "../../components/provider/provider";
import { KnownAtPreview, PackageSchema, resolvePlainInputs } from "../../components/provider/resolve";
import { serveShippedSchema } from "../../components/provider/plugin";
import { ConfigErrors } from "../../components/internal/errors";
import { run, runRefused } from "../harness";
import { GreenNodesSg, attachmentArgs } from "./cluster-attachment-fixtures";

/**
 * `construct` through the SDK's component provider (what a program in
 * another language reaches through the plugin) builds the same resources as
 * the TypeScript constructor: the inputs go through the wire encoding the
 * plugin receives them in.
 */

const Root = path.resolve(__dirname, "..", "..");
const Token = { sharedAlb: "shared-alb:index:SharedAlb", clusterAttachment: "shared-alb:index:ClusterAttachment" } as const;
/** The first `construct` runs the analyzer (the schema): seconds; the others reuse it. */
const AnalyzerTimeout = 180_000;

/** The plugin's gRPC server's own decoding of `construct`'s inputs (internal to the SDK, so not in its typings). */
const deserializeInputs: (inputs: Struct, dependencies: Map<string, Set<string>>) => Promise<pulumi.Inputs> = Reflect.get(
    server,
    "deserializeInputs",
);

/**
 * The inputs as the plugin's gRPC server hands them to `construct`; with
 * `outputValues`, outputs travel as output values, as the engine sends a
 * program's outputs (a stack reference's, another resource's) to a component.
 */
async function overTheWire(args: object, outputValues = false): Promise<pulumi.Inputs> {
    // The mock monitor turns output values off; the engine has them on.
    const store: { supportsOutputValues: boolean } = Reflect.get(state, "getStore")();
    const saved = store.supportsOutputValues;
    store.supportsOutputValues = outputValues;
    try {
        const serialized = await rpc.serializeProperties("construct-test", args as pulumi.Inputs, { keepOutputValues: outputValues });
        return await deserializeInputs(Struct.fromJavaScript(serialized as Record<string, never>), new Map());
    } finally {
        store.supportsOutputValues = saved;
    }
}

/** The cluster-green args with every value that may come from another resource as an Output. */
function greenArgsAsOutputs(): ClusterAttachmentArgs {
    const args = greenArgs();
    const o = (v: pulumi.Input<string>): pulumi.Output<string> => pulumi.output(v);
    const targetGroups = Object.fromEntries(Object.entries(args.cluster.targetGroups).map(([k, tg]) => [k, { ...tg, arn: o(tg.arn) }]));
    return {
        ...args,
        clusterName: o(args.clusterName),
        oidcProviderArn: o(args.oidcProviderArn),
        oidcIssuer: o(args.oidcIssuer),
        vpcId: o(args.vpcId),
        region: o(args.region!),
        albSecurityGroupId: o(args.albSecurityGroupId),
        cluster: { ...args.cluster, targetGroups },
        nodeSecurityGroupIds: Object.fromEntries(Object.entries(args.nodeSecurityGroupIds ?? {}).map(([k, v]) => [k, o(v)])),
    };
}

/** What a plan compares: every registration's type, name, parent, provider and inputs. */
function planned(resources: RecordedResource[]): object[] {
    return resources
        .map(r => ({ type: r.type, name: r.name, parent: r.parent, provider: r.provider, inputs: r.inputs }))
        .sort((a, b) => `${a.type}::${a.name}`.localeCompare(`${b.type}::${b.name}`));
}

/** The example fleet's cluster-green stack: stacks/config/Pulumi.cluster-green.yaml, as stacks/cluster.ts passes it to the component. */
function greenArgs(): ClusterAttachmentArgs {
    return attachmentArgs("green", {
        nodeSecurityGroupIds: { [GreenNodesSg]: GreenNodesSg },
        securityGroupMode: "rules",
        bindings: {
            web: { namespace: "shop", service: "web", port: 80 },
            api: { namespace: "shop", service: "api", port: 80 },
        },
        tags: { team: "platform" },
    });
}

/** The example fleet's network stack's arguments: `alb-fleet:network` of stacks/config/Pulumi.network.yaml, with its `aws:region`. */
function networkArgs(): SharedAlbArgs {
    const config = parse(fs.readFileSync(path.join(Root, "stacks", "config", "Pulumi.network.yaml"), "utf8")) as {
        config: Record<string, unknown>;
    };
    return { ...(config.config["alb-fleet:network"] as SharedAlbArgs), region: config.config["aws:region"] as string };
}

describe("construct through the component provider", function () {
    this.timeout(AnalyzerTimeout);
    // One provider with both components, as the plugin serves them: its
    // schema (the analyzer's work) is derived on the first construct and kept.
    const provider = new ComponentProvider({ name: "shared-alb", dirname: Root, components: [SharedAlb, ClusterAttachment] });

    it("ClusterAttachment: the example fleet's cluster-green builds the same resources as the constructor", async () => {
        const k8sProvider = () => new k8s.Provider("green-k8s", { kubeconfig: "{}" });
        const direct = await run(() => {
            new ClusterAttachment("green", greenArgs(), { providers: { kubernetes: k8sProvider() } });
        });
        let state: Record<string, pulumi.Output<unknown>> = {};
        const constructed = await run(async () => {
            const result = await provider.construct("green", Token.clusterAttachment, await overTheWire(greenArgs()), {
                providers: { kubernetes: k8sProvider() },
            });
            state = result.state as Record<string, pulumi.Output<unknown>>;
            return { bindings: state.bindings, serviceAccount: state.serviceAccount };
        });
        expect(planned(constructed.resources)).to.deep.equal(planned(direct.resources));
        expect(constructed.ofType(Token.clusterAttachment).map(r => r.name)).to.deep.equal(["green"]);
        expect(direct.resources.length).to.be.greaterThan(5);
        expect(Object.keys(state).sort()).to.deep.equal([
            "bindings",
            "controllerRoleArn",
            "controllerRoleName",
            "helmValues",
            "releaseName",
            "releaseNamespace",
            "securityGroupRuleIds",
            "serviceAccount",
        ]);
        expect(constructed.outputs.serviceAccount).to.deep.equal({ namespace: "kube-system", name: "aws-load-balancer-controller" });
        expect(Object.keys(constructed.outputs.bindings as object).sort()).to.deep.equal(["api", "web"]);
    });

    it("ClusterAttachment: the same with the cluster facts as output values over the wire", async () => {
        const k8sProvider = () => new k8s.Provider("green-k8s", { kubeconfig: "{}" });
        const direct = await run(() => {
            new ClusterAttachment("green", greenArgs(), { providers: { kubernetes: k8sProvider() } });
        });
        const constructed = await run(async () => {
            const inputs = await overTheWire(greenArgsAsOutputs(), true);
            expect(pulumi.Output.isInstance(inputs.oidcProviderArn)).to.equal(true);
            // An output inside a plain value stays an output, inside it.
            expect(pulumi.Output.isInstance(inputs.cluster)).to.equal(false);
            expect(pulumi.Output.isInstance((inputs.cluster as ClusterAttachmentArgs["cluster"]).targetGroups.web.arn)).to.equal(true);
            await provider.construct("green", Token.clusterAttachment, inputs, { providers: { kubernetes: k8sProvider() } });
        });
        expect(planned(constructed.resources)).to.deep.equal(planned(direct.resources));
    });

    it("SharedAlb: the example fleet's network builds the same resources as the constructor", async () => {
        const direct = await run(() => {
            new SharedAlb("shared-alb", networkArgs());
        });
        const constructed = await run(async () => {
            await provider.construct("shared-alb", Token.sharedAlb, await overTheWire(networkArgs()), {});
        });
        expect(planned(constructed.resources)).to.deep.equal(planned(direct.resources));
        expect(direct.ofType(Token.sharedAlb)).to.have.length(1);
    });

    describe('a plain input given as one output (YAML\'s ${network.outputs["clusters"]["blue"]})', () => {
        const schemaText = fs.readFileSync(path.join(Root, "schema.json"), "utf8");
        const schema = JSON.parse(schemaText) as PackageSchema;
        const k8sProvider = () => new k8s.Provider("blue-k8s", { kubeconfig: "{}" });
        /** An Output whose value is not known yet, as the engine sends a value a resource of this update will set. */
        const unknown = (): pulumi.Output<never> =>
            new (pulumi.Output as unknown as new (...a: unknown[]) => pulumi.Output<never>)(
                new Set(),
                Promise.resolve(undefined),
                Promise.resolve(false),
                Promise.resolve(false),
                Promise.resolve(new Set()),
            );
        const readOutput = async (o: unknown): Promise<{ known: boolean; secret: boolean; value: unknown }> => {
            expect(pulumi.Output.isInstance(o), "an Output").to.equal(true);
            return {
                known: await (Reflect.get(o as object, "isKnown") as Promise<boolean>),
                secret: await (Reflect.get(o as object, "isSecret") as Promise<boolean>),
                value: await (Reflect.get(o as object, "promise") as () => Promise<unknown>).call(o),
            };
        };

        it("a known output is resolved: the same resources as the constructor given the values", async () => {
            const direct = await run(() => {
                new ClusterAttachment("blue", attachmentArgs("blue"), { providers: { kubernetes: k8sProvider() } });
            });
            const constructed = await run(async () => {
                const args = attachmentArgs("blue");
                const inputs = await overTheWire({ ...args, cluster: pulumi.output(args.cluster) }, true);
                expect(pulumi.Output.isInstance(inputs.cluster)).to.equal(true);
                await constructComponent(schemaText, { ClusterAttachment }, "blue", Token.clusterAttachment, inputs, {
                    providers: { kubernetes: k8sProvider() },
                });
            });
            expect(planned(constructed.resources)).to.deep.equal(planned(direct.resources));
            expect(direct.resources.length).to.be.greaterThan(5);
        });

        it("a secret one: plain fields become values, the inputs inside it stay secret outputs", async () => {
            await run(async () => {
                const args = attachmentArgs("blue");
                const inputs = await overTheWire({ ...args, cluster: pulumi.secret(args.cluster) }, true);
                const resolved = await resolvePlainInputs(schema, Token.clusterAttachment, inputs);
                const cluster = resolved.cluster as Record<string, unknown> & { targetGroups: Record<string, Record<string, unknown>> };
                expect([cluster.accountId, cluster.controllerRoleArn, cluster.registrarRoleArn]).to.deep.equal([
                    args.cluster.accountId,
                    args.cluster.controllerRoleArn,
                    args.cluster.registrarRoleArn,
                ]);
                expect(await readOutput(cluster.externalId)).to.deep.equal({ known: true, secret: true, value: args.cluster.externalId });
                expect(await readOutput(cluster.targetGroups.web.arn)).to.deep.equal({
                    known: true,
                    secret: true,
                    value: args.cluster.targetGroups.web.arn,
                });
                expect([cluster.targetGroups.web.port, cluster.targetGroups.web.protocol]).to.deep.equal([8080, "HTTP"]);
                // The other inputs are as they came.
                expect(resolved.bindings).to.deep.equal(args.bindings);
                expect(resolved.vpcId).to.equal(args.vpcId);
            });
        });

        it("an output not known yet is refused, every such place named, before anything is registered", async () => {
            const { error, run: refused } = await runRefused(async () => {
                const args = attachmentArgs("blue");
                const inputs = await overTheWire(
                    { ...args, cluster: unknown(), bindings: { ...args.bindings, web: unknown() }, vpcId: unknown() },
                    true,
                );
                await constructComponent(schemaText, { ClusterAttachment }, "blue", Token.clusterAttachment, inputs, {
                    providers: { kubernetes: k8sProvider() },
                });
            });
            expect(error).to.be.instanceOf(ConfigErrors);
            // In the order the inputs arrive (by name); vpcId is an input, where an output is taken as it is.
            expect(error.message).to.equal(
                `2 configuration errors:\n  - bindings.web: got an Output; ${KnownAtPreview}\n  - cluster: got an Output; ${KnownAtPreview}`,
            );
            expect(KnownAtPreview).to.equal(
                "expected a plain value, or an output known at preview (a stack reference's output is): it decides which resources exist, " +
                    "and this output's value is not known yet (it comes from a resource that this update creates or changes)",
            );
            expect(refused.ofType(Token.clusterAttachment)).to.deep.equal([]);
            expect(refused.resources.filter(r => !r.type.startsWith("pulumi:providers:"))).to.deep.equal([]);
        });

        it("the plugin's provider (the SDK's, served by the package) resolves it too, and serves the shipped schema", async () => {
            class Served extends ComponentProvider {}
            serveShippedSchema(Served, Root);
            const provider = new Served({ name: "shared-alb", dirname: Root, components: [SharedAlb, ClusterAttachment] });
            expect(await provider.getSchema()).to.equal(schemaText);
            const direct = await run(() => {
                new ClusterAttachment("blue", attachmentArgs("blue"), { providers: { kubernetes: k8sProvider() } });
            });
            const constructed = await run(async () => {
                const args = attachmentArgs("blue");
                const inputs = await overTheWire({ ...args, cluster: pulumi.secret(args.cluster) }, true);
                const result = await provider.construct("blue", Token.clusterAttachment, inputs, {
                    providers: { kubernetes: k8sProvider() },
                });
                expect(Object.keys(result.state).sort()).to.deep.equal(
                    Object.keys(schema.resources[Token.clusterAttachment].properties).sort(),
                );
            });
            expect(constructed.inventory()).to.deep.equal(direct.inventory());
        });
    });
});
