import { AsyncLocalStorage } from "async_hooks";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { FakeCloud } from "./fake-cloud";
import { PlanOrganization, RecordedResource, runProgram } from "./mock-runtime";
import { own } from "../../components/internal";
import { ValuePath, findSecretPaths } from "./secrets";
import { LoadedConfigs, StackConfig, StackRole, loadStackConfigs, shortStackName } from "./config";

/** A stack program: reads its config and returns the stack outputs. */
export type StackProgram = () => Promise<Record<string, unknown>>;

/** How to plan a fleet. */
export interface FleetOptions {
    /** Directory of the `Pulumi.<stack>.yaml` files. */
    configDir: string;
    /** Plan only this stack (and the network stacks it reads); print only it. */
    stack?: string;
    /** Project name, for config keys and URNs. @default "alb-fleet" */
    project?: string;
    /** The program every stack runs. @default `runRole` of stacks/programs.ts */
    program?: StackProgram;
    /**
     * Outputs served to every cluster stack's network stack reference instead
     * of the planned ones (the real network stack's `pulumi stack output --json`).
     * The network stacks are then not planned.
     */
    networkOutputs?: Record<string, unknown>;
    /**
     * How many stacks run at once (network stacks first, then cluster
     * stacks). Stacks running together keep their pending Output graphs alive
     * together: one at a time plans a large fleet in the least memory, and no
     * slower than several at once (see bench/plan.ts).
     * @default 1
     */
    concurrency?: number;
    /**
     * The outputs of the stacks as deployed (`plan --compare BEFORE`'s), by
     * stack name: each network stack reads its own as `pulumi up` would, and
     * keeps the rule priorities and preview slots they record. Absent: every
     * network stack plans as never deployed.
     */
    deployedOutputs?: Record<string, Record<string, unknown>>;
}

/** One planned stack. */
export interface StackPlan {
    stack: string;
    role: StackRole;
    /** Absolute path of its config file. */
    file: string;
    accountId: string;
    region: string;
    resources: RecordedResource[];
    /** Plain stack outputs (secret values in clear; see `secretOutputPaths`). */
    outputs: Record<string, unknown>;
    /** Paths into `outputs` of values the program marked secret. */
    secretOutputPaths: ValuePath[];
    /** Config paths holding `secure:` values, planned with a placeholder. */
    securePaths: string[];
    /** Secret top-level output names of the stacks its stack references read, by referenced name. */
    referencedSecrets: Record<string, string[]>;
    /**
     * Where the secrets are in those outputs, by referenced name: the engine
     * keeps a stack reference's outputs with each secret in its place.
     */
    referencedSecretPaths: Record<string, ValuePath[]>;
    /** Values the fake cloud made up answering lookups of existing infrastructure, sorted (see `FakeCloud.assumed`). */
    assumedValues: string[];
}

/** The planned fleet: the stacks to print, network stacks first, each group by name. */
export interface FleetPlan {
    stacks: StackPlan[];
}

/** Something that stopped the plan: a config file or a stack program failed. */
export interface PlanProblem {
    stack?: string;
    file?: string;
    message: string;
}

/** The plan failed; nothing may be printed but these problems. */
export class PlanFailure extends Error {
    readonly problems: readonly PlanProblem[];

    constructor(problems: readonly PlanProblem[]) {
        super(problems.map(formatProblem).join("\n"));
        this.name = "PlanFailure";
        this.problems = problems;
    }
}

/** One problem as one (possibly multi-line) message naming its stack and file. */
export function formatProblem(p: PlanProblem): string {
    const where =
        p.stack !== undefined ? `stack ${p.stack}${p.file !== undefined ? ` (${path.basename(p.file)})` : ""}` : (p.file ?? "plan");
    const lines = p.message.split("\n");
    return [`${where}: ${lines[0]}`, ...lines.slice(1).map(l => (l === "" ? l : `  ${l}`))].join("\n");
}

/**
 * Plans the fleet offline: reads the configs, runs the network stacks, then
 * the cluster stacks with the network stacks' planned outputs served to their
 * stack references (`concurrency` stacks at a time). Throws `PlanFailure`
 * listing every config or program problem.
 */
export async function planFleet(options: FleetOptions): Promise<FleetPlan> {
    const project = options.project ?? "alb-fleet";
    const loaded: LoadedConfigs = loadStackConfigs(options.configDir, project);
    if (loaded.problems.length > 0) {
        throw new PlanFailure(loaded.problems);
    }
    const all = loaded.stacks;
    const networks = all.filter(s => s.role === "network");
    const clusters = all.filter(s => s.role === "cluster");
    const { reads, problems } = networkReads(options, project, networks, clusters);
    const wanted = wantedStacks(options, all);
    const relevant = (p: PlanProblem) => options.stack === undefined || p.stack === options.stack;
    if (problems.some(relevant)) {
        throw new PlanFailure(problems.filter(relevant));
    }

    const program = options.program ?? defaultProgram;
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
        throw new RangeError(`concurrency: got ${concurrency}; expected a whole number of stacks, at least 1`);
    }
    const toRunNetworks =
        options.networkOutputs !== undefined
            ? wanted.filter(s => s.role === "network")
            : networks.filter(n => wanted.includes(n) || wanted.some(w => w.role === "cluster" && (reads.get(w.stack) ?? []).includes(n)));
    const toRunClusters = wanted.filter(s => s.role === "cluster");

    return guardRejections(async sink => {
        const run = new FleetRun(sink, concurrency, program);
        await run.runAll(toRunNetworks, n => servedOwnOutputs(project, n, options.deployedOutputs));
        const networkOutputs = options.networkOutputs;
        await run.runAll(
            toRunClusters,
            networkOutputs !== undefined
                ? c => servedOverride(networkOutputs, networks, c)
                : c => run.servedFromPlans(c, reads.get(c.stack) ?? []),
        );
        // Let rejections nobody awaited surface before deciding.
        await settle();
        if (sink.length > 0) {
            const rank = (p: PlanProblem) => (all.find(x => x.stack === p.stack)?.role === "network" ? 0 : 1);
            throw new PlanFailure(dedupe(sink, rank));
        }
        return run.fleetPlan(wanted);
    });
}

/**
 * Which network stacks each cluster stack reads (all of them when it names
 * none), and a problem for each cluster stack naming a network stack that is
 * not in the fleet (unless `networkOutputs` stands in for the network).
 */
function networkReads(
    options: FleetOptions,
    project: string,
    networks: StackConfig[],
    clusters: StackConfig[],
): { reads: Map<string, StackConfig[]>; problems: PlanProblem[] } {
    const problems: PlanProblem[] = [];
    const reads = new Map<string, StackConfig[]>();
    for (const c of clusters) {
        if (c.networkStack === undefined) {
            reads.set(c.stack, networks);
            continue;
        }
        const short = shortStackName(c.networkStack);
        const match = networks.filter(n => n.stack === short);
        if (match.length === 0 && options.networkOutputs === undefined) {
            problems.push({
                stack: c.stack,
                file: c.file,
                message:
                    `${project}:cluster.networkStack: got ${JSON.stringify(c.networkStack)}; expected a network stack of ${options.configDir} ` +
                    `(network stacks: ${networks.map(n => n.stack).join(", ") || "none"})`,
            });
        }
        reads.set(c.stack, match);
    }
    return { reads, problems };
}

/** The stacks to print: all of them, or the one `options.stack` names (which must exist). */
function wantedStacks(options: FleetOptions, all: StackConfig[]): StackConfig[] {
    if (options.stack === undefined) {
        return all;
    }
    const one = all.find(s => s.stack === options.stack);
    if (one === undefined) {
        throw new PlanFailure([
            { message: `no stack ${JSON.stringify(options.stack)} in ${options.configDir} (stacks: ${all.map(s => s.stack).join(", ")})` },
        ]);
    }
    return [one];
}

/**
 * What a cluster stack's stack references are served when `networkOutputs`
 * stands in for the network: those outputs, under `network`, every network
 * stack's name and the name the cluster stack gives.
 */
function servedOverride(networkOutputs: Record<string, unknown>, networks: StackConfig[], c: StackConfig): Served {
    const served: Served = { outputs: { network: networkOutputs }, secrets: {}, secretPaths: {} };
    for (const n of networks) {
        served.outputs[n.stack] = networkOutputs;
    }
    if (c.networkStack !== undefined) {
        served.outputs[c.networkStack] = networkOutputs;
    }
    return served;
}

/**
 * What a network stack's reference to itself is served: its deployed
 * outputs when given, else none (the fake cloud answers a stack never
 * deployed).
 */
function servedOwnOutputs(project: string, n: StackConfig, deployed: Record<string, Record<string, unknown>> | undefined): Served {
    const served: Served = { outputs: {}, secrets: {}, secretPaths: {} };
    const outputs = own(deployed, n.stack);
    if (outputs !== undefined) {
        served.outputs[`${PlanOrganization}/${project}/${n.stack}`] = outputs;
    }
    return served;
}

/**
 * One run of the fleet's stacks: the stacks planned so far, the ones that
 * failed, and the frozen copies of network outputs served to cluster stacks.
 */
class FleetRun {
    private readonly planned = new Map<string, StackPlan>();
    /** One frozen copy of a network stack's outputs serves every stack that reads it. */
    private readonly shared = new Map<StackPlan, Record<string, unknown>>();
    private readonly failed = new Set<string>();

    constructor(
        private readonly sink: PlanProblem[],
        private readonly concurrency: number,
        private readonly program: StackProgram,
    ) {}

    /**
     * Runs a group of stacks, `concurrency` at a time, each in its own async
     * context; a stack `served` returns nothing for is skipped. Records each
     * plan, or the stack as failed with its problem.
     */
    async runAll(group: StackConfig[], served: (s: StackConfig) => Served | undefined): Promise<void> {
        const results = await settleEach(group, this.concurrency, s => {
            const stackServed = served(s);
            if (stackServed === undefined) {
                return Promise.resolve(undefined);
            }
            return stackContext.run({ stack: s, sink: this.sink }, () => runStack(s, stackServed, this.program));
        });
        results.forEach((r, i) => {
            const s = group[i];
            if (r.status === "fulfilled") {
                if (r.value !== undefined) {
                    this.planned.set(s.stack, r.value);
                }
            } else {
                this.failed.add(s.stack);
                this.sink.push({ stack: s.stack, file: s.file, message: errorMessage(r.reason) });
            }
        });
    }

    /**
     * What a cluster stack's stack references are served: the planned outputs
     * and secret output names of the network stacks it reads, under their
     * names and the name it gives. Nothing (a problem instead) when one failed.
     */
    servedFromPlans(c: StackConfig, sources: StackConfig[]): Served | undefined {
        const broken = sources.filter(n => this.failed.has(n.stack));
        if (broken.length > 0) {
            this.sink.push({
                stack: c.stack,
                file: c.file,
                message: `not planned: its network stack ${broken.map(n => n.stack).join(", ")} failed`,
            });
            return undefined;
        }
        const served: Served = { outputs: {}, secrets: {}, secretPaths: {} };
        for (const n of sources) {
            const plan = this.planned.get(n.stack)!;
            const secretNames = [...new Set(plan.secretOutputPaths.map(p => String(p[0])))].sort();
            const names = [
                n.stack,
                ...(c.networkStack !== undefined && shortStackName(c.networkStack) === n.stack ? [c.networkStack] : []),
            ];
            for (const name of names) {
                served.outputs[name] = this.sharedOutputs(plan);
                served.secrets[name] = secretNames;
                served.secretPaths[name] = plan.secretOutputPaths;
            }
        }
        return served;
    }

    /** The plans of the wanted stacks, network stacks first, each group by name. */
    fleetPlan(wanted: StackConfig[]): FleetPlan {
        const order = (s: StackConfig) => (s.role === "network" ? 0 : 1);
        return {
            stacks: [...wanted]
                .sort((a, b) => order(a) - order(b) || (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0))
                .map(s => this.planned.get(s.stack)!),
        };
    }

    private sharedOutputs(plan: StackPlan): Record<string, unknown> {
        let outputs = this.shared.get(plan);
        if (outputs === undefined) {
            outputs = deepFreeze(clone(plan.outputs));
            this.shared.set(plan, outputs);
        }
        return outputs;
    }
}

/** What a stack's stack references are served: outputs, secret output names and secret paths, by referenced stack name. */
interface Served {
    outputs: Record<string, Record<string, unknown>>;
    secrets: Record<string, string[]>;
    secretPaths: Record<string, ValuePath[]>;
}

async function runStack(cfg: StackConfig, served: Served, program: StackProgram): Promise<StackPlan> {
    let secretOutputPaths: ValuePath[] = [];
    const cloud = new FakeCloud({
        accountId: cfg.accountId,
        region: cfg.region,
        stackOutputs: served.outputs,
        stackSecretOutputNames: served.secrets,
    });
    const run = await runProgram(
        {
            project: cfg.project,
            stack: cfg.stack,
            config: cfg.config,
            secretKeys: cfg.secretKeys,
            mocks: withInvokeDetails(cloud),
        },
        async () => {
            const raw = await program();
            secretOutputPaths = await findSecretPaths(raw);
            return raw;
        },
    );
    return {
        stack: cfg.stack,
        role: cfg.role,
        file: cfg.file,
        accountId: cfg.accountId,
        region: cfg.region,
        resources: run.resources,
        outputs: run.outputs,
        secretOutputPaths,
        securePaths: cfg.securePaths,
        referencedSecrets: served.secrets,
        referencedSecretPaths: served.secretPaths,
        assumedValues: [...cloud.assumed].sort(),
    };
}

/**
 * The SDK turns a failed invoke into `new Error(err.details)`, and an error
 * thrown by mocks has no `details`: the message would be lost. Copy it over.
 */
export function withInvokeDetails(mocks: pulumi.runtime.Mocks): pulumi.runtime.Mocks {
    const detailed = (e: unknown, token: string): unknown => {
        if (e instanceof Error && (e as Error & { details?: string }).details === undefined) {
            (e as Error & { details?: string }).details = `${token}: ${e.message}`;
        }
        return e;
    };
    return {
        newResource: args => mocks.newResource(args),
        call: args => {
            try {
                const result = mocks.call(args);
                return result instanceof Promise
                    ? result.catch(e => {
                          throw detailed(e, args.token);
                      })
                    : result;
            } catch (e) {
                throw detailed(e, args.token);
            }
        },
    };
}

function defaultProgram(): Promise<Record<string, unknown>> {
    // Loaded on first use: the stack programs pull in the cloud SDKs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const programs = require("../../stacks/programs") as { runRole: StackProgram };
    return programs.runRole();
}

/** The message of whatever a program threw, without a stack trace. */
export function errorMessage(reason: unknown): string {
    if (reason instanceof Error) {
        return reason.message || reason.name;
    }
    return typeof reason === "string" ? reason : (JSON.stringify(reason) ?? String(reason));
}

function clone(value: Record<string, unknown>): Record<string, unknown> {
    return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

function deepFreeze<T>(value: T): T {
    if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
        Object.freeze(value);
        Object.values(value).forEach(deepFreeze);
    }
    return value;
}

function dedupe(problems: PlanProblem[], rank: (p: PlanProblem) => number): PlanProblem[] {
    const seen = new Set<string>();
    const out: PlanProblem[] = [];
    for (const p of problems) {
        const key = `${p.stack ?? ""}\u0000${p.message}`;
        if (!seen.has(key)) {
            seen.add(key);
            out.push(p);
        }
    }
    // Stable order whatever order the concurrent stacks failed in: network
    // stacks (the likely cause) first, then by stack name.
    const name = (p: PlanProblem) => p.stack ?? "";
    return out.sort((a, b) => rank(a) - rank(b) || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
}

/**
 * `Promise.allSettled(items.map(run))`, with at most `limit` runs at once,
 * started in the order of `items`.
 */
export async function settleEach<T, R>(
    items: readonly T[],
    limit: number,
    run: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
    const results: PromiseSettledResult<R>[] = new Array(items.length);
    let next = 0;
    const worker = async (): Promise<void> => {
        while (next < items.length) {
            const i = next++;
            try {
                results[i] = { status: "fulfilled", value: await run(items[i]) };
            } catch (reason) {
                results[i] = { status: "rejected", reason };
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

function settle(): Promise<void> {
    return new Promise(resolve => setImmediate(() => setImmediate(resolve)));
}

// Unhandled rejections raised inside a stack's program (an `apply` that
// throws, a failed registration nobody awaits) carry the async context of
// the stack that caused them; they are collected as that stack's problems
// instead of crashing the process.
interface StackContext {
    stack: StackConfig;
    sink: PlanProblem[];
}
const stackContext = new AsyncLocalStorage<StackContext>();
const activeSinks = new Set<PlanProblem[]>();
let savedListeners: NodeJS.UnhandledRejectionListener[] = [];

function onUnhandledRejection(reason: unknown): void {
    const ctx = stackContext.getStore();
    if (ctx !== undefined) {
        ctx.sink.push({ stack: ctx.stack.stack, file: ctx.stack.file, message: errorMessage(reason) });
        return;
    }
    for (const sink of activeSinks) {
        sink.push({ message: `unattributed error in a stack program: ${errorMessage(reason)}` });
    }
}

async function guardRejections<T>(body: (sink: PlanProblem[]) => Promise<T>): Promise<T> {
    const sink: PlanProblem[] = [];
    if (activeSinks.size === 0) {
        savedListeners = process.listeners("unhandledRejection");
        process.removeAllListeners("unhandledRejection");
        process.on("unhandledRejection", onUnhandledRejection);
    }
    activeSinks.add(sink);
    try {
        return await body(sink);
    } finally {
        activeSinks.delete(sink);
        if (activeSinks.size === 0) {
            process.removeListener("unhandledRejection", onUnhandledRejection);
            for (const l of savedListeners) {
                process.on("unhandledRejection", l);
            }
            savedListeners = [];
        }
    }
}
