import * as path from "path";
import { ConfigError } from "../../components/internal";
import { ParsedArgs } from "../args";
import { InputError, checkConfigDir } from "../input-files";
import { CliIo } from "../io";
import { ShiftArgs, shiftArgs } from "./args";
import type { ShiftClients } from "./aws";
import { readNetworkConfig, configuredWeights, NetworkConfigFile } from "./config-file";
import { stickiness } from "./preflight";
import { renderSchedule } from "./report";
import { Schedule, planSchedule } from "./schedule";

/** What is decided before any AWS call: the config file, the schedule, each step's bake and the warnings. */
export interface Planned {
    /** The config file's absolute path. */
    file: string;
    config: NetworkConfigFile;
    schedule: Schedule;
    bakeMs: number;
    warnings: string[];
}

/**
 * `shared-alb shift` with its command line parsed: reads the network config
 * file and outputs, plans the schedule (refusals exit 2), prints it for
 * `--dry-run`, else runs it against AWS and prints the report. Exit codes:
 * 0 done, 1 error, 2 usage or refused, 4 rolled back, 130 interrupted.
 */
export async function run(parsed: ParsedArgs, io: CliIo): Promise<number> {
    const args = shiftArgs(parsed);
    try {
        return await shift(args, io);
    } catch (e) {
        if (e instanceof ConfigError || e instanceof InputError) {
            io.stderr.write(`shared-alb shift: ${e.message}\n`);
            return 2;
        }
        throw e;
    }
}

/** The schedule, the config file and the bake, from the arguments alone (no AWS); throws `ConfigError` or `InputError`. */
export function planned(args: ShiftArgs, io: CliIo): Planned {
    const configDir = path.resolve(io.cwd, args.configDir);
    checkConfigDir(configDir, args.configDir, args.configDirGiven);
    const file = path.join(configDir, `Pulumi.${args.stack}.yaml`);
    const config = readNetworkConfig(file, path.join(args.configDir, `Pulumi.${args.stack}.yaml`));
    const schedule = planSchedule({
        target: args.to,
        services: args.services,
        steps: args.steps,
        weights: configuredWeights(config.fleet),
        clusters: config.fleet.clusters,
        key: config.key,
    });
    return { file, config, schedule, ...stickiness(config.fleet, schedule, args) };
}

/**
 * The shift with its clients made by `clients` (tests pass their own; by
 * default the SDK's). `--dry-run` prints the schedule and loads no AWS SDK;
 * the rest of the run is loaded only when it runs.
 */
export async function shift(
    args: ShiftArgs,
    io: CliIo,
    clients?: (env: NodeJS.ProcessEnv, region: string) => ShiftClients,
): Promise<number> {
    const plan = planned(args, io);
    if (args.dryRun) {
        io.stdout.write(
            args.json
                ? `${JSON.stringify({ ...plan.schedule, bakeMs: plan.bakeMs, warnings: plan.warnings }, null, 2)}\n`
                : renderSchedule(plan.schedule, plan.config.shown) + plan.warnings.map(w => `warning: ${w}\n`).join(""),
        );
        return 0;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const live = require("./live") as typeof import("./live");
    return live.execute(args, io, plan, clients);
}
