import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import Module from "module";
import * as os from "os";
import * as path from "path";
import { CacheHome, CompileCacheHost, compileCacheDir, enableCompileCache, userCacheDir } from "../../cli/compile-cache";

const root = path.resolve(__dirname, "../..");
const linux = (env: NodeJS.ProcessEnv): CacheHome => ({ env, platform: "linux", home: "/home/ops" });

/** A `module` with `enableCompileCache`, recording the directories it was asked for. */
function host(calls: (string | undefined)[], fail = false): CompileCacheHost {
    return {
        enableCompileCache(dir?: string) {
            calls.push(dir);
            if (fail) {
                throw new Error("EACCES");
            }
            return { status: 1, directory: dir ?? "/from/NODE_COMPILE_CACHE" };
        },
    };
}

describe("cli/compile-cache", () => {
    it("puts the cache in the user's cache directory of each platform", () => {
        const cases: [CacheHome, string][] = [
            [linux({ XDG_CACHE_HOME: "/var/cache/ops" }), "/var/cache/ops/shared-alb/node-compile-cache"],
            [linux({}), "/home/ops/.cache/shared-alb/node-compile-cache"],
            // A relative XDG_CACHE_HOME is ignored, as the XDG spec says.
            [linux({ XDG_CACHE_HOME: "cache" }), "/home/ops/.cache/shared-alb/node-compile-cache"],
            [
                { env: { XDG_CACHE_HOME: "/x" }, platform: "darwin", home: "/Users/ops" },
                "/Users/ops/Library/Caches/shared-alb/node-compile-cache",
            ],
            [
                { env: { LOCALAPPDATA: "C:\\Users\\ops\\AppData\\Local" }, platform: "win32", home: "C:\\Users\\ops" },
                "C:\\Users\\ops\\AppData\\Local\\shared-alb\\Cache\\node-compile-cache",
            ],
            [
                { env: {}, platform: "win32", home: "C:\\Users\\ops" },
                "C:\\Users\\ops\\AppData\\Local\\shared-alb\\Cache\\node-compile-cache",
            ],
        ];
        for (const [at, want] of cases) {
            expect(compileCacheDir(at), JSON.stringify(at)).to.equal(want);
        }
        expect(userCacheDir(linux({}))).to.equal("/home/ops/.cache/shared-alb");
    });

    it("enables the runtime's compile cache there, or where NODE_COMPILE_CACHE says", () => {
        const calls: (string | undefined)[] = [];
        expect(enableCompileCache(host(calls), linux({ XDG_CACHE_HOME: "/c" }))).to.equal("/c/shared-alb/node-compile-cache");
        expect(enableCompileCache(host(calls), linux({ NODE_COMPILE_CACHE: "/mine" }))).to.equal("/from/NODE_COMPILE_CACHE");
        expect(calls).to.deep.equal(["/c/shared-alb/node-compile-cache", undefined]);
    });

    it("does nothing where the runtime has no compile cache, and never throws", () => {
        expect(enableCompileCache({}, linux({}))).to.equal(undefined);
        const calls: (string | undefined)[] = [];
        expect(enableCompileCache(host(calls, true), linux({}))).to.equal(undefined);
        expect(calls).to.have.length(1);
    });

    it("the bin uses it where this Node has it, and writes nothing where it has not", function () {
        this.timeout(120000);
        const cache = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-cache-"));
        const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache };
        delete env.NODE_COMPILE_CACHE;
        delete env.NODE_DISABLE_COMPILE_CACHE;
        const r = spawnSync(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", path.join(root, "cli/index.ts"), "plan", "--help"],
            { cwd: root, env, encoding: "utf8" },
        );
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout).to.match(/^Usage: shared-alb plan/);
        const written = fs.readdirSync(cache);
        if (typeof (Module as CompileCacheHost).enableCompileCache === "function") {
            expect(written).to.deep.equal(["shared-alb"]);
            expect(fs.readdirSync(path.join(cache, "shared-alb"))).to.deep.equal(["node-compile-cache"]);
        } else {
            // Node 20 (CI's first run; .ci/run runs the tests on Node 22 too): no compile cache, no directory, same output.
            expect(written).to.deep.equal([]);
        }
    });
});
