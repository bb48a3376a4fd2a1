//! The Swagger 2.0 row of `cargo xtask bench`: Kubernetes' 2.0 description, converted on load,
//! against the same API written out as 3.0 (what `oas convert --to 3.0` writes: the loaded
//! document's converted root), so that what the conversion costs shows as a ratio.

use std::path::Path;

use crate::bench_pair::{compare, Counts, Form, Prepared};

/// The Swagger 2.0 document, relative to the repository root.
pub const SOURCE: &str = "tests/corpus/swagger2/kubernetes-swagger.json";

/// Where its conversion is written, relative to the repository root.
pub const CONVERTED: &str = "target/bench-swagger2/kubernetes-3.0.json";

/// The child's side, before timing: writes the conversion and checks that it is the same API.
/// Prints `converted=PATH`, then what both forms have.
pub fn prepare(workspace: &Path) -> Result<String, String> {
    let source = workspace.join(SOURCE);
    let document = oas_codegen::load::load_file(&source).map_err(|error| error.to_string())?;
    let converted = workspace.join(CONVERTED);
    let io = |path: &Path, error: std::io::Error| format!("{}: {error}", path.display());
    if let Some(folder) = converted.parent() {
        std::fs::create_dir_all(folder).map_err(|error| io(folder, error))?;
    }
    // Indented like the 2.0 file, so that both forms cost the parser about as many bytes.
    let text = serde_json::to_vec_pretty(&document.root).map_err(|error| error.to_string())?;
    std::fs::write(&converted, text).map_err(|error| io(&converted, error))?;
    let mut out = format!("converted={}\n", converted.display());
    out.push_str(&Counts::same_api(("2.0", &Counts::of(&source)?), ("3.0", &Counts::of(&converted)?))?);
    Ok(out)
}

/// The parent's side: writes the conversion in a child, then times both forms alternately (see
/// [`crate::bench_pair`]).
pub fn bench_swagger2(workspace: &Path, binary: &Path, runs: usize) -> Result<String, String> {
    let prepared = Prepared::run(workspace, binary, "bench-swagger2-prepare")?;
    let source = workspace.join(SOURCE).to_string_lossy().into_owned();
    let converted = prepared.field("converted");
    let forms = (&Form { label: "kubernetes 3.0 (converted)", spec: &converted }, &Form { label: "kubernetes-swagger.json (2.0)", spec: &source });
    let table = compare(workspace, binary, runs, forms, "2.0 / 3.0", &prepared.notes)?;
    Ok(format!("Swagger 2.0 (Kubernetes' 2.0 description, converted on load, against its conversion given as 3.0)\n{table}"))
}
