//! Placeholder until the converter lands.
pub(crate) struct Converted {
    pub root: serde_json::Value,
    pub origins: Vec<(String, String)>,
    pub diagnostics: Vec<crate::diagnostics::Diagnostic>,
}
pub(crate) fn convert(document: &serde_json::Value) -> Converted {
    let mut root = document.clone();
    root["openapi"] = "3.0.3".into();
    Converted { root, origins: Vec::new(), diagnostics: Vec::new() }
}
