/**
 * A structured config value (`alb-fleet:network`, `alb-fleet:cluster`), as
 * the engine passes it to a program: a JSON string, read as data. Pure: no
 * Pulumi runtime.
 */
import { DocumentError, parseJsonData, refuseReservedKeys, ConfigError } from "../components/internal";

/**
 * Parses the JSON text of config key `key` (full, e.g. `alb-fleet:network`)
 * as data: maps without prototypes, nested within the document limits.
 * Throws `ConfigError` naming the key when the text is not such data.
 */
export function configDocument(text: string, key: string): unknown {
    try {
        const doc = parseJsonData(text);
        refuseReservedKeys(doc);
        return doc;
    } catch (e) {
        if (e instanceof DocumentError) {
            // The value as received, cut short: a refused document may be megabytes.
            const shown = text.length > 120 ? `${text.slice(0, 117)}...` : text;
            throw new ConfigError(e.path === "" ? key : `${key}.${e.path}`, shown, e.reason);
        }
        throw e;
    }
}
