import Module from "module";
import * as os from "os";
import * as path from "path";

/** The part of Node's `module` API this uses: `enableCompileCache` exists from Node 22.1. */
export interface CompileCacheHost {
    enableCompileCache?(cacheDir?: string): { status: number; message?: string; directory?: string } | undefined;
}

/** Where the process runs: its environment, platform and home directory. */
export interface CacheHome {
    env: NodeJS.ProcessEnv;
    platform: NodeJS.Platform;
    home: string;
}

/**
 * The user's cache directory for shared-alb: `$XDG_CACHE_HOME/shared-alb`
 * (an absolute XDG_CACHE_HOME only, as the XDG spec says), else
 * `~/.cache/shared-alb`; `~/Library/Caches/shared-alb` on macOS;
 * `%LOCALAPPDATA%\shared-alb\Cache` on Windows.
 */
export function userCacheDir({ env, platform, home }: CacheHome): string {
    if (platform === "win32") {
        return path.win32.join(env.LOCALAPPDATA || path.win32.join(home, "AppData", "Local"), "shared-alb", "Cache");
    }
    if (platform === "darwin") {
        return path.posix.join(home, "Library", "Caches", "shared-alb");
    }
    const xdg = env.XDG_CACHE_HOME;
    return path.posix.join(xdg !== undefined && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, ".cache"), "shared-alb");
}

/** Where the compile cache goes: `node-compile-cache` in the user's cache directory. */
export function compileCacheDir(at: CacheHome): string {
    return (at.platform === "win32" ? path.win32 : path.posix).join(userCacheDir(at), "node-compile-cache");
}

/**
 * Turns on Node's compile cache for the modules loaded from now on, kept in
 * `compileCacheDir`, so that the next run loads the Pulumi
 * SDKs from cached code. Where the runtime has no compile cache (Node before
 * 22.1) this does nothing. Node's own variables win: `NODE_COMPILE_CACHE=DIR`
 * picks the directory, `NODE_DISABLE_COMPILE_CACHE=1` turns it off. Never
 * throws (a cache is an optimisation). Returns the directory in use, if any.
 */
export function enableCompileCache(host: CompileCacheHost = Module as CompileCacheHost, where?: CacheHome): string | undefined {
    if (typeof host.enableCompileCache !== "function") {
        return undefined;
    }
    try {
        const at = where ?? { env: process.env, platform: process.platform, home: os.homedir() };
        const result = at.env.NODE_COMPILE_CACHE ? host.enableCompileCache() : host.enableCompileCache(compileCacheDir(at));
        return result?.directory;
    } catch {
        return undefined;
    }
}
