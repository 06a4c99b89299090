// The package as a Pulumi plugin (PulumiPlugin.yaml): the component provider's
// analyzer reads the components' types from here. The npm entry point stays
// dist/components/index.js.
export * from "./components";
