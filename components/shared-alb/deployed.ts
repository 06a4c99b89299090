/**
 * The deployed allocation (`deployedAllocation`): read from the arguments,
 * or taken from a network stack's previous outputs. Pure: no Pulumi runtime.
 */
import { dataMap } from "../internal/data";
import { integer, isRecord, map, nullAsAbsent, object, optional, Reader, withDefault } from "../internal/read";
import type { DeployedAllocationArgs } from "./args";
import type { DeployedAllocation } from "./allocate";
import { PriorityLayout } from "./precedence";

/** Listener rule priorities AWS allows. */
const MaxPriority = 50000;

/** `deployedAllocation`: priorities and preview slots by name, removed ones included. */
export const deployedAllocation: Reader<DeployedAllocation> = (p, path, value) => {
    const read = object<DeployedAllocationArgs>("expected { priorities?, previewSlots? }", {
        priorities: nullAsAbsent(optional(map(() => integer(1, MaxPriority), { notMap: "expected { <service>: priority }" }))),
        previewSlots: nullAsAbsent(
            optional(map(() => integer(1, PriorityLayout.previewSlots), { notMap: "expected { <cluster>: slot }" })),
        ),
    })(p, path, value);
    return read === undefined
        ? undefined
        : { priorities: dataMap(Object.entries(read.priorities ?? {})), previewSlots: dataMap(Object.entries(read.previewSlots ?? {})) };
};

/** `deployedAllocation` read leniently, absent when not given. */
export const optionalDeployedAllocation = nullAsAbsent(withDefault<DeployedAllocation | undefined>(deployedAllocation, undefined));

/**
 * The allocation a network stack's outputs record (`services.<name>.priority`,
 * `clusters.<key>.previewSlot`), whatever else they hold; entries that are
 * not whole numbers in range are left out. Absent or empty outputs (a stack
 * never deployed) give an empty allocation.
 */
export function deployedAllocationOf(outputs: unknown): DeployedAllocationArgs {
    const out: Required<DeployedAllocationArgs> = { priorities: dataMap<number>(), previewSlots: dataMap<number>() };
    const entries = (v: unknown) => (isRecord(v) ? Object.entries(v) : []);
    const whole = (v: unknown, max: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= max;
    const o = isRecord(outputs) ? outputs : {};
    for (const [name, s] of entries(o.services)) {
        if (isRecord(s) && whole(s.priority, MaxPriority)) {
            out.priorities[name] = s.priority;
        }
    }
    for (const [key, c] of entries(o.clusters)) {
        if (isRecord(c) && whole(c.previewSlot, PriorityLayout.previewSlots)) {
            out.previewSlots[key] = c.previewSlot;
        }
    }
    return out;
}
