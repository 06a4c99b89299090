import { expect } from "chai";
import * as util from "util";
import { ConfigError, ConfigErrors } from "../../components/internal/errors";

describe("ConfigError / ConfigErrors under util.inspect", () => {
    // Pulumi's runtime inspects every uncaught error in colour. A stack frame of
    // @pulumi/pulumi's source-mapped files reads `node_modules/@pulumi/resource.ts`,
    // and colouring that makes Node 20 loop until the string overflows (~30 s, 3 GB).
    const sdkFrame = "    at Stack.initializeAndRegisterOutputs (/app/node_modules/@pulumi/resource.ts:1687:22)";

    it("inspects as its stack, as it is, even with a source-mapped @pulumi frame", () => {
        const one = new ConfigError("clusters.blue.weight", 1000, "expected an integer from 0 to 999");
        one.stack = `ConfigError: ${one.message}\n${sdkFrame}`;
        expect(util.inspect(one, { colors: true })).to.equal(one.stack);
        const all = new ConfigErrors([one, new ConfigError("accountId", 12345678901, "expected a 12-digit AWS account ID")]);
        all.stack = `ConfigErrors: ${all.message}\n${sdkFrame}`;
        expect(util.inspect(all, { colors: true })).to.equal(all.stack);
        expect(util.inspect({ nested: all })).to.contain("ConfigErrors: 2 configuration errors:");
    });

    it("keeps its marks out of its enumerable properties", () => {
        const e = new ConfigError("accountId", 1, "expected a 12-digit AWS account ID");
        expect(Object.keys(e).sort()).to.deep.equal(["allowed", "name", "path", "value"]);
    });
});
