/**
 * The package schema that `pulumi package add` generates other languages'
 * SDKs from, derived as the SDK's component provider derives it (its
 * analyzer compiles the TypeScript sources of tsconfig.json), written to
 * schema.json at the root, which the plugin serves
 * (components/provider/plugin.ts). tests/component/provider-schema.test.ts
 * derives it again and fails when the file differs.
 *
 *   npm run schema      write schema.json
 */
import * as fs from "fs";
import * as path from "path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { ClusterAttachment, SharedAlb } from "../index";
import { SchemaFile } from "../components/provider/provider";

const Root = path.resolve(__dirname, "..");

/** The schema file's text: the derived schema, two-space indented, one trailing newline. */
export async function derivedSchemaText(): Promise<string> {
    const provider = new ComponentProvider({ name: "shared-alb", dirname: Root, components: [SharedAlb, ClusterAttachment] });
    return `${JSON.stringify(JSON.parse(await provider.getSchema()), null, 2)}\n`;
}

/** Where the package ships it. */
export const schemaPath = path.join(Root, SchemaFile);

if (require.main === module) {
    derivedSchemaText()
        .then(text => fs.writeFileSync(schemaPath, text))
        .catch(e => {
            console.error(e);
            process.exitCode = 1;
        });
}
