import * as pulumi from "@pulumi/pulumi";

// Internal to the SDK and absent from its typings (the SDK is pinned in
// package.json; tests/cli/mock-runtime.test.ts covers it): each call gets its
// own deployment state, so several stacks can be planned in one process.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { withLocalStorage } = require("@pulumi/pulumi/runtime/state") as {
    withLocalStorage<T>(callback: () => T): T;
};

/** The resource options a plan reports for every resource. */
export interface RecordedOptions {
    protect: boolean;
    dependsOn: string[];
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    /** Property paths whose change replaces the resource (the `replaceOnChanges` option). */
    replaceOnChanges: string[];
}

/** One registration, as the mock runtime saw it. */
export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    /** The ID the mocks answered (undefined for components). */
    id?: string;
    /** Read with `Resource.get` (the `id` option): an existing resource, never created, changed or deleted. */
    read: boolean;
    parent?: string;
    provider?: string;
    custom: boolean;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    options: RecordedOptions;
}

export interface ProgramRun {
    resources: RecordedResource[];
    outputs: Record<string, unknown>;
}

export interface RunOptions {
    project: string;
    stack: string;
    /** Full config keys (`alb-fleet:network`) to string values, as the engine passes them. */
    config?: Record<string, string>;
    /** Config keys whose values are secrets (the program then reads them as secret outputs). */
    secretKeys?: string[];
    mocks: pulumi.runtime.Mocks;
}

interface Pending {
    type: string;
    name: string;
    resource: pulumi.Resource;
    opts: pulumi.ResourceOptions;
}

/**
 * Runs a Pulumi program under the mock runtime, in its own deployment state,
 * and returns every resource it registered (with inputs, outputs and the
 * options the mocks cannot see) plus the stack outputs. Programs run without
 * stack-trace capture (see `withoutStackTraces`).
 */
export function runProgram(options: RunOptions, program: () => unknown): Promise<ProgramRun> {
    return withoutStackTraces(() => record(options, program));
}

let quietRuns = 0;
let savedStackTraceLimit = Error.stackTraceLimit;

/**
 * Runs `body` with `Error.stackTraceLimit` at 0, and puts the limit back when
 * the last of the overlapping calls is done. The SDK captures a stack trace
 * for every promise it makes (`debuggablePromise`, dozens per resource), for
 * leak reports the mock runtime never prints; errors keep their messages,
 * which is all a plan reports.
 */
export async function withoutStackTraces<T>(body: () => Promise<T>): Promise<T> {
    if (quietRuns++ === 0) {
        savedStackTraceLimit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
    }
    try {
        return await body();
    } finally {
        if (--quietRuns === 0) {
            Error.stackTraceLimit = savedStackTraceLimit;
        }
    }
}

function record(options: RunOptions, program: () => unknown): Promise<ProgramRun> {
    return withLocalStorage(async () => {
        const seen = new Map<string, { id?: string; inputs: Record<string, unknown>; outputs: Record<string, unknown>; provider?: string }>();
        const mocks = options.mocks;
        const recording: pulumi.runtime.Mocks = {
            newResource(args) {
                const result = mocks.newResource(args);
                const record = (r: { id: string | undefined; state: Record<string, any> }) => {
                    seen.set(`${args.type}::${args.name}`, { id: r.id, inputs: args.inputs ?? {}, outputs: r.state ?? {}, provider: args.provider });
                    return r;
                };
                return result instanceof Promise ? result.then(record) : record(result);
            },
            call(args) {
                return mocks.call(args);
            },
        };
        await pulumi.runtime.setMocks(recording, options.project, options.stack, true);
        pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys);
        const pending: Pending[] = [];
        const outputs = await pulumi.runtime.runInPulumiStack(async () => {
            pulumi.runtime.registerStackTransformation(args => {
                pending.push({
                    type: args.type,
                    name: args.name,
                    resource: args.resource,
                    opts: args.opts,
                });
                return undefined;
            });
            return await program();
        });
        const urnOf = (r: pulumi.Resource): Promise<string> => (r.urn as any).promise();
        const stackUrn = `urn:pulumi:${options.stack}::${options.project}::pulumi:pulumi:Stack::${options.project}-${options.stack}`;
        const resources: RecordedResource[] = [];
        for (const p of pending) {
            const urn = await urnOf(p.resource);
            const dependsOn = await resolveDependsOn(p.opts.dependsOn);
            const parent = p.opts.parent ? await urnOf(p.opts.parent) : stackUrn;
            const providerResource = (p.opts as pulumi.CustomResourceOptions).provider;
            const got = seen.get(`${p.type}::${p.name}`);
            const custom = pulumi.CustomResource.isInstance(p.resource);
            resources.push({
                urn,
                type: p.type,
                name: p.name,
                id: custom && got?.id ? got.id : undefined,
                read: (p.opts as pulumi.CustomResourceOptions).id !== undefined,
                parent,
                // The explicit provider, else the one the engine was told (inherited from a parent's `providers`).
                provider: providerResource ? await urnOf(providerResource) : providerUrn(got?.provider),
                custom,
                inputs: got?.inputs ?? {},
                outputs: got?.outputs ?? {},
                options: {
                    protect: p.opts.protect === true,
                    dependsOn,
                    retainOnDelete: p.opts.retainOnDelete === true,
                    deleteBeforeReplace: (p.opts as pulumi.CustomResourceOptions).deleteBeforeReplace === true,
                    ignoreChanges: p.opts.ignoreChanges ?? [],
                    replaceOnChanges: p.opts.replaceOnChanges ?? [],
                },
            });
        }
        return { resources, outputs: (outputs ?? {}) as Record<string, unknown> };
    });
}

async function resolveDependsOn(dependsOn: pulumi.ResourceOptions["dependsOn"]): Promise<string[]> {
    if (dependsOn === undefined) {
        return [];
    }
    const top = pulumi.Output.isInstance(dependsOn) ? await (dependsOn as any).promise() : dependsOn;
    const list: unknown[] = Array.isArray(top) ? top : [top];
    const urns: string[] = [];
    for (const item of list) {
        const r = pulumi.Output.isInstance(item) ? await (item as any).promise() : item;
        if (pulumi.Resource.isInstance(r)) {
            urns.push(await (r.urn as any).promise());
        }
    }
    return urns;
}

/** The URN of a provider reference (`<urn>::<id>`) as the mock monitor passes it; default providers are left out. */
function providerUrn(reference: string | undefined): string | undefined {
    if (reference === undefined || reference === "") {
        return undefined;
    }
    const urn = reference.slice(0, reference.lastIndexOf("::"));
    return urn.includes("::pulumi:providers:") && /::default(_[0-9_]+)?$/.test(urn) ? undefined : urn;
}
