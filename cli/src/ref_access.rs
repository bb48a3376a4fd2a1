//! The options every command that reads a document shares: where its `$ref`s may read from
//! besides the document's own folder. They come only from the command line, never from a file
//! found beside a document, because a document is somebody else's input.

use std::path::{Path, PathBuf};

use clap::Args;
use oas_codegen::fetch::{AllowedHost, RemoteAccess};
use oas_codegen::load::{self, Document, LoadOptions};

#[derive(Args, Clone, Default)]
pub struct RefAccess {
    /// Fetch remote `$ref`s (http, https) from these hosts, e.g. `schemas.example.com,127.0.0.1:8080`
    /// [default: none; a remote `$ref` is an error]. A host without a port allows every port.
    #[arg(long, value_name = "HOST[:PORT],...", value_delimiter = ',')]
    pub allow_remote_refs: Vec<AllowedHost>,
    /// Follow `$ref`s into this folder too, besides the document's own (may be repeated) [default:
    /// a `$ref` leading outside the document's folder is an error].
    #[arg(long, value_name = "DIR")]
    pub allow_refs_outside: Vec<PathBuf>,
}

impl RefAccess {
    pub fn options(&self) -> LoadOptions {
        LoadOptions {
            remote: RemoteAccess { hosts: self.allow_remote_refs.clone(), ..RemoteAccess::default() },
            allow_refs_outside: self.allow_refs_outside.clone(),
            ..LoadOptions::default()
        }
    }

    /// Reads the document at `spec` with every file its references lead to, or the error as
    /// `FILE:LINE:COL: error [POINTER]: MESSAGE`.
    pub fn load(&self, spec: &Path) -> Result<Document, String> {
        load::load_file_with(spec, &self.options()).map_err(|error| error.to_string())
    }
}
