//! Server variables: 3.0 says an `enum` SHOULD NOT be empty and the `default` SHOULD be one of
//! its values; 3.1 makes both MUST.

use serde_json::Value;

use super::join;
use crate::diagnostics::Diagnostic;

/// The servers of a document, Path Item or Operation (`servers`), or of a Link (`server`).
pub(super) fn upgrade(holder: &mut Value, pointer: &str, warnings: &mut Vec<Diagnostic>) {
    if let Some(Value::Array(servers)) = holder.get_mut("servers") {
        let servers_pointer = join(pointer, "servers");
        for (index, server) in servers.iter_mut().enumerate() {
            variables(server, &join(&servers_pointer, &index.to_string()), warnings);
        }
    }
    if let Some(server) = holder.get_mut("server") {
        variables(server, &join(pointer, "server"), warnings);
    }
}

fn variables(server: &mut Value, pointer: &str, warnings: &mut Vec<Diagnostic>) {
    let Some(Value::Object(variables)) = server.get_mut("variables") else { return };
    let variables_pointer = join(pointer, "variables");
    for (name, variable) in variables.iter_mut() {
        let Value::Object(variable) = variable else { continue };
        let at = |key: &str| join(&join(&variables_pointer, name), key);
        let default = variable.get("default").cloned();
        match variable.get_mut("enum") {
            Some(Value::Array(values)) if values.is_empty() => {
                variable.remove("enum");
                warnings.push(Diagnostic::warning(at("enum"), "an empty `enum` lists no value; 3.1 forbids it, so it is dropped"));
            }
            Some(Value::Array(values)) => {
                if let Some(default) = default.filter(|default| default.is_string() && !values.contains(default)) {
                    values.push(default);
                    warnings.push(Diagnostic::warning(at("default"), "the `default` is not in the `enum`, which 3.1 requires; added to it"));
                }
            }
            _ => {}
        }
    }
}
