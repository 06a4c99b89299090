import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { Comparison, compareFleet, CompareOptions } from "../../cli/plan/compare";
import { renderComparison } from "../../cli/plan/compare-output";
import { planFleet } from "../../cli/plan/fleet";
import { JsonPlan, toJsonPlan } from "../../cli/plan/render";
import { planSnapshots, resourceLabel } from "../../cli/plan/snapshot";

const ExampleDir = path.join(__dirname, "..", "..", "stacks", "config");

/** A fleet's config files: stack name -> the `config:` map of `Pulumi.<stack>.yaml`. */
export type FleetConfigs = Record<string, Record<string, any>>;

/** The example fleet's configs (stacks/config), to edit step by step. */
export function exampleFleet(): FleetConfigs {
    const out: FleetConfigs = {};
    for (const f of fs
        .readdirSync(ExampleDir)
        .filter(n => /^Pulumi\..+\.yaml$/.test(n))
        .sort()) {
        out[f.slice("Pulumi.".length, -".yaml".length)] = (
            parse(fs.readFileSync(path.join(ExampleDir, f), "utf8")) as { config: Record<string, any> }
        ).config;
    }
    return out;
}

/** Writes the configs as `Pulumi.<stack>.yaml` files into a fresh directory. */
export function writeFleet(configs: FleetConfigs): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-lifecycle-"));
    for (const [stack, config] of Object.entries(configs)) {
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify({ config }));
    }
    return dir;
}

/** One step of a lifecycle: the plan after it, and its comparison with the step before. */
export interface StepResult {
    name: string;
    dir: string;
    /** The plan of the step before (what `plan --json > before.json` wrote). */
    before: JsonPlan;
    plan: JsonPlan;
    comparison: Comparison;
}

/** A comparison in short: per stack its changes as `<kind> <Type> <name>`, then the flags as `[kind, message]`. */
export function summarize(c: Comparison): { changes: Record<string, string[]>; flags: [string, string][] } {
    return {
        changes: Object.fromEntries(c.stacks.map(s => [s.stack, s.changes.map(x => `${x.kind} ${resourceLabel(x)}`)])),
        flags: c.flags.map(f => [f.kind, f.message]),
    };
}

/** The comparison as `shared-alb plan --compare before.json` prints it. */
export function compareText(step: StepResult): string {
    return renderComparison(step.comparison, [{ file: "before.json", format: "plan", stacks: step.before.stacks.map(s => s.stack) }]);
}

/**
 * A fleet changed one config step at a time: each step edits the configs,
 * plans the fleet offline and compares the plan with the previous step's, as
 * `shared-alb plan --compare previous.json` would. Start it with `begin`.
 */
export class Lifecycle {
    private configs: FleetConfigs;
    private previous?: JsonPlan;
    readonly steps: StepResult[] = [];

    constructor(
        configs: FleetConfigs,
        private readonly options: CompareOptions = {},
    ) {
        this.configs = structuredClone(configs);
    }

    /** The configs as they are now (a copy). */
    current(): FleetConfigs {
        return structuredClone(this.configs);
    }

    /** Plans the starting configs (nothing to compare with). */
    async begin(): Promise<JsonPlan> {
        this.previous = toJsonPlan(await planFleet({ configDir: writeFleet(this.configs) }));
        return this.previous;
    }

    /** Edits the configs, plans them and compares with the previous plan; the step becomes the new baseline. */
    async step(name: string, edit: (configs: FleetConfigs) => void, options: CompareOptions = this.options): Promise<StepResult> {
        const result = await this.tryStep(name, edit, options);
        this.configs = result.configs;
        this.previous = result.step.plan;
        this.steps.push(result.step);
        return result.step;
    }

    /** Like `step`, but leaves the lifecycle where it was: for the unsafe shortcut of a step. */
    async shortcut(name: string, edit: (configs: FleetConfigs) => void, options: CompareOptions = this.options): Promise<StepResult> {
        return (await this.tryStep(name, edit, options)).step;
    }

    private async tryStep(
        name: string,
        edit: (configs: FleetConfigs) => void,
        options: CompareOptions,
    ): Promise<{ configs: FleetConfigs; step: StepResult }> {
        if (this.previous === undefined) {
            throw new Error("call begin() first");
        }
        const configs = structuredClone(this.configs);
        edit(configs);
        const dir = writeFleet(configs);
        const plan = toJsonPlan(await planFleet({ configDir: dir }));
        const comparison = compareFleet(planSnapshots(this.previous, "before.json"), planSnapshots(plan), options);
        return { configs, step: { name, dir, before: this.previous, plan, comparison } };
    }
}
