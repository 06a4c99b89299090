// The floor the plan bench compares against: replays the resources of a
// `plan --json` document (same types, names, inputs, parents, options; stack
// references served the same outputs) with a trivial program, stack after
// stack, under the plan's own mock runtime and fake cloud. What it costs per
// resource is what the SDK and the mocks cost, with none of the stack
// programs' work. Usage: node .bench/floor.js <root> <plan.json>
import * as fs from "fs";
import * as path from "path";
import type * as Pulumi from "@pulumi/pulumi";
import type { FakeCloud as FakeCloudClass } from "../cli/plan/fake-cloud";
import type { runProgram as RunProgram } from "../cli/plan/mock-runtime";
import type { JsonPlan, JsonResource } from "../cli/plan/render";

const [root, planFile] = process.argv.slice(2);
// The compiled runtime of this tree (this file runs from .bench/, next to dist/).
/* eslint-disable @typescript-eslint/no-require-imports */
const pulumi = require("@pulumi/pulumi") as typeof Pulumi;
const { runProgram } = require(path.join(root, "dist/cli/plan/mock-runtime")) as { runProgram: typeof RunProgram };
const { FakeCloud } = require(path.join(root, "dist/cli/plan/fake-cloud")) as { FakeCloud: typeof FakeCloudClass };
/* eslint-enable @typescript-eslint/no-require-imports */

class Replayed extends pulumi.CustomResource {
    constructor(type: string, name: string, inputs: Record<string, unknown>, opts: Pulumi.CustomResourceOptions) {
        super(type, name, inputs, opts);
    }
}

class ReplayedComponent extends pulumi.ComponentResource {
    constructor(type: string, name: string, opts: Pulumi.ComponentResourceOptions) {
        super(type, name, {}, opts);
        this.registerOutputs({});
    }
}

/** Registers every resource of a stack, each after its parent and what it depends on. */
function replay(resources: JsonResource[]): void {
    const byUrn = new Map(resources.map(r => [r.urn, r]));
    const made = new Map<string, Pulumi.Resource>();
    const make = (r: JsonResource): Pulumi.Resource => {
        const done = made.get(r.urn);
        if (done !== undefined) {
            return done;
        }
        const parentOf = r.parent !== null && byUrn.has(r.parent) ? make(byUrn.get(r.parent)!) : undefined;
        const dependsOn = r.options.dependsOn.filter(u => byUrn.has(u)).map(u => make(byUrn.get(u)!));
        const opts: Pulumi.CustomResourceOptions = {
            parent: parentOf,
            dependsOn,
            protect: r.options.protect,
            retainOnDelete: r.options.retainOnDelete,
            deleteBeforeReplace: r.options.deleteBeforeReplace,
            ignoreChanges: r.options.ignoreChanges,
            replaceOnChanges: r.options.replaceOnChanges,
            ...(r.read && r.id !== null ? { id: r.id } : {}),
        };
        const resource =
            r.id === null
                ? new ReplayedComponent(r.type, r.name, opts)
                : new Replayed(r.type, r.name, r.inputs as Record<string, unknown>, opts);
        made.set(r.urn, resource);
        return resource;
    };
    resources.forEach(make);
}

async function main(): Promise<void> {
    const plan = JSON.parse(fs.readFileSync(planFile, "utf8")) as JsonPlan;
    let registered = 0;
    for (const s of plan.stacks) {
        const urn = s.resources[0]?.urn ?? "urn:pulumi:x::alb-fleet::";
        const [, stack, project] = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn) ?? [];
        // Stack references are answered the outputs the plan served them.
        const stackOutputs: Record<string, Record<string, unknown>> = {};
        for (const r of s.resources.filter(x => x.type === "pulumi:pulumi:StackReference")) {
            const state = r.outputs as { name: string; outputs: Record<string, unknown> };
            stackOutputs[state.name] = state.outputs;
        }
        const run = await runProgram(
            {
                project: project ?? "alb-fleet",
                stack: stack ?? s.stack,
                mocks: new FakeCloud({ accountId: "111111111111", region: "eu-west-1", stackOutputs }),
            },
            async () => {
                replay(s.resources);
                return {};
            },
        );
        registered += run.resources.length;
    }
    process.stdout.write(`${registered}\n`);
}

main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
});
