/**
 * The repository as a Pulumi plugin: PulumiPlugin.yaml has the nodejs
 * language host start `@pulumi/pulumi/cmd/run-plugin <root>`, which loads
 * the package's entry point and serves every component it exports through
 * the SDK's `ComponentProvider`. That provider derives the schema by
 * compiling the whole program of tsconfig.json, tens of seconds at each
 * start, and builds a component from its inputs as they arrive. When the
 * package is loaded by that launcher, for this package's directory, its
 * provider serves the shipped schema and resolves known Outputs given to
 * plain inputs instead (provider.ts). Any other use of the package, and any
 * other package's plugin in the same process, is left as it is.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { packageRoot } from "../internal/package-root";
import { ComponentClass, constructComponent, shippedSchema } from "./provider";

/** The SDK's component provider, as far as this module uses it (its members are private in the typings). */
interface SdkProvider {
    path: string;
    componentConstructors: Record<string, ComponentClass>;
    getSchema(): Promise<string>;
    construct(name: string, type: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<unknown>;
}

/** The launcher's path inside an SDK: `.../@pulumi/pulumi/cmd/run-plugin/index.js`. */
const Launcher = path.join("cmd", "run-plugin", "index.js");

/** The SDK copy that started this process as a plugin, or undefined when it was not started by the plugin launcher. */
export function launcherSdk(main: string | undefined = require.main?.filename): string | undefined {
    return main?.endsWith(path.join(path.sep, "pulumi", Launcher)) ? main.slice(0, -Launcher.length) : undefined;
}

/** Makes the SDK's provider class serve this package as described above; `root` is the package's directory. */
export function serveShippedSchema(providerClass: { prototype: object }, root: string): void {
    const proto = providerClass.prototype as SdkProvider;
    const getSchema = proto.getSchema;
    const construct = proto.construct;
    const ours = (p: SdkProvider): boolean => path.resolve(p.path) === root;
    proto.getSchema = function (this: SdkProvider) {
        const shipped = ours(this) ? shippedSchema(root) : undefined;
        return shipped === undefined ? getSchema.call(this) : Promise.resolve(shipped);
    };
    proto.construct = async function (this: SdkProvider, name, type, inputs, options) {
        if (!ours(this)) {
            return construct.call(this, name, type, inputs, options);
        }
        return constructComponent(await this.getSchema(), this.componentConstructors, name, type, inputs, options);
    };
}

/** Called once by the package's entry point: does something only in the plugin launcher. */
export function servePlugin(): void {
    const sdk = launcherSdk();
    if (sdk !== undefined) {
        // The launcher's own copy of the SDK: the class its host constructs.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { ComponentProvider } = require(path.join(sdk, "provider", "experimental", "provider")) as {
            ComponentProvider: { prototype: object };
        };
        serveShippedSchema(ComponentProvider, packageRoot());
    }
}
