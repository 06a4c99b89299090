// Preloaded (`node -r .bench/probe.js`) into every process the plan bench
// measures: reports, at exit, when `@pulumi/pulumi` had finished loading and
// when the process ended (ms since the process started) and its peak RSS,
// as one line on stderr: `bench-probe {...}`.
import Module from "module";
import { performance } from "perf_hooks";

interface Loader {
    _load(request: string, parent: unknown, isMain: boolean): unknown;
}

const loader = Module as unknown as Loader;
const load = loader._load;
let sdkLoadedMs: number | undefined;
let loadingSdk = false;
loader._load = function (request: string, parent: unknown, isMain: boolean): unknown {
    // The first `require("@pulumi/pulumi")`, whoever makes it, ends the SDK load.
    const first = sdkLoadedMs === undefined && !loadingSdk && request === "@pulumi/pulumi";
    loadingSdk ||= first;
    try {
        return load.call(this, request, parent, isMain);
    } finally {
        if (first) {
            sdkLoadedMs = performance.now();
        }
    }
};

process.on("exit", () => {
    const report = { sdkLoadedMs: sdkLoadedMs ?? null, exitMs: performance.now(), maxRssKb: process.resourceUsage().maxRSS };
    process.stderr.write(`bench-probe ${JSON.stringify(report)}\n`);
});
