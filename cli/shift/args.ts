import { CommandSpec, ParsedArgs, UsageError } from "../args";
import { formatDuration, parseDuration } from "./duration";

/** Parsed `shared-alb shift` arguments. */
export interface ShiftArgs {
    /** The cluster that gets the traffic. */
    to: string;
    /** The target's share (percent) of every selected service after each step, increasing. */
    steps: number[];
    /** The services to shift. @default every service the target cluster runs */
    services: string[];
    /** The command that deploys the network stack; required unless `dryRun`. */
    apply?: string;
    /** How long each step is watched before the next. @default 5m */
    bakeMs: number;
    /** How often the metrics are read during a bake (and the ALB while verifying). @default 1m */
    intervalMs: number;
    /** How long the ALB may take to show the new weights after the apply command. @default 10m */
    verifyTimeoutMs: number;
    /** The longest a bake is stretched to cover a stickiness cookie. @default 1h */
    maxBakeMs: number;
    /** The largest share of the target's requests that may end in a target 5xx, in percent. @default 1 */
    max5xxPercent: number;
    /** The largest p99 target response time of the target, in milliseconds. @default none: not judged */
    maxP99Ms?: number;
    /** Healthy targets each of the target's target groups needs before a step. @default 1 */
    minHealthy: number;
    /** The share the last step must reach. @default 100 */
    endAt: number;
    /** The network stack's outputs file; required unless `dryRun`. */
    networkOutputs?: string;
    /** @default "stacks/config" */
    configDir: string;
    /** Whether `--config-dir` was given (the default gets a hint when missing). */
    configDirGiven: boolean;
    /** @default "network" */
    stack: string;
    dryRun: boolean;
    json: boolean;
}

/** Usage text for `--help`. */
export const Usage = `Usage: shared-alb shift --to CLUSTER --steps P1,P2,...,100 --apply "COMMAND" --network-outputs FILE [options]

Moves traffic to one cluster in steps: before each step checks the target's health
on the ALB, writes the new weights into the network stack's config file (comments
and layout kept), runs COMMAND to deploy it, verifies the ALB's forward weights,
then watches CloudWatch for the bake time; a breach rolls back to the step before.

Options:
  --to CLUSTER                the cluster that gets the traffic
  --steps P1,P2,...           the target's share in percent after each step, increasing,
                              ending at 100 (or at --end-at)
  --service NAME              a service to shift (repeatable; default: every service the target runs)
  --apply "COMMAND"           deploys the network stack, run by sh after each edit
                              (e.g. "pulumi up --yes -s network"); not needed with --dry-run
  --network-outputs FILE|-    JSON of \`pulumi stack output --json -s network\` (rule and target group ARNs)
  --bake DURATION             how long each step is watched (default 5m; 0s: no bake)
  --interval DURATION         how often metrics (and the ALB, while verifying) are read (default 1m)
  --verify-timeout DURATION   how long the ALB may take to show the new weights (default 10m)
  --max-bake DURATION         the longest a bake is stretched to cover a stickiness cookie (default 1h)
  --max-5xx-percent P         roll back above this share of target 5xx on the target (default 1)
  --max-p99-ms MS             roll back above this p99 response time on the target (default: shown, not judged)
  --min-healthy N             healthy targets each target group of the target needs before a step (default 1)
  --end-at P                  the share the last step reaches (default 100)
  --config-dir DIR            directory of Pulumi.<stack>.yaml (default stacks/config)
  --stack NAME                the network stack (default network)
  --dry-run                   print the schedule per service and change nothing
  --json                      print a JSON report of every step, gate, sample and decision at the end
  -h, --help                  this text

Durations: an integer and a unit, ms, s, m or h (500ms, 30s, 5m, 1h, 1m30s).
Exit codes: 0 done, 1 error (a gate, the apply command or the verification failed),
2 usage or a refused request, 4 rolled back after a breach, 130 interrupted (Ctrl-C).
`;

/** `shared-alb shift`: what it accepts. */
export const ShiftCommand: CommandSpec = {
    name: "shift",
    summary: "move traffic to another cluster in gated, verified, metric-judged steps",
    usage: Usage,
    options: [
        { name: "to", value: "CLUSTER" },
        { name: "steps", value: "P1,P2,..." },
        { name: "service", value: "NAME", repeatable: true },
        { name: "apply", value: "COMMAND" },
        { name: "network-outputs", value: "FILE|-" },
        { name: "bake", value: "DURATION" },
        { name: "interval", value: "DURATION" },
        { name: "verify-timeout", value: "DURATION" },
        { name: "max-bake", value: "DURATION" },
        { name: "max-5xx-percent", value: "P" },
        { name: "max-p99-ms", value: "MS" },
        { name: "min-healthy", value: "N" },
        { name: "end-at", value: "P" },
        { name: "config-dir", value: "DIR" },
        { name: "stack", value: "NAME" },
        { name: "dry-run" },
        { name: "json" },
    ],
    inputErrorExit: 2,
};

const DurationAllowed = "expected a duration such as 30s, 5m or 1h (an integer and ms, s, m or h; at most 24h)";

/** A duration option: its value in milliseconds, `fallback` when absent; at least `min` ms. */
function duration(args: ParsedArgs, name: string, fallback: number, min: number): number {
    const raw = args.options.get(name);
    if (raw === undefined) {
        return fallback;
    }
    const ms = parseDuration(raw);
    if (ms === undefined) {
        throw new UsageError(`--${name}: got ${JSON.stringify(raw)}; ${DurationAllowed}`);
    }
    if (ms < min) {
        throw new UsageError(`--${name}: got ${JSON.stringify(raw)}; expected at least ${formatDuration(min)}`);
    }
    return ms;
}

/** A number option within [min, max] (integers only when `integer`); `fallback` when absent. */
function numberOption(
    args: ParsedArgs,
    name: string,
    range: { min: number; max: number; integer: boolean; allowed: string },
): number | undefined {
    const raw = args.options.get(name);
    if (raw === undefined) {
        return undefined;
    }
    const pattern = range.integer ? /^\d+$/ : /^\d+(\.\d+)?$/;
    const n = Number(raw);
    if (!pattern.test(raw) || n < range.min || n > range.max) {
        throw new UsageError(`--${name}: got ${JSON.stringify(raw)}; ${range.allowed}`);
    }
    return n;
}

/** `--steps`: percentages 1..100, each above the one before, the last `endAt`. */
export function parseSteps(raw: string, endAt: number): number[] {
    const parts = raw.split(",");
    if (!parts.every(p => /^\d+$/.test(p) && Number(p) >= 1 && Number(p) <= 100)) {
        throw new UsageError(
            `--steps: got ${JSON.stringify(raw)}; expected percentages from 1 to 100 separated by commas, such as 10,25,50,100`,
        );
    }
    const steps = parts.map(Number);
    const back = steps.findIndex((s, i) => i > 0 && s <= steps[i - 1]);
    if (back !== -1) {
        throw new UsageError(
            `--steps: got ${JSON.stringify(raw)}; expected each step above the one before (${steps[back]} follows ${steps[back - 1]})`,
        );
    }
    if (steps[steps.length - 1] !== endAt) {
        throw new UsageError(
            `--steps: got ${JSON.stringify(raw)}; expected the last step to be ${endAt}` +
                (endAt === 100 ? " (to stop at a lower share, name it with --end-at)" : " (--end-at)"),
        );
    }
    return steps;
}

/** The shift's arguments from the parsed command line; throws {@link UsageError}. */
export function shiftArgs(args: ParsedArgs): ShiftArgs {
    const value = (name: string) => args.options.get(name);
    const dryRun = args.flags.has("dry-run");
    const to = value("to");
    if (to === undefined) {
        throw new UsageError("--to CLUSTER is required (the cluster that gets the traffic)");
    }
    const endAt = numberOption(args, "end-at", { min: 1, max: 100, integer: true, allowed: "expected an integer from 1 to 100" }) ?? 100;
    const rawSteps = value("steps");
    if (rawSteps === undefined) {
        throw new UsageError("--steps is required (the target's share after each step, such as --steps 10,25,50,100)");
    }
    const steps = parseSteps(rawSteps, endAt);
    const apply = value("apply");
    if (apply === undefined && !dryRun) {
        throw new UsageError(
            '--apply "COMMAND" is required (the command that deploys the network stack, such as --apply "pulumi up --yes -s network"); only --dry-run does without it',
        );
    }
    const networkOutputs = value("network-outputs");
    if (networkOutputs === undefined && !dryRun) {
        throw new UsageError(
            "--network-outputs FILE|- is required (the JSON of `pulumi stack output --json -s network`); only --dry-run does without it",
        );
    }
    const maxP99Ms = numberOption(args, "max-p99-ms", {
        min: 1,
        max: 600_000,
        integer: false,
        allowed: "expected milliseconds from 1 to 600000",
    });
    return {
        to,
        steps,
        services: [...new Set(args.lists.get("service") ?? [])],
        ...(apply !== undefined ? { apply } : {}),
        bakeMs: duration(args, "bake", 5 * 60_000, 0),
        intervalMs: duration(args, "interval", 60_000, 100),
        verifyTimeoutMs: duration(args, "verify-timeout", 10 * 60_000, 0),
        maxBakeMs: duration(args, "max-bake", 3_600_000, 0),
        max5xxPercent:
            numberOption(args, "max-5xx-percent", { min: 0, max: 100, integer: false, allowed: "expected a percentage from 0 to 100" }) ??
            1,
        ...(maxP99Ms !== undefined ? { maxP99Ms } : {}),
        minHealthy:
            numberOption(args, "min-healthy", { min: 1, max: 1000, integer: true, allowed: "expected an integer from 1 to 1000" }) ?? 1,
        endAt,
        ...(networkOutputs !== undefined ? { networkOutputs } : {}),
        configDir: value("config-dir") ?? "stacks/config",
        configDirGiven: value("config-dir") !== undefined,
        stack: value("stack") ?? "network",
        dryRun,
        json: args.flags.has("json"),
    };
}
