/**
 * The package's `repository`, `homepage` and `bugs` fields, from one place:
 * the `origin` remote of the clone that makes the release. The repository's
 * home is wherever the releasing team keeps it, so the committed
 * package.json does not name one; the release step sets the fields
 * (`npm run release:fields`) and `npm publish` refuses a package.json whose
 * fields are missing or disagree with the remote (`prepublishOnly`).
 *
 *   ts-node --transpile-only tools/release-fields.ts set     write the fields from `git remote get-url origin`
 *   ts-node --transpile-only tools/release-fields.ts check   exit 1 unless package.json has exactly those fields
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** The three package.json fields npm shows on the package's page. */
export interface RepositoryFields {
    repository: { type: "git"; url: string };
    homepage: string;
    bugs: { url: string };
}

/** `https://host/owner/name(.git)`, `git+https://...`, `ssh://git@host/owner/name.git` or `git@host:owner/name.git`. */
const Forms: RegExp[] = [
    /^(?:git\+)?https:\/\/(?:[^@/]+@)?([^/:]+)\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/,
    /^(?:git\+)?ssh:\/\/[^@/]+@([^/:]+)(?::\d+)?\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/,
    /^[^@/]+@([^/:]+):([^/]+)\/([^/]+?)(?:\.git)?\/?$/,
];

/** The fields for a git remote URL; a URL of no hosted form is refused with what is accepted. */
export function repositoryFields(remote: string): RepositoryFields {
    for (const form of Forms) {
        const m = form.exec(remote.trim());
        if (m) {
            const web = `https://${m[1]}/${m[2]}/${m[3]}`;
            return { repository: { type: "git", url: `git+${web}.git` }, homepage: `${web}#readme`, bugs: { url: `${web}/issues` } };
        }
    }
    throw new Error(
        `origin remote: got ${JSON.stringify(remote)}; expected a hosted repository URL (https://<host>/<owner>/<name>, git@<host>:<owner>/<name>.git or ssh://git@<host>/<owner>/<name>.git)`,
    );
}

/** What differs between package.json and the fields: the names of the fields to fix, in order. */
export function fieldsToFix(pkg: Record<string, unknown>, want: RepositoryFields): string[] {
    return (Object.keys(want) as (keyof RepositoryFields)[]).filter(k => JSON.stringify(pkg[k]) !== JSON.stringify(want[k]));
}

function main(argv: string[]): number {
    const root = path.resolve(__dirname, "..");
    const file = path.join(root, "package.json");
    const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    const remote = execFileSync("git", ["remote", "get-url", "origin"], { cwd: root, encoding: "utf8" });
    const want = repositoryFields(remote);
    const fix = fieldsToFix(pkg, want);
    if (argv[0] === "set") {
        fs.writeFileSync(file, `${JSON.stringify({ ...pkg, ...want }, null, 2)}\n`);
        return 0;
    }
    if (argv[0] === "check") {
        if (fix.length > 0) {
            console.error(
                `package.json: ${fix.join(", ")} missing or not those of the origin remote ${remote.trim()}; run npm run release:fields`,
            );
            return 1;
        }
        return 0;
    }
    console.error("usage: release-fields.ts set|check");
    return 2;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
