//! Security schemes as operations require them, and the credentials a request carried.

use crate::style::Location;

/// One security scheme as an operation requires it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// An API key in a header, a query parameter or a cookie.
    ApiKey {
        /// The scheme's name in the document's `securitySchemes`.
        scheme: &'static str,
        /// Where the key travels.
        location: Location,
        /// The name of the header, query parameter or cookie.
        name: &'static str,
    },
    /// HTTP bearer, OAuth 2 and OpenID Connect: a token in `Authorization: Bearer`.
    Bearer {
        /// The scheme's name in the document's `securitySchemes`.
        scheme: &'static str,
    },
    /// HTTP basic: a user and password in `Authorization: Basic`.
    Basic {
        /// The scheme's name in the document's `securitySchemes`.
        scheme: &'static str,
    },
}

/// A credential found in a request, with the scheme it answers.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// An API key.
    ApiKey {
        /// The name of the scheme it answers.
        scheme: &'static str,
        /// The key as sent.
        key: String,
    },
    /// A bearer token.
    Bearer {
        /// The name of the scheme it answers.
        scheme: &'static str,
        /// The token, without `Bearer `.
        token: String,
    },
    /// A user and password.
    Basic {
        /// The name of the scheme it answers.
        scheme: &'static str,
        /// The user, decoded.
        user: String,
        /// The password, decoded.
        password: String,
    },
}

impl std::fmt::Debug for Credential {
    // Secrets stay out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credential::ApiKey { scheme, .. } => write!(f, "ApiKey({scheme})"),
            Credential::Bearer { scheme, .. } => write!(f, "Bearer({scheme})"),
            Credential::Basic { scheme, user, .. } => write!(f, "Basic({scheme}, {user})"),
        }
    }
}

/// The credentials of the requirement a request satisfied (one per scheme of that requirement).
/// Servers put them in the request's extensions for handlers to read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Credentials(pub Vec<Credential>);

/// Why the application refused a request's credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// 401: missing, malformed or unknown credentials.
    Unauthorized(String),
    /// 403: valid credentials that may not perform this operation.
    Forbidden(String),
}
