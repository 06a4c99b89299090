/**
 * Values known only later: a Pulumi Output (recognised by its brand, so the
 * pure modules load no SDK) or a promise, as an argument typed `Input<T>`
 * may be.
 */
import { isDataMap } from "./data";

/** Whether a value is known only later: an Output or a promise. */
export function isUnresolved(value: unknown): boolean {
    if (typeof value !== "object" || value === null) {
        return false;
    }
    return Reflect.get(value, "__pulumiOutput") === true || typeof Reflect.get(value, "then") === "function";
}

/** Whether a value is, or holds anywhere inside lists and objects, a value known only later. */
export function containsUnresolved(value: unknown): boolean {
    if (isUnresolved(value)) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.some(containsUnresolved);
    }
    return isPlainObject(value) && Object.values(value).some(containsUnresolved);
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
export function withUnresolvedShownAs(value: unknown, stand: string): unknown {
    if (isUnresolved(value)) {
        return stand;
    }
    if (Array.isArray(value)) {
        return value.map(v => withUnresolvedShownAs(v, stand));
    }
    if (isPlainObject(value) && containsUnresolved(value)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withUnresolvedShownAs(v, stand)]));
    }
    return value;
}
