//! Fetching `$ref`s that point at `http://` and `https://` URLs, from hosts the user allows.
//!
//! An OpenAPI document is often someone else's input: a vendor's file, a copy from a wiki, a
//! pull request. Its `$ref`s name what the generator reads, and what they read ends up in the
//! generated crate (its types, its doc comments, the embedded copy of the document). So a
//! document alone must not make the generator reach out to any host it likes: a remote reference
//! is refused unless its host is in [`RemoteAccess::hosts`] (the CLI's
//! `--allow-remote-refs HOST[:PORT],...`), every redirect is checked against the same list before
//! it is followed, and a fetch is bounded in time and size, so a slow or endless server cannot
//! stall or flood a build.
//!
//! The HTTP client sits behind this crate's `remote-refs` cargo feature, which the `oas` CLI
//! turns on. Without it, [`AllowedHost`] and [`RemoteAccess::allows`] work as usual and
//! [`RemoteAccess::fetch`] returns an error, so a build script that uses this crate compiles no
//! HTTP or TLS client.
//!
//! A fetch is blocking and uses no async runtime, so it may be called from inside a tokio
//! runtime; it holds that thread until it ends (within [`RemoteAccess::timeout`]).

use std::fmt;
use std::net::Ipv6Addr;
use std::str::FromStr;
use std::time::Duration;

/// The most redirects one [`RemoteAccess::fetch`] follows.
#[cfg_attr(not(feature = "remote-refs"), allow(dead_code))]
const MAX_REDIRECTS: usize = 5;

/// A host that remote references may be read from, parsed from `HOST` or `HOST:PORT`
/// (`example.com`, `example.com:8443`, `127.0.0.1:8080`, `[::1]:8080`).
///
/// Without a port it allows every port of that host.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AllowedHost {
    /// Lowercased; an IPv6 address in its canonical form, without brackets.
    host: String,
    port: Option<u16>,
}

impl AllowedHost {
    /// The host name or address, lowercased; an IPv6 address without its brackets.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port, or `None` when every port is allowed.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    fn allows(&self, target: &Target) -> bool {
        self.host == target.host && self.port.is_none_or(|port| port == target.effective_port())
    }
}

impl FromStr for AllowedHost {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        const FORM: &str = "write HOST or HOST:PORT, such as example.com, example.com:8443 or [::1]:8080";
        let text = text.trim();
        let reason = if text.is_empty() {
            return Err(format!("an allowed host is empty; {FORM}"));
        } else if text.contains("://") {
            "give the host alone, without a scheme"
        } else if text.contains(['/', '?', '#']) {
            "give the host alone, without a path"
        } else if text.contains('@') {
            "give the host alone, without a user name"
        } else {
            match parse_authority(text) {
                Ok((host, port)) => return Ok(AllowedHost { host, port }),
                Err(reason) => reason,
            }
        };
        Err(format!("`{text}` is not an allowed host ({reason}); {FORM}"))
    }
}

impl fmt::Display for AllowedHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_authority(f, &self.host, self.port)
    }
}

/// What remote references may be read: from which hosts, for how long and how much.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteAccess {
    /// The hosts references may be fetched from, redirects included. Empty (the default)
    /// refuses every remote reference.
    pub hosts: Vec<AllowedHost>,
    /// How long one fetch may take, from connecting to the end of the body, redirects included.
    /// 10 seconds by default.
    pub timeout: Duration,
    /// The largest body accepted, in bytes. 16 MiB by default.
    pub max_bytes: u64,
}

impl Default for RemoteAccess {
    fn default() -> Self {
        RemoteAccess { hosts: Vec::new(), timeout: Duration::from_secs(10), max_bytes: 16 * 1024 * 1024 }
    }
}

impl RemoteAccess {
    /// Whether `url` may be fetched: an `http` or `https` URL without user information whose host
    /// (compared case-insensitively) is in [`hosts`](Self::hosts), with an allowed port (the
    /// scheme's when the URL gives none). The fragment is ignored. A URL with characters it
    /// should have percent-encoded is refused rather than guessed at.
    pub fn allows(&self, url: &str) -> bool {
        Target::parse(url).is_ok_and(|target| self.allows_target(&target))
    }

    fn allows_target(&self, target: &Target) -> bool {
        self.hosts.iter().any(|host| host.allows(target))
    }

    /// Reads the document at `url` (its fragment is ignored) with a blocking `GET`.
    ///
    /// The URL must be [allowed](Self::allows), and so must every redirect, which is followed
    /// here, at most 5 times, only once its target is checked. The whole fetch must end within
    /// [`timeout`](Self::timeout), the body must be at most [`max_bytes`](Self::max_bytes) of
    /// UTF-8, and the final status must be 2xx; anything else is an error naming the URL.
    ///
    /// Without this crate's `remote-refs` feature it always returns an error saying so.
    pub fn fetch(&self, url: &str) -> Result<String, FetchError> {
        #[cfg(feature = "remote-refs")]
        {
            let target = Target::parse(url).map_err(|reason| FetchError::new(url, format!("refusing to fetch {url}: it {reason}")))?;
            if !self.allows_target(&target) {
                return Err(FetchError::new(url, format!("refusing to fetch {url}: {}", not_allowed(&target))));
            }
            http::get(self, url, target)
        }
        #[cfg(not(feature = "remote-refs"))]
        {
            Err(FetchError::new(url, format!("cannot fetch {url}: this build of oas-codegen was compiled without the `remote-refs` feature")))
        }
    }
}

/// Why [`RemoteAccess::fetch`] read nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    url: String,
    message: String,
}

impl FetchError {
    fn new(url: &str, message: String) -> Self {
        FetchError { url: url.to_string(), message }
    }

    /// The URL that was to be fetched, as given.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FetchError {}

/// An `http(s)` URL taken apart into what a request needs: no user information, no fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    https: bool,
    /// As in [`AllowedHost`].
    host: String,
    port: Option<u16>,
    /// The path and query, starting with `/`.
    path: String,
}

impl Target {
    /// Takes `url` apart, or says why it will not be fetched (a phrase that follows "it").
    fn parse(url: &str) -> Result<Target, &'static str> {
        let url = url.split_once('#').map_or(url, |(before, _)| before);
        // Only the characters RFC 3986 allows, so that the URL requested is the one checked: a
        // backslash, a space or a non-ASCII host is read differently by different parsers.
        if !url.chars().all(|c| c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c)) {
            return Err("has characters a URL must percent-encode");
        }
        let Some((scheme, rest)) = url.split_once("://") else {
            return Err("is not an http:// or https:// URL");
        };
        let https = match scheme.to_ascii_lowercase().as_str() {
            "https" => true,
            "http" => false,
            _ => return Err("is not an http:// or https:// URL"),
        };
        let (authority, path) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
        if authority.contains('@') {
            return Err("has user information (`user@`)");
        }
        let (host, port) = parse_authority(authority).map_err(|_| "has no valid host and port")?;
        let path = if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
        Ok(Target { https, host, port, path })
    }

    fn effective_port(&self) -> u16 {
        self.port.unwrap_or(if self.https { 443 } else { 80 })
    }

    fn scheme(&self) -> &'static str {
        if self.https {
            "https"
        } else {
            "http"
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://", self.scheme())?;
        write_authority(f, &self.host, self.port)?;
        f.write_str(&self.path)
    }
}

fn write_authority(f: &mut fmt::Formatter<'_>, host: &str, port: Option<u16>) -> fmt::Result {
    if host.contains(':') {
        write!(f, "[{host}]")?;
    } else {
        f.write_str(host)?;
    }
    match port {
        Some(port) => write!(f, ":{port}"),
        None => Ok(()),
    }
}

/// `HOST`, `HOST:PORT`, `[IPV6]` or `[IPV6]:PORT`, into a lowercased host (an IPv6 address in
/// canonical form, without brackets) and the port.
fn parse_authority(text: &str) -> Result<(String, Option<u16>), &'static str> {
    let (host, port) = if let Some(rest) = text.strip_prefix('[') {
        let (address, after) = rest.split_once(']').ok_or("an IPv6 address lacks its closing `]`")?;
        let address: Ipv6Addr = address.parse().map_err(|_| "the text in brackets is not an IPv6 address")?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':').ok_or("only `:PORT` may follow `]`")?),
        };
        (address.to_string(), port)
    } else {
        let (host, port) = match text.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        };
        if port.is_some_and(|port| port.contains(':')) {
            return Err("an IPv6 address goes in brackets, such as [::1]:8080");
        }
        if host.is_empty() {
            return Err("the host is empty");
        }
        if !host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_')) {
            return Err("a host name has only ASCII letters, digits, `-`, `.` and `_`");
        }
        (host.to_ascii_lowercase(), port)
    };
    let port = match port {
        None => None,
        Some(port) => match port.parse::<u16>() {
            Ok(number) if number != 0 && port.bytes().all(|b| b.is_ascii_digit()) => Some(number),
            _ => return Err("the port is not a number from 1 to 65535"),
        },
    };
    Ok((host, port))
}

/// The reason a target's host is refused, naming the host as the flag would take it.
#[cfg_attr(not(feature = "remote-refs"), allow(dead_code))]
fn not_allowed(target: &Target) -> String {
    let mut host = target.host.clone();
    if host.contains(':') {
        host = format!("[{host}]");
    }
    if let Some(port) = target.port {
        host = format!("{host}:{port}");
    }
    format!("host {host} is not in --allow-remote-refs")
}

/// Resolves a redirect's `Location` (absolute, `//host...`, `/path`, `path` or `?query`) against
/// the URL that answered it (RFC 3986, section 5.2), fragment dropped.
#[cfg_attr(not(feature = "remote-refs"), allow(dead_code))]
fn resolve(base: &Target, location: &str) -> String {
    let location = location.trim();
    let location = location.split_once('#').map_or(location, |(before, _)| before);
    let has_scheme = location.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic()) && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if has_scheme {
        return location.to_string();
    }
    if location.starts_with("//") {
        return format!("{}:{location}", base.scheme());
    }
    let origin = Target { path: String::new(), ..base.clone() };
    let base_path = base.path.split_once('?').map_or(base.path.as_str(), |(path, _)| path);
    let (path, query) = location.split_at(location.find('?').unwrap_or(location.len()));
    let path = if path.is_empty() {
        base_path.to_string()
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        let directory = &base_path[..base_path.rfind('/').map_or(0, |slash| slash + 1)];
        format!("{directory}{path}")
    };
    format!("{origin}{}{query}", remove_dot_segments(&path))
}

/// Removes `.` and `..` segments from an absolute path.
#[cfg_attr(not(feature = "remote-refs"), allow(dead_code))]
fn remove_dot_segments(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let mut kept: Vec<&str> = Vec::new();
    for (index, segment) in segments.iter().enumerate() {
        let last = index + 1 == segments.len();
        match *segment {
            "." => {}
            ".." => {
                kept.pop();
            }
            segment => {
                kept.push(segment);
                continue;
            }
        }
        if last {
            kept.push("");
        }
    }
    format!("/{}", kept.join("/"))
}

#[cfg(feature = "remote-refs")]
mod http {
    use std::time::Instant;

    use super::{not_allowed, resolve, FetchError, RemoteAccess, Target, MAX_REDIRECTS};

    /// Fetches `target`, already allowed, following redirects to allowed hosts only.
    pub(super) fn get(access: &RemoteAccess, url: &str, mut target: Target) -> Result<String, FetchError> {
        let fail = |reason: String| FetchError::new(url, format!("could not fetch {url}: {reason}"));
        let transport = |error: ureq::Error| match error {
            ureq::Error::Timeout(_) => fail(format!("no complete answer within {:?}", access.timeout)),
            ureq::Error::BodyExceedsLimit(_) => fail(format!("the body is larger than the limit of {} bytes", access.max_bytes)),
            error => fail(error.to_string()),
        };
        // `None` when the timeout is too large to add to now, so no limit.
        let deadline = Instant::now().checked_add(access.timeout);
        // ureq follows no redirect and treats no status as an error: both are decided here.
        let agent: ureq::Agent = ureq::Agent::config_builder().max_redirects(0).http_status_as_error(false).build().into();
        let mut redirects = 0;
        loop {
            let remaining = deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()));
            let request = agent.get(target.to_string()).config().timeout_global(remaining).build();
            let mut response = request.call().map_err(transport)?;
            let status = response.status();
            if matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
                let Some(location) = response.headers().get("location").and_then(|location| location.to_str().ok()) else {
                    return Err(fail(format!("the server answered {status} without a readable Location")));
                };
                if redirects == MAX_REDIRECTS {
                    return Err(fail(format!("it redirects more than {MAX_REDIRECTS} times")));
                }
                redirects += 1;
                let next_url = resolve(&target, location);
                let next = Target::parse(&next_url)
                    .map_err(|reason| FetchError::new(url, format!("refusing to fetch {url}: it redirects to {next_url}, which {reason}")))?;
                if !access.allows_target(&next) {
                    return Err(FetchError::new(url, format!("refusing to fetch {url}: it redirects to {next}, and {}", not_allowed(&next))));
                }
                target = next;
                continue;
            }
            if !status.is_success() {
                return Err(fail(format!("the server answered {status}")));
            }
            let body = response.body_mut().with_config().limit(access.max_bytes).read_to_vec().map_err(transport)?;
            return String::from_utf8(body).map_err(|_| fail("the body is not UTF-8".to_string()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_hosts_parse_and_display() {
        for (text, host, port, shown) in [
            ("example.com", "example.com", None, "example.com"),
            ("Example.COM:8443", "example.com", Some(8443), "example.com:8443"),
            ("127.0.0.1:8080", "127.0.0.1", Some(8080), "127.0.0.1:8080"),
            ("[::1]:8080", "::1", Some(8080), "[::1]:8080"),
            ("[0:0::1]", "::1", None, "[::1]"),
            (" api.example.com ", "api.example.com", None, "api.example.com"),
        ] {
            let parsed: AllowedHost = text.parse().unwrap_or_else(|error| panic!("{text}: {error}"));
            assert_eq!((parsed.host(), parsed.port()), (host, port), "{text}");
            assert_eq!(parsed.to_string(), shown);
            assert_eq!(parsed.to_string().parse::<AllowedHost>().as_ref(), Ok(&parsed));
        }
    }

    #[test]
    fn allowed_hosts_refuse_what_is_not_a_host() {
        for (text, reason) in [
            ("", "empty"),
            ("  ", "empty"),
            ("https://example.com", "without a scheme"),
            ("example.com/specs", "without a path"),
            ("user@example.com", "without a user name"),
            ("example.com:", "port"),
            ("example.com:http", "port"),
            ("example.com:70000", "port"),
            ("example.com:0", "port"),
            ("example.com:+80", "port"),
            ("::1", "in brackets"),
            ("[::1", "closing"),
            ("[not-v6]:80", "IPv6"),
            ("[::1]80", "`:PORT`"),
            ("exa mple.com", "ASCII letters"),
            ("bücher.example", "ASCII letters"),
            (":8080", "host is empty"),
        ] {
            let error = text.parse::<AllowedHost>().expect_err(text);
            assert!(error.contains(reason) && error.contains("HOST:PORT"), "{text:?}: {error}");
        }
    }

    fn access(hosts: &[&str]) -> RemoteAccess {
        RemoteAccess { hosts: hosts.iter().map(|host| host.parse().unwrap()).collect(), ..RemoteAccess::default() }
    }

    #[test]
    fn defaults_allow_nothing() {
        let access = RemoteAccess::default();
        assert_eq!((access.timeout, access.max_bytes), (Duration::from_secs(10), 16 << 20));
        assert!(!access.allows("https://example.com/openapi.yaml"));
    }

    #[test]
    fn allows_checks_scheme_host_and_port() {
        let allowed = access(&["example.com", "specs.example.org:8443", "127.0.0.1:8080", "[::1]"]);
        for url in [
            "https://example.com/a.yaml",
            "http://EXAMPLE.com:9999/a.yaml#/components/schemas/Pet",
            "HTTPS://example.com",
            "https://example.com?x=1",
            "https://specs.example.org:8443/a.yaml",
            "http://specs.example.org:8443/a.yaml",
            "http://127.0.0.1:8080/",
            "http://[::1]:3000/a.yaml",
            "http://[0::1]/a.yaml",
        ] {
            assert!(allowed.allows(url), "{url}");
        }
        for url in [
            "ftp://example.com/a.yaml",
            "file:///etc/passwd",
            "example.com/a.yaml",
            "//example.com/a.yaml",
            "https://evil.com/example.com",
            "https://example.com.evil.com/",
            "https://evil.com#@example.com",
            "https://user@example.com/a.yaml",
            "https://example.com@evil.com/a.yaml",
            "https://example.com\\@evil.com/",
            "https://example.com /a.yaml",
            "https://specs.example.org/a.yaml",
            "https://specs.example.org:443/a.yaml",
            "http://127.0.0.1/",
            "http://127.0.0.1:8081/",
            "http://[::2]/",
            "https://example.com:0/",
            "https:///a.yaml",
        ] {
            assert!(!allowed.allows(url), "{url}");
        }
        // A port in the list is compared with the scheme's when the URL gives none.
        assert!(access(&["example.com:443"]).allows("https://example.com/a.yaml"));
        assert!(!access(&["example.com:443"]).allows("http://example.com/a.yaml"));
    }

    #[test]
    fn redirects_resolve_against_the_url_that_answered() {
        let base = Target::parse("https://example.com:8443/specs/v1/api.yaml?x=1").unwrap();
        for (location, resolved) in [
            ("http://other.example/a.yaml", "http://other.example/a.yaml"),
            ("//other.example/a.yaml", "https://other.example/a.yaml"),
            ("/root.yaml", "https://example.com:8443/root.yaml"),
            ("common.yaml", "https://example.com:8443/specs/v1/common.yaml"),
            ("../v2/api.yaml?y=2#frag", "https://example.com:8443/specs/v2/api.yaml?y=2"),
            ("./", "https://example.com:8443/specs/v1/"),
            ("../../../..", "https://example.com:8443/"),
            ("?y=2", "https://example.com:8443/specs/v1/api.yaml?y=2"),
        ] {
            assert_eq!(resolve(&base, location), resolved, "{location}");
        }
        assert_eq!(base.to_string(), "https://example.com:8443/specs/v1/api.yaml?x=1");
    }

    #[cfg(not(feature = "remote-refs"))]
    #[test]
    fn fetch_without_the_feature_says_so() {
        let error = access(&["example.com"]).fetch("https://example.com/a.yaml").unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot fetch https://example.com/a.yaml: this build of oas-codegen was compiled without the `remote-refs` feature"
        );
        assert_eq!(error.url(), "https://example.com/a.yaml");
    }

    #[cfg(feature = "remote-refs")]
    mod http {
        use std::io::{ErrorKind, Read, Write};
        use std::net::TcpListener;
        use std::thread::{self, JoinHandle};
        use std::time::{Duration, Instant};

        use super::access;
        use crate::fetch::RemoteAccess;

        /// A response with `Content-Length` and `Connection: close`.
        fn reply(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
            let mut head = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            [head.as_bytes(), body].concat()
        }

        /// A listener on a free loopback port.
        fn listen() -> (TcpListener, u16) {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let port = listener.local_addr().unwrap().port();
            (listener, port)
        }

        /// Serves one connection per reply, in order: reads the request's head, writes the bytes,
        /// waits the pause, closes. The handle yields the request lines read.
        fn serve(listener: TcpListener, replies: Vec<(Vec<u8>, Duration)>) -> JoinHandle<Vec<String>> {
            thread::spawn(move || {
                let mut requests = Vec::new();
                for (bytes, pause) in replies {
                    let (mut stream, _) = listener.accept().unwrap();
                    let mut head = Vec::new();
                    let mut byte = [0];
                    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap() == 1 {
                        head.push(byte[0]);
                    }
                    let head = String::from_utf8(head).unwrap();
                    requests.push(head.lines().next().unwrap_or_default().to_string());
                    let _ = stream.write_all(&bytes);
                    thread::sleep(pause);
                }
                requests
            })
        }

        /// Asserts that nothing connected to `listener`.
        fn assert_untouched(listener: &TcpListener) {
            listener.set_nonblocking(true).unwrap();
            assert_eq!(listener.accept().map(|_| ()).unwrap_err().kind(), ErrorKind::WouldBlock);
        }

        #[test]
        fn fetches_a_document_from_an_allowed_host() {
            let (listener, port) = listen();
            let server = serve(listener, vec![(reply("200 OK", &[], b"openapi: 3.1.0\n"), Duration::ZERO)]);
            let url = format!("http://127.0.0.1:{port}/specs/api.yaml#/components/schemas/Pet");
            assert_eq!(access(&[&format!("127.0.0.1:{port}")]).fetch(&url).unwrap(), "openapi: 3.1.0\n");
            assert_eq!(server.join().unwrap(), ["GET /specs/api.yaml HTTP/1.1"]);
        }

        #[test]
        fn refuses_a_host_not_allowed_without_connecting() {
            let (listener, port) = listen();
            let url = format!("http://127.0.0.1:{port}/api.yaml");
            for access in [access(&[]), access(&["example.com", "127.0.0.1:1"])] {
                let error = access.fetch(&url).unwrap_err();
                assert_eq!(error.to_string(), format!("refusing to fetch {url}: host 127.0.0.1:{port} is not in --allow-remote-refs"));
            }
            let error = access(&["example.com"]).fetch("https://user@example.com/a.yaml").unwrap_err();
            assert_eq!(error.to_string(), "refusing to fetch https://user@example.com/a.yaml: it has user information (`user@`)");
            assert_untouched(&listener);
        }

        #[test]
        fn follows_redirects_to_allowed_hosts() {
            let (first, first_port) = listen();
            let (second, second_port) = listen();
            let elsewhere = format!("http://127.0.0.1:{second_port}/moved/here.yaml");
            let first = serve(first, vec![(reply("302 Found", &[("Location", &elsewhere)], b""), Duration::ZERO)]);
            let second = serve(
                second,
                vec![
                    (reply("301 Moved Permanently", &[("Location", "../final.yaml")], b""), Duration::ZERO),
                    (reply("200 OK", &[], b"{}"), Duration::ZERO),
                ],
            );
            let url = format!("http://127.0.0.1:{first_port}/api.yaml");
            assert_eq!(access(&["127.0.0.1"]).fetch(&url).unwrap(), "{}");
            assert_eq!(first.join().unwrap(), ["GET /api.yaml HTTP/1.1"]);
            assert_eq!(second.join().unwrap(), ["GET /moved/here.yaml HTTP/1.1", "GET /final.yaml HTTP/1.1"]);
        }

        #[test]
        fn refuses_a_redirect_to_a_host_not_allowed() {
            let (listener, port) = listen();
            let (other, other_port) = listen();
            let to_other = format!("http://127.0.0.1:{other_port}/api.yaml");
            let server = serve(
                listener,
                vec![
                    (reply("302 Found", &[("Location", &to_other)], b""), Duration::ZERO),
                    (reply("307 Temporary Redirect", &[("Location", "https://Evil.example/api.yaml")], b""), Duration::ZERO),
                ],
            );
            let url = format!("http://127.0.0.1:{port}/api.yaml");
            let access = access(&[&format!("127.0.0.1:{port}")]);
            assert_eq!(
                access.fetch(&url).unwrap_err().to_string(),
                format!("refusing to fetch {url}: it redirects to {to_other}, and host 127.0.0.1:{other_port} is not in --allow-remote-refs")
            );
            assert_eq!(
                access.fetch(&url).unwrap_err().to_string(),
                format!(
                    "refusing to fetch {url}: it redirects to https://evil.example/api.yaml, and host evil.example is not in --allow-remote-refs"
                )
            );
            assert_eq!(server.join().unwrap().len(), 2);
            assert_untouched(&other);
        }

        #[test]
        fn stops_after_five_redirects() {
            let (listener, port) = listen();
            let again = reply("302 Found", &[("Location", "/again")], b"");
            let server = serve(listener, vec![(again, Duration::ZERO); 6]);
            let url = format!("http://127.0.0.1:{port}/api.yaml");
            let error = access(&["127.0.0.1"]).fetch(&url).unwrap_err();
            assert_eq!(error.to_string(), format!("could not fetch {url}: it redirects more than 5 times"));
            assert_eq!(server.join().unwrap().len(), 6);
        }

        #[test]
        fn refuses_a_body_over_the_limit() {
            let (listener, port) = listen();
            let server =
                serve(listener, vec![(reply("200 OK", &[], &[b'x'; 16]), Duration::ZERO), (reply("200 OK", &[], &[b'x'; 17]), Duration::ZERO)]);
            let url = format!("http://127.0.0.1:{port}/api.yaml");
            let access = RemoteAccess { max_bytes: 16, ..access(&["127.0.0.1"]) };
            assert_eq!(access.fetch(&url).unwrap().len(), 16);
            assert_eq!(access.fetch(&url).unwrap_err().to_string(), format!("could not fetch {url}: the body is larger than the limit of 16 bytes"));
            server.join().unwrap();
        }

        #[test]
        fn gives_up_on_a_slow_server() {
            let stall = Duration::from_secs(2);
            let (headers_late, headers_port) = listen();
            let (body_late, body_port) = listen();
            // One never answers; the other answers its head at once and then stalls in the body.
            let _headers_late = serve(headers_late, vec![(Vec::new(), stall)]);
            let mut partial = reply("200 OK", &[], &[b'x'; 100]);
            partial.truncate(partial.len() - 90);
            let _body_late = serve(body_late, vec![(partial, stall)]);
            let access = RemoteAccess { timeout: Duration::from_millis(300), ..access(&["127.0.0.1"]) };
            for port in [headers_port, body_port] {
                let url = format!("http://127.0.0.1:{port}/api.yaml");
                let started = Instant::now();
                let error = access.fetch(&url).unwrap_err();
                assert_eq!(error.to_string(), format!("could not fetch {url}: no complete answer within 300ms"));
                assert!(started.elapsed() < Duration::from_millis(1500), "{:?}", started.elapsed());
            }
        }

        #[test]
        fn refuses_a_body_that_is_not_utf8() {
            let (listener, port) = listen();
            let server = serve(listener, vec![(reply("200 OK", &[], b"openapi: \xff\xfe"), Duration::ZERO)]);
            let url = format!("http://127.0.0.1:{port}/api.yaml");
            assert_eq!(access(&["127.0.0.1"]).fetch(&url).unwrap_err().to_string(), format!("could not fetch {url}: the body is not UTF-8"));
            server.join().unwrap();
        }

        #[test]
        fn refuses_a_status_other_than_success() {
            let (listener, port) = listen();
            let server = serve(listener, vec![(reply("404 Not Found", &[], b"no such spec"), Duration::ZERO)]);
            let url = format!("http://127.0.0.1:{port}/api.yaml");
            let error = access(&["127.0.0.1"]).fetch(&url).unwrap_err();
            assert_eq!(error.to_string(), format!("could not fetch {url}: the server answered 404 Not Found"));
            assert_eq!(error.url(), url);
            server.join().unwrap();
        }
    }
}
