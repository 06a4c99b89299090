/**
 * Values known only later: a Pulumi Output (recognised by its brand, so the
 * pure modules load no SDK) or a promise, as an argument typed `Input<T>`
 * may be.
 */
import { isDataMap } from "./data";

/** Whether a value is known only later: an Output or a promise. */
export function isLater(value: unknown): boolean {
    if (typeof value !== "object" || value === null) {
        return false;
    }
    return Reflect.get(value, "__pulumiOutput") === true || typeof Reflect.get(value, "then") === "function";
}

/** Whether a value is, or holds anywhere inside lists and objects, a value known only later. */
export function containsLater(value: unknown): boolean {
    if (isLater(value)) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.some(containsLater);
    }
    return isPlainObject(value) && Object.values(value).some(containsLater);
}

/** An object literal (not a class instance such as a resource, which may refer to itself). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
    if (typeof value !== "object" || value === null) {
        return false;
    }
    const prototype: unknown = Object.getPrototypeOf(value);
    return prototype === Object.prototype || prototype === null || isDataMap(value);
}

/** A copy of `value` with every value known only later replaced by `stand`, for messages. */
export function withoutLater(value: unknown, stand: string): unknown {
    if (isLater(value)) {
        return stand;
    }
    if (Array.isArray(value)) {
        return value.map(v => withoutLater(v, stand));
    }
    if (isPlainObject(value) && containsLater(value)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutLater(v, stand)]));
    }
    return value;
}
