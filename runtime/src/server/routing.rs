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
    /// The operation's operationId.
    pub operation_id: &'static str,
    /// Upper case, as on the wire.
    pub method: &'static str,
    /// The path template, `/pets/{petId}`.
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
    /// No template matches the path.
    NotFound,
}

/// The templates as a tree of segments, so that a request only walks the branches its path
/// can take: trying GitHub's 1,223 routes one by one cost up to 10 µs per request.
pub struct Router {
    routes: Vec<Route>,
    /// Templates without variables, by their text: a request for one of them that a route there
    /// accepts needs no walk, since nothing is more specific.
    literal: std::collections::HashMap<&'static str, Vec<usize>>,
    /// Per route, its template's rank.
    ranks: Vec<Vec<u8>>,
    /// `nodes[0]` is the root.
    nodes: Vec<Node>,
}

#[derive(Debug, Default)]
struct Node {
    /// Children for segments of literal text only, sorted by the text.
    literals: Vec<(&'static str, usize)>,
    /// Children for segments with variables.
    patterns: Vec<(Vec<Part>, usize)>,
    /// Routes whose templates end here, in document order.
    routes: Vec<usize>,
}

/// A variable's text, as a byte range of the request path: matching a template that turns out
/// not to fit allocates nothing.
type Capture = (&'static str, std::ops::Range<usize>);

/// What a walk has found so far.
struct Search<'m> {
    method: &'m str,
    /// The most specific route that accepts the method, with its captures.
    best: Option<(usize, Vec<Capture>)>,
    /// Routes whose templates match but which take another method.
    others: Vec<usize>,
    /// The rank of the branch being walked, segment by segment (as far as it fits).
    rank: [u8; PRUNED_DEPTH],
}

/// How deep a walk skips branches that cannot beat the route already found; past it, every
/// branch is walked, which is slower but finds the same.
const PRUNED_DEPTH: usize = 32;

impl Router {
    /// A router over `routes`; [`Match::Found`] names a route by its index in this list.
    pub fn new(routes: Vec<Route>) -> Router {
        let mut nodes = vec![Node::default()];
        let mut ranks = Vec::with_capacity(routes.len());
        let mut literal: std::collections::HashMap<&'static str, Vec<usize>> = std::collections::HashMap::new();
        for (index, route) in routes.iter().enumerate() {
            let template = parse_template(route.path);
            if template.rank.iter().all(|&kind| kind == 0) {
                literal.entry(route.path).or_default().push(index);
            }
            let texts = route.path.strip_prefix('/').unwrap_or(route.path).split('/');
            let mut node = 0;
            for (parts, text) in template.segments.into_iter().zip(texts) {
                let child = nodes.len();
                node = if parts.iter().all(|part| matches!(part, Part::Literal(_))) {
                    match nodes[node].literals.binary_search_by(|(existing, _)| existing.cmp(&text)) {
                        Ok(found) => nodes[node].literals[found].1,
                        Err(at) => {
                            nodes[node].literals.insert(at, (text, child));
                            child
                        }
                    }
                } else {
                    match nodes[node].patterns.iter().find(|(existing, _)| *existing == parts) {
                        Some((_, existing)) => *existing,
                        None => {
                            nodes[node].patterns.push((parts, child));
                            child
                        }
                    }
                };
                if node == child {
                    nodes.push(Node::default());
                }
            }
            nodes[node].routes.push(index);
            ranks.push(template.rank);
        }
        Router { routes, literal, ranks, nodes }
    }

    /// The route that serves `method` at `path` (the path without its query).
    pub fn find(&self, method: &str, path: &str) -> Match {
        let exact = self.literal.get(path).and_then(|routes| routes.iter().find(|&&index| self.routes[index].method.eq_ignore_ascii_case(method)));
        if let Some(&index) = exact {
            return Match::Found(index, Vec::new());
        }
        let relative = path.strip_prefix('/').unwrap_or(path);
        let mut search = Search { method, best: None, others: Vec::new(), rank: [0; PRUNED_DEPTH] };
        let mut captures = Vec::new();
        self.walk(0, 0, Some(relative), path.len() - relative.len(), &mut captures, &mut search);
        if let Some((index, captures)) = search.best {
            return Match::Found(index, captures.into_iter().map(|(name, range)| (name, path[range].to_string())).collect());
        }
        search.others.sort_by(|&a, &b| self.ranks[a].cmp(&self.ranks[b]).then(a.cmp(&b)));
        let mut allowed: Vec<&'static str> = Vec::new();
        for index in search.others {
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

    /// Follows every branch of `node` (at `depth` segments from the root) that the rest of the
    /// path (`None` past its last segment), starting at byte `start`, can take and that could
    /// still hold a route more specific than the one found.
    fn walk(&self, node: usize, depth: usize, rest: Option<&str>, start: usize, captures: &mut Vec<Capture>, search: &mut Search<'_>) {
        let node = &self.nodes[node];
        let Some(rest) = rest else {
            for &index in &node.routes {
                self.consider(index, captures, search);
            }
            return;
        };
        let (segment, next) = match rest.find('/') {
            Some(slash) => (&rest[..slash], Some(&rest[slash + 1..])),
            None => (rest, None),
        };
        let next_start = start + segment.len() + 1;
        if let Ok(found) = node.literals.binary_search_by(|(text, _)| (*text).cmp(segment)) {
            if self.may_win(depth, 0, search) {
                self.walk(node.literals[found].1, depth + 1, next, next_start, captures, search);
            }
        }
        for (parts, child) in &node.patterns {
            if !self.may_win(depth, segment_rank(parts), search) {
                continue;
            }
            let mark = captures.len();
            if match_segment(parts, segment, start, captures).is_some() {
                self.walk(*child, depth + 1, next, next_start, captures, search);
            }
            captures.truncate(mark);
        }
    }

    /// Records that the branch takes a segment of rank `kind` at `depth`, and whether a route
    /// down it could still be more specific than the best found: its rank so far must not be
    /// greater (ties are settled by document order in `consider`).
    fn may_win(&self, depth: usize, kind: u8, search: &mut Search<'_>) -> bool {
        if depth >= PRUNED_DEPTH {
            return true;
        }
        search.rank[depth] = kind;
        let Some((best, _)) = &search.best else { return true };
        // Every candidate matches the same path, so the best's rank is at least this long.
        self.ranks[*best].get(..=depth).is_none_or(|best| search.rank[..=depth] <= *best)
    }

    /// The first route, from the most specific template to the least, that accepts the method
    /// wins; the tree is walked in nearly that order, but ties between branches are settled here.
    fn consider(&self, index: usize, captures: &[Capture], search: &mut Search<'_>) {
        if !self.routes[index].method.eq_ignore_ascii_case(search.method) {
            search.others.push(index);
            return;
        }
        let better = search.best.as_ref().is_none_or(|(best, _)| (&self.ranks[index], index) < (&self.ranks[*best], *best));
        if better {
            search.best = Some((index, captures.to_vec()));
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
        rank.push(segment_rank(&parts));
        segments.push(parts);
    }
    Template { segments, rank }
}

/// 0 for a segment of literal text only, 1 for one that mixes text and variables, 2 for a lone
/// variable.
fn segment_rank(parts: &[Part]) -> u8 {
    let variables = parts.iter().filter(|part| matches!(part, Part::Variable(_))).count();
    match (variables, parts.len()) {
        (0, _) => 0,
        (1, 1) => 2,
        _ => 1,
    }
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
        assert_eq!(Router::new(ROUTES.to_vec()).find(method, path), expected, "{method} {path}");
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

    /// The rule as first written: every template in order of specificity, one by one.
    fn linear(routes: &'static [Route]) -> impl Fn(&str, &str) -> Match {
        let templates: Vec<Template> = routes.iter().map(|route| parse_template(route.path)).collect();
        let mut order: Vec<usize> = (0..routes.len()).collect();
        order.sort_by(|&a, &b| templates[a].rank.cmp(&templates[b].rank).then(a.cmp(&b)));
        move |method, path| linear_find(routes, &templates, &order, method, path)
    }

    fn linear_find(routes: &'static [Route], templates: &[Template], order: &[usize], method: &str, path: &str) -> Match {
        let relative = path.strip_prefix('/').unwrap_or(path);
        let segments: Vec<&str> = relative.split('/').collect();
        let mut allowed = Vec::new();
        for &index in order {
            if templates[index].segments.len() != segments.len() {
                continue;
            }
            let mut captures = Vec::new();
            let mut start = path.len() - relative.len();
            let fits = templates[index].segments.iter().zip(&segments).all(|(parts, segment)| {
                let fits = match_segment(parts, segment, start, &mut captures).is_some();
                start += segment.len() + 1;
                fits
            });
            if !fits {
                continue;
            }
            if routes[index].method.eq_ignore_ascii_case(method) {
                return Match::Found(index, captures.into_iter().map(|(name, range)| (name, path[range].to_string())).collect());
            }
            if !allowed.contains(&routes[index].method) {
                allowed.push(routes[index].method);
            }
        }
        if allowed.is_empty() {
            Match::NotFound
        } else {
            Match::MethodNotAllowed(allowed)
        }
    }

    #[test]
    fn the_tree_finds_what_trying_every_template_in_order_finds() {
        const TABLE: &[Route] = &[
            Route { operation_id: "a", method: "GET", path: "/{x}/b" },
            Route { operation_id: "b", method: "POST", path: "/a/{y}" },
            Route { operation_id: "c", method: "GET", path: "/a/{y}" },
            Route { operation_id: "d", method: "PUT", path: "/{x}.{y}/b" },
            Route { operation_id: "e", method: "GET", path: "/{x}-{y}/b" },
            Route { operation_id: "f", method: "DELETE", path: "/a/b" },
            Route { operation_id: "g", method: "GET", path: "/" },
            Route { operation_id: "h", method: "GET", path: "/a/" },
            Route { operation_id: "i", method: "PATCH", path: "/{z}/{w}" },
            Route { operation_id: "j", method: "GET", path: "/a.{e}/{w}.json" },
            Route { operation_id: "k", method: "GET", path: "/{x}/b/{y}" },
            Route { operation_id: "l", method: "POST", path: "/a/b/c" },
        ];
        const PIECES: &[&str] = &["a", "b", "c", "a.b", "a-b", "x.json", "a.x", "", "{", "}", "%7B", "a.b-c", ".", "-"];
        let router = Router::new(TABLE.to_vec());
        let oracle = linear(TABLE);
        let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "get", "HEAD"];
        let mut random = Random(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let segments: Vec<&str> = (0..random.below(5)).map(|_| PIECES[random.below(PIECES.len())]).collect();
            let path = format!("/{}", segments.join("/"));
            let method = methods[random.below(methods.len())];
            assert_eq!(router.find(method, &path), oracle(method, &path), "{method} {path}");
        }
        let (router, oracle) = (Router::new(ROUTES.to_vec()), linear(ROUTES));
        for route in ROUTES {
            let path = route.path.replace("{workflowId}", "w").replace("{instanceId}", "i").replace("{name}", "n").replace("{extension}", "e");
            for method in methods {
                assert_eq!(router.find(method, &path), oracle(method, &path), "{method} {path}");
            }
        }
    }

    /// The large documents' whole route tables, each template filled in a few ways, with every
    /// method: the tree and the one-by-one rule agree.
    #[test]
    fn the_tree_agrees_on_large_documents() {
        let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/corpus/large");
        for file in ["github.json", "stripe.json", "kubernetes.json"] {
            let text = std::fs::read_to_string(format!("{corpus}/{file}")).unwrap_or_else(|error| panic!("{file}: {error}"));
            let document: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|error| panic!("{file}: {error}"));
            let mut routes = Vec::new();
            for (path, item) in document["paths"].as_object().into_iter().flatten() {
                let path: &'static str = Box::leak(path.clone().into_boxed_str());
                for method in item.as_object().into_iter().flatten().map(|(method, _)| method) {
                    if ["get", "put", "post", "delete", "options", "head", "patch", "trace"].contains(&method.as_str()) {
                        routes.push(Route { operation_id: "", method: Box::leak(method.to_uppercase().into_boxed_str()), path });
                    }
                }
            }
            let routes: &'static [Route] = Box::leak(routes.into_boxed_slice());
            let (router, oracle) = (Router::new(routes.to_vec()), linear(routes));
            for route in routes {
                for filler in ["x", "v1", "a.b", "status"] {
                    let mut path = String::new();
                    let mut rest = route.path;
                    while let Some(open) = rest.find('{') {
                        let close = rest[open..].find('}').map_or(rest.len(), |close| open + close + 1);
                        path.push_str(&rest[..open]);
                        path.push_str(filler);
                        rest = &rest[close..];
                    }
                    path.push_str(rest);
                    for method in ["GET", "POST", "DELETE", "PATCH"] {
                        assert_eq!(router.find(method, &path), oracle(method, &path), "{file}: {method} {path}");
                    }
                }
            }
        }
    }

    struct Random(u64);

    impl Random {
        fn below(&mut self, bound: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % bound as u64) as usize
        }
    }
}
