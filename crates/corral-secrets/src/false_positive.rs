//! Telling a secret from something that only looks like one.
//!
//! Most of what a naive scanner reports is not a credential: placeholders (`xxxx`,
//! `<TOKEN>`, `your-api-key-here`), references to where the real value lives (`${VAR}`,
//! `{{ secrets.X }}`, `os.environ[...]`, `process.env.X`), words, numbers and file paths
//! assigned to variables that happen to be called `password` or `token`. Each false positive
//! costs a person's attention and teaches them to ignore the tool, so these checks are
//! strict: a value must look like a literal someone typed or generated.

/// Substrings that mark a value as a placeholder rather than a real secret.
const PLACEHOLDER_MARKERS: &[&str] = &[
    "xxxx",
    "****",
    // Three dots elide a value in docs and chat (`sk-ant-api03-...`); generated tokens never
    // contain them.
    "...",
    "____",
    "…",
    "example",
    "placeholder",
    "changeme",
    "change_me",
    "change-me",
    "your_",
    "your-",
    "yourkey",
    "yourtoken",
    "yoursecret",
    "yourpass",
    "yourapi",
    "<",
    ">",
    "${",
    "{{",
    "}}",
    "$(",
    "%(",
    "redacted",
    "dummy",
    "sample",
    "replace_me",
    "replaceme",
    "replace-me",
    "insert_",
    "insert-",
    "fake",
    "notreal",
    "not_real",
    "not-real",
    "not-a-",
    "not_a_",
    "_here",
    "-here",
    "here_",
    "0000000",
    "1234567890",
    "abcdefghij",
    "qwerty",
    "lorem",
    "foobar",
];

/// Whether `secret` is a placeholder: contains a placeholder marker, or is made of too few
/// distinct characters to be generated (`aaaaaaaa`, `abababab`).
pub(crate) fn is_placeholder(secret: &[u8]) -> bool {
    let lower = secret.to_ascii_lowercase();
    if PLACEHOLDER_MARKERS
        .iter()
        .any(|m| memchr::memmem::find(&lower, m.as_bytes()).is_some())
    {
        return true;
    }
    if secret.len() >= 8 {
        let mut seen = [false; 256];
        let mut distinct = 0;
        for &b in secret {
            if !seen[b as usize] {
                seen[b as usize] = true;
                distinct += 1;
            }
        }
        if distinct <= 3 {
            return true;
        }
    }
    false
}

/// Key-name endings that say the value is *about* a secret rather than the secret itself:
/// `token_type = "bearer"`, `password_file = ...`, `secret_name = ...`.
const NON_SECRET_KEY_ENDINGS: &[&str] = &[
    "type",
    "url",
    "uri",
    "endpoint",
    "file",
    "path",
    "dir",
    "name",
    "id",
    "length",
    "len",
    "size",
    "count",
    "max",
    "min",
    "timeout",
    "ttl",
    "expiry",
    "expires",
    "expires_at",
    "expiration",
    "header",
    "prefix",
    "suffix",
    "format",
    "field",
    "label",
    "policy",
    "regex",
    "pattern",
    "hash",
    "digest",
    "env",
    "var",
    "version",
    "mode",
    "enabled",
    "required",
    "hint",
    "placeholder",
    "error",
    "message",
    "msg",
    "param",
    "parameter",
    "kind",
    "class",
    "tokens",
    "tokenizer",
    "ref",
    "reference",
    "arn",
    "location",
    "provider",
    "method",
    "algorithm",
    "scheme",
    "store",
    "source",
    "manager",
    "generator",
    "validator",
    "rotation",
    "strength",
    "rules",
    "reset",
    "changed",
    "updated",
    "created",
    "sent",
    "storage",
    "limit",
    "index",
    "time",
    "date",
    "used",
    "_at",
    "count",
    "verifier",
];

/// Extensions of programming languages, where an unquoted right-hand side is an expression
/// (a variable, a call), not a literal.
const CODE_EXTENSIONS: &[&str] = &[
    "py", "pyi", "js", "mjs", "cjs", "jsx", "ts", "tsx", "go", "java", "kt", "kts", "rb", "php",
    "cs", "rs", "c", "cc", "cpp", "h", "hpp", "swift", "scala", "tf", "hcl", "ipynb", "json", "r",
    "lua", "pl", "dart", "vue", "svelte", "groovy", "m", "ex", "exs", "erl", "clj",
];

/// Prefixes (lower-case) of values that point to where a secret lives instead of holding it.
const REFERENCE_PREFIXES: &[&str] = &[
    "env.",
    "env:",
    "process.env",
    "os.environ",
    "os.getenv",
    "getenv",
    "secrets.",
    "secret.",
    "vars.",
    "var.",
    "local.",
    "data.",
    "module.",
    "self.",
    "this.",
    "config.",
    "settings.",
    "params.",
    "args.",
    "props.",
    "request.",
    "req.",
    "http",
    "file:",
    "vault:",
    "arn:",
    "ref+",
    "sha1-",
    "sha256-",
    "sha384-",
    "sha512-",
    "sha256:",
    "sha1:",
    "md5:",
    "none",
    "null",
    "nil",
    "true",
    "false",
    "undefined",
    "required",
    "optional",
    "string",
    "str",
    "bool",
    "int",
    "keyring",
    "keychain",
    "aws-sm:",
    "gcp-sm:",
    "op://",
    "awskms:",
];

/// What a generic `key = value` detector matched.
pub(crate) struct Assignment<'a> {
    /// The key name (e.g. `DB_PASSWORD`), when the regex captures it as `key`.
    pub key: Option<&'a [u8]>,
    /// The opening quote, when the regex captures it as `q` (empty for unquoted values).
    pub quote: Option<&'a [u8]>,
    pub value: &'a [u8],
    /// The byte right after the value, if any.
    pub after: Option<u8>,
    /// The two bytes right before the key, if any (`::` marks a type name, not a setting).
    pub before_key: [u8; 2],
    pub path: &'a str,
}

/// Whether a `key = value` match holds a literal secret value.
pub(crate) fn generic_assignment_is_secret(a: &Assignment<'_>) -> bool {
    let value = a.value;
    if value.len() < 8 || value.len() > 200 {
        return false;
    }
    // The literal must be complete: a quoted value ends at its closing quote; an unquoted one
    // must not run into a call or an index (`get_token()`, `tokens[0]`).
    match a.quote {
        Some(q) if !q.is_empty() => {
            if a.after != Some(q[0]) {
                return false;
            }
        }
        _ => {
            if matches!(a.after, Some(b'(' | b'[' | b'{' | b'.' | b'<' | b'>')) {
                return false;
            }
            if is_code_file(a.path) {
                return false;
            }
        }
    }
    if let Some(key) = a.key {
        if a.before_key == *b"::" || key.starts_with(b"-") {
            // `AWS::ApiGateway::ApiKey` is a type name; `--token` a command-line flag in docs.
            return false;
        }
        let key = key.to_ascii_lowercase();
        let key = trim_key(&key);
        let last_segment = key.rsplit(|&b| b == b'.').next().unwrap_or(key);
        if !SECRET_KEY_WORDS
            .iter()
            .any(|w| memchr::memmem::find(last_segment, w.as_bytes()).is_some())
        {
            // `Token.Prompt = …`: the secret-sounding word names a namespace, not the setting.
            return false;
        }
        if NON_SECRET_KEY_WORDS
            .iter()
            .any(|w| memchr::memmem::find(key, w.as_bytes()).is_some())
        {
            return false;
        }
        if PUBLIC_KEY_WORDS
            .iter()
            .any(|w| memchr::memmem::find(key, w.as_bytes()).is_some())
        {
            return false;
        }
        if NON_SECRET_KEY_ENDINGS
            .iter()
            .any(|e| key.ends_with(e.as_bytes()) && !key.ends_with(b"secret_id"))
        {
            return false;
        }
    }
    let lower = value.to_ascii_lowercase();
    if is_reference(value, a.path)
        || REFERENCE_PREFIXES
            .iter()
            .any(|p| lower.starts_with(p.as_bytes()))
        || PUBLIC_PREFIXES
            .iter()
            .any(|p| lower.starts_with(p.as_bytes()))
        || memchr::memmem::find(&lower, b"://").is_some()
        || memchr::memmem::find(&lower, b"password").is_some()
        || memchr::memmem::find(&lower, b"passwd").is_some()
        || is_uuid(value)
    {
        return false;
    }
    if looks_like_file_name(&lower) {
        return false;
    }
    if is_placeholder(value) {
        return false;
    }
    let has_lower = value.iter().any(u8::is_ascii_lowercase);
    let has_upper = value.iter().any(u8::is_ascii_uppercase);
    let has_digit = value.iter().any(u8::is_ascii_digit);
    let has_symbol = value.iter().any(|b| !b.is_ascii_alphanumeric());
    let classes = [has_lower, has_upper, has_digit, has_symbol]
        .iter()
        .filter(|&&c| c)
        .count();
    if classes < 2 {
        return false;
    }
    if !has_digit && looks_like_words(value.strip_prefix(b"#").unwrap_or(value)) {
        return false;
    }
    if value
        .split(|&b| b == b'.')
        .filter(|s| !s.is_empty())
        .count()
        >= 3
    {
        // `fs.s3.cse.provider`, `a.b.c`: a property path or host name (JWTs have their own
        // detector).
        return false;
    }
    true
}

/// Words one of which the last segment of a generic key must contain.
const SECRET_KEY_WORDS: &[&str] = &["pass", "pwd", "secret", "token", "key", "cred", "auth"];

/// Words in a key name that say the value is an opaque but harmless token: pagination
/// cursors and idempotency tokens (`NextToken`, `ClientToken`, `change_token`).
const NON_SECRET_KEY_WORDS: &[&str] = &[
    "nexttoken",
    "next_token",
    "pagetoken",
    "page_token",
    "continuation",
    "changetoken",
    "change_token",
    "purchasetoken",
    "synctoken",
    "sync_token",
    "clienttoken",
    "cursor",
    "s3key",
    "objectkey",
    "csrf",
    "xsrf",
    "forwardtoken",
    "backwardtoken",
    "updatetoken",
    "exporttoken",
    "importtoken",
];

/// Words in a key name that say the value is meant to be public (`MAPBOX_PUBLIC_TOKEN`,
/// `STRIPE_PUBLISHABLE_KEY`) or is an identifier, not a credential (`primary_key`).
const PUBLIC_KEY_WORDS: &[&str] = &[
    "public",
    "publishable",
    "pubkey",
    "pub_key",
    "anon_key",
    "site_key",
    "sitekey",
    "primary_key",
    "foreign_key",
    "sort_key",
    "partition_key",
    "cache_key",
    "idempotency",
    "dedup",
    "lookup_key",
    "object_key",
    "bucket_key",
    "s3_key",
    "kms_key",
    "ssh_key",
    "gpg_key",
    "pgp_key",
    "key_id",
    "keyid",
];

/// Prefixes (lower-case) of values that are public by design: publishable and client-side keys.
const PUBLIC_PREFIXES: &[&str] = &[
    "pk.", "pk_live_", "pk_test_", "phc_", "nrjs-", "pub-", "pk-lf-",
];

/// A value that points somewhere else: `${VAR}`, `$VAR`, `$(cmd)`, `%(name)s`, `%VAR%`,
/// `#{expr}`, `{{ tmpl }}`, a YAML anchor, alias or tag, a `--flag`, or a file path.
fn is_reference(value: &[u8], path: &str) -> bool {
    let first = value[0];
    let second = value.get(1).copied().unwrap_or(0);
    let is_yaml = path.ends_with(".yaml") || path.ends_with(".yml");
    match first {
        b'$' if second == b'{'
            || second == b'('
            || second == b'_'
            || second.is_ascii_alphabetic() =>
        {
            return true;
        }
        b'%' if second == b'(' || second == b'{' => return true,
        b'%' if value.len() > 2
            && value[value.len() - 1] == b'%'
            && value[1..value.len() - 1]
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'_') =>
        {
            return true;
        }
        b'#' if second == b'{' => return true,
        b'{' | b'<' | b'[' | b'(' => return true,
        b'-' if second == b'-' => return true,
        b'&' | b'*' | b'!' if is_yaml => return true,
        _ => {}
    }
    let starts_like_path = value.starts_with(b"/")
        || value.starts_with(b"./")
        || value.starts_with(b"../")
        || value.starts_with(b"~/");
    starts_like_path
        && value.iter().filter(|&&b| b == b'/').count() >= 2
        && value
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'))
}

/// `8-4-4-4-12` hexadecimal: an identifier unless a provider detector says otherwise.
fn is_uuid(value: &[u8]) -> bool {
    value.len() == 36
        && value.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

fn trim_key(key: &[u8]) -> &[u8] {
    let end = key
        .iter()
        .rposition(|b| b.is_ascii_alphanumeric())
        .map_or(0, |i| i + 1);
    &key[..end]
}

/// `MySecretKey`, `not-a-real-value`, `Top.Secret`: letters and separators, in words
/// (trailing punctuation, as in prose, ignored).
fn looks_like_words(value: &[u8]) -> bool {
    let end = value
        .iter()
        .rposition(|b| b.is_ascii_alphanumeric())
        .map_or(0, |i| i + 1);
    let value = &value[..end];
    if !value
        .iter()
        .all(|b| b.is_ascii_alphabetic() || matches!(b, b'-' | b'_' | b'.' | b' '))
    {
        return false;
    }
    let letters = value.iter().filter(|b| b.is_ascii_alphabetic()).count();
    let switches = value
        .windows(2)
        .filter(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
        .count();
    switches * 4 < letters
}

fn looks_like_file_name(lower: &[u8]) -> bool {
    const EXTS: &[&str] = &[
        ".pem",
        ".key",
        ".json",
        ".txt",
        ".crt",
        ".cer",
        ".p12",
        ".pfx",
        ".yaml",
        ".yml",
        ".env",
        ".cfg",
        ".conf",
        ".ini",
        ".toml",
        ".xml",
        ".jks",
        ".keystore",
        ".gpg",
        ".asc",
        ".py",
        ".js",
        ".sh",
    ];
    EXTS.iter().any(|e| lower.ends_with(e.as_bytes()))
}

fn is_code_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => {
            let ext = ext.to_ascii_lowercase();
            CODE_EXTENSIONS.contains(&ext.as_str())
        }
        _ => false,
    }
}

/// Common placeholder passwords in connection URLs and the like.
const PLACEHOLDER_PASSWORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "user",
    "username",
    "pw",
    "mypassword",
    "yourpassword",
    "dbpassword",
    "db_password",
    "<password>",
    "[password]",
    "****",
];

/// Whether the password of a connection URL is a real one.
pub(crate) fn url_password_is_secret(user: Option<&[u8]>, password: &[u8]) -> bool {
    let lower = password.to_ascii_lowercase();
    if PLACEHOLDER_PASSWORDS
        .iter()
        .any(|p| lower.as_slice() == p.as_bytes())
    {
        return false;
    }
    if is_reference(password, "") || matches!(password.first(), Some(b'*' | b':')) {
        return false;
    }
    if user.is_some_and(|u| u.eq_ignore_ascii_case(password)) {
        return false;
    }
    !is_placeholder(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assignment<'a>(key: &'a str, quote: &'a str, value: &'a str, path: &'a str) -> bool {
        let after = if quote.is_empty() {
            None
        } else {
            Some(quote.as_bytes()[0])
        };
        generic_assignment_is_secret(&Assignment {
            key: Some(key.as_bytes()),
            quote: Some(quote.as_bytes()),
            value: value.as_bytes(),
            after,
            before_key: [b' ', b' '],
            path,
        })
    }

    #[test]
    fn placeholders_are_recognised() {
        for p in [
            "your-api-key-here",
            "xxxxxxxxxxxxxxxx",
            "<TOKEN>",
            "changeme",
            "${API_KEY}",
            "{{ secrets.TOKEN }}",
            "AKIAIOSFODNN7EXAMPLE",
            "abababababab",
            "sk-ant-api03-...",
            "ghp_...Q7Zk",
        ] {
            assert!(is_placeholder(p.as_bytes()), "{p}");
        }
        assert!(!is_placeholder(b"q7Zp2LmX9vR4tK8wN3bY6cH1"));
    }

    #[test]
    fn generated_looking_literals_are_secrets() {
        assert!(assignment("DB_PASSWORD", "\"", "Xk9#mP2$vL8q", "app.py"));
        assert!(assignment("api_key", "", "q7Zp2LmX9vR4tK8w", ".env"));
        assert!(assignment("token", "'", "kXqPzLmNvRtYwQsD", "a.js"));
    }

    #[test]
    fn references_words_and_metadata_are_not_secrets() {
        assert!(!assignment("password", "", "os.environ", "app.py"));
        assert!(!assignment("token", "", "get_token", "app.py"));
        assert!(!assignment("password", "\"", "MySecretKey", "app.py"));
        assert!(!assignment("token_type", "\"", "Bearer9x", "app.py"));
        assert!(!assignment("secret_file", "", "/run/secrets/db", "a.yaml"));
        assert!(!assignment("password", "\"", "12345678910", "app.py"));
        assert!(!assignment(
            "integrity",
            "\"",
            "sha512-q7Zp2LmX9vR4tK8w",
            "a.json"
        ));
        assert!(!assignment("password", "\"", "hunter2", "app.py"));
        assert!(!assignment(
            "MAPBOX_PUBLIC_TOKEN",
            "",
            "pk.eyJ1IjoiYWNtZSJ9.q7Zp2LmX",
            ".env"
        ));
        assert!(!assignment(
            "idempotency_key",
            "\"",
            "3f2b8c1e-7a4d-4e9b-9c3f-2d1e0a7b6c5d",
            "a.py"
        ));
        assert!(!assignment("password", "", "$DB_PASSWORD", ".env"));
        assert!(!assignment("password", "", "%(db_password)s", "a.ini"));
        assert!(!assignment("password", "", "*default_password", "a.yaml"));
        assert!(!assignment(
            "NextToken",
            "\"",
            "eyJOZXh0VG9rZW4iOiAiQk",
            "a.json"
        ));
        assert!(!assignment("--token", "", "2336412f37fb687f5d51", "a.rst"));
        assert!(!assignment("Token.Prompt", "'", "#ansigreen", "a.py"));
        assert!(!assignment("URI_KEY", "'", "fs.s3.cse.provider9", "a.py"));
        assert!(!assignment("secret", "", "immediately**", "a.rst"));
        assert!(!assignment(
            "PasswordLastUsed",
            "\"",
            "2016-09-25T21:40:25Z",
            "a.json"
        ));
    }

    #[test]
    fn passwords_may_start_with_symbols_that_are_not_references() {
        assert!(assignment("password", "", "&f32p#+Se=cB.!628", ".env"));
        assert!(assignment(
            "db_password",
            "\"",
            "#*F83R2%rE#OQrVxT",
            "db.js"
        ));
        assert!(assignment("password", "\"", "%Gj!4gYn73!Flx", "db.py"));
    }

    #[test]
    fn connection_url_placeholders_are_not_secrets() {
        assert!(!url_password_is_secret(Some(b"app"), b"password"));
        assert!(!url_password_is_secret(Some(b"postgres"), b"postgres"));
        assert!(!url_password_is_secret(Some(b"app"), b"${DB_PASS}"));
        assert!(url_password_is_secret(Some(b"app"), b"T9v2kQz7Lm"));
        assert!(url_password_is_secret(Some(b"app"), b"%21T9v2kQz7Lm"));
    }
}
