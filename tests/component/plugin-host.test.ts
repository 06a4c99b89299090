import { expect } from "chai";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";

/**
 * The repository as a Pulumi plugin (PulumiPlugin.yaml, runtime nodejs),
 * started the way the nodejs language host starts it for `pulumi package
 * add`: `node @pulumi/pulumi/cmd/run-plugin <dir>`, which prints its gRPC
 * port, then answers GetSchema.
 */

const Root = path.resolve(__dirname, "..", "..");
/** Serving the shipped schema takes about a second; loading the sources through ts-node (no dist/) much longer. */
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
    const child = spawn(process.execPath, [require.resolve("@pulumi/pulumi/cmd/run-plugin"), Root], {
        cwd: Root,
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", d => (stderr += String(d)));
    return new Promise((resolve, reject) => {
        child.on("exit", code => reject(new Error(`the plugin exited with ${code}: ${stderr.slice(0, 4000)}`)));
        child.stdout!.once("data", d => resolve({ child, port: String(d).trim() }));
    });
}

function getSchema(port: string): Promise<string> {
    const client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new Promise((resolve, reject) => {
        client.getSchema(new providerProto.GetSchemaRequest(), (e: Error | null, response: { getSchema(): string }) => {
            client.close();
            return e ? reject(e) : resolve(response.getSchema());
        });
    });
}

describe("the plugin host (PulumiPlugin.yaml)", function () {
    this.timeout(StartTimeout);
    let started: Started | undefined;
    after(() => {
        started?.child.kill();
    });

    it("starts, prints its port, and serves the shipped schema.json over gRPC (both components)", async () => {
        const start = process.hrtime.bigint();
        started = await startPlugin();
        expect(started.port).to.match(/^\d+$/);
        const text = await getSchema(started.port);
        // What `pulumi package add` waits for: from the process's start to the schema, reported for docs/multi-language.md.
        console.log(`      plugin start to GetSchema: ${Number((process.hrtime.bigint() - start) / 1_000_000n)} ms`);
        // The file, byte for byte: the derived schema would come as compact JSON.
        expect(text).to.equal(fs.readFileSync(path.join(Root, "schema.json"), "utf8"));
        const schema = JSON.parse(text) as { name: string; resources: Record<string, { isComponent?: boolean }> };
        expect(schema.name).to.equal("shared-alb");
        expect(Object.keys(schema.resources).sort()).to.deep.equal(["shared-alb:index:ClusterAttachment", "shared-alb:index:SharedAlb"]);
        expect(Object.values(schema.resources).map(r => r.isComponent)).to.deep.equal([true, true]);
    });
});
