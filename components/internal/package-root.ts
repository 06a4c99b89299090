/**
 * Where the package's own files are: the same answer from the TypeScript
 * sources (ts-node), from the compiled dist/ and from an installed copy in
 * node_modules, so files shipped beside the code (the schema, vendored
 * manifests) are found the same way in each.
 */
import * as fs from "fs";
import * as path from "path";

/** The package's root: the nearest directory above this module with the package's package.json (the sources' or dist's parent). */
export function packageRoot(from: string = __dirname): string {
    for (let dir = from; ; dir = path.dirname(dir)) {
        const manifest = path.join(dir, "package.json");
        if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name === "shared-alb") {
            return dir;
        }
        if (path.dirname(dir) === dir) {
            throw new Error(`no package.json of shared-alb above ${from}`);
        }
    }
}
