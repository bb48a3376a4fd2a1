//! Finding credentials in a request, scheme by scheme.

use http::request::Parts;

use crate::security::{Credential, Scheme};
use crate::style::Location;

/// The credential `scheme` asks for, if the request carries it.
pub fn find(parts: &Parts, scheme: &Scheme) -> Option<Credential> {
    match *scheme {
        Scheme::Bearer { scheme } => {
            let token = authorization(parts, "bearer")?;
            Some(Credential::Bearer { scheme, token: token.to_string() })
        }
        Scheme::Basic { scheme } => {
            let decoded = decode_base64(authorization(parts, "basic")?)?;
            let text = String::from_utf8(decoded).ok()?;
            let (user, password) = text.split_once(':')?;
            Some(Credential::Basic { scheme, user: user.to_string(), password: password.to_string() })
        }
        Scheme::ApiKey { scheme, location, name } => {
            let key = match location {
                Location::Query => parts.uri.query().and_then(|query| {
                    query.split('&').filter_map(|pair| pair.split_once('=')).find(|(key, _)| *key == name).map(|(_, value)| value.to_string())
                }),
                Location::Cookie => parts.headers.get_all(http::header::COOKIE).iter().filter_map(|value| value.to_str().ok()).find_map(|cookies| {
                    cookies
                        .split(';')
                        .filter_map(|pair| pair.trim().split_once('='))
                        .find(|(key, _)| *key == name)
                        .map(|(_, value)| value.to_string())
                }),
                _ => parts.headers.get(name).and_then(|value| value.to_str().ok()).map(str::to_string),
            }?;
            (!key.is_empty()).then_some(Credential::ApiKey { scheme, key })
        }
    }
}

/// The `WWW-Authenticate` challenges for the HTTP schemes among the requirements.
pub fn challenges(requirements: &[&[Scheme]]) -> Vec<&'static str> {
    let mut challenges = Vec::new();
    for scheme in requirements.iter().flat_map(|requirement| requirement.iter()) {
        let challenge = match scheme {
            Scheme::Bearer { .. } => "Bearer",
            Scheme::Basic { .. } => "Basic",
            Scheme::ApiKey { .. } => continue,
        };
        if !challenges.contains(&challenge) {
            challenges.push(challenge);
        }
    }
    challenges
}

/// The credentials after `Authorization: <kind> `, matched case-insensitively.
fn authorization<'p>(parts: &'p Parts, kind: &str) -> Option<&'p str> {
    let value = parts.headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let (given, rest) = value.split_once(' ')?;
    let rest = rest.trim();
    (given.eq_ignore_ascii_case(kind) && !rest.is_empty()).then_some(rest)
}

/// Standard base64 with optional padding; `None` for anything else.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(uri: &str, headers: &[(&str, &str)]) -> Parts {
        let mut request = http::Request::builder().uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).unwrap().into_parts().0
    }

    #[test]
    fn finds_each_kind_of_credential() {
        let bearer = Scheme::Bearer { scheme: "token" };
        assert_eq!(find(&parts("/", &[("authorization", "Bearer abc")]), &bearer), Some(Credential::Bearer { scheme: "token", token: "abc".into() }));
        assert_eq!(find(&parts("/", &[("authorization", "Basic abc")]), &bearer), None);
        let basic = Scheme::Basic { scheme: "login" };
        // "aladdin:opensesame"
        let found = find(&parts("/", &[("authorization", "basic YWxhZGRpbjpvcGVuc2VzYW1l")]), &basic);
        assert_eq!(found, Some(Credential::Basic { scheme: "login", user: "aladdin".into(), password: "opensesame".into() }));
        assert_eq!(find(&parts("/", &[("authorization", "Basic !!")]), &basic), None);
        let header_key = Scheme::ApiKey { scheme: "key", location: Location::Header, name: "X-API-Key" };
        assert_eq!(find(&parts("/", &[("x-api-key", "k1")]), &header_key), Some(Credential::ApiKey { scheme: "key", key: "k1".into() }));
        let query_key = Scheme::ApiKey { scheme: "key", location: Location::Query, name: "api_key" };
        assert_eq!(find(&parts("/x?a=1&api_key=k2", &[]), &query_key), Some(Credential::ApiKey { scheme: "key", key: "k2".into() }));
        let cookie_key = Scheme::ApiKey { scheme: "key", location: Location::Cookie, name: "session" };
        assert_eq!(find(&parts("/", &[("cookie", "a=1; session=k3")]), &cookie_key), Some(Credential::ApiKey { scheme: "key", key: "k3".into() }));
    }

    #[test]
    fn challenges_name_the_http_schemes() {
        let requirements: &[&[Scheme]] = &[&[Scheme::Bearer { scheme: "a" }], &[Scheme::Basic { scheme: "b" }, Scheme::Bearer { scheme: "c" }]];
        assert_eq!(challenges(requirements), vec!["Bearer", "Basic"]);
    }
}
