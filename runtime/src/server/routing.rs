//! Matching request paths to the document's path templates.
//!
//! axum's own router picks one template per path before it looks at the method, and cannot match
//! several parameters in one segment (`/{a}.{b}`). Here every template that matches a path is a
//! candidate; literal segments beat parameters, segment by segment from the left; the first
//! candidate that accepts the method wins, so a method only a less specific template accepts
//! still reaches it.

/// One operation's method and path template.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub operation_id: &'static str,
    /// Upper case, as on the wire.
    pub method: &'static str,
    pub path: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Literal(&'static str),
    Variable(&'static str),
}

#[derive(Debug, Clone)]
struct Template {
    /// The parts of each segment.
    segments: Vec<Vec<Part>>,
    /// Per segment: 0 for all literal, 1 for mixed, 2 for a lone variable; compared left to right.
    rank: Vec<u8>,
}

/// What matching a request found.
#[derive(Debug, PartialEq, Eq)]
pub enum Match {
    /// The route's index and the raw (still percent-encoded) text of each template variable.
    Found(usize, Vec<(&'static str, String)>),
    /// Some template matches the path, but none accepts the method; these do.
    MethodNotAllowed(Vec<&'static str>),
    NotFound,
}

pub struct Router {
    routes: &'static [Route],
    templates: Vec<Template>,
    /// Route indexes ordered from the most specific template to the least.
    order: Vec<usize>,
}

/// A variable's text, as a byte range of the request path: matching a template that turns out
/// not to fit allocates nothing.
type Capture = (&'static str, std::ops::Range<usize>);

impl Router {
    pub fn new(routes: &'static [Route]) -> Router {
        let templates: Vec<Template> = routes.iter().map(|route| parse_template(route.path)).collect();
        let mut order: Vec<usize> = (0..routes.len()).collect();
        order.sort_by(|&a, &b| templates[a].rank.cmp(&templates[b].rank).then(a.cmp(&b)));
        Router { routes, templates, order }
    }

    pub fn find(&self, method: &str, path: &str) -> Match {
        let relative = path.strip_prefix('/').unwrap_or(path);
        let offset = path.len() - relative.len();
        let segment_count = relative.bytes().filter(|&byte| byte == b'/').count() + 1;
        let mut allowed: Vec<&'static str> = Vec::new();
        let mut captures: Vec<Capture> = Vec::new();
        for &index in &self.order {
            let template = &self.templates[index];
            if template.segments.len() != segment_count {
                continue;
            }
            captures.clear();
            if !match_template(template, relative, offset, &mut captures) {
                continue;
            }
            if self.routes[index].method.eq_ignore_ascii_case(method) {
                return Match::Found(index, captures.into_iter().map(|(name, range)| (name, path[range].to_string())).collect());
            }
            if !allowed.contains(&self.routes[index].method) {
                allowed.push(self.routes[index].method);
            }
        }
        if allowed.is_empty() {
            Match::NotFound
        } else {
            Match::MethodNotAllowed(allowed)
        }
    }
}

fn parse_template(path: &'static str) -> Template {
    let mut segments = Vec::new();
    let mut rank = Vec::new();
    for segment in path.strip_prefix('/').unwrap_or(path).split('/') {
        let mut parts = Vec::new();
        let mut rest = segment;
        while !rest.is_empty() {
            match (rest.find('{'), rest.find('}')) {
                (Some(open), Some(close)) if open < close => {
                    if open > 0 {
                        parts.push(Part::Literal(&rest[..open]));
                    }
                    parts.push(Part::Variable(&rest[open + 1..close]));
                    rest = &rest[close + 1..];
                }
                _ => {
                    parts.push(Part::Literal(rest));
                    rest = "";
                }
            }
        }
        let variables = parts.iter().filter(|part| matches!(part, Part::Variable(_))).count();
        rank.push(match (variables, parts.len()) {
            (0, _) => 0,
            (1, 1) => 2,
            _ => 1,
        });
        segments.push(parts);
    }
    Template { segments, rank }
}

/// Whether `relative` (the path after its leading `/`, which starts at byte `offset` of the
/// whole path) has the template's segments; the caller has compared the segment counts.
fn match_template(template: &Template, relative: &str, offset: usize, captures: &mut Vec<Capture>) -> bool {
    let mut start = offset;
    for (parts, segment) in template.segments.iter().zip(relative.split('/')) {
        if match_segment(parts, segment, start, captures).is_none() {
            return false;
        }
        start += segment.len() + 1;
    }
    true
}

/// Matches one segment, which starts at byte `start` of the path; a variable takes the shortest
/// text that lets the rest match, and never an empty one.
fn match_segment(parts: &[Part], segment: &str, start: usize, captures: &mut Vec<Capture>) -> Option<()> {
    let mut rest = segment;
    for (index, part) in parts.iter().enumerate() {
        match *part {
            Part::Literal(literal) => rest = rest.strip_prefix(literal)?,
            Part::Variable(name) => {
                let end = match parts.get(index + 1) {
                    Some(Part::Literal(next)) => rest.get(1..)?.find(next)? + 1,
                    _ => rest.len(),
                };
                if end == 0 {
                    return None;
                }
                let from = start + (segment.len() - rest.len());
                captures.push((name, from..from + end));
                rest = &rest[end..];
            }
        }
    }
    rest.is_empty().then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROUTES: &[Route] = &[
        Route { operation_id: "getWorkflowInstances", method: "GET", path: "/v2/workflows/{workflowId}/instances" },
        Route { operation_id: "getInstances", method: "POST", path: "/v2/workflows/instances" },
        Route { operation_id: "getInstanceById", method: "GET", path: "/v2/workflows/instances/{instanceId}" },
        Route { operation_id: "executeWorkflow", method: "POST", path: "/v2/workflows/{workflowId}/execute" },
        Route { operation_id: "postWorkflowInstances", method: "POST", path: "/v2/workflows/{workflowId}/instances" },
        Route { operation_id: "file", method: "GET", path: "/files/{name}.{extension}" },
    ];

    fn check(method: &str, path: &str, expected: Match) {
        assert_eq!(Router::new(ROUTES).find(method, path), expected, "{method} {path}");
    }

    #[test]
    fn literal_segments_win() {
        check("GET", "/v2/workflows/instances/abc", Match::Found(2, vec![("instanceId", "abc".into())]));
        check("GET", "/v2/workflows/wf1/instances", Match::Found(0, vec![("workflowId", "wf1".into())]));
    }

    #[test]
    fn a_method_only_the_less_specific_template_accepts_still_reaches_it() {
        // `/v2/workflows/instances/instances` matches both templates; only the second takes POST.
        check("POST", "/v2/workflows/instances/instances", Match::Found(4, vec![("workflowId", "instances".into())]));
        check("GET", "/v2/workflows/instances/instances", Match::Found(2, vec![("instanceId", "instances".into())]));
    }

    #[test]
    fn unknown_paths_and_methods() {
        check("GET", "/v2/nothing", Match::NotFound);
        check("DELETE", "/v2/workflows/wf1/instances", Match::MethodNotAllowed(vec!["GET", "POST"]));
        check("GET", "/v2/workflows//instances", Match::NotFound);
    }

    #[test]
    fn several_variables_in_one_segment() {
        check("GET", "/files/report.tar.gz", Match::Found(5, vec![("name", "report".into()), ("extension", "tar.gz".into())]));
        check("GET", "/files/.gz", Match::NotFound);
    }
}
