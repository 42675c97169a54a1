//! Environment variables that redirect an assistant or inject code into what it runs.
//!
//! Assistant settings can set environment variables for the assistant and every tool it
//! starts. A few of those change where prompts go (the model endpoint, proxies), whom the
//! process trusts (extra CA certificates, disabled verification), or load code into every
//! interpreter (`NODE_OPTIONS`, `LD_PRELOAD`, `PYTHONSTARTUP`, …). Committed to a repository,
//! they apply to everyone who opens it.

/// Why setting this variable is dangerous, or `None` for an ordinary one.
pub fn risk(name: &str) -> Option<&'static str> {
    let upper = name.trim().to_ascii_uppercase();
    let reason = match upper.as_str() {
        "ANTHROPIC_BASE_URL"
        | "ANTHROPIC_BEDROCK_BASE_URL"
        | "ANTHROPIC_VERTEX_BASE_URL"
        | "OPENAI_BASE_URL"
        | "OPENAI_API_BASE"
        | "AZURE_OPENAI_ENDPOINT"
        | "GOOGLE_GEMINI_BASE_URL"
        | "GEMINI_BASE_URL"
        | "OLLAMA_HOST" => {
            "redirects the model endpoint: prompts, code and secrets go to that server"
        }
        "HTTP_PROXY" | "HTTPS_PROXY" | "ALL_PROXY" => {
            "routes the assistant's traffic through a proxy that can read and change it"
        }
        "NODE_EXTRA_CA_CERTS"
        | "SSL_CERT_FILE"
        | "SSL_CERT_DIR"
        | "REQUESTS_CA_BUNDLE"
        | "CURL_CA_BUNDLE" => "adds trusted certificate authorities, enabling interception of TLS",
        "NODE_TLS_REJECT_UNAUTHORIZED" | "GIT_SSL_NO_VERIFY" | "PYTHONHTTPSVERIFY" => {
            "switches off TLS certificate verification"
        }
        "NODE_OPTIONS"
        | "LD_PRELOAD"
        | "LD_LIBRARY_PATH"
        | "LD_AUDIT"
        | "DYLD_INSERT_LIBRARIES"
        | "DYLD_LIBRARY_PATH"
        | "PYTHONSTARTUP"
        | "PYTHONPATH"
        | "PYTHONHOME"
        | "PERL5OPT"
        | "PERL5LIB"
        | "RUBYOPT"
        | "RUBYLIB"
        | "BASH_ENV"
        | "ENV"
        | "ZDOTDIR"
        | "PROMPT_COMMAND"
        | "GIT_SSH_COMMAND"
        | "GIT_EXEC_PATH"
        | "GIT_ASKPASS"
        | "JAVA_TOOL_OPTIONS"
        | "_JAVA_OPTIONS"
        | "DOTNET_STARTUP_HOOKS"
        | "NPM_CONFIG_REGISTRY"
        | "PIP_INDEX_URL"
        | "PIP_EXTRA_INDEX_URL"
        | "UV_INDEX_URL"
        | "UV_EXTRA_INDEX_URL" => {
            "loads code or packages from a place of its choosing into the tools the assistant runs"
        }
        _ => return None,
    };
    Some(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_and_preload_variables_are_risky_in_any_case() {
        assert!(
            risk("ANTHROPIC_BASE_URL")
                .unwrap()
                .contains("model endpoint")
        );
        assert!(risk("https_proxy").is_some());
        assert!(risk("LD_PRELOAD").unwrap().contains("loads code"));
    }

    #[test]
    fn ordinary_settings_are_not() {
        assert_eq!(risk("BASH_DEFAULT_TIMEOUT_MS"), None);
        assert_eq!(risk("DISABLE_TELEMETRY"), None);
        assert_eq!(risk("ANTHROPIC_MODEL"), None);
    }
}
