import { expect } from "chai";
import { FakeCloud, FakeCloudContext } from "../cli/plan/fake-cloud";
import { withInvokeDetails } from "../cli/plan/fleet";
import { ProgramRun, RecordedResource, runProgram } from "../cli/plan/mock-runtime";
import { isSecretMarker } from "../cli/plan/secrets";

/**
 * The one mock harness for component and stack tests: runs a program under
 * Pulumi's mock runtime with the offline plan's fake cloud, and records every
 * registration (type, name, inputs, outputs, parent, provider, options).
 */
export interface HarnessOptions extends Partial<FakeCloudContext> {
    project?: string;
    stack?: string;
    /** Full config keys (`alb-fleet:network`) to string values. */
    config?: Record<string, string>;
}

export class Run {
    constructor(readonly result: ProgramRun) {}

    get resources(): RecordedResource[] {
        return this.result.resources;
    }

    get outputs(): Record<string, any> {
        return this.result.outputs as Record<string, any>;
    }

    /** Every resource of one type token. */
    ofType(type: string): RecordedResource[] {
        return this.resources.filter(r => r.type === type);
    }

    /** The one resource of this type and logical name; fails the test when absent. */
    get(type: string, name: string): RecordedResource {
        const found = this.resources.filter(r => r.type === type && r.name === name);
        expect(
            found,
            `${type} ${name} (have: ${
                this.ofType(type)
                    .map(r => r.name)
                    .join(", ") || "none"
            })`,
        ).to.have.length(1);
        return found[0];
    }

    /** The resource with this URN; fails the test when absent. */
    byUrn(urn: string): RecordedResource {
        const found = this.resources.find(r => r.urn === urn);
        expect(found, `resource ${urn}`).to.not.equal(undefined);
        return found!;
    }

    /** `type::name` of every resource, sorted, for whole-inventory assertions. */
    inventory(): string[] {
        return this.resources.map(r => `${r.type}::${r.name}`).sort();
    }
}

export async function run(program: () => unknown, options: HarnessOptions = {}): Promise<Run> {
    const mocks = new FakeCloud({
        accountId: options.accountId ?? "111111111111",
        region: options.region ?? "eu-west-1",
        stackOutputs: options.stackOutputs,
        calls: options.calls,
        namespaces: options.namespaces,
        crds: options.crds,
        oidcProviders: options.oidcProviders,
    });
    const result = await runProgram(
        {
            project: options.project ?? "alb-fleet",
            stack: options.stack ?? "test",
            config: options.config,
            // Failed invokes keep their message, as in the engine and the plan.
            mocks: withInvokeDetails(mocks),
        },
        program,
    );
    return new Run(result);
}

/** Runs a program that must fail, and returns the error it failed with. */
export async function runError(program: () => unknown, options: HarnessOptions = {}): Promise<Error> {
    try {
        await run(program, options);
    } catch (e) {
        return e as Error;
    }
    throw new Error("expected the program to fail, but it succeeded");
}

/**
 * Runs a program whose body must throw, catching the error inside the
 * program so the run completes: the error, and the run to show what was
 * registered before it (a refusal registers nothing).
 */
export async function runRefused(program: () => unknown, options: HarnessOptions = {}): Promise<{ error: Error; run: Run }> {
    let error: Error | undefined;
    const recorded = await run(async () => {
        try {
            return await program();
        } catch (e) {
            error = e as Error;
            return {};
        }
    }, options);
    if (error === undefined) {
        throw new Error("expected the program to refuse, but it succeeded");
    }
    return { error, run: recorded };
}

/** The value of a recorded secret (`{ <sig>: <secret sig>, value }`); fails the test when the value is not a secret. */
export function secretValue(recorded: unknown): any {
    expect(isSecretMarker(recorded), `expected a secret, got ${JSON.stringify(recorded)}`).to.equal(true);
    return (recorded as { value: unknown }).value;
}
