//! Where parameters travel and how they are written: shared by servers (reading) and clients
//! (writing).

/// Where a parameter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A segment of the path template, `{name}`.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie of the `Cookie` header.
    Cookie,
    /// The request body: for violations its readers find there (a form body is parsed as a
    /// query string and its violations moved here). [`parse`] finds no parameters in it.
    Body,
}

impl Location {
    /// The name OpenAPI's `in` uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
            Location::Body => "body",
        }
    }
}

pub use oas_wire::Style;
