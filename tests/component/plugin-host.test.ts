import { expect } from "chai";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";

/**
 * The repository as a Pulumi plugin (PulumiPlugin.yaml, runtime nodejs),
 * started the way the nodejs language host starts it for `pulumi package
 * add`: `node @pulumi/pulumi/cmd/run-plugin <dir>`, which prints its gRPC
 * port, then answers GetSchema.
 */

const Root = path.resolve(__dirname, "..", "..");
/** ts-node type-checks the sources, then the analyzer runs: tens of seconds. */
const StartTimeout = 120_000;

// The SDK's generated gRPC stubs have no typings.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const providerProto = require("@pulumi/pulumi/proto/provider_pb");

interface Started {
    child: ChildProcess;
    port: string;
}

function startPlugin(): Promise<Started> {
    const child = spawn(process.execPath, [require.resolve("@pulumi/pulumi/cmd/run-plugin"), Root], { cwd: Root, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", d => (stderr += String(d)));
    return new Promise((resolve, reject) => {
        child.on("exit", code => reject(new Error(`the plugin exited with ${code}: ${stderr.slice(0, 4000)}`)));
        child.stdout!.once("data", d => resolve({ child, port: String(d).trim() }));
    });
}

function getSchema(port: string): Promise<{ name: string; resources: Record<string, { isComponent?: boolean }> }> {
    const client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new Promise((resolve, reject) => {
        client.getSchema(new providerProto.GetSchemaRequest(), (e: Error | null, response: { getSchema(): string }) => {
            client.close();
            return e ? reject(e) : resolve(JSON.parse(response.getSchema()));
        });
    });
}

describe("the plugin host (PulumiPlugin.yaml)", function () {
    this.timeout(StartTimeout);
    let started: Started | undefined;
    after(() => {
        started?.child.kill();
    });

    it("starts, prints its port, and serves both components' schema over gRPC", async () => {
        started = await startPlugin();
        expect(started.port).to.match(/^\d+$/);
        const schema = await getSchema(started.port);
        expect(schema.name).to.equal("shared-alb");
        expect(Object.keys(schema.resources).sort()).to.deep.equal(["shared-alb:index:ClusterAttachment", "shared-alb:index:SharedAlb"]);
        expect(Object.values(schema.resources).map(r => r.isComponent)).to.deep.equal([true, true]);
    });
});
