//! Taint sources, sanitisers, validators and path terminators, per language, as data.
//!
//! Rules say where untrusted data must not arrive (their sinks); this file format says where
//! it comes from and what makes it safe, once per language for every framework
//! (`taint/python.yaml`, `taint/javascript.yaml`):
//!
//! - `sources`: code whose value is untrusted: `flask.request`, `sys.argv`, `input(...)`,
//!   `process.argv`. Anything read from a tainted value (attributes, items, method results)
//!   is tainted too.
//! - `request-parameters`: parameter names that hold a request object (Django views,
//!   FastAPI's `Request`, Express handlers' `req`).
//! - `route-decorators`: decorator names (`@app.route`, `@router.get`) whose functions receive
//!   URL path and query values as parameters; those parameters are sources unless annotated
//!   with a `safe-annotations` type (`int`) or declared with an `<int:…>` converter.
//! - `parameter-decorators`: decorators of a parameter (NestJS `@Query("q") q: string`) that
//!   fill it with request data: such a parameter is a source, unless annotated safe.
//! - `sanitizers`: calls whose result is safe for some sink kinds (`shlex.quote` → `command`,
//!   `int(...)` → every kind).
//! - `validators`: calls that, when true in a condition, prove a value safe
//!   (`re.fullmatch(P, $X)`, `$X.isdigit()`); allow-list membership (`x in ALLOWED`) and
//!   equality with a constant are built in.
//! - `fixed-prefixes`: constant starts that decide where a string points
//!   (`https://api.example.org/`, `/profile/`), so that whatever follows cannot send a
//!   request or a browser elsewhere.
//! - `url-parsers`: calls that take a URL apart; a check of the result's host field
//!   (allow-list, equality, emptiness) proves where the URL points, also through a variable
//!   holding the result.
//! - `terminators`: calls that end the request (`abort(400)`, `sys.exit()`), so an `if` that
//!   ends in one guards the code after it.

use std::sync::Arc;

use serde::Deserialize;

use crate::language::Family;
use crate::pattern::{Pattern, PatternKind};
use crate::rule::{RuleError, SOURCE_KINDS, source_bit};
use crate::value::{ALL_KINDS, KindSet, SourceSet};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TaintSpecFile {
    pub language: Family,
    /// Words whose presence in a file means a source may be there (prefilter).
    pub keywords: Vec<String>,
    pub sources: Vec<SourceSpec>,
    #[serde(default)]
    pub request_parameters: Vec<String>,
    #[serde(default)]
    pub route_decorators: Vec<String>,
    #[serde(default)]
    pub parameter_decorators: Vec<String>,
    #[serde(default)]
    pub safe_annotations: Vec<String>,
    #[serde(default)]
    pub sanitizers: Vec<SanitizerSpec>,
    #[serde(default)]
    pub validators: Vec<ValidatorSpec>,
    #[serde(default)]
    pub terminators: Vec<String>,
    #[serde(default)]
    pub fixed_prefixes: Vec<PrefixSpec>,
    #[serde(default)]
    pub url_parsers: Vec<UrlParserSpec>,
    /// Sink kinds for which a property read under an untrusted key is tainted
    /// (`obj[key]` can be `obj["__proto__"]`).
    #[serde(default)]
    pub key_read_taints: Vec<String>,
    /// Fields of a request object that the application, not the sender, decides
    /// (Express `req.baseUrl` is the path a router was mounted at).
    #[serde(default)]
    pub request_fields: Vec<RequestFieldSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestFieldSpec {
    pub field: String,
    /// Sink kinds the field is safe for.
    pub clears: Clears,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrlParserSpec {
    /// A call that takes a URL apart (`urllib.parse.urlparse($X, ...)`).
    pub pattern: String,
    /// The metavariable holding the URL.
    pub url: String,
    /// Fields of the result that hold the host (`netloc`, `hostname`).
    pub hosts: Vec<String>,
    /// Sink kinds a check of the host proves the URL safe for.
    pub clears: Clears,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrefixSpec {
    /// Regex on the constant text a string starts with.
    pub regex: String,
    /// Sink kinds a string starting so is safe for, whatever follows.
    pub clears: Clears,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    pub pattern: String,
    pub label: String,
    pub kind: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SanitizerSpec {
    pub pattern: String,
    /// `all`, or a list of sink kinds.
    pub clears: Clears,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Clears {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidatorSpec {
    pub pattern: String,
    /// The metavariable holding the checked value.
    pub checks: String,
    /// Sink kinds the check proves the value safe for (default: all).
    #[serde(default)]
    pub clears: Option<Clears>,
    /// Regex on the qualified name of the call that made the checked value: the check
    /// proves something only about such values (`startswith(BASE)` of a resolved path).
    #[serde(default)]
    pub origin: Option<String>,
    /// The check is the call's result compared for equality (`commonpath([...]) == BASE`),
    /// not its truth.
    #[serde(default)]
    pub compare: bool,
}

#[derive(Debug)]
pub struct Source {
    pub pattern: Pattern,
    pub label: Arc<str>,
    pub kind: SourceSet,
}

#[derive(Debug)]
pub struct Sanitizer {
    pub pattern: Pattern,
    pub clears: KindSet,
}

#[derive(Debug)]
pub struct Validator {
    pub pattern: Pattern,
    pub checks: Arc<str>,
    pub clears: KindSet,
    pub origin: Option<regex::Regex>,
    pub compare: bool,
}

/// A constant start that decides where a string points (`https://api.example.org/`): the
/// untrusted rest can only change the path.
#[derive(Debug)]
pub struct FixedPrefix {
    pub regex: regex::Regex,
    pub clears: KindSet,
}

/// A call that takes a URL apart: a check of its host field (`parsed.hostname in ALLOWED`,
/// `parsed.netloc == request.host`, `not parsed.netloc`) proves where the URL points.
#[derive(Debug)]
pub struct UrlParser {
    pub pattern: Pattern,
    pub url: Arc<str>,
    pub hosts: Vec<String>,
    pub clears: KindSet,
}

#[derive(Debug)]
pub struct TaintSpec {
    pub family: Family,
    pub keywords: Vec<String>,
    pub sources: Vec<Source>,
    pub request_parameters: Vec<String>,
    pub route_decorators: Vec<String>,
    pub parameter_decorators: Vec<String>,
    pub safe_annotations: Vec<String>,
    pub sanitizers: Vec<Sanitizer>,
    pub validators: Vec<Validator>,
    pub terminators: Vec<Pattern>,
    pub fixed_prefixes: Vec<FixedPrefix>,
    pub url_parsers: Vec<UrlParser>,
    pub key_read_taints: KindSet,
    /// Request fields (`request-fields`) and the sink kinds they are safe for.
    pub request_fields: Vec<(Arc<str>, KindSet)>,
}

impl TaintSpec {
    /// Every sink kind some fixed prefix decides.
    pub fn prefix_kinds(&self) -> KindSet {
        self.fixed_prefixes.iter().fold(0, |k, p| k | p.clears)
    }

    /// The sink kinds a string starting with the constant `prefix` is safe for.
    pub fn prefix_clears(&self, prefix: &str) -> KindSet {
        self.fixed_prefixes
            .iter()
            .filter(|p| p.regex.is_match(prefix))
            .fold(0, |k, p| k | p.clears)
    }
}

fn pattern(file: &str, field: &str, family: Family, text: &str) -> Result<Pattern, RuleError> {
    Pattern::parse(family, text)
        .map_err(|e| RuleError::new(file, format!("field `{field}`: pattern `{text}` {e}")))
}

fn call_pattern(file: &str, field: &str, family: Family, text: &str) -> Result<Pattern, RuleError> {
    let p = pattern(file, field, family, text)?;
    if p.kind != PatternKind::Call {
        return Err(RuleError::new(
            file,
            format!("field `{field}`: pattern `{text}` must be a call"),
        ));
    }
    Ok(p)
}

/// The sink kinds a `clears` field names.
fn kinds(
    file: &str,
    field: &str,
    clears: &Clears,
    kind_bit: &dyn Fn(&str) -> Option<KindSet>,
) -> Result<KindSet, RuleError> {
    let names: Vec<&str> = match clears {
        Clears::One(n) => vec![n.as_str()],
        Clears::Many(v) => v.iter().map(String::as_str).collect(),
    };
    let mut out = 0;
    for n in names {
        if n == "all" {
            out = ALL_KINDS;
            continue;
        }
        out |= kind_bit(n).ok_or_else(|| {
            RuleError::new(
                file,
                format!("field `{field}.clears`: no rule uses the sink kind `{n}`"),
            )
        })?;
    }
    Ok(out)
}

/// Compiles a taint specification; `kind_bit` maps sink kind names to bits.
pub fn compile(
    file: &str,
    text: &str,
    kind_bit: &dyn Fn(&str) -> Option<KindSet>,
) -> Result<TaintSpec, RuleError> {
    let spec: TaintSpecFile = serde_norway::from_str(text).map_err(|e| {
        let location = e
            .location()
            .map(|l| format!("line {}: ", l.line()))
            .unwrap_or_default();
        RuleError::new(file, format!("{location}{e}"))
    })?;
    let family = spec.language;
    let mut sources = Vec::new();
    for (i, s) in spec.sources.iter().enumerate() {
        let field = format!("sources[{i}]");
        let p = pattern(file, &format!("{field}.pattern"), family, &s.pattern)?;
        if !matches!(p.kind, PatternKind::Access | PatternKind::Call) {
            return Err(RuleError::new(
                file,
                format!("field `{field}.pattern`: a source is a name, attribute or call"),
            ));
        }
        let kind = source_bit(&s.kind).ok_or_else(|| {
            RuleError::new(
                file,
                format!(
                    "field `{field}.kind`: `{}` is not a source kind ({})",
                    s.kind,
                    SOURCE_KINDS.join(", ")
                ),
            )
        })?;
        sources.push(Source {
            pattern: p,
            label: Arc::from(s.label.as_str()),
            kind,
        });
    }
    let mut sanitizers = Vec::new();
    for (i, s) in spec.sanitizers.iter().enumerate() {
        let field = format!("sanitizers[{i}]");
        let p = call_pattern(file, &format!("{field}.pattern"), family, &s.pattern)?;
        let clears = kinds(file, &field, &s.clears, kind_bit)?;
        sanitizers.push(Sanitizer { pattern: p, clears });
    }
    let mut validators = Vec::new();
    for (i, v) in spec.validators.iter().enumerate() {
        let field = format!("validators[{i}]");
        let p = call_pattern(file, &format!("{field}.pattern"), family, &v.pattern)?;
        if !p.metavariables().contains(&v.checks) {
            return Err(RuleError::new(
                file,
                format!(
                    "field `{field}.checks`: `{}` is not bound by `{}`",
                    v.checks, v.pattern
                ),
            ));
        }
        let clears = match &v.clears {
            Some(c) => kinds(file, &field, c, kind_bit)?,
            None => ALL_KINDS,
        };
        let origin = v
            .origin
            .as_ref()
            .map(|r| {
                regex::Regex::new(r).map_err(|e| {
                    RuleError::new(
                        file,
                        format!("field `{field}.origin`: regex `{r}` does not compile: {e}"),
                    )
                })
            })
            .transpose()?;
        validators.push(Validator {
            pattern: p,
            checks: Arc::from(v.checks.as_str()),
            clears,
            origin,
            compare: v.compare,
        });
    }
    let terminators = spec
        .terminators
        .iter()
        .enumerate()
        .map(|(i, t)| call_pattern(file, &format!("terminators[{i}]"), family, t))
        .collect::<Result<Vec<_>, _>>()?;
    let mut fixed_prefixes = Vec::new();
    for (i, p) in spec.fixed_prefixes.iter().enumerate() {
        let field = format!("fixed-prefixes[{i}]");
        let regex = regex::Regex::new(&p.regex).map_err(|e| {
            RuleError::new(
                file,
                format!(
                    "field `{field}.regex`: regex `{}` does not compile: {e}",
                    p.regex
                ),
            )
        })?;
        let clears = kinds(file, &field, &p.clears, kind_bit)?;
        fixed_prefixes.push(FixedPrefix { regex, clears });
    }
    let mut url_parsers = Vec::new();
    for (i, u) in spec.url_parsers.iter().enumerate() {
        let field = format!("url-parsers[{i}]");
        let p = call_pattern(file, &format!("{field}.pattern"), family, &u.pattern)?;
        if !p.metavariables().contains(&u.url) {
            return Err(RuleError::new(
                file,
                format!(
                    "field `{field}.url`: `{}` is not bound by `{}`",
                    u.url, u.pattern
                ),
            ));
        }
        url_parsers.push(UrlParser {
            pattern: p,
            url: Arc::from(u.url.as_str()),
            hosts: u.hosts.clone(),
            clears: kinds(file, &field, &u.clears, kind_bit)?,
        });
    }
    let key_read_taints = kinds(
        file,
        "key-read-taints",
        &Clears::Many(spec.key_read_taints.clone()),
        kind_bit,
    )?;
    let mut request_fields = Vec::new();
    for (i, r) in spec.request_fields.iter().enumerate() {
        let field = format!("request-fields[{i}]");
        request_fields.push((
            Arc::from(r.field.as_str()),
            kinds(file, &field, &r.clears, kind_bit)?,
        ));
    }
    Ok(TaintSpec {
        family,
        keywords: spec.keywords,
        sources,
        request_parameters: spec.request_parameters,
        route_decorators: spec.route_decorators,
        parameter_decorators: spec.parameter_decorators,
        safe_annotations: spec.safe_annotations,
        sanitizers,
        validators,
        terminators,
        fixed_prefixes,
        url_parsers,
        key_read_taints,
        request_fields,
    })
}
