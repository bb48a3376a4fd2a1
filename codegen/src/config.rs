//! `oas.toml`: the settings of every command in one file.
//!
//! `[generate]` holds every generation option the command line has; `[lint]`, `[diff]` and
//! `[mock]` are reserved for the contract tools and hold nothing yet. Unknown keys are errors
//! with the file, line and column. Relative paths are read from the file's folder.
//!
//! Options that widen what a document may read (`allow-remote-refs`, `allow-refs-outside`) are
//! taken only from a file the user names (`--config`, [`crate::Builder::from_config`]): a file
//! merely found in the current folder may have come with the document, and a document must not
//! be able to grant itself the network or the rest of the disk.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::subset::Subset;
use crate::Options;

/// The file name commands look for in the current folder.
pub const FILE_NAME: &str = "oas.toml";

/// How a configuration file was found, which decides what it may set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Named by the user: every key is read.
    Named,
    /// Found in the current folder: keys that widen what a document may read are refused.
    Found,
}

/// The `[generate]` section. Every key is optional; the command line overrides each.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct GenerateConfig {
    /// The document.
    pub spec: Option<PathBuf>,
    /// The folder of the generated crate.
    pub out: Option<PathBuf>,
    /// The crate's package name.
    pub name: Option<String>,
    /// The folder of the oas-runtime crate to depend on.
    pub runtime_path: Option<PathBuf>,
    /// The oas-runtime version to depend on.
    pub runtime_version: Option<String>,
    /// The path generated code reaches the runtime by (`::oas_runtime` unless re-exported).
    pub runtime_module: Option<String>,
    /// Generate the server.
    pub server: Option<bool>,
    /// Generate the client.
    pub client: Option<bool>,
    /// Generate the reference docs.
    pub docs: Option<bool>,
    /// Fail when the document has warnings.
    pub deny_warnings: Option<bool>,
    /// Derives added to every schema type.
    pub extra_derives: Option<Vec<String>>,
    /// Enums fail on values the document does not list.
    pub closed_enums: Option<bool>,
    /// List every loosely typed schema.
    pub list_loose: Option<bool>,
    /// Generate only the operations with these tags.
    pub tags: Option<Vec<String>>,
    /// Generate only these operations.
    pub operations: Option<Vec<String>>,
    /// Leave out the operations with these tags.
    pub exclude_tags: Option<Vec<String>>,
    /// Leave out these operations.
    pub exclude_operations: Option<Vec<String>>,
    /// Hosts remote `$ref`s may be fetched from (named files only).
    pub allow_remote_refs: Option<toml::Spanned<Vec<String>>>,
    /// Folders `$ref`s may read besides the document's (named files only).
    pub allow_refs_outside: Option<toml::Spanned<Vec<PathBuf>>>,
    /// Schema name → the Rust type to use instead of generating one.
    pub types: Option<std::collections::BTreeMap<String, String>>,
    /// Format → the Rust type to use for it.
    pub formats: Option<std::collections::BTreeMap<String, String>>,
    /// Honour each schema's `x-rust-type`.
    pub x_rust_type: Option<bool>,
    /// A cargo feature per tag.
    pub features_per_tag: Option<bool>,
}

/// A section reserved for a later version: no key is read from it yet.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Reserved {}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    generate: GenerateConfig,
    /// Added to the generated crate's `[dependencies]`, for the crates provided types live in.
    #[serde(default)]
    dependencies: toml::Table,
    // Read only so that a key in them is an error rather than silently ignored.
    #[serde(default, rename = "lint")]
    _lint: Reserved,
    #[serde(default, rename = "diff")]
    _diff: Reserved,
    #[serde(default, rename = "mock")]
    _mock: Reserved,
}

/// A configuration file, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its `[generate]` section, paths made relative to the current folder.
    pub generate: GenerateConfig,
    /// Its `[dependencies]`, one manifest line each.
    pub dependencies: Vec<String>,
}

/// Why a configuration file cannot be used: its place and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line and column, when the reason has a place.
    pub position: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, column)) => write!(f, "{}:{line}:{column}: error: {}", self.path.display(), self.message),
            None => write!(f, "{}: error: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Reads the file at `path`.
    pub fn read(path: &Path, source: Source) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError {
            path: path.to_path_buf(),
            position: None,
            message: format!("cannot be read: {error}"),
        })?;
        Config::parse(&text, path, source)
    }

    /// `oas.toml` in the current folder, if there is one.
    pub fn find() -> Result<Option<Config>, ConfigError> {
        let path = Path::new(FILE_NAME);
        if !path.is_file() {
            return Ok(None);
        }
        Config::read(path, Source::Found).map(Some)
    }

    /// Reads `text`, the contents of the file at `path`.
    pub fn parse(text: &str, path: &Path, source: Source) -> Result<Config, ConfigError> {
        let at = |span: Option<Range<usize>>, message: String| ConfigError {
            path: path.to_path_buf(),
            position: span.map(|span| line_column(text, span.start)),
            message,
        };
        let file: ConfigFile = toml::from_str(text).map_err(|error| at(error.span(), error.message().trim().to_string()))?;
        let mut generate = file.generate;
        if source == Source::Found {
            for (key, span) in [
                ("allow-remote-refs", generate.allow_remote_refs.as_ref().map(toml::Spanned::span)),
                ("allow-refs-outside", generate.allow_refs_outside.as_ref().map(toml::Spanned::span)),
            ] {
                if let Some(span) = span {
                    return Err(at(
                        Some(span),
                        format!("`{key}` widens what a document may read, so it is only taken from a file named with --config"),
                    ));
                }
            }
        }
        // Paths in the file are the file's folder's.
        let folder = path.parent().unwrap_or(Path::new(""));
        let relative = |path: &mut PathBuf| {
            if path.is_relative() {
                *path = folder.join(&*path);
            }
        };
        generate.spec.iter_mut().for_each(relative);
        generate.out.iter_mut().for_each(relative);
        generate.runtime_path.iter_mut().for_each(relative);
        if let Some(folders) = &mut generate.allow_refs_outside {
            folders.get_mut().iter_mut().for_each(relative);
        }
        let dependencies = file.dependencies.iter().map(|(name, value)| format!("{} = {value}", toml_key(name))).collect();
        Ok(Config { path: path.to_path_buf(), generate, dependencies })
    }
}

impl GenerateConfig {
    /// `options` with what this section sets.
    pub fn apply(&self, mut options: Options) -> Options {
        if let Some(server) = self.server {
            options.server = server;
        }
        if let Some(client) = self.client {
            options.client = client;
        }
        if let Some(docs) = self.docs {
            options.docs = docs;
        }
        if let Some(deny) = self.deny_warnings {
            options.deny_warnings = deny;
        }
        if let Some(derives) = &self.extra_derives {
            options.extra_derives = derives.clone();
        }
        if let Some(closed) = self.closed_enums {
            options.open_enums = !closed;
        }
        if let Some(module) = &self.runtime_module {
            options.runtime_path = module.clone();
        }
        options.subset = self.subset();
        if let Some(per_tag) = self.features_per_tag {
            options.features_per_tag = per_tag;
        }
        options.types = crate::overrides::TypeOverrides {
            schemas: self.types.clone().unwrap_or_default().into_iter().collect(),
            formats: self.formats.clone().unwrap_or_default().into_iter().collect(),
            x_rust_type: self.x_rust_type.unwrap_or(false),
        };
        options
    }

    /// The subset this section chooses.
    pub fn subset(&self) -> Subset {
        let list = |names: &Option<Vec<String>>| names.clone().unwrap_or_default();
        Subset {
            tags: list(&self.tags),
            operations: list(&self.operations),
            exclude_tags: list(&self.exclude_tags),
            exclude_operations: list(&self.exclude_operations),
        }
    }
}

/// A TOML key as written in a manifest: bare when it can be, quoted otherwise.
fn toml_key(name: &str) -> String {
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        name.to_string()
    } else {
        toml::Value::String(name.to_string()).to_string()
    }
}

/// The 1-based line and column of byte `offset` of `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, source: Source) -> Result<Config, String> {
        Config::parse(text, Path::new("conf/oas.toml"), source).map_err(|error| error.to_string())
    }

    #[test]
    fn every_generation_option_is_read_and_paths_are_the_files_folders() {
        let config = parse(
            "[generate]\nspec = 'api/openapi.yaml'\nout = '/abs/out'\nclosed-enums = true\nextra-derives = ['Hash']\ntags = ['pets']\nserver = false\n\n[lint]\n",
            Source::Found,
        )
        .unwrap();
        assert_eq!(config.generate.spec, Some(PathBuf::from("conf/api/openapi.yaml")));
        assert_eq!(config.generate.out, Some(PathBuf::from("/abs/out")));
        let options = config.generate.apply(Options::default());
        assert!(!options.open_enums && !options.server && options.client);
        assert_eq!((options.extra_derives, options.subset.tags), (vec!["Hash".to_string()], vec!["pets".to_string()]));
    }

    #[test]
    fn types_formats_and_dependencies_are_read() {
        let text = "[generate]\ntypes = { Pet = 'my::Pet' }\nformats = { date-time = 'jiff::Timestamp' }\nx-rust-type = true\n\n[dependencies]\njiff = { version = '0.2', features = ['serde'] }\n\"my types\" = '1'\n";
        let config = parse(text, Source::Found).unwrap();
        assert_eq!(config.dependencies, ["jiff = { features = [\"serde\"], version = \"0.2\" }", "\"my types\" = \"1\""]);
        let types = config.generate.apply(Options::default()).types;
        assert_eq!(types.schemas, [("Pet".to_string(), "my::Pet".to_string())]);
        assert_eq!(types.formats, [("date-time".to_string(), "jiff::Timestamp".to_string())]);
        assert!(types.x_rust_type);
    }

    #[test]
    fn unknown_keys_are_errors_at_their_place() {
        assert_eq!(
            parse("[generate]\nspec = 'a.yaml'\n  clsoed-enums = true\n", Source::Named).unwrap_err().lines().next().unwrap(),
            "conf/oas.toml:3:3: error: unknown field `clsoed-enums`, expected one of `spec`, `out`, `name`, `runtime-path`, `runtime-version`, `runtime-module`, `server`, `client`, `docs`, `deny-warnings`, `extra-derives`, `closed-enums`, `list-loose`, `tags`, `operations`, `exclude-tags`, `exclude-operations`, `allow-remote-refs`, `allow-refs-outside`, `types`, `formats`, `x-rust-type`, `features-per-tag`"
        );
        assert!(parse("[lint]\nrules = 1\n", Source::Named).unwrap_err().starts_with("conf/oas.toml:2:1: error: unknown field `rules`"));
        let wrong_section = parse("[generat]\n", Source::Named).unwrap_err();
        assert!(wrong_section.starts_with("conf/oas.toml:1:2: error: unknown field `generat`"), "{wrong_section}");
        assert!(parse("[generate]\ntags = 'pets'\n", Source::Named).unwrap_err().starts_with("conf/oas.toml:2:8: error: invalid type"));
    }

    #[test]
    fn only_a_named_file_may_widen_what_a_document_reads() {
        let text = "[generate]\nallow-remote-refs = ['example.com']\nallow-refs-outside = ['../shared']\n";
        assert!(parse(text, Source::Found)
            .unwrap_err()
            .starts_with("conf/oas.toml:2:21: error: `allow-remote-refs` widens what a document may read"));
        let named = parse(text, Source::Named).unwrap();
        assert_eq!(named.generate.allow_refs_outside.unwrap().into_inner(), [PathBuf::from("conf/../shared")]);
    }
}
