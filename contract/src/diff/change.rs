//! What one change is, who it breaks, and which changes make the command fail.

use oas_codegen::diagnostics::Position;

/// Who a change breaks. The order is the order of the text report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Breaks existing clients and existing server implementations alike.
    BreaksBoth,
    /// A client written against the old version can fail against a server of the new one.
    BreaksClients,
    /// A server written against the old version no longer fulfils the new one.
    BreaksServers,
    /// Neither side needs to change.
    Compatible,
    /// Worth knowing, not part of the wire contract (the document's version, unused schemas).
    Info,
}

impl Severity {
    /// Every severity, most severe first.
    pub const ALL: [Severity; 5] = [Severity::BreaksBoth, Severity::BreaksClients, Severity::BreaksServers, Severity::Compatible, Severity::Info];

    /// The token used in both output formats.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::BreaksBoth => "breaks-both",
            Severity::BreaksClients => "breaks-clients",
            Severity::BreaksServers => "breaks-servers",
            Severity::Compatible => "compatible",
            Severity::Info => "info",
        }
    }

    /// Whether clients break: [`Severity::BreaksClients`] or [`Severity::BreaksBoth`].
    pub fn breaks_clients(self) -> bool {
        matches!(self, Severity::BreaksBoth | Severity::BreaksClients)
    }

    /// Whether servers break: [`Severity::BreaksServers`] or [`Severity::BreaksBoth`].
    pub fn breaks_servers(self) -> bool {
        matches!(self, Severity::BreaksBoth | Severity::BreaksServers)
    }

    /// The same change seen with the roles of client and server swapped, as for webhooks, which
    /// the API's provider sends and its consumers serve.
    pub(super) fn mirrored(self) -> Severity {
        match self {
            Severity::BreaksClients => Severity::BreaksServers,
            Severity::BreaksServers => Severity::BreaksClients,
            other => other,
        }
    }

    fn from_flags(clients: bool, servers: bool) -> Severity {
        match (clients, servers) {
            (true, true) => Severity::BreaksBoth,
            (true, false) => Severity::BreaksClients,
            (false, true) => Severity::BreaksServers,
            (false, false) => Severity::Compatible,
        }
    }
}

/// Which document a change's pointer and position refer to: the new one, or the old one for
/// things that were removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// The old version.
    Old,
    /// The new version.
    New,
}

impl Side {
    /// The token used in both output formats.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Old => "old",
            Side::New => "new",
        }
    }
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Who it breaks, if anyone.
    pub severity: Severity,
    /// A stable identifier of the rule that classified it (see the table in the module docs).
    pub rule: &'static str,
    /// The document `pointer` and `position` refer to.
    pub side: Side,
    /// RFC 6901 pointer into the document named by `side`.
    pub pointer: String,
    /// Where `pointer` is in the text of that document, when it could be found.
    pub position: Option<Position>,
    /// The file `position` is in, when the document was read from several files and the change
    /// is in one its root references; `None` for the root file.
    pub file: Option<String>,
    /// The operation it was found under (`GET /pets/{id}`), when there is one.
    pub operation: Option<String>,
    /// What changed, in a sentence.
    pub message: String,
}

/// Which way data flows through a schema, which decides who a narrowing or widening breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Sent by clients, read by servers: parameters and request bodies.
    Request,
    /// Sent by servers, read by clients: response bodies and headers.
    Response,
    /// A component schema no operation uses: nobody is broken, the change is informational.
    Unused,
}

/// How a schema change moves the set of values the schema accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Some values valid before are not any more.
    Narrows,
    /// Some values invalid before are valid now.
    Widens,
    /// Both at once (a type replaced by an unrelated one, a pattern rewritten).
    Replaces,
}

impl Direction {
    /// Narrowing what a request accepts rejects requests old clients send; widening it asks old
    /// servers to handle requests they never saw. Responses are the mirror image.
    pub fn classify(self, effect: Effect) -> Severity {
        let (narrowing_breaks_clients, widening_breaks_clients) = match self {
            Direction::Unused => return Severity::Info,
            Direction::Request => (true, false),
            Direction::Response => (false, true),
        };
        match effect {
            Effect::Narrows => Severity::from_flags(narrowing_breaks_clients, !narrowing_breaks_clients),
            Effect::Widens => Severity::from_flags(widening_breaks_clients, !widening_breaks_clients),
            Effect::Replaces => Severity::BreaksBoth,
        }
    }

    /// `severity` for schemas operations use, informational for unused ones.
    pub fn unless_unused(self, severity: Severity) -> Severity {
        if self == Direction::Unused {
            Severity::Info
        } else {
            severity
        }
    }
}

/// Which changes make `oas diff` exit with status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Anything that breaks clients, servers, or both.
    Breaking,
    /// Anything that breaks clients (including what breaks both).
    Client,
    /// Anything that breaks servers (including what breaks both).
    Server,
    /// Any change at all, informational ones included.
    Any,
    /// Never.
    None,
}

impl FailOn {
    /// Whether a change of `severity` makes the diff fail.
    pub fn matches(self, severity: Severity) -> bool {
        match self {
            FailOn::Breaking => severity.breaks_clients() || severity.breaks_servers(),
            FailOn::Client => severity.breaks_clients(),
            FailOn::Server => severity.breaks_servers(),
            FailOn::Any => true,
            FailOn::None => false,
        }
    }
}
