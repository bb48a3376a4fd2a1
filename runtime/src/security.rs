//! Security schemes as operations require them, and the credentials a request carried.

use crate::style::Location;

/// One security scheme as an operation requires it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    ApiKey {
        scheme: &'static str,
        location: Location,
        name: &'static str,
    },
    /// HTTP bearer, OAuth 2 and OpenID Connect: a token in `Authorization: Bearer`.
    Bearer {
        scheme: &'static str,
    },
    Basic {
        scheme: &'static str,
    },
}

/// A credential found in a request, with the scheme it answers.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    ApiKey { scheme: &'static str, key: String },
    Bearer { scheme: &'static str, token: String },
    Basic { scheme: &'static str, user: String, password: String },
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
