import * as pulumi from "@pulumi/pulumi";
import { isSecretMarker, secretMarker } from "./secrets";

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

/** The organization a planned stack is in: the one a DIY backend gives every stack. */
export const PlanOrganization = "organization";

/** A registration as the mocks saw it: its inputs and provider, and the answer (ID and state). */
interface SeenResource {
    id?: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    provider?: string;
}

/** What the mocks saw of each registration, by `type::name`. */
type Seen = Map<string, SeenResource>;

/**
 * Runs the program in its own deployment state under mocks that note every
 * answer, and records each resource it registered, in registration order.
 */
function record(options: RunOptions, program: () => unknown): Promise<ProgramRun> {
    return withLocalStorage(async () => {
        const seen: Seen = new Map();
        await pulumi.runtime.setMocks(recordingMocks(options.mocks, seen), options.project, options.stack, true, PlanOrganization);
        serveStackReferencesOnce(pulumi.runtime.getMonitor() as unknown as MockMonitorInternals);
        recordSecretsWhereTheyAre(pulumi.runtime.getMonitor() as unknown as MockMonitorInternals, seen);
        pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys);
        const pending: Pending[] = [];
        const outputs = await pulumi.runtime.runInPulumiStack(async () => {
            pulumi.runtime.registerStackTransformation(args => {
                checkRenderable(args.type, args.name, args.props);
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
        const stackUrn = `urn:pulumi:${options.stack}::${options.project}::pulumi:pulumi:Stack::${options.project}-${options.stack}`;
        const resources: RecordedResource[] = [];
        for (const p of pending) {
            resources.push(await recordedResource(p, seen, stackUrn));
        }
        return { resources, outputs: (outputs ?? {}) as Record<string, unknown> };
    });
}

/**
 * Refuses, before it is registered, a resource whose inputs the SDK cannot
 * register: it renders every top-level input with a template string
 * (`transferProperties` in @pulumi/pulumi's runtime/rpc.js), and when that
 * throws (an object whose `toString` is data, or that has none) the
 * registration fails where nothing awaits it: the resource's URN never
 * resolves, so the plan would wait on it until the process ran out of work
 * and exited 0 with nothing printed. Thrown here, the error fails the stack.
 */
export function checkRenderable(type: string, name: string, props: Record<string, unknown> | undefined): void {
    for (const [key, value] of Object.entries(props ?? {})) {
        if (typeof value !== "object" || value === null || pulumi.Output.isInstance(value) || value instanceof Promise) {
            continue;
        }
        try {
            String(value);
        } catch (e) {
            throw new Error(
                `resource ${name} (${type}): input ${JSON.stringify(key)} cannot be registered: the Pulumi SDK renders every input as text, ` +
                    `and this one cannot be (${(e as Error).message})`,
            );
        }
    }
}

/** The mocks, noting in `seen` each registration's inputs, provider and the answer (ID and state). */
function recordingMocks(mocks: pulumi.runtime.Mocks, seen: Seen): pulumi.runtime.Mocks {
    return {
        newResource(args) {
            const result = mocks.newResource(args);
            const record = (r: { id: string | undefined; state: Record<string, any> }) => {
                seen.set(`${args.type}::${args.name}`, {
                    id: r.id,
                    inputs: args.inputs ?? {},
                    outputs: r.state ?? {},
                    provider: args.provider,
                });
                return r;
            };
            return result instanceof Promise ? result.then(record) : record(result);
        },
        call(args) {
            return mocks.call(args);
        },
    };
}

/**
 * One registration as recorded: its URNs (own, parent, provider,
 * dependencies), what the mocks saw, and its options. What the mocks saw is
 * read once its URNs are known: by then the mocks have answered.
 */
async function recordedResource(p: Pending, seen: Seen, stackUrn: string): Promise<RecordedResource> {
    const urnOf = (r: pulumi.Resource): Promise<string> => (r.urn as any).promise();
    const urn = await urnOf(p.resource);
    const dependsOn = await resolveDependsOn(p.opts.dependsOn);
    const parent = p.opts.parent ? await urnOf(p.opts.parent) : stackUrn;
    const providerResource = (p.opts as pulumi.CustomResourceOptions).provider;
    const got = seen.get(`${p.type}::${p.name}`);
    const custom = pulumi.CustomResource.isInstance(p.resource);
    return {
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
    };
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

// The SDK's mock monitor, as far as serveStackReferencesOnce uses it, and the
// protocol's messages. Internal to the SDK (pinned in package.json;
// tests/cli/mock-runtime.test.ts covers it).
type Struct = Parameters<typeof pulumi.runtime.deserializeProperties>[0];
interface ReadResourceRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getProperties(): Struct;
    getProvider(): string;
    getId(): string;
}
interface ReadResourceResponse {
    setUrn(urn: string): void;
    setProperties(properties: Struct): void;
}
type ReadCallback = (err: unknown, response?: ReadResourceResponse) => void;
interface RegisterResourceRequest {
    getType(): string;
    getName(): string;
    getObject(): { toJavaScript(): Record<string, unknown> };
}
interface MockMonitorInternals {
    readonly mocks: pulumi.runtime.Mocks;
    readonly resources: Map<string, { urn: string; id: string | null; state: unknown }>;
    newUrn(parent: string, type: string, name: string): string;
    readResource(req: ReadResourceRequest, callback: ReadCallback): Promise<void>;
    registerResource(req: RegisterResourceRequest, callback: (err: unknown, response?: unknown) => void): Promise<void>;
}

/**
 * The SDK deserializes a registration's inputs for the mocks with every
 * secret lifted to the top of its property (`spec` whole, for a secret
 * `spec.assumeRoleExternalId`); the engine keeps a secret where the program
 * put it. This records the inputs with each secret back in its place, read
 * from the request as sent, so a plan shows and compares the rest.
 */
function recordSecretsWhereTheyAre(monitor: MockMonitorInternals, seen: Seen): void {
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) =>
        register(req, (err, response) => {
            const got = seen.get(`${req.getType()}::${req.getName()}`);
            if (err === null && got !== undefined) {
                const sent = req.getObject().toJavaScript();
                got.inputs = Object.fromEntries(Object.entries(got.inputs).map(([k, v]) => [k, secretsInPlace(v, sent[k])]));
            }
            callback(err, response);
        });
}

/** `lifted` (a deserialized value) with its secret markers where `sent` (the same value as serialized) has them. */
function secretsInPlace(lifted: unknown, sent: unknown): unknown {
    const value = isSecretMarker(lifted) ? (lifted as { value: unknown }).value : lifted;
    if (isSecretMarker(sent)) {
        return secretMarker(value);
    }
    if (Array.isArray(value) && Array.isArray(sent)) {
        return value.map((v, i) => secretsInPlace(v, sent[i]));
    }
    if (isPlain(value) && isPlain(sent)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretsInPlace(v, sent[k])]));
    }
    return value;
}

function isPlain(value: unknown): value is Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return false;
    }
    const prototype: unknown = Object.getPrototypeOf(value);
    return prototype === Object.prototype || prototype === null;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ReadResourceResponse } = require("@pulumi/pulumi/proto/resource_pb") as { ReadResourceResponse: new () => ReadResourceResponse };

/** An answer as the monitor sends it: the serialized state, and as a protocol Struct. */
interface SerializedAnswer {
    state: Record<string, unknown>;
    properties: Struct;
}

/** Serialized stack reference answers, by the referenced stack's outputs object, then by the rest of the answer. */
const servedAnswers = new WeakMap<object, Map<string, Promise<SerializedAnswer>>>();

/**
 * The mock monitor serializes every answer of the mocks, and a stack
 * reference's answer is the referenced stack's outputs: every cluster stack
 * of a fleet would serialize the network stack's outputs, which list every
 * cluster, again. This answers stack reads as the monitor does, but serializes
 * an answer holding the same outputs object (the fleet shares one per network
 * stack, frozen) only the first time: served outputs must not change after.
 */
function serveStackReferencesOnce(monitor: MockMonitorInternals): void {
    const read = monitor.readResource.bind(monitor);
    monitor.readResource = async (req, callback) => {
        if (req.getType() !== "pulumi:pulumi:StackReference") {
            return read(req, callback);
        }
        try {
            const answer = await monitor.mocks.newResource({
                type: req.getType(),
                name: req.getName(),
                inputs: pulumi.runtime.deserializeProperties(req.getProperties()),
                provider: req.getProvider(),
                custom: true,
                id: req.getId(),
            });
            // The request's properties are a Struct: the class that serializes the answer.
            const struct = req.getProperties().constructor as unknown as { fromJavaScript(value: unknown): Struct };
            const serialize = async (state: Record<string, unknown>): Promise<SerializedAnswer> => {
                const serialized = (await pulumi.runtime.serializeProperties("", state)) as Record<string, unknown>;
                return { state: serialized, properties: struct.fromJavaScript(serialized) };
            };
            const state = (answer.state ?? {}) as Record<string, unknown>;
            const { outputs, ...rest } = state;
            let serialized: Promise<SerializedAnswer>;
            if (typeof outputs === "object" && outputs !== null) {
                const byRest = servedAnswers.get(outputs) ?? new Map<string, Promise<SerializedAnswer>>();
                servedAnswers.set(outputs, byRest);
                const key = JSON.stringify(rest);
                serialized = byRest.get(key) ?? serialize(state);
                byRest.set(key, serialized);
                serialized.catch(() => byRest.delete(key));
            } else {
                serialized = serialize(state);
            }
            const { state: sent, properties } = await serialized;
            const urn = monitor.newUrn(req.getParent(), req.getType(), req.getName());
            monitor.resources.set(urn, { urn, id: answer.id ?? null, state: sent });
            const response = new ReadResourceResponse();
            response.setUrn(urn);
            response.setProperties(properties);
            callback(null, response);
        } catch (err) {
            callback(err, undefined);
        }
    };
}
