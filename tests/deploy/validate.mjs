// Validates Kubernetes manifests against the API's schemas as kubernetes-models compiles them:
// types, formats, required fields and enums (`completionMode: Indexd` is refused). It does not
// refuse unknown fields; kubernetes-validate --strict, the other validator of tests/deploy.rs,
// does.
// Prints `ok FILE KIND NAME` or `refused FILE KIND NAME: WHY` per document; exits 1 when any
// document is refused or has no model, 2 on a file that is not YAML.
// Usage: node validate.mjs FILE…
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

let refused = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length > 0) {
      console.log(`refused ${file}: not YAML: ${doc.errors[0].message}`);
      process.exit(2);
    }
    const object = doc.toJS();
    if (object === null) continue;
    const { apiVersion, kind } = object;
    const name = object.metadata?.name ?? "";
    // kubernetes-models/<group>/<version>/<Kind>, the core group being bare: v1/ConfigMap.
    let Model;
    try {
      ({ [kind]: Model } = await import(`kubernetes-models/${apiVersion}/${kind}`));
    } catch {
      Model = undefined;
    }
    if (typeof Model !== "function") {
      console.log(`refused ${file} ${kind} ${name}: no model for ${apiVersion} ${kind}`);
      refused++;
      continue;
    }
    try {
      new Model(object).validate();
      console.log(`ok ${file} ${kind} ${name}`);
    } catch (err) {
      const why = (err.errors ?? [{ message: err.message }])
        .map((e) => {
          const allowed = e.params?.allowedValues ? ` (${e.params.allowedValues.join(", ")})` : "";
          return `${e.instancePath ?? ""} ${e.message}${allowed}`;
        })
        .join("; ");
      console.log(`refused ${file} ${kind} ${name}: ${why}`);
      refused++;
    }
  }
}
process.exit(refused > 0 ? 1 : 0);
